/**
 * The exports, by name: what the CLI's `--format` and the extension's
 * "Export Profile…" both offer, the file suffix each is saved with, and the
 * one function that renders any of them (text, or bytes for binary formats).
 *
 *   const data = await renderExport('pprof', profile, exportViewOptions(false), { distDir });
 */
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import { exportCollapsed } from './collapsed';
import { exportCpuProfile } from './cpuprofile';
import { exportFirefoxProfile } from './firefox';
import { buildHtmlReport } from './htmlReport';
import { exportPprof } from './pprof';
import { exportSpeedscope } from './speedscope';

export type ExportFormat = 'speedscope' | 'collapsed' | 'pprof' | 'cpuprofile' | 'firefox' | 'html';
export const EXPORT_FORMATS: readonly ExportFormat[] = [
  'speedscope',
  'collapsed',
  'pprof',
  'cpuprofile',
  'firefox',
  'html',
];

export const EXPORT_SUFFIX: Record<ExportFormat, string> = {
  speedscope: '.speedscope.json',
  collapsed: '.collapsed.txt',
  pprof: '.pb.gz',
  cpuprofile: '.cpuprofile',
  firefox: '.firefox.json',
  html: '.html',
};

/**
 * The standalone HTML report holds the whole profile whatever the view options say (its page has
 * the panel's filters), so offering it "with library frames merged" would mean nothing.
 */
export function usesViewOptions(format: ExportFormat): boolean {
  return format !== 'html';
}

/** What an export needs from where it runs. */
export interface ExportContext {
  /** The folder holding the bundles (dist/): the HTML report's page is read from there. */
  distDir: string;
}

/** Formats that are bytes, not text (never written to a terminal). */
export function isBinaryExport(format: ExportFormat): boolean {
  return format === 'pprof';
}

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

export async function renderExport(
  format: ExportFormat,
  profile: RawProfile,
  options: ViewOptions,
  context: ExportContext,
): Promise<string | Uint8Array> {
  switch (format) {
    case 'speedscope':
      return exportSpeedscope(profile, options);
    case 'collapsed':
      return exportCollapsed(profile, options);
    case 'pprof':
      return exportPprof(profile, options);
    case 'cpuprofile':
      return exportCpuProfile(profile, options);
    case 'firefox':
      return exportFirefoxProfile(profile, options);
    case 'html':
      return buildHtmlReport(profile, context.distDir);
  }
}
