/**
 * Flame graph as an icicle on a canvas: the zoomed node across the top, its
 * callees below. A click selects a frame and zooms into it; a double-click or
 * Ctrl/Cmd+click goes to its code (Alt: the `def` line). The arrow keys move
 * between frames, Enter goes to the code, Space zooms, Escape zooms out; the
 * breadcrumb zooms back out too; hovering shows the frame's times. A legend
 * says what the colours mean.
 */
import { clear, el, fitText, frameScheduler, onThemeChange, placeTooltip, themeColor } from './dom';
import {
  ancestry,
  findRect,
  flameStep,
  hitTest,
  layoutIcicle,
  type FlameLayout,
  type FlameStep,
} from './flameLayout';
import {
  changeColor,
  functionColor,
  functionRamp,
  libraryColor,
  matchColor,
  threadColor,
  themeKind,
  type ThemeKind,
} from './flamePalette';
import { formatDuration, formatLocation, formatShare, visibleText } from './format';
import { changeText, type NodeActions } from './callTreeView';
import { nextMarkedNode, type TreeData } from './treeData';

const ROW_PX = 20;
const LABEL_MIN_PX = 28;

interface Palette {
  theme: ThemeKind;
  library: string;
  thread: string;
  text: string;
  match: string;
  highlight: string;
  selected: string;
  font: string;
}

const ARROWS: Record<string, FlameStep> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
};

export class FlameGraphView {
  readonly element: HTMLElement;
  private readonly breadcrumb: HTMLElement;
  private readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  /** Shows the legend of the colours in use (by function, or by change while comparing). */
  private readonly replaceLegend: (comparing: boolean) => void;
  private tree: TreeData | undefined;
  private zoomRoot = 0;
  private selected = -1;
  /** The frame under the first click of a double-click (the zoom has moved it by the second). */
  private clickedNode = -1;
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
    const bar = el('div', 'flame-bar');
    let key = legend(false);
    this.replaceLegend = (comparing) => {
      const next = legend(comparing);
      key.replaceWith(next);
      key = next;
    };
    bar.append(this.breadcrumb, key);
    this.element.append(bar, this.scroller, this.tooltip);
    this.schedule = frameScheduler(() => this.draw());
    this.scroller.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => {
      this.layout = undefined;
      this.schedule();
    }).observe(this.scroller);
    onThemeChange(() => {
      this.palette = undefined;
      this.replaceLegend(this.tree?.comparing === true);
      this.schedule();
    });
    this.canvas.addEventListener('click', (e) => this.onClick(e));
    this.canvas.addEventListener('dblclick', (e) => {
      if (this.clickedNode > 0) this.actions.reveal(this.clickedNode, false, e.altKey);
    });
    this.canvas.tabIndex = 0;
    this.canvas.title = 'Click: zoom · Double-click or Ctrl+click: go to the code (Alt: the def line)';
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    this.canvas.addEventListener('mousemove', (e) => this.onHover(e));
    this.canvas.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
  }

  setTree(tree: TreeData, zoom: number, selected = -1): void {
    if (tree.comparing !== (this.tree?.comparing ?? false)) this.replaceLegend(tree.comparing);
    this.tree = tree;
    this.searchMarks = new Uint8Array(tree.count);
    this.highlightMarks = new Uint8Array(tree.count);
    this.zoomRoot = zoom >= 0 && zoom < tree.count ? zoom : 0;
    this.selected = selected < tree.count ? selected : -1;
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

  /** Shows `node` as selected (another view selected it); zooms out if it is outside the zoom. */
  setSelected(node: number): void {
    if (!this.tree || node === this.selected) return;
    this.selected = node;
    if (node > 0 && !this.inZoom(node)) this.zoom(0);
    this.schedule();
  }

  /** Selects the next (or previous) search match, zooming so that it can be seen; false when none. */
  selectNextMatch(backwards: boolean): boolean {
    const tree = this.tree;
    if (!tree) return false;
    const node = nextMarkedNode(this.searchMarks, this.selected, backwards);
    if (node < 0) return false;
    this.selectFrame(node);
    return true;
  }

  focus(): void {
    this.canvas.focus();
  }

  private inZoom(node: number): boolean {
    for (let n = node; n >= 0; n = this.tree!.parent(n)) if (n === this.zoomRoot) return true;
    return false;
  }

  /** Selects a frame, zooming out or to its caller when it is hidden, and scrolls it into view. */
  private selectFrame(node: number): void {
    const tree = this.tree!;
    this.selected = node;
    if (!this.inZoom(node)) this.zoom(0);
    let layout = this.ensureLayout(this.scroller.clientWidth);
    if (layout && !findRect(layout, node) && node > 0) {
      // Too narrow to draw at this zoom: zoom to its caller, where it has room.
      this.zoom(Math.max(0, tree.parent(node)));
      layout = this.ensureLayout(this.scroller.clientWidth);
    }
    const at = layout ? findRect(layout, node) : undefined;
    if (at) {
      const top = at.depth * ROW_PX;
      const view = this.scroller.scrollTop;
      if (top < view) this.scroller.scrollTop = top;
      else if (top + ROW_PX > view + this.scroller.clientHeight)
        this.scroller.scrollTop = top + ROW_PX - this.scroller.clientHeight;
    }
    if (node > 0) this.actions.select(node);
    this.schedule();
  }

  /** Screen readers hear the selected frame (the canvas itself says nothing). */
  private describeSelection(): void {
    const tree = this.tree;
    const node = this.selected;
    this.canvas.setAttribute(
      'aria-label',
      tree && node > 0
        ? `Flame graph: ${tree.name(node)}, ${formatDuration(tree.totalUs(node))}, ${formatShare(tree.totalUs(node), tree.view.totalUs)}`
        : 'Flame graph',
    );
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
    this.describeSelection();
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
          : node === 0 || this.tree.isThread(node)
            ? p.thread
            : this.tree.comparing
              ? changeColor(this.tree.change(node), p.theme, themeColor)
              : this.tree.isLibrary(node)
                ? p.library
                : functionColor(name, p.theme);
        ctx.fillRect(r.x, y, Math.max(r.width - 1, 0.5), ROW_PX - 1);
        if (this.highlightMarks[node] || node === this.selected) {
          ctx.globalAlpha = 1;
          ctx.strokeStyle = node === this.selected ? p.selected : p.highlight;
          ctx.lineWidth = 2;
          ctx.setLineDash(node === this.selected && this.highlightMarks[node] ? [4, 2] : []);
          ctx.strokeRect(r.x + 1, y + 1, Math.max(r.width - 3, 1), ROW_PX - 3);
          ctx.setLineDash([]);
        }
        if (r.width >= LABEL_MIN_PX) {
          ctx.globalAlpha = dim ? 0.5 : 1;
          ctx.fillStyle = p.text;
          ctx.fillText(fitText(ctx, visibleText(name), r.width - 6), r.x + 3, y + ROW_PX / 2);
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
    // The second click of a double-click: the dblclick handler goes to the code.
    if (e.detail > 1) return;
    const r = this.rectAt(e);
    this.clickedNode = r?.node ?? -1;
    if (!r) return;
    if ((e.ctrlKey || e.metaKey) && r.node !== 0) {
      this.selected = r.node;
      this.actions.select(r.node);
      this.actions.reveal(r.node, true, e.altKey);
      this.schedule();
      return;
    }
    if (r.node === this.zoomRoot && r.node !== 0) {
      // Clicking the zoomed frame again steps out one level.
      this.zoom(this.tree!.parent(r.node));
    } else {
      this.zoom(r.node);
    }
    this.selected = r.node;
    if (r.node !== 0) this.actions.select(r.node);
    this.schedule();
  }

  private onKey(e: KeyboardEvent): void {
    const tree = this.tree;
    if (!tree) return;
    const step = ARROWS[e.key];
    if (step) {
      const layout = this.ensureLayout(this.scroller.clientWidth);
      const next = layout ? flameStep(layout, tree, this.selected, step) : undefined;
      if (next !== undefined) this.selectFrame(next);
    } else if (e.key === 'Enter' && this.selected > 0) {
      this.actions.reveal(this.selected, false, e.altKey);
    } else if (e.key === ' ' && this.selected >= 0) {
      this.zoom(this.selected === this.zoomRoot ? Math.max(0, tree.parent(this.selected)) : this.selected);
    } else if ((e.key === 'Escape' || e.key === 'Backspace') && this.zoomRoot > 0) {
      // Escape / Backspace step out one level, like the breadcrumb's last link.
      this.zoom(tree.parent(this.zoomRoot));
    } else {
      return;
    }
    e.preventDefault();
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
    if (tree.comparing) {
      const text = tree.change(node) === 0 ? 'unchanged (within sampling noise)' : changeText(tree, node);
      this.tooltip.append(el('div', 'tt-times', `baseline ${formatDuration(tree.baseUs(node))} → ${text}`));
    }
    if (tree.hidden(node) > 0)
      this.tooltip.append(el('div', 'tt-loc', `${tree.hidden(node)} library frames collapsed`));
    this.tooltip.hidden = false;
    placeTooltip(this.tooltip, this.element, e);
  }
}

function readPalette(): Palette {
  const style = getComputedStyle(document.body);
  const family = style.getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
  const theme = themeKind(document.body.classList);
  return {
    theme,
    library: libraryColor(theme),
    thread: threadColor(theme),
    text: themeColor('--vscode-editor-foreground', theme === 'dark' ? '#ddd' : '#333'),
    match: matchColor(theme),
    highlight: themeColor('--vscode-focusBorder', '#007fd4'),
    selected: themeColor('--vscode-editor-foreground', theme === 'dark' ? '#fff' : '#000'),
    font: `12px ${family}`,
  };
}

/** What the colours mean; the swatches use the same palette as the canvas. */
function legend(comparing: boolean): HTMLElement {
  const box = el('div', 'flame-legend');
  const theme = themeKind(document.body.classList);
  const item = (label: string, colors: string[], cls = '') => {
    const swatch = el('span', `swatch ${cls}`.trim());
    swatch.style.background =
      colors.length > 1 ? `linear-gradient(90deg, ${colors.join(', ')})` : (colors[0] ?? '');
    box.append(swatch, el('span', '', label));
  };
  if (comparing) {
    const ramp = (levels: number[]) => levels.map((level) => changeColor(level, theme, themeColor));
    item('slower', ramp([1, 2, 3]));
    item('faster', ramp([-1, -2, -3]));
    item('unchanged', ramp([0]));
    item('search match', [matchColor(theme)]);
    return box;
  }
  item('your code', functionRamp(theme));
  item('library', [libraryColor(theme)]);
  item('search match', [matchColor(theme)]);
  item('at the cursor', [], 'outline');
  return box;
}
