/**
 * Timeline: one lane per thread, running time drawn solid and waiting time
 * faint. Dragging across the lanes selects a time range that filters every
 * other view (and the editor annotations, through the host); Clear or a
 * click without dragging restores the whole run.
 */
import { clear, el, frameScheduler, onThemeChange, themeColor } from './dom';
import { formatTime } from './format';
import { brushRange, laneColumns, orderLanes, overlaps, pxToTime, timeToPx } from './timelineLayout';
import type { ThreadSummary, TimelinePayload } from '../extension/views/protocol';

/** Lanes are roomy for a few threads and compact for many. */
const laneHeight = (lanes: number) => (lanes <= 4 ? 24 : 16);
const AXIS_PX = 16;

export type TimeRange = { start: number; end: number };

export class TimelineView {
  readonly element: HTMLElement;
  private readonly labels: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly rangeLabel: HTMLElement;
  private readonly clearButton: HTMLButtonElement;
  private timeline: TimelinePayload | undefined;
  private range: TimeRange | undefined;
  private selectedThreads: number[] | undefined;
  private drag: { from: number; to: number } | undefined;
  /** Pointer position over the lanes (px), for the time readout. */
  private hoverX: number | undefined;
  private readonly schedule: () => void;

  constructor(
    private readonly onRange: (range: TimeRange | undefined) => void,
    /** A lane's label was clicked: show only that thread (or all again). */
    private readonly onThread: (thread: number | undefined) => void,
  ) {
    this.element = el('section', 'timeline');
    this.element.setAttribute('aria-label', 'Timeline');
    const bar = el('div', 'timeline-bar');
    bar.appendChild(el('span', 'timeline-title', 'Timeline'));
    this.rangeLabel = el('span', 'timeline-range', 'Drag across the lanes to filter by time');
    this.clearButton = el('button', 'timeline-clear', 'Clear range');
    this.clearButton.type = 'button';
    this.clearButton.disabled = true;
    this.clearButton.addEventListener('click', () => this.onRange(undefined));
    const legend = el('span', 'timeline-legend');
    legend.append(
      el('span', 'swatch running'),
      el('span', '', 'running'),
      el('span', 'swatch waiting'),
      el('span', '', 'waiting'),
    );
    bar.append(this.rangeLabel, this.clearButton, legend);
    const body = el('div', 'timeline-body');
    this.labels = el('div', 'timeline-labels');
    this.canvas = el('canvas', 'timeline-canvas');
    this.canvas.setAttribute('role', 'slider');
    this.canvas.setAttribute('aria-label', 'Time range: drag to select');
    body.append(this.labels, this.canvas);
    this.element.append(bar, body);
    this.schedule = frameScheduler(() => this.draw());
    new ResizeObserver(() => this.schedule()).observe(this.canvas);
    onThemeChange(() => this.schedule());
    this.canvas.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    this.canvas.addEventListener('pointermove', (e) => this.onPointerMove(e));
    this.canvas.addEventListener('pointerup', (e) => this.onPointerUp(e));
    this.canvas.addEventListener('pointerleave', () => {
      this.hoverX = undefined;
      this.schedule();
    });
  }

  /** Lanes show the main thread first, then the others by when they started. */
  setTimeline(timeline: TimelinePayload, threads: readonly ThreadSummary[]): void {
    timeline = { ...timeline, lanes: orderLanes(timeline.lanes, threads) };
    this.timeline = timeline;
    const lanePx = laneHeight(timeline.lanes.length);
    clear(this.labels);
    for (const lane of timeline.lanes) {
      const label = el('button', 'lane-label', lane.label);
      label.type = 'button';
      label.title = `${lane.label}: click to show only this thread, again for all threads`;
      label.addEventListener('click', () => {
        const only = this.selectedThreads?.length === 1 && this.selectedThreads[0] === lane.thread;
        this.onThread(only ? undefined : lane.thread);
      });
      label.style.height = `${lanePx}px`;
      label.style.lineHeight = `${lanePx}px`;
      this.labels.appendChild(label);
    }
    this.labels.style.paddingTop = `${AXIS_PX}px`;
    this.canvas.style.height = `${AXIS_PX + timeline.lanes.length * lanePx}px`;
    this.schedule();
  }

  setFilter(range: TimeRange | undefined, threads: number[] | undefined): void {
    this.range = range;
    this.selectedThreads = threads;
    this.clearButton.disabled = !range;
    this.rangeLabel.textContent = range
      ? `${formatTime(range.start)} – ${formatTime(range.end)} (${formatTime(range.end - range.start)})`
      : 'Drag across the lanes to filter by time';
    this.schedule();
  }

  private x(e: PointerEvent): number {
    return e.clientX - this.canvas.getBoundingClientRect().left;
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.canvas.setPointerCapture(e.pointerId);
    const x = this.x(e);
    this.drag = { from: x, to: x };
  }

  private onPointerMove(e: PointerEvent): void {
    this.hoverX = this.x(e);
    if (this.drag) this.drag.to = this.hoverX;
    this.schedule();
  }

  private onPointerUp(e: PointerEvent): void {
    if (!this.drag || !this.timeline) return;
    this.drag.to = this.x(e);
    const width = this.canvas.clientWidth;
    const range = brushRange(this.drag.from, this.drag.to, width, this.timeline.durationUs);
    this.drag = undefined;
    // A plain click clears the range, the usual brush behaviour.
    if (range || this.range) this.onRange(range);
    this.schedule();
  }

  private draw(): void {
    const timeline = this.timeline;
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    if (!timeline || width === 0 || height === 0) return;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const running = themeColor('--vscode-charts-green', '#388a34');
    const waiting = themeColor('--vscode-charts-yellow', '#bf8803');
    const text = themeColor('--vscode-descriptionForeground', '#717171');
    const grid = themeColor('--vscode-panel-border', '#80808059');
    const selection = themeColor('--vscode-editor-selectionBackground', '#add6ff');
    const family =
      getComputedStyle(document.body).getPropertyValue('--vscode-font-family').trim() || 'sans-serif';
    ctx.font = `10px ${family}`;
    ctx.textBaseline = 'middle';
    // The pointer's time label wins over the tick labels it would cover.
    const readout =
      this.hoverX !== undefined && !this.drag ? this.readoutBox(ctx, width, timeline.durationUs) : undefined;
    this.drawAxis(ctx, width, timeline.durationUs, text, grid, readout);
    const columns = Math.floor(width);
    const lanePx = laneHeight(timeline.lanes.length);
    timeline.lanes.forEach((lane, i) => {
      const top = AXIS_PX + i * lanePx;
      const dim = this.selectedThreads !== undefined && !this.selectedThreads.includes(lane.thread);
      const cols = laneColumns(lane, columns);
      const h = lanePx - 3;
      for (let c = 0; c < columns; c++) {
        const r = cols.running[c] * h;
        const w = cols.waiting[c] * h;
        if (r > 0) {
          ctx.globalAlpha = dim ? 0.25 : 1;
          ctx.fillStyle = running;
          ctx.fillRect(c, top + h - r, 1, r);
        }
        if (w > 0) {
          ctx.globalAlpha = dim ? 0.15 : 0.55;
          ctx.fillStyle = waiting;
          ctx.fillRect(c, top + h - r - w, 1, w);
        }
      }
      ctx.globalAlpha = 1;
      ctx.fillStyle = grid;
      ctx.fillRect(0, top + lanePx - 1, width, 1);
    });
    const shown = this.drag
      ? brushRange(this.drag.from, this.drag.to, width, timeline.durationUs, 0)
      : this.range;
    if (shown) {
      const x0 = timeToPx(shown.start, width, timeline.durationUs);
      const x1 = timeToPx(shown.end, width, timeline.durationUs);
      // Over the lanes only: the axis row keeps its time labels readable.
      ctx.globalAlpha = 0.45;
      ctx.fillStyle = selection;
      ctx.fillRect(x0, AXIS_PX, Math.max(1, x1 - x0), height - AXIS_PX);
      ctx.globalAlpha = 1;
      ctx.fillStyle = themeColor('--vscode-focusBorder', '#007fd4');
      ctx.fillRect(x0, AXIS_PX, 1, height - AXIS_PX);
      ctx.fillRect(x1 - 1, AXIS_PX, 1, height - AXIS_PX);
    }
    if (readout) this.drawReadout(ctx, readout, height, text);
  }

  /** Where the pointer's time label goes: beside the hairline, flipped left at the right edge. */
  private readoutBox(ctx: CanvasRenderingContext2D, width: number, durationUs: number): Readout {
    const x = Math.round(Math.min(Math.max(this.hoverX ?? 0, 0), width - 1));
    const label = formatTime(pxToTime(x, width, durationUs));
    const labelWidth = ctx.measureText(label).width + 6;
    const left = x + labelWidth + 4 > width ? x - labelWidth - 2 : x + 2;
    return { x, label, left, right: left + labelWidth };
  }

  /** A hairline under the pointer with its time, so a range can be aimed before dragging. */
  private drawReadout(ctx: CanvasRenderingContext2D, r: Readout, height: number, color: string): void {
    ctx.fillStyle = themeColor('--vscode-editor-background', '#fff');
    ctx.fillRect(r.left, 1, r.right - r.left, AXIS_PX - 3);
    ctx.fillStyle = color;
    ctx.textAlign = 'left';
    ctx.fillText(r.label, r.left + 3, AXIS_PX / 2);
    ctx.fillRect(r.x, AXIS_PX, 1, height - AXIS_PX);
  }

  private drawAxis(
    ctx: CanvasRenderingContext2D,
    width: number,
    durationUs: number,
    text: string,
    grid: string,
    readout: Readout | undefined,
  ): void {
    const ticks = Math.max(2, Math.floor(width / 110));
    let previous: { left: number; right: number } | undefined;
    for (let t = 0; t <= ticks; t++) {
      const x = Math.round((t / ticks) * (width - 1));
      const label = t === 0 ? '0' : formatTime(pxToTime(x, width, durationUs));
      ctx.fillStyle = grid;
      ctx.fillRect(x, AXIS_PX - 4, 1, 4);
      const w = ctx.measureText(label).width;
      const left = t === 0 ? x : t === ticks ? x - w : x - w / 2;
      const box = { left, right: left + w };
      // A label that would run into its neighbour or the pointer's readout is left out.
      if ((previous && overlaps(previous, box)) || (readout && overlaps(readout, box))) continue;
      previous = box;
      ctx.fillStyle = text;
      ctx.textAlign = 'left';
      ctx.fillText(label, left, AXIS_PX / 2);
    }
  }
}

interface Readout {
  x: number;
  label: string;
  left: number;
  right: number;
}
