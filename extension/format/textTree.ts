/**
 * The CLI's text rendering of a call tree, in the manner of pyinstrument's
 * console output:
 *
 *   2.345s 100.0%  <module>  app.py:3
 *   ├─ 1.234s  52.6%  work  app.py:9
 *   │  └─ 1.100s  46.9%  inner  app.py:20
 *   └─ 0.900s  38.4%  load  app.py:30  [+4 library frames]
 *
 * Nodes under `minShare` of the total are left out to cut noise. Colour (ANSI)
 * only when asked: hot nodes red/yellow/green by share, library code dimmed.
 *
 *   renderTextReport(profile, view, options) — the CLI's report: a header that says what the
 *                                               figures are, then one tree per thread when
 *                                               several were sampled, grouped by process when
 *                                               several processes were
 *   renderTextTree(tree, options)             — one tree
 */
import { buildCallTree } from '../model/callTree';
import { describeDrops } from '../model/dropReasons';
import { formatDuration, formatShare, formatTime, timeModeName } from '../model/displayFormat';
import { createView } from '../model/processors';
import { processesOf, processLabel } from '../model/rawProfile';
import type { ProfileMeta, RawProfile, SamplerStats, ThreadInfo } from '../model/rawProfile';
import type { CallTree, CallTreeNode, TimeMode, ViewOptions } from '../model/types';
import { printable } from './printable';

export interface TextTreeOptions {
  /** ANSI colours (the CLI turns them on for a TTY). */
  color?: boolean;
  /** Leave out nodes with less than this share of the total (0–1). Default 0.01. */
  minShare?: number;
  /** Deepest level printed. Default unlimited. */
  maxDepth?: number;
  /** Paths under this directory are printed relative to it. */
  cwd?: string;
  /** Shares are of this many µs (all threads' time) instead of the tree's own total. */
  shareOfUs?: number;
  /** What the header says about the run; no header when absent. */
  header?: TextHeader;
}

export interface TextHeader {
  meta: ProfileMeta;
  stats: SamplerStats;
  mode: TimeMode;
  /** How many threads the time shown is summed over (1 when absent). */
  threads?: number;
  /** µs of start-up work (`site`, `.pth` files) left out of the time shown. */
  startupUs?: number;
}

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  green: '\x1b[32m',
};

/**
 * The report of a profile through `view`. With several threads sampled, each gets its own tree
 * under a line naming it (name and TID) with its time; shares stay of the time shown (all
 * threads), as the header says. Start-up work `site` runs is left out when `view` says so.
 */
export function renderTextReport(
  profile: RawProfile,
  view: ViewOptions,
  options: Omit<TextTreeOptions, 'header' | 'shareOfUs'> = {},
): string {
  const all = createView(profile, view);
  const threadUs = new Float64Array(profile.threads.length);
  for (let i = 0; i < all.keep.length; i++) {
    if (all.keep[i] && profile.sampleStack[i] >= 0)
      threadUs[profile.sampleThread[i]] += all.index.sampleWeight[i];
  }
  const threads = profile.threads.map((_, t) => t).filter((t) => threadUs[t] > 0);
  const header: TextHeader = {
    meta: profile.meta,
    stats: profile.stats,
    mode: view.mode,
    threads: threads.length,
  };
  if (view.skipSiteStartup)
    header.startupUs = createView(profile, { ...view, skipSiteStartup: false }).totalUs - all.totalUs;
  if (threads.length < 2) return renderTextTree(buildCallTree(all), { ...options, header });

  const paint = painter(options.color);
  const out = [...renderHeader(header, all.totalUs, paint), ''];
  // Threads grouped by process; the busiest process and, in it, the busiest thread first, as the
  // tree orders its children.
  const processOf = (t: number): number => profile.threads[t].process ?? 0;
  const processUs = new Map<number, number>();
  for (const t of threads) processUs.set(processOf(t), (processUs.get(processOf(t)) ?? 0) + threadUs[t]);
  const byProcess = processUs.size > 1;
  threads.sort(
    (a, b) =>
      (byProcess ? (processUs.get(processOf(b)) ?? 0) - (processUs.get(processOf(a)) ?? 0) : 0) ||
      processOf(a) - processOf(b) ||
      threadUs[b] - threadUs[a] ||
      a - b,
  );
  const processes = processesOf(profile);
  // asyncio task lanes under minShare each would print a heading over an empty tree (a program
  // of thousands of short tasks): they are counted in one line instead.
  const minShare = options.minShare ?? 0.01;
  const minUs = minShare * all.totalUs;
  const small = threads.filter((t) => profile.threads[t].loopThread !== undefined && threadUs[t] < minUs);
  let lastProcess = -1;
  for (const t of threads.filter((t) => !small.includes(t))) {
    const process = processOf(t);
    if (byProcess && process !== lastProcess) {
      const us = processUs.get(process) ?? 0;
      const info = processes[process];
      const ending = info ? processEnding(info.exitCode, info.exitSignal) : '';
      out.push(
        paint(ANSI.bold, `Process ${printable(info ? processLabel(info) : `#${process}`)}`) +
          `  ${timeAndShare(us, us / all.totalUs)}${ending}`,
        '',
      );
      lastProcess = process;
    }
    const tree = buildCallTree(createView(profile, { ...view, threads: [t] }));
    out.push(
      paint(ANSI.bold, threadName(profile.threads[t], t)) +
        `  ${timeAndShare(tree.totalUs, tree.totalUs / all.totalUs)}`,
      renderTextTree(tree, { ...options, shareOfUs: all.totalUs }),
    );
  }
  if (small.length > 0) {
    const us = small.reduce((sum, t) => sum + threadUs[t], 0);
    out.push(
      `${small.length} more asyncio task${small.length === 1 ? '' : 's'} under ${minShare * 100}% each  ${timeAndShare(us, us / all.totalUs)}`,
    );
  }
  return out.join('\n').trimEnd() + '\n';
}

function processEnding(exitCode: number | null, exitSignal: string | null): string {
  if (exitSignal) return `  (killed by ${printable(exitSignal)})`;
  return exitCode !== null && exitCode !== 0 ? `  (exit code ${exitCode})` : '';
}

/** `Thread NAME (TID n)`, or for an asyncio task's lane `Task NAME (TID n of its loop thread)`. */
function threadName(thread: ThreadInfo, index: number): string {
  const name = printable(thread.name) || (thread.isMain ? 'MainThread' : `#${index + 1}`);
  const kind = thread.loopThread === undefined ? 'Thread' : 'Task';
  return thread.tid ? `${kind} ${name} (TID ${thread.tid})` : `${kind} ${name}`;
}

function painter(color: boolean | undefined): Paint {
  return (code, text) => (color ? `${code}${text}${ANSI.reset}` : text);
}

export function renderTextTree(tree: CallTree, options: TextTreeOptions = {}): string {
  const minShare = options.minShare ?? 0.01;
  const paint = painter(options.color);
  const out: string[] = [];
  if (options.header) out.push(...renderHeader(options.header, tree.totalUs, paint), '');
  const total = options.shareOfUs ?? tree.totalUs;
  if (tree.totalUs <= 0) {
    out.push(
      'No samples were recorded (the program ended before Python started, or nothing matched the filter).',
    );
    return out.join('\n') + '\n';
  }

  const visit = (id: number, prefix: string, childPrefix: string, depth: number): void => {
    const node = tree.nodes[id];
    out.push(prefix + renderNode(node, total, options, paint));
    if (options.maxDepth !== undefined && depth >= options.maxDepth) return;
    const shown = node.children.filter((child) => tree.nodes[child].totalUs >= minShare * total);
    shown.forEach((child, i) => {
      const last = i === shown.length - 1;
      visit(child, childPrefix + (last ? '└─ ' : '├─ '), childPrefix + (last ? '   ' : '│  '), depth + 1);
    });
  };
  const roots = tree.nodes[0].children.filter((child) => tree.nodes[child].totalUs >= minShare * total);
  for (const root of roots) visit(root, '', '', 1);
  if (tree.nodes[0].selfUs > 0 && tree.nodes[0].selfUs >= minShare * total) {
    out.push(
      paint(
        ANSI.dim,
        `${timeAndShare(tree.nodes[0].selfUs, tree.nodes[0].selfUs / total)}  [library or start-up code only]`,
      ),
    );
  }
  return out.join('\n') + '\n';
}

type Paint = (code: string, text: string) => string;

function renderNode(node: CallTreeNode, total: number, options: TextTreeOptions, paint: Paint): string {
  const share = node.totalUs / total;
  const time = timeAndShare(node.totalUs, share);
  const heat = share >= 0.6 ? ANSI.red : share >= 0.3 ? ANSI.yellow : share >= 0.2 ? ANSI.green : ANSI.dim;
  const location = `${displayPath(node.file, options.cwd)}:${node.line}`;
  const name = printable(node.name);
  const hidden = node.hiddenFrames
    ? `  [+${node.hiddenFrames} library frame${node.hiddenFrames === 1 ? '' : 's'}]`
    : '';
  if (node.isLibrary) return paint(ANSI.dim, `${time}  ${name}  ${location}${hidden}`);
  return `${paint(heat, time)}  ${paint(ANSI.bold, name)}  ${paint(ANSI.dim, location + hidden)}`;
}

function renderHeader(header: TextHeader, shownUs: number, paint: Paint): string[] {
  const { meta, stats, mode } = header;
  const command = printable(meta.argv.join(' ')) || `pid ${meta.pid}`;
  const threads = header.threads ?? 1;
  // "Shown" is a sum over threads: two threads busy for 1 s show 2 s in a 1 s run.
  const shown =
    `Shown ${formatDuration(shownUs)} of ${timeModeName(mode)} time` +
    (threads > 1 ? `, summed over ${threads} threads (percentages are of this sum)` : '');
  const startup =
    header.startupUs && header.startupUs > 0
      ? [
          `Start-up work left out: ${formatDuration(header.startupUs)} in site (.pth files); --show-all keeps it`,
        ]
      : [];
  const notes = [
    stats.droppedSamples ? `Dropped ${stats.droppedSamples}${dropReasons(stats)}` : '',
    stats.returnedFramesCut ? `Returned frames cut ${stats.returnedFramesCut}` : '',
    meta.recovered ? '(recovered from an unfinished run)' : '',
  ].filter(Boolean);
  return [
    paint(ANSI.bold, `Hotpath  ${command}`),
    `Duration ${formatTime(meta.durationUs)}   Samples ${stats.samples}   ` +
      `Python ${printable(meta.pythonVersion)} (${printable(meta.pythonPath)})`,
    shown,
    ...startup,
    ...(notes.length ? [notes.join('   ')] : []),
  ];
}

/** Time and share as the editor writes them after a hot line. */
function timeAndShare(us: number, share: number): string {
  return `${formatDuration(us)} · ${formatShare(share)}`;
}

/** A profiled path as the text outputs print it: relative to `cwd` when under it, controls escaped. */
export function displayPath(file: string, cwd: string | undefined): string {
  if (cwd) {
    const base = cwd.endsWith('/') ? cwd : cwd + '/';
    if (file.startsWith(base)) return printable(file.slice(base.length));
  }
  return printable(file);
}

/** " (frame chain cut short 3, …)" after the dropped count, when the profile says why. */
function dropReasons(stats: SamplerStats): string {
  const why = describeDrops(stats.droppedByReason);
  return why ? ` (${printable(why)})` : '';
}
