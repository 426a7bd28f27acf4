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
 */
import { describeDrops } from '../model/dropReasons';
import type { ProfileMeta, SamplerStats } from '../model/rawProfile';
import type { CallTree, CallTreeNode, TimeMode } from '../model/types';
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
  /** What the header says about the run; no header when absent. */
  header?: { meta: ProfileMeta; stats: SamplerStats; mode: TimeMode; threads?: string };
}

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  green: '\x1b[32m',
};

export function renderTextTree(tree: CallTree, options: TextTreeOptions = {}): string {
  const minShare = options.minShare ?? 0.01;
  const paint = (code: string, text: string): string =>
    options.color ? `${code}${text}${ANSI.reset}` : text;
  const out: string[] = [];
  if (options.header) out.push(...renderHeader(options.header, tree, paint), '');
  const total = tree.totalUs;
  if (total <= 0) {
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
        `${seconds(tree.nodes[0].selfUs)} ${percent(tree.nodes[0].selfUs / total)}  [hidden frames]`,
      ),
    );
  }
  return out.join('\n') + '\n';
}

type Paint = (code: string, text: string) => string;

function renderNode(node: CallTreeNode, total: number, options: TextTreeOptions, paint: Paint): string {
  const share = node.totalUs / total;
  const time = `${seconds(node.totalUs)} ${percent(share)}`;
  const heat = share >= 0.6 ? ANSI.red : share >= 0.3 ? ANSI.yellow : share >= 0.2 ? ANSI.green : ANSI.dim;
  const location = `${displayPath(node.file, options.cwd)}:${node.line}`;
  const name = printable(node.name);
  const hidden = node.hiddenFrames
    ? `  [+${node.hiddenFrames} library frame${node.hiddenFrames === 1 ? '' : 's'}]`
    : '';
  if (node.isLibrary) return paint(ANSI.dim, `${time}  ${name}  ${location}${hidden}`);
  return `${paint(heat, time)}  ${paint(ANSI.bold, name)}  ${paint(ANSI.dim, location + hidden)}`;
}

function renderHeader(
  header: NonNullable<TextTreeOptions['header']>,
  tree: CallTree,
  paint: Paint,
): string[] {
  const { meta, stats, mode } = header;
  const command = printable(meta.argv.join(' ')) || `pid ${meta.pid}`;
  const lines = [
    paint(ANSI.bold, `Hotpath  ${command}`),
    `Duration ${seconds(meta.durationUs)}   Samples ${stats.samples}   ` +
      `Python ${printable(meta.pythonVersion)} (${printable(meta.pythonPath)})`,
    `Mode ${mode === 'cpu' ? 'on-CPU' : 'wall-clock'}   Shown ${seconds(tree.totalUs)}` +
      (header.threads ? `   Threads ${printable(header.threads)}` : '') +
      (stats.droppedSamples ? `   Dropped ${stats.droppedSamples}${dropReasons(stats)}` : '') +
      (stats.returnedFramesCut ? `   Returned frames cut ${stats.returnedFramesCut}` : '') +
      (meta.recovered ? '   (recovered from an unfinished run)' : ''),
  ];
  return lines;
}

function seconds(us: number): string {
  return `${(us / 1e6).toFixed(3)}s`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`.padStart(6);
}

function displayPath(file: string, cwd: string | undefined): string {
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
