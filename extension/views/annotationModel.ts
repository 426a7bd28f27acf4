/**
 * What the editor shows for a profile, decided without VS Code: which lines
 * get a heat mark and of which level, which show their time inline, which are
 * tinted as hot spots, what each function's CodeLens says, and how times and
 * shares are written. The decorations, CodeLens and hover providers only turn
 * these records into VS Code objects, so everything here is unit-tested.
 */
import { isTaskNode } from '../model/taskNodes';
import { resolveProfilePath } from '../model/sourceFiles';
import type { FunctionStats, LineStats, LineTable } from '../model/types';
import type { LineChangeMark } from './compareAnnotations';
import { HOT_SPOT_SELF_SHARE, heatLevel } from './heatLevels';
import { formatDuration, formatShare } from '../model/displayFormat';

export { HEAT_LEVEL_COUNT, HOT_SPOT_SELF_SHARE, heatLevel } from './heatLevels';

export interface AnnotationOptions {
  /** Lines with a total share at or above this percentage show their time inline. */
  thresholdPercent: number;
  /**
   * How long the view's run lasted (µs of wall-clock time). A function with
   * more time than this ran in several threads at once; its lens says so.
   */
  wallUs?: number;
}

export interface LineAnnotation extends LineStats {
  /** Total share of the whole profile, 0…1. */
  share: number;
  /** Self share of the whole profile, 0…1. */
  selfShare: number;
  /** Heat level 1…HEAT_LEVEL_COUNT. */
  level: number;
  /** Inline text (`1.23 s · 34.5%`), or undefined when below the threshold. */
  inline: string | undefined;
  /** Tinted as a hot spot. */
  hot: boolean;
  /** While comparing with a baseline: how the line's total time changed. */
  change?: LineChangeMark;
}

export interface FunctionAnnotation {
  key: string;
  name: string;
  /** 1-based line of the `def`. */
  firstLine: number;
  totalUs: number;
  selfUs: number;
  share: number;
  samples: number;
  /** CodeLens title. */
  title: string;
}

export interface FileAnnotations {
  /** Absolute, normalised file-system path. */
  path: string;
  /** Sorted by line. */
  lines: LineAnnotation[];
  /** Sorted by first line. */
  functions: FunctionAnnotation[];
}

/** The text after a hot line: total time and its share. */
export function inlineLabel(totalUs: number, share: number): string {
  return `${formatDuration(totalUs)} · ${formatShare(share)}`;
}

/**
 * The CodeLens above a function's `def`, labelled with its name (a function
 * defined on line 1 shares the line with the module's lens). `threads`: set
 * when the function's time is more than the run lasted, because several
 * threads ran it at once and their times add up.
 */
export function functionLensTitle(fn: {
  name: string;
  totalUs: number;
  selfUs: number;
  share: number;
  summedOverThreads?: boolean;
}): string {
  const name = fn.name === '<module>' ? 'module' : fn.name;
  const self = fn.selfUs > 0 ? `${formatDuration(fn.selfUs)} self` : 'no self time';
  const threads = fn.summedOverThreads ? ' (summed over threads)' : '';
  return `$(flame) ${name}: ${formatDuration(fn.totalUs)} total${threads} · ${self} · ${formatShare(fn.share)}`;
}

/**
 * The CodeLens above a hot line: its time, always visible however long the
 * line (an inline time after a long line or a trailing comment can be
 * scrolled out of view).
 */
export function hotLineLensTitle(line: { totalUs: number; selfUs: number; share: number }): string {
  return `$(flame) hot line: ${formatDuration(line.totalUs)} · ${formatShare(line.share)} (self ${formatDuration(line.selfUs)})`;
}

/**
 * Code objects nested in a function that get no CodeLens of their own:
 * comprehensions and generator expressions (before 3.12 they are separate
 * functions on a line of their caller) and lambdas. Their time is in the
 * enclosing function's lens and in the line's own time.
 */
export function isNestedCode(name: string): boolean {
  // 3.11+ record qualified names: `normalise.<locals>.<listcomp>`.
  return /(^|\.)<(listcomp|dictcomp|setcomp|genexpr|lambda)>$/.test(name);
}

/**
 * Builds the per-file annotations of a profile, keyed by absolute path. Files
 * with no file on disk are left out; so are lines 0 (unknown line).
 */
export function buildAnnotations(
  table: LineTable,
  functions: readonly FunctionStats[],
  cwd: string,
  options: AnnotationOptions,
): Map<string, FileAnnotations> {
  const result = new Map<string, FileAnnotations>();
  const denominator = table.totalUs > 0 ? table.totalUs : 0;
  const thresholdShare = Math.max(0, options.thresholdPercent) / 100;
  const fileFor = (recorded: string): FileAnnotations | undefined => {
    const resolved = resolveProfilePath(recorded, cwd);
    if (resolved === undefined) return undefined;
    let file = result.get(resolved);
    if (!file) {
      file = { path: resolved, lines: [], functions: [] };
      result.set(resolved, file);
    }
    return file;
  };

  for (const [recorded, lines] of table.files) {
    const file = fileFor(recorded);
    if (!file) continue;
    for (const stats of lines.values()) {
      if (stats.line <= 0 || stats.totalSamples <= 0) continue;
      const share = denominator ? stats.totalUs / denominator : 0;
      const selfShare = denominator ? stats.selfUs / denominator : 0;
      file.lines.push({
        ...stats,
        share,
        selfShare,
        level: heatLevel(share),
        inline: share >= thresholdShare && share > 0 ? inlineLabel(stats.totalUs, share) : undefined,
        hot: selfShare >= HOT_SPOT_SELF_SHARE,
      });
    }
  }

  for (const fn of functions) {
    // A task node is not a function: its time (the task's, and the tasks it awaits) would sit
    // on its coroutine's `def` line beside the coroutine's own lens.
    if (fn.firstLine <= 0 || fn.samples <= 0 || isNestedCode(fn.name) || isTaskNode(fn.name)) continue;
    const file = fileFor(fn.file);
    if (!file) continue;
    const share = denominator ? fn.totalUs / denominator : 0;
    const summedOverThreads = options.wallUs !== undefined && fn.totalUs > options.wallUs * 1.01;
    file.functions.push({
      key: fn.key,
      name: fn.name,
      firstLine: fn.firstLine,
      totalUs: fn.totalUs,
      selfUs: fn.selfUs,
      share,
      samples: fn.samples,
      title: functionLensTitle({
        name: fn.name,
        totalUs: fn.totalUs,
        selfUs: fn.selfUs,
        share,
        summedOverThreads,
      }),
    });
  }

  for (const [key, file] of result) {
    if (file.lines.length === 0 && file.functions.length === 0) {
      result.delete(key);
      continue;
    }
    file.lines.sort((a, b) => a.line - b.line);
    file.functions.sort((a, b) => a.firstLine - b.firstLine || b.totalUs - a.totalUs);
  }
  return result;
}
