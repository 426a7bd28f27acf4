/**
 * Timeline geometry: bins → pixel columns, pixels ↔ time, and the brush
 * range. No DOM here.
 */
import type { TimelinePayload, TimelineLanePayload } from '../extension/panel/protocol';

export interface LaneColumns {
  /** Per pixel column, 0..1 of the lane height. */
  running: Float32Array;
  waiting: Float32Array;
}

/**
 * Folds a lane's bins into `width` columns. Each column shows the share of
 * the busiest bin's sample count that ran or waited, so a thread that was
 * sampled in every tick fills its lane.
 */
export function laneColumns(lane: TimelineLanePayload, width: number, capacity: number): LaneColumns {
  const cols = Math.max(0, Math.floor(width));
  const running = new Float32Array(cols);
  const waiting = new Float32Array(cols);
  const bins = lane.running.length;
  if (cols === 0 || bins === 0 || capacity <= 0) return { running, waiting };
  for (let c = 0; c < cols; c++) {
    const from = Math.floor((c * bins) / cols);
    const to = Math.max(from + 1, Math.floor(((c + 1) * bins) / cols));
    let run = 0;
    let wait = 0;
    for (let b = from; b < to && b < bins; b++) {
      run += lane.running[b];
      wait += lane.waiting[b];
    }
    const span = to - from;
    running[c] = Math.min(1, run / span / capacity);
    waiting[c] = Math.min(1 - running[c], wait / span / capacity);
  }
  return { running, waiting };
}

/** The largest samples-per-bin of any lane: what a full lane means. */
export function laneCapacity(timeline: TimelinePayload): number {
  let max = 0;
  for (const lane of timeline.lanes) {
    for (let b = 0; b < lane.running.length; b++) max = Math.max(max, lane.running[b] + lane.waiting[b]);
  }
  return max;
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
