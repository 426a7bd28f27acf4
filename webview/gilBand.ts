/**
 * The timeline's "holds the GIL" band: a thin strip along the top of each thread's lane, as
 * opaque as the share of the column's samples that found the thread holding the GIL. Threads
 * taking turns (a lock convoy) show as bands that alternate; a thread that never gets it has
 * none. No DOM here but the canvas it is given.
 */
import type { TimelineLanePayload } from '../extension/views/protocol';
import { columnBins } from './timelineLayout';

/** Height of the band, in CSS pixels. */
export const GIL_BAND_PX = 3;

/** Per pixel column, the share (0..1) of the lane's samples in it that held the GIL. */
export function gilColumns(lane: TimelineLanePayload, width: number): Float32Array | undefined {
  const { gil } = lane;
  if (!gil) return undefined;
  const cols = Math.max(0, Math.floor(width));
  const out = new Float32Array(cols);
  const bins = gil.length;
  if (cols === 0 || bins === 0) return out;
  for (let c = 0; c < cols; c++) {
    const [from, to] = columnBins(c, cols, bins);
    let held = 0;
    let seen = 0;
    for (let b = from; b < to && b < bins; b++) {
      held += gil[b];
      seen += lane.running[b] + lane.waiting[b];
    }
    if (seen > 0) out[c] = held / seen;
  }
  return out;
}

/** Draws the band of one lane whose top is at `top`; nothing for a profile without the record. */
export function drawGilBand(
  ctx: CanvasRenderingContext2D,
  lane: TimelineLanePayload,
  top: number,
  width: number,
  color: string,
  dim: boolean,
): void {
  const cols = gilColumns(lane, width);
  if (!cols) return;
  ctx.fillStyle = color;
  for (let c = 0; c < cols.length; c++) {
    if (cols[c] === 0) continue;
    ctx.globalAlpha = cols[c] * (dim ? 0.3 : 1);
    ctx.fillRect(c, top, 1, GIL_BAND_PX);
  }
  ctx.globalAlpha = 1;
}
