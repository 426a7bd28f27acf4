/**
 * Two runs compared: what got faster, what got slower, per line, per function
 * and per call path. Both sides go through their own view (same options), then
 * entries are matched by identities that survive an edit of the code around
 * them where that can be done without the source:
 *
 * - a line by (file, line): the editor moves it further through its edit tracking;
 * - a function by (file, qualified name), not its first line, so a function
 *   that moved because code above it changed is still the same function (two
 *   functions of one qualified name in one file, such as two lambdas, are one);
 * - a call path by its functions' (file, qualified name) from the root.
 *
 * Files are matched by the path as the profiles recorded it. An entry with no
 * time in the baseline is `new`, one with none in the new run `vanished`; both
 * are kept. Times are made comparable by compareScale.ts; every difference is
 * in the new run's terms.
 */
import { buildCallTree } from './callTree';
import { buildFunctionTable } from './functionTable';
import { buildLineTable } from './lineTable';
import type { ProfileView } from './processors';
import type { CallTree } from './types';
import {
  chooseScale,
  summarizeRun,
  type CompareScale,
  type RunSummary,
  type ScaleChoice,
} from './compareScale';

/** A difference is sampling noise below this many standard errors. */
export const NOISE_Z = 3;

export interface Change {
  /** The baseline's time as measured, µs. */
  baseUs: number;
  /** The baseline's time in the new run's terms (× the comparison's baseFactor), µs. */
  scaledBaseUs: number;
  newUs: number;
  /** newUs − scaledBaseUs: positive is slower. */
  diffUs: number;
  /** newUs / scaledBaseUs; undefined when the baseline had none. */
  ratio: number | undefined;
  baseSamples: number;
  newSamples: number;
  /**
   * The difference is larger than sampling noise: NOISE_Z standard errors, counting each side's
   * samples as a Poisson count (so a handful of samples is never a finding).
   */
  significant: boolean;
}

export type ChangeStatus = 'changed' | 'new' | 'vanished';

export interface ComparedEntry {
  /** Identity across the two runs (see the file's comment). */
  key: string;
  status: ChangeStatus;
  total: Change;
  self: Change;
}

export interface LineChange extends ComparedEntry {
  file: string;
  line: number;
}

export interface FunctionChange extends ComparedEntry {
  file: string;
  name: string;
  /** The `def` line in the new run (the baseline's for a vanished function). */
  firstLine: number;
}

export interface PathChange extends ComparedEntry {
  /** The path's id in the comparison's `pathIds` (its functions: `pathIds.frames(id)`). */
  id: number;
}

export interface Comparison extends ScaleChoice {
  base: RunSummary;
  next: RunSummary;
  lines: LineChange[];
  functions: FunctionChange[];
  paths: PathChange[];
  pathIds: PathIds;
}

/** Sums of one side of an entry. */
interface Side {
  totalUs: number;
  selfUs: number;
  totalSamples: number;
  selfSamples: number;
}

/**
 * Where a baseline line is in the new run's code: the editor knows how the user's edits moved
 * lines between the two runs. Undefined: the edit replaced the line, it has no match.
 */
export type MoveLine = (file: string, line: number) => number | undefined;

export function compareViews(
  base: ProfileView,
  next: ProfileView,
  scale: CompareScale | 'auto' = 'auto',
  moveBaseLine?: MoveLine,
): Comparison {
  const baseRun = summarizeRun(base);
  const nextRun = summarizeRun(next);
  const choice = chooseScale(baseRun, nextRun, scale);
  const join = <T, E>(before: Map<string, T & Side>, after: Map<string, T & Side>, make: (info: T) => E) => {
    const out: (ComparedEntry & E)[] = [];
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const b = before.get(key);
      const a = after.get(key);
      out.push({
        key,
        status: !b ? 'new' : !a ? 'vanished' : 'changed',
        total: sideChange(b, a, 'total', choice.baseFactor),
        self: sideChange(b, a, 'self', choice.baseFactor),
        ...make((a ?? b)!),
      });
    }
    return out;
  };
  const lines: LineChange[] = join(lineSides(base, moveBaseLine), lineSides(next), ({ file, line }) => ({
    file,
    line,
  }));
  const functions: FunctionChange[] = join(
    functionSides(base),
    functionSides(next),
    ({ file, name, firstLine }) => ({ file, name, firstLine }),
  );
  const pathIds = new PathIds();
  const paths: PathChange[] = join(
    pathSides(buildCallTree(base), pathIds),
    pathSides(buildCallTree(next), pathIds),
    ({ id }) => ({ id }),
  );
  return { ...choice, base: baseRun, next: nextRun, lines, functions, paths, pathIds };
}

function sideChange(
  before: Side | undefined,
  after: Side | undefined,
  measure: 'total' | 'self',
  factor: number,
): Change {
  const us = measure === 'total' ? 'totalUs' : 'selfUs';
  const samples = measure === 'total' ? 'totalSamples' : 'selfSamples';
  return change(before?.[us] ?? 0, before?.[samples] ?? 0, after?.[us] ?? 0, after?.[samples] ?? 0, factor);
}

/** One entry's change; `factor` puts the baseline in the new run's terms. */
export function change(
  baseUs: number,
  baseSamples: number,
  newUs: number,
  newSamples: number,
  factor: number,
): Change {
  const scaledBaseUs = baseUs * factor;
  const diffUs = newUs - scaledBaseUs;
  // Each side's time is its sample count times a mean weight: its variance, counted as Poisson,
  // is time² / samples.
  const variance =
    (baseSamples > 0 ? scaledBaseUs ** 2 / baseSamples : 0) + (newSamples > 0 ? newUs ** 2 / newSamples : 0);
  return {
    baseUs,
    scaledBaseUs,
    newUs,
    diffUs,
    ratio: scaledBaseUs > 0 ? newUs / scaledBaseUs : undefined,
    baseSamples,
    newSamples,
    significant: variance > 0 && Math.abs(diffUs) >= NOISE_Z * Math.sqrt(variance),
  };
}

/** Adds one side's sums under `key`, creating the entry with `info` the first time. */
function addSide<T>(out: Map<string, T & Side>, key: string, info: T, sums: Side): void {
  const seen = out.get(key);
  if (!seen) {
    out.set(key, {
      ...info,
      totalUs: sums.totalUs,
      selfUs: sums.selfUs,
      totalSamples: sums.totalSamples,
      selfSamples: sums.selfSamples,
    });
    return;
  }
  seen.totalUs += sums.totalUs;
  seen.selfUs += sums.selfUs;
  seen.totalSamples += sums.totalSamples;
  seen.selfSamples += sums.selfSamples;
}

function lineSides(view: ProfileView, move?: MoveLine): Map<string, { file: string; line: number } & Side> {
  const out = new Map<string, { file: string; line: number } & Side>();
  for (const [file, lines] of buildLineTable(view).files) {
    for (const stats of lines.values()) {
      const line = move && stats.line > 0 ? move(file, stats.line) : stats.line;
      if (line === undefined) continue;
      // An edit may have joined two profiled lines into one: their times add up.
      addSide(out, `${file}\0${line}`, { file, line }, stats);
    }
  }
  return out;
}

function functionSides(
  view: ProfileView,
): Map<string, { file: string; name: string; firstLine: number } & Side> {
  const out = new Map<string, { file: string; name: string; firstLine: number } & Side>();
  for (const fn of buildFunctionTable(view)) {
    const key = `${fn.file}\0${fn.name}`;
    // The table gives total samples only: self samples in proportion to self time.
    const selfSamples = fn.totalUs > 0 ? Math.round((fn.samples * fn.selfUs) / fn.totalUs) : 0;
    // Same qualified name in one file: their times add up (a sample in both counts twice in
    // total, which only a function nested in its namesake can do).
    addSide(
      out,
      key,
      { file: fn.file, name: fn.name, firstLine: fn.firstLine },
      { totalUs: fn.totalUs, selfUs: fn.selfUs, totalSamples: fn.samples, selfSamples },
    );
  }
  return out;
}

/**
 * Call paths of both runs under one numbering: a path is its parent's id and its innermost
 * function's (file, name), so a key never grows with the depth (recursion 1,000 deep).
 */
export class PathIds {
  readonly parent: number[] = [];
  readonly file: string[] = [];
  readonly name: string[] = [];
  private readonly ids = new Map<string, number>();

  /** The id of the path `parent` (-1 for the root) extended by one function. */
  id(parent: number, file: string, name: string): number {
    const key = `${parent}\0${file}\0${name}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.parent.length;
      this.parent.push(parent);
      this.file.push(file);
      this.name.push(name);
      this.ids.set(key, id);
    }
    return id;
  }

  /** tree node → path id (-1 for the root). */
  ofTree(tree: CallTree): Int32Array {
    const ids = new Int32Array(tree.nodes.length).fill(-1);
    // Parents come before children in the tree's node order.
    for (let n = 1; n < tree.nodes.length; n++) {
      const node = tree.nodes[n];
      ids[n] = this.id(ids[node.parent], node.file, node.name);
    }
    return ids;
  }

  /** The functions of a path, outermost first. */
  frames(id: number): { file: string; name: string }[] {
    const out: { file: string; name: string }[] = [];
    for (let p = id; p >= 0; p = this.parent[p]) out.push({ file: this.file[p], name: this.name[p] });
    return out.reverse();
  }
}

function pathSides(tree: CallTree, ids: PathIds): Map<string, { id: number } & Side> {
  const out = new Map<string, { id: number } & Side>();
  const nodeIds = ids.ofTree(tree);
  for (let n = 1; n < tree.nodes.length; n++) {
    const node = tree.nodes[n];
    // One function under one caller recorded with two first lines (it moved between imports).
    addSide(out, String(nodeIds[n]), { id: nodeIds[n] }, node);
  }
  return out;
}

/**
 * The entries that got slower and faster beyond noise, by how much `measure` changed: biggest
 * first, at most `count` each.
 */
export function biggestChanges<T extends ComparedEntry>(
  entries: readonly T[],
  measure: 'total' | 'self',
  count: number,
): { slower: T[]; faster: T[] } {
  const significant = entries.filter((e) => e[measure].significant);
  const slower = significant
    .filter((e) => e[measure].diffUs > 0)
    .sort((a, b) => b[measure].diffUs - a[measure].diffUs || (a.key < b.key ? -1 : 1));
  const faster = significant
    .filter((e) => e[measure].diffUs < 0)
    .sort((a, b) => a[measure].diffUs - b[measure].diffUs || (a.key < b.key ? -1 : 1));
  return { slower: slower.slice(0, count), faster: faster.slice(0, count) };
}

/** Number of levels on each side of the diverging scale (slower 1…3, faster −1…−3). */
export const CHANGE_LEVEL_COUNT = 3;

/**
 * The diverging level of a change: none within noise; then by ratio, 1 up to a quarter more (or
 * less), 2 up to twice (or half), 3 beyond, and for lines new or gone.
 */
export function changeLevel(change: Change): number {
  if (!change.significant || change.diffUs === 0) return 0;
  const sign = change.diffUs > 0 ? 1 : -1;
  const ratio = change.ratio;
  if (ratio === undefined || ratio <= 0) return 3 * sign;
  const factor = ratio >= 1 ? ratio : 1 / ratio;
  return sign * (factor >= 2 ? 3 : factor >= 1.25 ? 2 : 1);
}
