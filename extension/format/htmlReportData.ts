/**
 * What a standalone HTML report embeds beside its `.hotpath.json` profile: the
 * profiled source files, or why one is not there. Shared by the writer
 * (htmlReport.ts) and the page that reads it (webview/report/), so it holds
 * types and constants only — no Node, no `vscode`.
 */

/** Element ids of the two data blocks (`<script type="application/json">`, never run). */
export const REPORT_PROFILE_ID = 'hotpath-profile';
export const REPORT_SOURCES_ID = 'hotpath-sources';

/** Why a profiled file's source is not in the report. */
export type MissingReason =
  /** Not on disk (deleted, moved, or profiled on another machine). */
  | 'missing'
  /** A name the interpreter made up (`<frozen runpy>`, `<string>`), not a file. */
  | 'not-a-file'
  /** Larger than `REPORT_LIMITS.maxFileBytes`. */
  | 'too-large'
  /** The report already holds `REPORT_LIMITS.maxTotalBytes` of source. */
  | 'over-budget'
  /** Could not be read (permissions, not a regular file, not text). */
  | 'unreadable';

export interface ReportSource {
  /** The path as the profile recorded it (the key the views use). */
  file: string;
  /** The file's text, when embedded. */
  text?: string;
  missing?: MissingReason;
}

export interface ReportSources {
  /** When the report was written, ms since the Unix epoch. */
  writtenAt: number;
  /** Profiled files, the ones with the most self time first. */
  files: ReportSource[];
}

/**
 * Size limits of a report (README "Standalone HTML report"): a source file over `maxFileBytes` is
 * left out, and files stop being embedded once `maxTotalBytes` of source is in; the profile itself
 * is embedded whole.
 */
export const REPORT_LIMITS = {
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 16 * 1024 * 1024,
} as const;

/** What the page says for each reason. */
export const MISSING_TEXT: Record<MissingReason, string> = {
  missing: 'The source file was not found when the report was written.',
  'not-a-file':
    'This frame has no source file (the interpreter made its code from a string or a frozen module).',
  'too-large': `The source file is larger than ${REPORT_LIMITS.maxFileBytes / 1024 / 1024} MiB and was left out of the report.`,
  'over-budget': `The report already holds ${REPORT_LIMITS.maxTotalBytes / 1024 / 1024} MiB of source; this file was left out.`,
  unreadable: 'The source file could not be read when the report was written.',
};
