/**
 * The call tree: a virtualised list of the visible nodes with total, self,
 * share bar, function and location; expand/collapse with the mouse or the
 * keyboard, Enter or a click opens the source at the node's hottest line
 * (with Alt: its `def` line).
 */
import { el } from './dom';
import { formatRatioChange, formatTimeChange } from '../extension/model/displayFormat';
import { formatDuration, formatLocation, formatShare, visibleText } from './format';
import { nextMarkedRow, type TreeData } from './treeData';
import { VirtualList } from './virtualList';

export interface NodeActions {
  /**
   * Opens the node's source at its hottest line, or at its `def` line when `definition`;
   * `preserveFocus` keeps the keyboard in the panel.
   */
  reveal(node: number, preserveFocus: boolean, definition?: boolean): void;
  select(node: number): void;
}

const INDENT_PX = 14;

/** What a time means where threads run side by side (header tooltips of both lists). */
export const SUMMED_OVER_THREADS =
  'Time summed over the threads shown: with threads running side by side it can exceed the run’s duration. Pick a thread or split by thread to see one thread’s time.';
const BAR_PX = 50;

/** `+113 ms · ×3.0` from the baseline's time at the node's path to this run's. */
export function changeText(tree: TreeData, node: number): string {
  const base = tree.baseUs(node);
  const now = tree.totalUs(node);
  return `${formatTimeChange(now - base)} · ${formatRatioChange(base > 0 ? now / base : undefined)}`;
}

export class CallTreeView {
  readonly element: HTMLElement;
  private readonly list: VirtualList;
  private tree: TreeData | undefined;
  private rows: Int32Array = new Int32Array(0);
  private selected = -1;
  private searchMarks: Uint8Array = new Uint8Array(0);
  private highlightMarks: Uint8Array = new Uint8Array(0);

  constructor(private readonly actions: NodeActions) {
    this.element = el('div', 'view call-tree');
    const head = el('div', 'tree-head');
    for (const [cls, text] of [
      ['c-total', 'Total'],
      ['c-self', 'Self'],
      ['c-share', 'Share'],
      ['c-name', 'Function'],
    ] as const) {
      const cell = head.appendChild(el('span', cls, text));
      if (cls !== 'c-name') cell.title = SUMMED_OVER_THREADS;
    }
    this.list = new VirtualList(
      'tree-list',
      () => this.createRow(),
      (row, i) => this.fillRow(row, i),
    );
    this.list.viewport.setAttribute('role', 'tree');
    this.list.viewport.setAttribute('aria-label', 'Call tree');
    this.element.append(head, this.list.viewport);
    this.list.viewport.addEventListener('click', (e) => this.onClick(e));
    this.list.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.list.viewport.addEventListener('dblclick', (e) => {
      const index = this.list.rowOf(e.target);
      if (index >= 0 && !(e.target as Element).classList.contains('twisty'))
        this.actions.reveal(this.rows[index], false, e.altKey);
    });
  }

  setTree(tree: TreeData, selected: number): void {
    this.tree = tree;
    this.searchMarks = new Uint8Array(tree.count);
    this.highlightMarks = new Uint8Array(tree.count);
    this.selected = selected;
    this.rebuild();
    if (selected >= 0) this.revealSelected();
  }

  setSearch(marks: Uint8Array): void {
    this.searchMarks = marks;
    this.rebuild();
    const first = this.firstMarkedRow(marks);
    if (first >= 0) this.list.reveal(first);
  }

  /** Selects the next (or previous) search match; false when there is none. */
  selectNextMatch(backwards: boolean): boolean {
    const row = nextMarkedRow(this.rows, this.searchMarks, this.rows.indexOf(this.selected), backwards);
    if (row < 0) return false;
    this.select(this.rows[row]);
    this.revealSelected();
    return true;
  }

  setHighlight(marks: Uint8Array): void {
    this.highlightMarks = marks;
    this.rebuild();
    const first = this.firstMarkedRow(marks);
    if (first >= 0) this.list.reveal(first);
  }

  selectedNode(): number {
    return this.selected;
  }

  /** Shows `node` as selected (another view selected it), opening its callers. */
  showSelected(node: number): void {
    if (!this.tree || node === this.selected) return;
    this.selected = node;
    if (node > 0) this.tree.revealNode(node);
    this.rebuild();
    this.revealSelected();
  }

  focus(): void {
    this.list.viewport.focus();
  }

  /** Re-flattens after expansion changed; keeps the scroll position. */
  private rebuild(): void {
    if (!this.tree) return;
    this.rows = this.tree.visibleRows();
    this.list.setRowCount(this.rows.length);
  }

  private firstMarkedRow(marks: Uint8Array): number {
    for (let r = 0; r < this.rows.length; r++) if (marks[this.rows[r]]) return r;
    return -1;
  }

  private createRow(): HTMLElement {
    const row = el('div', 'tree-row');
    row.setAttribute('role', 'treeitem');
    row.append(el('span', 'c-total'), el('span', 'c-self'), el('span', 'c-share'), el('span', 'c-name'));
    const share = row.children[2] as HTMLElement;
    share.append(el('span', 'bar'), el('span', 'pct'));
    const name = row.children[3] as HTMLElement;
    name.append(
      el('span', 'twisty'),
      el('span', 'fn'),
      el('span', 'change'),
      el('span', 'hidden-badge'),
      el('span', 'loc'),
    );
    return row;
  }

  private fillRow(row: HTMLElement, index: number): void {
    const tree = this.tree!;
    const node = this.rows[index];
    const total = tree.view.totalUs;
    const [totalCell, selfCell, shareCell, nameCell] = Array.from(row.children) as HTMLElement[];
    totalCell.textContent = formatDuration(tree.totalUs(node));
    selfCell.textContent = formatDuration(tree.selfUs(node));
    const bar = shareCell.children[0] as HTMLElement;
    bar.style.width = `${Math.round((BAR_PX * Math.min(tree.totalUs(node), total)) / Math.max(total, 1))}px`;
    shareCell.children[1].textContent = formatShare(tree.totalUs(node), total);
    nameCell.style.paddingLeft = `${(tree.depth[node] - 1) * INDENT_PX}px`;
    const [twisty, fn, change, badge, loc] = Array.from(nameCell.children) as HTMLElement[];
    const hasChildren = tree.childCount(node) > 0;
    twisty.textContent = hasChildren ? (tree.expanded[node] ? '▾' : '▸') : '';
    fn.textContent = visibleText(tree.name(node));
    // Comparing runs: the change of the node's total time, coloured by its level (styles.css).
    const level = tree.comparing ? tree.change(node) : 0;
    change.textContent = tree.comparing && level !== 0 ? changeText(tree, node) : '';
    row.dataset.change = String(level);
    const hidden = tree.hidden(node);
    badge.textContent = hidden > 0 ? `+${hidden} library frame${hidden === 1 ? '' : 's'}` : '';
    loc.textContent = formatLocation(tree.file(node), tree.line(node));
    row.title = tree.isThread(node)
      ? `${tree.name(node)}: everything this thread ran`
      : `${tree.file(node)}:${tree.line(node)}${tree.firstLine(node) > 0 ? ` · Alt+click: the def line (${tree.firstLine(node)})` : ''}`;
    row.setAttribute('aria-level', String(tree.depth[node]));
    if (hasChildren) row.setAttribute('aria-expanded', String(tree.expanded[node] === 1));
    else row.removeAttribute('aria-expanded');
    row.setAttribute('aria-selected', String(node === this.selected));
    row.classList.toggle('selected', node === this.selected);
    row.classList.toggle('library', tree.isLibrary(node));
    row.classList.toggle('thread', tree.isThread(node));
    row.classList.toggle('match', this.searchMarks[node] === 1);
    row.classList.toggle('highlight', this.highlightMarks[node] === 1);
  }

  private onClick(e: MouseEvent): void {
    const index = this.list.rowOf(e.target);
    if (index < 0 || !this.tree) return;
    const node = this.rows[index];
    if ((e.target as Element).classList.contains('twisty')) {
      this.toggle(node);
      return;
    }
    this.select(node);
    this.actions.reveal(node, true, e.altKey);
  }

  private onKey(e: KeyboardEvent): void {
    const tree = this.tree;
    if (!tree || this.rows.length === 0) return;
    let row = this.rows.indexOf(this.selected);
    const node = this.selected;
    switch (e.key) {
      case 'ArrowDown':
        row = Math.min(this.rows.length - 1, row + 1);
        break;
      case 'ArrowUp':
        row = Math.max(0, row - 1);
        break;
      case 'PageDown':
        row = Math.min(this.rows.length - 1, row + this.list.pageSize());
        break;
      case 'PageUp':
        row = Math.max(0, row - this.list.pageSize());
        break;
      case 'Home':
        row = 0;
        break;
      case 'End':
        row = this.rows.length - 1;
        break;
      case 'ArrowRight':
        if (node < 0) break;
        if (tree.childCount(node) > 0 && !tree.expanded[node]) this.toggle(node);
        else if (tree.childCount(node) > 0) row = row + 1;
        break;
      case 'ArrowLeft':
        if (node < 0) break;
        if (tree.expanded[node] && tree.childCount(node) > 0) this.toggle(node);
        else if (tree.parent(node) > 0) row = this.rows.indexOf(tree.parent(node));
        break;
      case 'Enter':
        if (node >= 0) this.actions.reveal(node, false, e.altKey);
        break;
      case ' ':
        if (node >= 0) this.toggle(node);
        break;
      case '*':
        // As in VS Code's trees: open everything below the focused node.
        tree.expandSubtree(node >= 0 ? node : 0);
        this.rebuild();
        break;
      default:
        return;
    }
    e.preventDefault();
    const next = this.rows[Math.max(0, row)];
    if (next !== undefined && next !== this.selected) this.select(next);
    this.revealSelected();
  }

  private toggle(node: number): void {
    const tree = this.tree!;
    tree.expanded[node] = tree.expanded[node] ? 0 : 1;
    this.rebuild();
  }

  private select(node: number): void {
    this.selected = node;
    this.list.refresh();
    this.actions.select(node);
  }

  private revealSelected(): void {
    const row = this.rows.indexOf(this.selected);
    if (row >= 0) this.list.reveal(row);
  }
}
