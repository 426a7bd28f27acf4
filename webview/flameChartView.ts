/**
 * Flame chart: stacks over time, one band per thread (the timeline's order), x the run's clock.
 * It shows the timeline's selected range and sets it: Ctrl+wheel (or a pinch) and + / − zoom,
 * dragging, Shift+wheel and ← / → pan, 0 shows the whole run; the wheel scrolls the bands. A
 * click opens a frame's code beside the panel (its hottest line, Alt: the `def` line), a
 * double-click opens it and moves the keyboard there; hovering shows the frame's span.
 */
import { clear, el, fitText, frameScheduler, onThemeChange, placeTooltip, themeColor } from './dom';
import {
  chartRects,
  isWholeRun,
  laneDepth,
  panWindow,
  zoomWindow,
  type ChartRect,
  type TimeWindow,
} from './chartLayout';
import { functionColor, libraryColor, themeKind, type ThemeKind } from './flamePalette';
import { formatDuration, formatLocation, formatTime, visibleText } from './format';
import type { NodeActions } from './callTreeView';
import type { TreeData } from './treeData';
import type { ChartPayload, ThreadSummary } from '../extension/views/protocol';

const ROW_PX = 18;
const LABEL_PX = 18;
const LABEL_MIN_PX = 28;
/** How long the window must rest before it becomes the timeline's range (and the views follow). */
const SETTLE_MS = 300;
const DRAG_PX = 3;

interface Band {
  lane: ChartPayload['lanes'][number];
  label: string;
  top: number;
  /** The thread's root row is the band's label: frames start one depth lower. */
  fromDepth: number;
  height: number;
  rects: ChartRect[];
}

export class FlameChartView {
  readonly element: HTMLElement;
  private readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private readonly status: HTMLElement;
  private tree: TreeData | undefined;
  private bands: Band[] = [];
  private durationUs = 1;
  private window: TimeWindow = { start: 0, end: 1 };
  /** The window the rectangles were computed for. */
  private drawn: { window: TimeWindow; width: number } | undefined;
  private drag: { x: number; window: TimeWindow; moved: boolean } | undefined;
  private settle: ReturnType<typeof setTimeout> | undefined;
  private selected = -1;
  private colors: { theme: ThemeKind | ''; tree: TreeData | undefined; byNode: Map<number, string> } = {
    theme: '',
    tree: undefined,
    byNode: new Map(),
  };
  /** Whether the host sent chart data with the current view. */
  private loaded = false;
  /** The last pointer press panned: its click is not a click on a frame. */
  private panned = false;
  private readonly schedule: () => void;

  constructor(
    private readonly actions: NodeActions,
    /** The window came to rest: the timeline's range (undefined for the whole run). */
    private readonly onRange: (range: TimeWindow | undefined) => void,
  ) {
    this.element = el('div', 'view chart');
    this.status = el('div', 'chart-status');
    this.scroller = el('div', 'flame-scroll');
    this.spacer = el('div', 'flame-spacer');
    this.canvas = el('canvas', 'chart-canvas');
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Flame chart');
    this.canvas.title =
      'Click: open the code · Ctrl+wheel or + −: zoom · drag, Shift+wheel or ← →: pan · 0: the whole run';
    this.tooltip = el('div', 'tooltip');
    this.tooltip.hidden = true;
    this.scroller.append(this.canvas, this.spacer);
    this.element.append(this.status, this.scroller, this.tooltip);
    this.schedule = frameScheduler(() => this.draw());
    this.scroller.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
    onThemeChange(() => this.schedule());
    this.canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.canvas.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    this.canvas.addEventListener('pointermove', (e) => this.onPointerMove(e));
    this.canvas.addEventListener('pointerup', (e) => this.onPointerUp(e));
    this.canvas.addEventListener('pointerleave', () => (this.tooltip.hidden = true));
    this.canvas.addEventListener('click', (e) => this.onClick(e));
    this.canvas.addEventListener('dblclick', (e) => {
      const node = this.nodeAt(e);
      if (node > 0) this.actions.reveal(node, false, e.altKey);
    });
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** New data (or none yet: the host sends it once the chart is asked for). */
  setChart(
    tree: TreeData,
    chart: ChartPayload | undefined,
    threads: readonly ThreadSummary[],
    laneOrder: readonly number[],
    durationUs: number,
    range: TimeWindow | undefined,
  ): void {
    this.tree = tree;
    this.durationUs = Math.max(durationUs, 1);
    const labels = new Map(threads.map((t) => [t.index, t.label]));
    const lanes = [...(chart?.lanes ?? [])].sort(
      (a, b) => laneOrder.indexOf(a.thread) - laneOrder.indexOf(b.thread),
    );
    let top = 0;
    this.bands = lanes.map((lane) => {
      const first = lane.node.length > 0 ? rootOf(tree, lane.node[0]) : -1;
      const fromDepth = first > 0 && tree.isThread(first) ? 2 : 1;
      const height = LABEL_PX + Math.max(0, laneDepth(lane, tree) - fromDepth + 1) * ROW_PX;
      const band = { lane, label: labels.get(lane.thread) ?? '', top, fromDepth, height, rects: [] };
      top += height;
      return band;
    });
    this.spacer.style.height = `${Math.max(0, top - this.scroller.clientHeight)}px`;
    this.loaded = chart !== undefined;
    this.status.textContent = !chart
      ? 'Loading the flame chart…'
      : chart.lanes.length === 0
        ? 'No samples in this selection.'
        : '';
    this.status.hidden = this.status.textContent === '';
    this.setRange(range);
  }

  hasChart(): boolean {
    return this.loaded;
  }

  /** The timeline's range changed: show it (the whole run when none). */
  setRange(range: TimeWindow | undefined): void {
    const next = range ?? { start: 0, end: this.durationUs };
    if (this.settle === undefined) this.window = next;
    this.drawn = undefined;
    this.schedule();
  }

  setSelected(node: number): void {
    this.selected = node;
    this.schedule();
  }

  refresh(): void {
    this.drawn = undefined;
    this.schedule();
  }

  private moveWindow(next: TimeWindow): void {
    this.window = next;
    this.drawn = undefined;
    this.schedule();
    clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      this.settle = undefined;
      this.onRange(isWholeRun(this.window, this.durationUs) ? undefined : { ...this.window });
    }, SETTLE_MS);
  }

  private layout(width: number): void {
    const tree = this.tree;
    if (!tree) return;
    const d = this.drawn;
    if (d && d.width === width && d.window === this.window) return;
    for (const band of this.bands)
      band.rects = chartRects(band.lane, tree, this.window, width, band.fromDepth);
    this.drawn = { window: this.window, width };
  }

  private draw(): void {
    const started = performance.now();
    this.paint();
    // Read by the chart benchmark (as the page's first paint is).
    document.body.dataset.chartDrawMs = (performance.now() - started).toFixed(2);
  }

  private paint(): void {
    const width = this.scroller.clientWidth;
    const height = this.scroller.clientHeight;
    const tree = this.tree;
    if (width === 0 || height === 0 || !tree) return;
    this.layout(width);
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * dpr) || this.canvas.height !== Math.round(height * dpr)) {
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const theme = themeKind(document.body.classList);
    const text = themeColor('--vscode-editor-foreground', theme === 'dark' ? '#ddd' : '#333');
    const muted = themeColor('--vscode-descriptionForeground', '#717171');
    const grid = themeColor('--vscode-panel-border', '#80808059');
    const family = getComputedStyle(document.body).getPropertyValue('--vscode-editor-font-family').trim();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = `11px ${family || 'monospace'}`;
    ctx.textBaseline = 'middle';
    // The window in words: screen readers (and tests) read what the canvas shows.
    this.canvas.setAttribute(
      'aria-label',
      `Flame chart: ${formatTime(this.window.start)} – ${formatTime(this.window.end)}`,
    );
    const scrollTop = this.scroller.scrollTop;
    for (const band of this.bands) {
      const y0 = band.top - scrollTop;
      if (y0 > height || y0 + band.height < 0) continue;
      ctx.fillStyle = grid;
      ctx.fillRect(0, y0, width, 1);
      ctx.fillStyle = muted;
      ctx.fillText(
        `${visibleText(band.label)}   ${formatTime(this.window.start)} – ${formatTime(this.window.end)}`,
        4,
        y0 + LABEL_PX / 2,
      );
      let fill = '';
      for (const r of band.rects) {
        const y = y0 + LABEL_PX + (r.depth - band.fromDepth) * ROW_PX;
        if (y > height || y + ROW_PX < 0) continue;
        const w = r.x1 - r.x0;
        // Tens of thousands of one-pixel frames when zoomed out: colours are computed once per
        // node and the fill style (which the canvas parses) is only set when it changes.
        const color = this.colorOf(r.node, theme);
        if (color !== fill) ctx.fillStyle = fill = color;
        ctx.fillRect(r.x0, y, Math.max(w - (w > 2 ? 1 : 0), 1), ROW_PX - 1);
        if (r.node === this.selected) {
          ctx.strokeStyle = text;
          ctx.lineWidth = 2;
          ctx.strokeRect(r.x0 + 1, y + 1, Math.max(w - 3, 1), ROW_PX - 3);
        }
        if (w >= LABEL_MIN_PX) {
          ctx.fillStyle = fill = text;
          ctx.fillText(fitText(ctx, visibleText(tree.name(r.node)), w - 6), r.x0 + 3, y + ROW_PX / 2);
        }
      }
    }
  }

  private colorOf(node: number, theme: ThemeKind): string {
    if (this.colors.theme !== theme || this.colors.tree !== this.tree)
      this.colors = { theme, tree: this.tree, byNode: new Map() };
    let color = this.colors.byNode.get(node);
    if (color === undefined) {
      const tree = this.tree!;
      color = tree.isLibrary(node) ? libraryColor(theme) : functionColor(tree.name(node), theme);
      this.colors.byNode.set(node, color);
    }
    return color;
  }

  /** The rectangle under the pointer and its band, or undefined. */
  private hit(e: MouseEvent): { rect: ChartRect; band: Band } | undefined {
    this.layout(this.scroller.clientWidth);
    const bounds = this.canvas.getBoundingClientRect();
    const x = e.clientX - bounds.left;
    const y = e.clientY - bounds.top + this.scroller.scrollTop;
    const band = this.bands.find((b) => y >= b.top && y < b.top + b.height);
    if (!band || y < band.top + LABEL_PX) return undefined;
    const depth = band.fromDepth + Math.floor((y - band.top - LABEL_PX) / ROW_PX);
    const rect = band.rects.find((r) => r.depth === depth && x >= r.x0 && x < r.x1);
    return rect ? { rect, band } : undefined;
  }

  private nodeAt(e: MouseEvent): number {
    return this.hit(e)?.rect.node ?? -1;
  }

  private onWheel(e: WheelEvent): void {
    const width = this.scroller.clientWidth;
    const x = e.clientX - this.canvas.getBoundingClientRect().left;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      this.moveWindow(zoomWindow(this.window, x, width, Math.exp(e.deltaY * 0.002), this.durationUs));
    } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      e.preventDefault();
      const dx = e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX;
      this.moveWindow(panWindow(this.window, dx, width, this.durationUs));
    }
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.canvas.setPointerCapture(e.pointerId);
    this.drag = { x: e.clientX, window: this.window, moved: false };
  }

  private onPointerMove(e: PointerEvent): void {
    const drag = this.drag;
    if (drag) {
      const dx = e.clientX - drag.x;
      if (Math.abs(dx) >= DRAG_PX) drag.moved = true;
      if (drag.moved) {
        this.tooltip.hidden = true;
        this.moveWindow(panWindow(drag.window, -dx, this.scroller.clientWidth, this.durationUs));
        return;
      }
    }
    this.hover(e);
  }

  private onPointerUp(e: PointerEvent): void {
    this.panned = this.drag?.moved === true;
    this.drag = undefined;
    if (this.panned) this.canvas.releasePointerCapture(e.pointerId);
  }

  private onClick(e: MouseEvent): void {
    // A drag that panned, or the second click of a double-click (that one opens the code).
    if (this.panned || e.detail > 1) return;
    const node = this.nodeAt(e);
    if (node <= 0) return;
    this.selected = node;
    this.actions.select(node);
    this.actions.reveal(node, true, e.altKey);
    this.schedule();
  }

  private onKey(e: KeyboardEvent): void {
    const width = this.scroller.clientWidth;
    if (e.key === '+' || e.key === '=')
      this.moveWindow(zoomWindow(this.window, width / 2, width, 0.5, this.durationUs));
    else if (e.key === '-') this.moveWindow(zoomWindow(this.window, width / 2, width, 2, this.durationUs));
    else if (e.key === 'ArrowLeft')
      this.moveWindow(panWindow(this.window, -width / 10, width, this.durationUs));
    else if (e.key === 'ArrowRight')
      this.moveWindow(panWindow(this.window, width / 10, width, this.durationUs));
    else if (e.key === '0') this.moveWindow({ start: 0, end: this.durationUs });
    else return;
    e.preventDefault();
  }

  private hover(e: MouseEvent): void {
    const tree = this.tree;
    const hit = this.hit(e);
    if (!hit || !tree) {
      this.tooltip.hidden = true;
      this.canvas.style.cursor = '';
      return;
    }
    this.canvas.style.cursor = 'pointer';
    const { rect } = hit;
    const node = rect.node;
    const width = Math.max(this.scroller.clientWidth, 1);
    const span = ((rect.x1 - rect.x0) / width) * (this.window.end - this.window.start);
    clear(this.tooltip);
    this.tooltip.append(
      el('div', 'tt-name', tree.name(node)),
      el('div', 'tt-loc', formatLocation(tree.file(node), tree.line(node))),
      el('div', 'tt-times', `here ${formatDuration(span)} · in all ${formatDuration(tree.totalUs(node))}`),
    );
    this.tooltip.hidden = false;
    placeTooltip(this.tooltip, this.element, e);
  }
}

/** The node's ancestor at depth 1 (a thread's root when the tree has them). */
function rootOf(tree: TreeData, node: number): number {
  let n = node;
  while (n > 0 && tree.parent(n) > 0) n = tree.parent(n);
  return n;
}
