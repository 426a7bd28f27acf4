/**
 * Flame graph as an icicle on a canvas: the zoomed node across the top, its
 * callees below. Click a frame to zoom into it (and open its source), use the
 * breadcrumb to zoom back out; hovering shows the frame's times.
 */
import { clear, el, frameScheduler, onThemeChange, themeColor } from './dom';
import { ancestry, hashName, hitTest, layoutIcicle, type FlameLayout } from './flameLayout';
import { formatDuration, formatLocation, formatShare, visibleText } from './format';
import type { NodeActions } from './callTreeView';
import type { TreeData } from './treeData';

const ROW_PX = 20;
const LABEL_MIN_PX = 28;

interface Palette {
  user: string[];
  library: string;
  text: string;
  background: string;
  match: string;
  highlight: string;
  font: string;
}

export class FlameGraphView {
  readonly element: HTMLElement;
  private readonly breadcrumb: HTMLElement;
  private readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private tree: TreeData | undefined;
  private zoomRoot = 0;
  private layout: FlameLayout | undefined;
  private searchMarks: Uint8Array = new Uint8Array(0);
  private highlightMarks: Uint8Array = new Uint8Array(0);
  private palette: Palette | undefined;
  private readonly schedule: () => void;

  constructor(
    private readonly actions: NodeActions,
    private readonly onZoom: (node: number) => void,
  ) {
    this.element = el('div', 'view flame');
    this.breadcrumb = el('nav', 'breadcrumb');
    this.breadcrumb.setAttribute('aria-label', 'Flame graph zoom');
    this.scroller = el('div', 'flame-scroll');
    this.spacer = el('div', 'flame-spacer');
    this.canvas = el('canvas', 'flame-canvas');
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Flame graph');
    this.tooltip = el('div', 'tooltip');
    this.tooltip.hidden = true;
    this.scroller.append(this.canvas, this.spacer);
    this.element.append(this.breadcrumb, this.scroller, this.tooltip);
    this.schedule = frameScheduler(() => this.draw());
    this.scroller.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => {
      this.layout = undefined;
      this.schedule();
    }).observe(this.scroller);
    onThemeChange(() => {
      this.palette = undefined;
      this.schedule();
    });
    this.canvas.addEventListener('click', (e) => this.onClick(e));
    // Escape / Backspace step out one level, like the breadcrumb's last link.
    this.canvas.tabIndex = 0;
    this.canvas.addEventListener('keydown', (e) => {
      if ((e.key === 'Escape' || e.key === 'Backspace') && this.tree && this.zoomRoot > 0) {
        e.preventDefault();
        this.zoom(this.tree.parent(this.zoomRoot));
      }
    });
    this.canvas.addEventListener('mousemove', (e) => this.onHover(e));
    this.canvas.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
  }

  setTree(tree: TreeData, zoom: number): void {
    this.tree = tree;
    this.searchMarks = new Uint8Array(tree.count);
    this.highlightMarks = new Uint8Array(tree.count);
    this.zoomRoot = zoom >= 0 && zoom < tree.count ? zoom : 0;
    this.layout = undefined;
    this.renderBreadcrumb();
    this.schedule();
  }

  zoom(node: number): void {
    if (!this.tree || node === this.zoomRoot) return;
    this.zoomRoot = node;
    this.layout = undefined;
    this.scroller.scrollTop = 0;
    this.renderBreadcrumb();
    this.schedule();
    this.onZoom(node);
  }

  zoomedNode(): number {
    return this.zoomRoot;
  }

  setSearch(marks: Uint8Array): void {
    this.searchMarks = marks;
    this.schedule();
  }

  setHighlight(marks: Uint8Array): void {
    this.highlightMarks = marks;
    this.schedule();
  }

  /** Draws now if the view is visible (called when its tab is shown). */
  refresh(): void {
    this.layout = undefined;
    this.schedule();
  }

  private renderBreadcrumb(): void {
    const tree = this.tree;
    clear(this.breadcrumb);
    if (!tree) return;
    const crumb = (label: string, node: number) => {
      const b = el('button', 'crumb', label);
      b.type = 'button';
      b.addEventListener('click', () => this.zoom(node));
      if (node === this.zoomRoot) b.setAttribute('aria-current', 'true');
      this.breadcrumb.appendChild(b);
    };
    crumb('all', 0);
    for (const node of ancestry(tree, this.zoomRoot)) {
      this.breadcrumb.appendChild(el('span', 'crumb-sep', '›'));
      crumb(tree.name(node), node);
    }
  }

  private ensureLayout(width: number): FlameLayout | undefined {
    if (!this.tree) return undefined;
    if (!this.layout || this.layout.width !== width) {
      this.layout = layoutIcicle(this.tree, this.zoomRoot, width);
      // The canvas is sticky and viewport-sized; the spacer below it makes up
      // the rest of the graph's height so the scrollbar matches its depth.
      const rest = this.layout.rows.length * ROW_PX - this.scroller.clientHeight;
      this.spacer.style.height = `${Math.max(0, rest)}px`;
    }
    return this.layout;
  }

  private draw(): void {
    const width = this.scroller.clientWidth;
    const height = this.scroller.clientHeight;
    if (width === 0 || height === 0 || !this.tree) return;
    const layout = this.ensureLayout(width)!;
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * dpr) || this.canvas.height !== Math.round(height * dpr)) {
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const p = (this.palette ??= readPalette());
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = p.font;
    ctx.textBaseline = 'middle';
    const scrollTop = this.scroller.scrollTop;
    const firstDepth = Math.floor(scrollTop / ROW_PX);
    const lastDepth = Math.min(layout.rows.length - 1, Math.ceil((scrollTop + height) / ROW_PX));
    const anySearch = this.searchMarks.includes(1);
    for (let d = firstDepth; d <= lastDepth; d++) {
      const y = d * ROW_PX - scrollTop;
      for (const r of layout.rows[d] ?? []) {
        const node = r.node;
        const name = node === 0 ? 'all' : this.tree.name(node);
        const dim = anySearch && !this.searchMarks[node];
        ctx.globalAlpha = dim ? 0.25 : 1;
        ctx.fillStyle = this.searchMarks[node]
          ? p.match
          : this.tree.isLibrary(node)
            ? p.library
            : p.user[hashName(name) % p.user.length];
        ctx.fillRect(r.x, y, Math.max(r.width - 1, 0.5), ROW_PX - 1);
        if (this.highlightMarks[node]) {
          ctx.globalAlpha = 1;
          ctx.strokeStyle = p.highlight;
          ctx.lineWidth = 2;
          ctx.strokeRect(r.x + 1, y + 1, Math.max(r.width - 3, 1), ROW_PX - 3);
        }
        if (r.width >= LABEL_MIN_PX) {
          ctx.globalAlpha = dim ? 0.5 : 1;
          ctx.fillStyle = p.text;
          ctx.fillText(fitLabel(ctx, visibleText(name), r.width - 6), r.x + 3, y + ROW_PX / 2);
        }
      }
    }
    ctx.globalAlpha = 1;
  }

  private rectAt(e: MouseEvent) {
    // After a zoom the layout is rebuilt on the next frame; a pointer event may come first.
    this.ensureLayout(this.scroller.clientWidth);
    if (!this.layout) return undefined;
    const bounds = this.canvas.getBoundingClientRect();
    const x = e.clientX - bounds.left;
    const depth = Math.floor((e.clientY - bounds.top + this.scroller.scrollTop) / ROW_PX);
    return hitTest(this.layout, x, depth);
  }

  private onClick(e: MouseEvent): void {
    const r = this.rectAt(e);
    if (!r) return;
    if (r.node === this.zoomRoot && r.node !== 0) {
      // Clicking the zoomed frame again steps out one level.
      this.zoom(this.tree!.parent(r.node));
      return;
    }
    this.zoom(r.node);
    if (r.node !== 0) {
      this.actions.select(r.node);
      this.actions.reveal(r.node, true);
    }
  }

  private onHover(e: MouseEvent): void {
    const r = this.rectAt(e);
    const tree = this.tree;
    if (!r || !tree) {
      this.tooltip.hidden = true;
      this.canvas.style.cursor = '';
      return;
    }
    this.canvas.style.cursor = 'pointer';
    clear(this.tooltip);
    const node = r.node;
    if (node === 0) {
      this.tooltip.append(el('div', 'tt-name', 'all samples'));
    } else {
      this.tooltip.append(
        el('div', 'tt-name', tree.name(node)),
        el('div', 'tt-loc', formatLocation(tree.file(node), tree.line(node))),
      );
    }
    const total = tree.view.totalUs;
    this.tooltip.append(
      el(
        'div',
        'tt-times',
        `total ${formatDuration(tree.totalUs(node))} (${formatShare(tree.totalUs(node), total)}) · ` +
          `self ${formatDuration(tree.selfUs(node))}`,
      ),
    );
    if (tree.hidden(node) > 0)
      this.tooltip.append(el('div', 'tt-loc', `${tree.hidden(node)} library frames collapsed`));
    this.tooltip.hidden = false;
    const host = this.element.getBoundingClientRect();
    const left = Math.min(e.clientX - host.left + 12, host.width - this.tooltip.offsetWidth - 4);
    this.tooltip.style.left = `${Math.max(0, left)}px`;
    this.tooltip.style.top = `${e.clientY - host.top + 16}px`;
  }
}

function readPalette(): Palette {
  const style = getComputedStyle(document.body);
  const family = style.getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
  return {
    user: [
      themeColor('--vscode-charts-orange', '#d18616'),
      themeColor('--vscode-charts-yellow', '#cca700'),
      themeColor('--vscode-charts-red', '#f14c4c'),
    ].map((c) => withAlpha(c, 0.55)),
    library: withAlpha(themeColor('--vscode-charts-blue', '#3794ff'), 0.35),
    text: themeColor('--vscode-editor-foreground', '#333'),
    background: themeColor('--vscode-editor-background', '#fff'),
    match: withAlpha(themeColor('--vscode-charts-purple', '#b180d7'), 0.8),
    highlight: themeColor('--vscode-focusBorder', '#007fd4'),
    font: `12px ${family}`,
  };
}

/** Theme colours come as #rrggbb(aa) or rgb(a)(); the canvas fill wants a fixed alpha on top. */
function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color);
  if (hex) {
    const v = parseInt(hex[1], 16);
    return `rgba(${v >> 16}, ${(v >> 8) & 255}, ${v & 255}, ${alpha})`;
  }
  return color;
}

function fitLabel(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  const charWidth = ctx.measureText('m').width || 7;
  const chars = Math.floor(width / charWidth) - 1;
  return chars > 1 ? `${text.slice(0, chars)}…` : '';
}
