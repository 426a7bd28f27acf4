/**
 * Flame chart geometry: which run of a thread holds a time, the frames of a window of time as
 * rectangles per depth, and the window's zoom and pan. Drawing samples one pixel column at a
 * time keeps the cost at width × depth whatever the number of samples. No DOM here.
 */
import type { ChartLanePayload } from '../extension/views/protocol';
import type { TreeData } from './treeData';

/** A window of the run's clock, µs. */
export interface TimeWindow {
  start: number;
  end: number;
}

export interface ChartRect {
  node: number;
  depth: number;
  /** Pixel columns [x0, x1). */
  x0: number;
  x1: number;
}

/** The index of the run that holds time `t`, or -1 (runs are sorted and do not overlap). */
export function runAt(lane: ChartLanePayload, t: number): number {
  let lo = 0;
  let hi = lane.start.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t < lane.start[mid]) hi = mid - 1;
    else if (t >= lane.end[mid]) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * The lane's frames in `window` drawn `width` pixels wide: each column shows the stack of the
 * run at its centre; neighbouring columns with the same node at a depth make one rectangle.
 * Depths below `fromDepth` (a thread's root, already the lane's label) are left out.
 */
export function chartRects(
  lane: ChartLanePayload,
  tree: TreeData,
  window: TimeWindow,
  width: number,
  fromDepth = 1,
): ChartRect[] {
  const rects: ChartRect[] = [];
  const columns = Math.max(0, Math.floor(width));
  const span = window.end - window.start;
  if (columns === 0 || span <= 0) return rects;
  const open: { node: number; x0: number }[] = [];
  const chain: number[] = [];
  const flush = (depth: number, x1: number) => {
    const o = open[depth];
    if (o && o.node >= 0) rects.push({ node: o.node, depth, x0: o.x0, x1 });
  };
  for (let c = 0; c <= columns; c++) {
    chain.length = 0;
    if (c < columns) {
      const run = runAt(lane, window.start + ((c + 0.5) * span) / columns);
      // The stack, root first: chain[d] is the node at depth d.
      for (let n = run < 0 ? -1 : lane.node[run]; n > 0; n = tree.parent(n)) chain[tree.depth[n]] = n;
    }
    const deepest = Math.max(open.length, chain.length);
    for (let d = fromDepth; d < deepest; d++) {
      const node = chain[d] ?? -1;
      if (open[d]?.node === node) continue;
      flush(d, c);
      open[d] = { node, x0: c };
    }
  }
  return rects;
}

/** The deepest stack in the lane (its band's height in rows). */
export function laneDepth(lane: ChartLanePayload, tree: TreeData): number {
  let deepest = 0;
  for (const n of lane.node) deepest = Math.max(deepest, tree.depth[n]);
  return deepest;
}

/** The smallest window a zoom may reach: a few samples across. */
export const MIN_SPAN_US = 50;

/** The window zoomed by `factor` (< 1 zooms in) around the time under pixel `x`, kept in the run. */
export function zoomWindow(
  window: TimeWindow,
  x: number,
  width: number,
  factor: number,
  durationUs: number,
): TimeWindow {
  const span = window.end - window.start;
  const pivot = window.start + (Math.min(Math.max(x, 0), width) / Math.max(width, 1)) * span;
  const next = Math.min(durationUs, Math.max(MIN_SPAN_US, span * factor));
  const start = pivot - ((pivot - window.start) / span) * next;
  return clampWindow({ start, end: start + next }, durationUs);
}

/** The window moved by `dx` pixels (positive: later), kept in the run. */
export function panWindow(window: TimeWindow, dx: number, width: number, durationUs: number): TimeWindow {
  const shift = (dx / Math.max(width, 1)) * (window.end - window.start);
  return clampWindow({ start: window.start + shift, end: window.end + shift }, durationUs);
}

function clampWindow(window: TimeWindow, durationUs: number): TimeWindow {
  const span = Math.min(window.end - window.start, durationUs);
  const start = Math.min(Math.max(0, window.start), durationUs - span);
  return { start, end: start + span };
}

/** Whether the window is the whole run (then it selects no range). */
export function isWholeRun(window: TimeWindow, durationUs: number): boolean {
  return window.start <= 0 && window.end >= durationUs;
}
