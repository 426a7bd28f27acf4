/**
 * Where and how the CLI writes a profile: the text tree (to stderr, so the
 * program's stdout stays clean, or to -o FILE), the .hotpath.json file, and
 * the exports (speedscope, collapsed, pprof, cpuprofile, firefox, the standalone HTML report).
 *
 *   defaultOutputPath(format, nameHint) — undefined for text (stderr), else a file in the cwd
 *   writeProfile(profile, options, destination) — renders and writes, then says where
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { RawProfile } from '../model/rawProfile';
import type { TimeMode, ViewOptions } from '../model/types';
import { hasGilData } from '../model/gcFrame';
import { saveProfile } from '../format/profileFile';
import { EXPORT_SUFFIX, isBinaryExport, isExportFormat, renderExport } from '../format/exportFormats';
import { exportViewOptions } from '../format/exportPaths';
import { renderTextReport } from '../format/textTree';
import { HotpathError } from '../session/errors';
import { UsageError } from './args';
import type { OutputFormat, RenderOptions } from './args';
import { printNote } from './messages';

const EXTENSIONS: Record<OutputFormat, string> = {
  text: '.txt',
  json: '.hotpath.json',
  ...EXPORT_SUFFIX,
};

/** "20261125-174501": sortable and safe in a file name. */
function timestamp(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}

const NO_GIL_RECORD =
  '--mode gil needs a profile that recorded which thread held the GIL (profile format 3, taken with ' +
  'this version of Hotpath); this one did not: use --mode wall or --mode cpu, or profile again';

/** The text report goes to stderr by default; every other format to a file named after the program. */
export function defaultOutputPath(format: OutputFormat, nameHint: string): string | undefined {
  if (format === 'text') return undefined;
  const safe = nameHint.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 60) || 'profile';
  return path.resolve(`hotpath-${safe}-${timestamp()}${EXTENSIONS[format]}`);
}

type FormatOptions = Pick<RenderOptions, 'format' | 'mode' | 'hideGc' | 'showAll' | 'hideLibrary'>;

/**
 * The view a format is rendered through. The text tree is for reading and hides library and
 * start-up frames unless --show-all, and leaves out the start-up work `site` runs (.pth files); the exports are data for other tools and keep every frame
 * unless --hide-library. Hidden frames merge into their callers; no export drops a sample.
 */
export function formatView(options: FormatOptions, profileMode: TimeMode = 'wall'): ViewOptions {
  const mode = options.mode ?? profileMode;
  const gc = options.hideGc ? { hideGc: true } : {};
  if (options.format !== 'text') return { ...exportViewOptions(options.hideLibrary, mode), ...gc };
  const all = options.showAll;
  return { mode, hideLibrary: !all, hideStartup: !all, skipSiteStartup: !all, ...gc };
}

export async function renderProfile(
  profile: RawProfile,
  options: FormatOptions,
  color: boolean,
): Promise<string | Uint8Array> {
  const view = formatView(options, profile.meta.mode);
  if (view.mode === 'gil' && !hasGilData(profile)) throw new UsageError(NO_GIL_RECORD);
  const { format } = options;
  if (format === 'text') {
    return renderTextReport(profile, view, { color, cwd: process.cwd() });
  }
  if (format === 'json') return saveProfile(profile);
  // The CLI bundle sits in dist/, beside the HTML report's page.
  return renderExport(format, profile, view, { distDir: __dirname });
}

/**
 * Writes the rendered profile to `destination`, or to `fallback` (a stream)
 * when there is none; a file is announced on stderr.
 */
export async function writeProfile(
  profile: RawProfile,
  options: FormatOptions,
  destination: string | undefined,
  fallback: NodeJS.WritableStream = process.stderr,
): Promise<void> {
  if (destination === undefined) {
    const stream = fallback as NodeJS.WriteStream;
    if (isExportFormat(options.format) && isBinaryExport(options.format) && stream.isTTY) {
      throw new HotpathError(
        'HOTPATH_BAD_ARGUMENT',
        `${options.format} is a binary format: give -o FILE, or redirect the output to a file or a pipe.`,
      );
    }
    const color = Boolean(stream.isTTY) && !process.env.NO_COLOR && options.format === 'text';
    const rendered = await renderProfile(profile, options, color);
    const data = typeof rendered !== 'string' || rendered.endsWith('\n') ? rendered : `${rendered}\n`;
    await new Promise<void>((resolve) => stream.write(data, () => resolve()));
    return;
  }
  const data = await renderProfile(profile, options, false);
  try {
    await writeFile(destination, data);
  } catch (error) {
    throw new HotpathError('HOTPATH_BAD_ARGUMENT', `Cannot write ${destination}: ${writeFailure(error)}.`);
  }
  printNote(`${describeFormat(options.format)} written to ${destination}`);
}

/** Why a file could not be written, and what to do about it. */
export function writeFailure(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'its folder does not exist (create it, or give -o a path in an existing folder)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (give -o a path you can write)';
    case 'EISDIR':
      return 'it is a folder (give -o a file name)';
    default:
      return (error as Error).message;
  }
}

function describeFormat(format: OutputFormat): string {
  switch (format) {
    case 'text':
      return 'report';
    case 'json':
      return 'profile (open it in VS Code with "Hotpath: Open Profile…")';
    case 'speedscope':
      return 'speedscope profile (open at https://www.speedscope.app)';
    case 'collapsed':
      return 'collapsed stacks';
    case 'pprof':
      return 'pprof profile (open it with `go tool pprof -http=: FILE`, or send it to Pyroscope or Parca)';
    case 'cpuprofile':
      return 'CPU profile (open it in VS Code, Chrome DevTools or speedscope)';
    case 'firefox':
      return 'Firefox Profiler profile (open it at https://profiler.firefox.com, "Load a profile from file")';
    case 'html':
      return 'HTML report (open it in a browser)';
  }
}
