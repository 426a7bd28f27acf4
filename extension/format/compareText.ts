/**
 * The CLI's text rendering of a comparison (`hotpath report --compare BASE NEW`):
 * what the two runs were and how their times are compared, then the biggest
 * regressions and improvements by function and by line (self time: where the
 * time itself went) and by call path (total time, only the deepest path that
 * explains a change, not every caller above it). Changes within sampling noise
 * are left out and counted.
 *
 *   +114 ms   ×3.0      57.0 ms → 171 ms   transform  app.py:16
 */
import {
  biggestChanges,
  type Change,
  type ComparedEntry,
  type Comparison,
  type PathChange,
} from '../model/compare';
import {
  formatDuration,
  formatRatioChange,
  formatTime,
  formatTimeChange,
  timeModeName,
} from '../model/displayFormat';
import type { RawProfile } from '../model/rawProfile';
import type { TimeMode } from '../model/types';
import { printable } from './printable';
import { displayPath } from './textTree';

export interface CompareTextOptions {
  /** The files the runs were read from, as given. */
  baseFile: string;
  newFile: string;
  mode: TimeMode;
  /** Entries per list. Default 10. */
  count?: number;
  color?: boolean;
  /** Paths under this directory are printed relative to it. */
  cwd?: string;
}

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', green: '\x1b[32m' };

/** A path is left out when one of its callees accounts for this much of its change. */
const EXPLAINED_BY_CALLEE = 0.8;

export function renderCompareText(
  comparison: Comparison,
  base: RawProfile,
  next: RawProfile,
  options: CompareTextOptions,
): string {
  const count = options.count ?? 10;
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${ANSI.reset}` : text);
  const out: string[] = [paint(ANSI.bold, 'Hotpath comparison')];
  out.push(runLine('Baseline', base, comparison.base.samples, options.baseFile));
  out.push(runLine('New     ', next, comparison.next.samples, options.newFile));
  const time = timeModeName(options.mode);
  out.push(`${capitalise(comparison.reason)} (${time} time; --scale chooses).`);
  const whole = wholeRun(comparison);
  out.push(
    `Time shown: ${formatDuration(whole.scaledBaseUs)} → ${formatDuration(whole.newUs)}  ` +
      `(${formatTimeChange(whole.diffUs)}, ${formatRatioChange(whole.ratio)})`,
  );
  const baseScript = scriptOf(base);
  const nextScript = scriptOf(next);
  if (baseScript !== nextScript)
    out.push(paint(ANSI.dim, `Note: the runs profiled different programs (${baseScript}, ${nextScript}).`));

  const row = (entry: ComparedEntry, measure: 'total' | 'self', label: string) =>
    changeColumns(entry[measure], paint) + label;
  const section = <T extends ComparedEntry>(
    title: string,
    entries: readonly T[],
    measure: 'total' | 'self',
    label: (entry: T) => string,
  ) => {
    const { slower, faster } = biggestChanges(entries, measure, count);
    for (const [direction, list] of [
      ['Slower', slower],
      ['Faster', faster],
    ] as const) {
      out.push('', paint(ANSI.bold, `${direction} ${title} (${measure} time)`));
      if (list.length === 0) out.push(paint(ANSI.dim, '  none beyond sampling noise'));
      for (const entry of list) out.push(row(entry, measure, label(entry)));
    }
  };
  const where = (file: string, line: number) => paint(ANSI.dim, `${displayPath(file, options.cwd)}:${line}`);
  section(
    'functions',
    comparison.functions,
    'self',
    (f) => `${printable(f.name)}  ${where(f.file, f.firstLine)}`,
  );
  section('lines', comparison.lines, 'self', (l) => where(l.file, l.line));
  section('call paths', deepestPaths(comparison), 'total', (p) =>
    comparison.pathIds
      .frames(p.id)
      .map((f) => printable(f.name))
      .join(' → '),
  );

  const noise = (entries: readonly ComparedEntry[], measure: 'total' | 'self') =>
    entries.filter((e) => !e[measure].significant && e[measure].diffUs !== 0).length;
  out.push(
    '',
    paint(
      ANSI.dim,
      `Within sampling noise, left out: ${noise(comparison.functions, 'self')} functions, ` +
        `${noise(comparison.lines, 'self')} lines. --format json lists every entry.`,
    ),
  );
  return out.join('\n') + '\n';
}

/** `  +114 ms   ×3.0     57.0 ms → 171 ms   ` */
function changeColumns(change: Change, paint: (code: string, text: string) => string): string {
  const colour = change.diffUs > 0 ? ANSI.red : ANSI.green;
  const diff = formatTimeChange(change.diffUs).padStart(10);
  const ratio = formatRatioChange(change.ratio).padEnd(6);
  const values = `${formatDuration(change.scaledBaseUs).padStart(8)} → ${formatDuration(change.newUs).padEnd(8)}`;
  return `${paint(colour, diff)}  ${paint(colour, ratio)}  ${values}  `;
}

function runLine(label: string, profile: RawProfile, samples: number, file: string): string {
  const { meta } = profile;
  const command = printable(meta.argv.join(' ')) || `pid ${meta.pid}`;
  const ended =
    meta.exitCode !== null
      ? `exit ${meta.exitCode}`
      : meta.exitSignal
        ? printable(meta.exitSignal)
        : 'attached';
  return `${label}  ${command}   ${formatTime(meta.durationUs)}, ${samples} samples, ${ended}   (${printable(file)})`;
}

/** The time of everything shown, as one change. */
function wholeRun(comparison: Comparison): Change {
  const scaledBaseUs = comparison.base.totalUs * comparison.baseFactor;
  const newUs = comparison.next.totalUs;
  return {
    baseUs: comparison.base.totalUs,
    scaledBaseUs,
    newUs,
    diffUs: newUs - scaledBaseUs,
    ratio: scaledBaseUs > 0 ? newUs / scaledBaseUs : undefined,
    baseSamples: comparison.base.samples,
    newSamples: comparison.next.samples,
    significant: true,
  };
}

/**
 * The call paths whose change is their own: a path goes when one of its callees changed by at
 * least EXPLAINED_BY_CALLEE of its change in the same direction (`main` slower because
 * `main → transform` is).
 */
function deepestPaths(comparison: Comparison): PathChange[] {
  const byId = new Map(comparison.paths.map((p) => [p.id, p]));
  const explained = new Set<number>();
  for (const path of comparison.paths) {
    const parent = byId.get(comparison.pathIds.parent[path.id]);
    if (!parent) continue;
    const own = parent.total.diffUs;
    const child = path.total.diffUs;
    if (
      own !== 0 &&
      Math.sign(child) === Math.sign(own) &&
      Math.abs(child) >= EXPLAINED_BY_CALLEE * Math.abs(own)
    )
      explained.add(parent.id);
  }
  return comparison.paths.filter((p) => !explained.has(p.id));
}

function scriptOf(profile: RawProfile): string {
  const argv = profile.meta.argv;
  const script = argv.slice(1).find((arg) => /\.pyw?$/i.test(arg)) ?? argv[argv.length - 1] ?? '';
  return printable(script.split(/[\\/]/).pop() ?? script);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
