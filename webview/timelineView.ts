/**
 * Timeline: one lane per thread, running time drawn solid and waiting time
 * faint; in a profile of several processes, the lanes grouped under their
 * process, each process under its parent, with a row marking when it started
 * and ended. Dragging across the lanes selects a time range that filters every
 * other view (and the editor annotations, through the host); Clear or a
 * click without dragging restores the whole run.
 */
import { clear, el, frameScheduler, onThemeChange, themeColor } from './dom';
import { formatTime } from './format';
import { brushRange, laneColumns, orderLanes, overlaps, pxToTime, timeToPx } from './timelineLayout';
import { groupLanes, processesWithPython, processSpan, type TimelineRow } from './processTree';
import { drawGilBand } from './gilBand';
import type {
  ProcessSummary,
  ThreadSummary,
  TimelineLanePayload,
  TimelinePayload,
} from '../extension/views/protocol';

/** Lanes are roomy for a few threads and compact for many. */
const laneHeight = (lanes: number) => (lanes <= 4 ? 24 : 16);
const AXIS_PX = 16;
/** A process's row: its name, and a bar from its start to its end. */
const PROCESS_PX = 14;
/** Each level of the process tree indents its labels this much. */
const INDENT_PX = 10;

export type TimeRange = { start: number; end: number };

export class TimelineView {
  readonly element: HTMLElement;
  private readonly labels: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly rangeLabel: HTMLElement;
  /** The legend's "holds the GIL" entry, shown for profiles that recorded the holder. */
  private readonly gilLegend: HTMLElement[];
  private readonly clearButton: HTMLButtonElement;
  private timeline: TimelinePayload | undefined;
  private rows: TimelineRow<TimelineLanePayload>[] = [];
  private range: TimeRange | undefined;
  private selectedThreads: number[] | undefined;
  private selectedProcess: number | undefined;
  private drag: { from: number; to: number } | undefined;
  /** Pointer position over the lanes (px), for the time readout. */
  private hoverX: number | undefined;
  private readonly schedule: () => void;

  constructor(
    private readonly onRange: (range: TimeRange | undefined) => void,
    /** A lane's label was clicked: show only that thread (or all again); `process` is its own. */
    private readonly onThread: (thread: number | undefined, process: number | undefined) => void,
    /** A process's label was clicked: show only that process (or all again). */
    private readonly onProcess: (process: number | undefined) => void = () => undefined,
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
    this.gilLegend = [el('span', 'swatch gil'), el('span', '', 'holds the GIL')];
    legend.append(...this.gilLegend);
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

  /**
   * Lanes show the main thread first, then the others by when they started; with several
   * processes, under a row per process, nested under its parent.
   */
  setTimeline(
    timeline: TimelinePayload,
    threads: readonly ThreadSummary[],
    processes?: readonly ProcessSummary[],
  ): void {
    timeline = { ...timeline, lanes: orderLanes(timeline.lanes, threads) };
    this.timeline = timeline;
    const hasGil = timeline.lanes.some((lane) => lane.gil !== undefined);
    for (const item of this.gilLegend) item.hidden = !hasGil;
    const grouped = processes !== undefined && processesWithPython(processes).length > 1;
    this.rows = grouped
      ? groupLanes(timeline.lanes, threads, processes)
      : timeline.lanes.map((lane) => ({ kind: 'lane', lane, depth: 0, label: lane.label }));
    const processOf = new Map(threads.map((t) => [t.index, t.process]));
    const lanePx = laneHeight(timeline.lanes.length);
    clear(this.labels);
    for (const row of this.rows) {
      const label =
        row.kind === 'process'
          ? this.processLabel(row.process)
          : this.laneLabel(row.lane, row.label, processOf.get(row.lane.thread));
      label.dataset.depth = String(row.depth);
      label.style.paddingLeft = `${row.depth * INDENT_PX}px`;
      const px = row.kind === 'process' ? PROCESS_PX : lanePx;
      label.style.height = `${px}px`;
      label.style.lineHeight = `${px}px`;
      this.labels.appendChild(label);
    }
    this.labels.style.paddingTop = `${AXIS_PX}px`;
    this.canvas.style.height = `${AXIS_PX + this.rowsHeight(lanePx)}px`;
    this.schedule();
  }

  private laneLabel(lane: TimelineLanePayload, text: string, process: number | undefined): HTMLElement {
    const label = el('button', 'lane-label', text);
    label.type = 'button';
    label.dataset.thread = String(lane.thread);
    label.title = `${lane.label}: click to show only this thread, again for all threads`;
    label.addEventListener('click', () => {
      const only = this.selectedThreads?.length === 1 && this.selectedThreads[0] === lane.thread;
      this.onThread(only ? undefined : lane.thread, process);
    });
    return label;
  }

  private processLabel(process: ProcessSummary): HTMLElement {
    const label = el('button', 'lane-label process-label', process.label);
    label.type = 'button';
    label.dataset.process = String(process.index);
    const span =
      process.endUs === null ? 'still running at the end' : `ended at ${formatTime(process.endUs)}`;
    const how = process.ending ? ` (${process.ending})` : '';
    const note = process.note ? `; not sampled: ${process.note}` : '';
    label.title =
      `${process.label}: started at ${formatTime(process.startUs)}, ${span}${how}${note}. ` +
      'Click to show only this process, again for all processes';
    label.addEventListener('click', () =>
      this.onProcess(this.selectedProcess === process.index ? undefined : process.index),
    );
    return label;
  }

  private rowsHeight(lanePx: number): number {
    let px = 0;
    for (const row of this.rows) px += row.kind === 'process' ? PROCESS_PX : lanePx;
    return px;
  }

  setFilter(range: TimeRange | undefined, threads: number[] | undefined, process?: number): void {
    this.range = range;
    this.selectedThreads = threads;
    this.selectedProcess = process;
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
    const gil = themeColor('--vscode-charts-purple', '#652d90');
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
    const processOf = new Map<number, number>();
    let top = AXIS_PX;
    let process: number | undefined;
    for (const row of this.rows) {
      if (row.kind === 'process') {
        process = row.process.index;
        const dim = this.selectedProcess !== undefined && this.selectedProcess !== process;
        this.drawProcess(ctx, row.process, top, width, timeline.durationUs, text, dim);
        top += PROCESS_PX;
        continue;
      }
      const { lane } = row;
      if (process !== undefined) processOf.set(lane.thread, process);
      const otherProcess =
        this.selectedProcess !== undefined && processOf.get(lane.thread) !== this.selectedProcess;
      const dim =
        otherProcess || (this.selectedThreads !== undefined && !this.selectedThreads.includes(lane.thread));
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
      drawGilBand(ctx, lane, top, columns, gil, dim);
      ctx.fillStyle = grid;
      ctx.fillRect(0, top + lanePx - 1, width, 1);
      top += lanePx;
    }
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

  /**
   * A process's row: a thin bar over its lifetime, a full-height tick where it started and, when
   * it ended during the run, one where it ended.
   */
  private drawProcess(
    ctx: CanvasRenderingContext2D,
    process: ProcessSummary,
    top: number,
    width: number,
    durationUs: number,
    color: string,
    dim: boolean,
  ): void {
    const span = processSpan(process, durationUs);
    const x0 = Math.min(width - 1, Math.floor(timeToPx(span.start, width, durationUs)));
    const x1 = Math.min(width - 1, Math.floor(timeToPx(span.end, width, durationUs)));
    ctx.globalAlpha = dim ? 0.3 : 0.8;
    ctx.fillStyle = color;
    ctx.fillRect(x0, top + PROCESS_PX / 2 - 1, Math.max(1, x1 - x0 + 1), 2);
    ctx.fillRect(x0, top + 2, 2, PROCESS_PX - 4);
    if (process.endUs !== null) ctx.fillRect(Math.max(0, x1 - 1), top + 2, 2, PROCESS_PX - 4);
    ctx.globalAlpha = 1;
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
