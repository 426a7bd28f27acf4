/**
 * Timeline geometry: bins → pixel columns, pixels ↔ time, and the brush
 * range. No DOM here.
 */
import type { ThreadSummary, TimelineLanePayload } from '../extension/views/protocol';

export interface LaneColumns {
  /** Per pixel column, 0..1 of the lane height. */
  running: Float32Array;
  waiting: Float32Array;
}

/**
 * Folds a lane's bins into `width` columns. A column is full height wherever
 * the thread was sampled, split into the share of its samples that found it
 * running and the share that found it waiting; empty where the thread did
 * not exist. Normalising per column keeps late or dropped ticks from reading
 * as idle time.
 */
/** The bins [from, to) that pixel column `c` of `cols` covers (at least one). */
export function columnBins(c: number, cols: number, bins: number): [number, number] {
  const from = Math.floor((c * bins) / cols);
  return [from, Math.max(from + 1, Math.floor(((c + 1) * bins) / cols))];
}

export function laneColumns(lane: TimelineLanePayload, width: number): LaneColumns {
  const cols = Math.max(0, Math.floor(width));
  const running = new Float32Array(cols);
  const waiting = new Float32Array(cols);
  const bins = lane.running.length;
  if (cols === 0 || bins === 0) return { running, waiting };
  for (let c = 0; c < cols; c++) {
    const [from, to] = columnBins(c, cols, bins);
    let run = 0;
    let wait = 0;
    for (let b = from; b < to && b < bins; b++) {
      run += lane.running[b];
      wait += lane.waiting[b];
    }
    const seen = run + wait;
    if (seen === 0) continue;
    running[c] = run / seen;
    waiting[c] = wait / seen;
  }
  return { running, waiting };
}

export function pxToTime(px: number, width: number, durationUs: number): number {
  if (width <= 0) return 0;
  return Math.min(durationUs, Math.max(0, (px / width) * durationUs));
}

export function timeToPx(us: number, width: number, durationUs: number): number {
  if (durationUs <= 0) return 0;
  return (us / durationUs) * width;
}

/**
 * The time range a drag from `a` to `b` (pixels) selects, in either
 * direction, or undefined for a click or a drag narrower than `minPx`.
 */
export function brushRange(
  a: number,
  b: number,
  width: number,
  durationUs: number,
  minPx = 3,
): { start: number; end: number } | undefined {
  if (Math.abs(b - a) < minPx) return undefined;
  const start = pxToTime(Math.min(a, b), width, durationUs);
  const end = pxToTime(Math.max(a, b), width, durationUs);
  return end > start ? { start, end } : undefined;
}

/**
 * Lanes in reading order: grouped by process when there are several (in the order they were
 * found); in each, the main thread first, then the others by when they were first sampled (ties
 * and never-sampled threads by their order in the profile).
 */
export function orderLanes<L extends TimelineLanePayload>(
  lanes: readonly L[],
  threads: readonly ThreadSummary[],
): L[] {
  const main = new Set(threads.filter((t) => t.isMain).map((t) => t.index));
  // In a profile of several processes, each process's lanes together, in the order the processes
  // were found (a parent before its children).
  const processOf = new Map(threads.map((t) => [t.index, t.process ?? 0]));
  const start = (lane: L) => {
    for (let b = 0; b < lane.running.length; b++) if (lane.running[b] + lane.waiting[b] > 0) return b;
    return Number.POSITIVE_INFINITY;
  };
  return lanes
    .map((lane, i) => ({
      lane,
      i,
      process: processOf.get(lane.thread) ?? 0,
      main: main.has(lane.thread) ? 0 : 1,
      start: start(lane),
    }))
    .sort((a, b) => a.process - b.process || a.main - b.main || a.start - b.start || a.i - b.i)
    .map((x) => x.lane);
}

/** Whether two label boxes [left, right) on the axis would overlap (with `gap` px between). */
export function overlaps(
  a: { left: number; right: number },
  b: { left: number; right: number },
  gap = 4,
): boolean {
  return a.left < b.right + gap && b.left < a.right + gap;
}
