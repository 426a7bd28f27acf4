/**
 * A profile as compact text for an AI agent (the language model tools): what ran, how long, the
 * hot lines with their code, the functions and the hottest call paths, through the editor's view
 * (library and start-up frames merged into their callers). Every list is capped and so is the
 * whole text, so an answer never floods a model's context. Strings from the profile are made
 * printable. No `vscode` import.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { displayPath } from '../format/textTree';
import { printable } from '../format/printable';
import { buildCallTree } from '../model/callTree';
import { classifyFile } from '../model/fileKinds';
import { formatCount, formatDuration, formatShare, formatTime, timeModeName } from '../model/displayFormat';
import { buildFunctionTable } from '../model/functionTable';
import { buildLineTable } from '../model/lineTable';
import { createView } from '../model/processors';
import type { RawProfile } from '../model/rawProfile';
import type { CallTree, TimeMode } from '../model/types';

export interface SummaryOptions {
  /** Where the profile is saved, to say so. */
  source?: string;
  /** Only lines and functions of this file (as the profile records it: absolute). */
  file?: string;
  mode?: TimeMode;
  /** How many hot lines, functions and call paths (each capped at MAX_ITEMS). */
  lines?: number;
  functions?: number;
  paths?: number;
  /** The text of a source line (1-based), when the file can be read. */
  sourceLine?: (file: string, line: number) => string | undefined;
  /** The longest answer, in characters. */
  maxChars?: number;
}

export const MAX_ITEMS = 50;
/** Source files read for the code of hot lines: a few, small ones. */
const MAX_SOURCE_FILES = 40;
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_CHARS = 12_000;
const CODE_WIDTH = 100;

export function summarizeProfile(profile: RawProfile, options: SummaryOptions = {}): string {
  const mode = options.mode ?? 'wall';
  const view = createView(profile, { mode, hideLibrary: true, hideStartup: true });
  const { meta } = profile;
  const where = (file: string, line: number) => `${displayPath(file, meta.cwd)}:${line}`;
  const share = (us: number) => formatShare(view.totalUs > 0 ? us / view.totalUs : 0);
  const count = (asked: number | undefined, fallback: number) =>
    Math.max(1, Math.min(MAX_ITEMS, Math.floor(asked ?? fallback)));
  const inFile = (file: string) => options.file === undefined || file === options.file;

  const exit =
    meta.exitSignal !== null
      ? `killed by ${meta.exitSignal}`
      : meta.exitCode !== null
        ? `exit code ${meta.exitCode}`
        : 'attached';
  const out: string[] = [
    `Command: ${printable(meta.argv.join(' '))} (in ${printable(meta.cwd)})`,
    `Python ${printable(meta.pythonVersion)}; ${exit}; ran ${formatTime(meta.durationUs)}; ` +
      `${formatCount(profile.sampleTime.length)} samples every ${formatTime(meta.intervalUs)}; ` +
      `${profile.threads.length} thread${profile.threads.length === 1 ? '' : 's'}.`,
  ];
  if (options.source) out.push(`Saved profile: ${printable(options.source)}`);
  out.push(
    `Times are ${timeModeName(mode)}, summed over threads; shares are of ` +
      `${formatDuration(view.totalUs)}. Library and start-up frames (the standard library, ` +
      `site-packages, pytest's and unittest's own) are merged into the code that called them.`,
  );
  if (options.file) out.push(`Only ${printable(displayPath(options.file, meta.cwd))} is listed.`);

  const lines = buildLineTable(view);
  const hot = [...lines.files]
    // The line table keeps the lines of hidden frames too (the editor paints only files it opens).
    .filter(([file]) => inFile(file) && classifyFile(file) === 'user')
    .flatMap(([file, stats]) => [...stats.values()].map((s) => ({ file, ...s })))
    .filter((s) => s.selfUs > 0)
    .sort((a, b) => b.selfUs - a.selfUs || b.totalUs - a.totalUs)
    .slice(0, count(options.lines, 15));
  out.push('', `Hot lines (own time · share, then time with callees):`);
  if (hot.length === 0) out.push('  (none: no time in this code)');
  for (const s of hot) {
    const code = options.sourceLine?.(s.file, s.line)?.trim();
    out.push(
      `  ${where(s.file, s.line)}  ${formatDuration(s.selfUs)} · ${share(s.selfUs)}` +
        (s.totalUs > s.selfUs ? `  (${formatDuration(s.totalUs)} with callees)` : '') +
        (code ? `  | ${printable(clip(code, CODE_WIDTH))}` : ''),
    );
  }

  const functions = buildFunctionTable(view)
    .filter((f) => !f.isLibrary && inFile(f.file))
    .sort((a, b) => b.totalUs - a.totalUs)
    .slice(0, count(options.functions, 15));
  out.push('', 'Functions (total · share / own time):');
  for (const f of functions) {
    out.push(
      `  ${printable(f.name)}  ${where(f.file, f.firstLine)}  ` +
        `${formatDuration(f.totalUs)} · ${share(f.totalUs)} / ${formatDuration(f.selfUs)}`,
    );
  }

  out.push('', 'Hottest call paths (outermost first; own time of the last function):');
  for (const path of hottestPaths(buildCallTree(view), count(options.paths, 5), inFile)) {
    const steps = path.nodes.map((n) => `${printable(n.name)} (${where(n.file, n.line)})`);
    out.push(`  ${formatDuration(path.selfUs)} · ${share(path.selfUs)}  ${steps.join(' > ')}`);
  }
  return cap(out.join('\n') + '\n', options.maxChars ?? DEFAULT_MAX_CHARS);
}

/** The summary, with the code of its hot lines read from disk (asynchronously, a few small files). */
export async function summarizeWithSources(profile: RawProfile, options: SummaryOptions): Promise<string> {
  const files = new Set<string>();
  for (const id of new Set(profile.frameFile)) {
    const file = profile.strings[id];
    if (path.isAbsolute(file) && classifyFile(file) === 'user') files.add(file);
    if (files.size >= MAX_SOURCE_FILES) break;
  }
  const sources = new Map<string, string[]>();
  await Promise.all(
    [...files].map(async (file) => {
      try {
        if ((await fs.stat(file)).size > MAX_SOURCE_BYTES) return;
        sources.set(file, (await fs.readFile(file, 'utf8')).split(/\r?\n/));
      } catch {
        // Moved or deleted since the run: the line is listed without its code.
      }
    }),
  );
  return summarizeProfile(profile, { ...options, sourceLine: (file, line) => sources.get(file)?.[line - 1] });
}

/** The nodes with the most own time (in `inFile` code when filtered) and the way to each from the root. */
function hottestPaths(
  tree: CallTree,
  n: number,
  inFile: (file: string) => boolean,
): { selfUs: number; nodes: CallTree['nodes'] }[] {
  return tree.nodes
    .filter((node) => node.id !== 0 && node.selfUs > 0 && inFile(node.file))
    .sort((a, b) => b.selfUs - a.selfUs)
    .slice(0, n)
    .map((node) => {
      const nodes: CallTree['nodes'] = [];
      for (let at = node; at.id !== 0; at = tree.nodes[at.parent]) nodes.unshift(at);
      return { selfUs: node.selfUs, nodes };
    });
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** At most `maxChars`, cut at a line end, saying that it was cut. */
function cap(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const note = '… (cut to stay short: ask for fewer lines, functions or paths, or one file)\n';
  const cut = text.lastIndexOf('\n', maxChars - note.length);
  return text.slice(0, cut + 1) + note;
}
