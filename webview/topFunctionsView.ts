/**
 * Top functions: every function with its self and total time, sortable by
 * either (or by name) from the column headers. A click opens the function
 * where a click on it in the call tree does, its hottest line (Alt+click: its
 * `def` line); the location column shows that line.
 */
import { el } from './dom';
import { formatCount, formatDuration, formatLocation, formatShare, visibleText } from './format';
import {
  DEFAULT_FUNCTION_SORT,
  sortFunctions,
  toggleSort,
  type FunctionSort,
  type FunctionSortKey,
} from './functionSort';
import { NodeFlag, type ViewPayload } from '../extension/views/protocol';
import { SUMMED_OVER_THREADS } from './callTreeView';
import { functionHotLines } from './hotLines';
import { samePath } from './treeData';
import { VirtualList } from './virtualList';

export interface FunctionActions {
  reveal(file: string, line: number, preserveFocus: boolean): void;
  select(file: string, line: number, name: string): void;
}

export class TopFunctionsView {
  readonly element: HTMLElement;
  private readonly list: VirtualList;
  private readonly headers = new Map<FunctionSortKey, HTMLButtonElement>();
  private view: ViewPayload | undefined;
  private rows: number[] = [];
  private hotLines: Int32Array = new Int32Array(0);
  /** The selected function (a row of view.functions), or -1. */
  private selected = -1;
  private sort: FunctionSort = DEFAULT_FUNCTION_SORT;
  private query = '';
  private highlight: { file: string; line: number } | undefined;

  constructor(private readonly actions: FunctionActions) {
    this.element = el('div', 'view functions');
    const head = el('div', 'fn-head');
    const column = (key: FunctionSortKey | undefined, cls: string, label: string) => {
      if (!key) {
        head.appendChild(el('span', cls, label));
        return;
      }
      const b = el('button', `${cls} sort`, label);
      b.type = 'button';
      if (key !== 'name') b.title = SUMMED_OVER_THREADS;
      b.addEventListener('click', () => {
        this.sort = toggleSort(this.sort, key);
        this.update();
      });
      this.headers.set(key, b);
      head.appendChild(b);
    };
    column('self', 'c-self', 'Self');
    column('total', 'c-total', 'Total');
    column(undefined, 'c-samples', 'Samples');
    column('name', 'c-fname', 'Function');
    this.list = new VirtualList(
      'fn-list',
      () => this.createRow(),
      (row, i) => this.fillRow(row, i),
    );
    this.list.viewport.setAttribute('role', 'grid');
    this.list.viewport.setAttribute('aria-label', 'Top functions');
    this.list.viewport.addEventListener('click', (e) => {
      const i = this.list.rowOf(e.target);
      if (i >= 0) this.open(this.rows[i], true, e.altKey);
    });
    this.list.viewport.addEventListener('dblclick', (e) => {
      const i = this.list.rowOf(e.target);
      if (i >= 0) this.open(this.rows[i], false, e.altKey);
    });
    this.list.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.element.append(head, this.list.viewport);
  }

  setView(view: ViewPayload): void {
    this.view = view;
    this.hotLines = functionHotLines(view);
    this.selected = -1;
    this.update();
  }

  /** Selects the next (or previous) listed function (the list holds only the matches). */
  selectNextMatch(backwards: boolean): boolean {
    if (this.rows.length === 0) return false;
    const at = this.rows.indexOf(this.selected);
    const n = this.rows.length;
    const next = at < 0 ? (backwards ? n - 1 : 0) : (at + (backwards ? n - 1 : 1)) % n;
    this.selectRow(next);
    return true;
  }

  private selectRow(index: number): void {
    const v = this.view!;
    const f = v.functions;
    const i = this.rows[index];
    this.selected = i;
    this.list.reveal(index);
    this.actions.select(v.strings[f.file[i]], this.hotLines[i], v.strings[f.name[i]]);
  }

  private onKey(e: KeyboardEvent): void {
    const at = this.rows.indexOf(this.selected);
    const last = this.rows.length - 1;
    if (last < 0) return;
    if (e.key === 'ArrowDown') this.selectRow(Math.min(last, at + 1));
    else if (e.key === 'ArrowUp') this.selectRow(Math.max(0, at - 1));
    else if (e.key === 'Home') this.selectRow(0);
    else if (e.key === 'End') this.selectRow(last);
    else if (e.key === 'Enter' && at >= 0) this.open(this.selected, false, e.altKey);
    else return;
    e.preventDefault();
  }

  setSearch(query: string): void {
    this.query = query;
    this.update();
  }

  setHighlight(location: { file: string; line: number } | undefined): void {
    this.highlight = location;
    this.list.refresh();
  }

  private update(): void {
    if (!this.view) return;
    this.rows = sortFunctions(this.view, this.sort, this.query);
    for (const [key, b] of this.headers) {
      const active = key === this.sort.key;
      b.classList.toggle('active', active);
      b.setAttribute('aria-sort', active ? (this.sort.descending ? 'descending' : 'ascending') : 'none');
      b.dataset.arrow = active ? (this.sort.descending ? '▼' : '▲') : '';
    }
    this.list.setRowCount(this.rows.length);
  }

  private open(i: number, preserveFocus: boolean, definition: boolean): void {
    const v = this.view!;
    const f = v.functions;
    const line = definition ? f.firstLine[i] : this.hotLines[i];
    this.selected = i;
    this.list.refresh();
    this.actions.select(v.strings[f.file[i]], line, v.strings[f.name[i]]);
    this.actions.reveal(v.strings[f.file[i]], line, preserveFocus);
  }

  private createRow(): HTMLElement {
    const row = el('div', 'fn-row');
    row.setAttribute('role', 'row');
    const name = el('span', 'c-fname');
    name.append(el('span', 'fn'), el('span', 'loc'));
    const timed = (cls: string) => {
      const cell = el('span', cls);
      cell.append(el('span', 'time'), el('span', 'pct'));
      return cell;
    };
    row.append(timed('c-self'), timed('c-total'), el('span', 'c-samples'), name);
    return row;
  }

  private fillRow(row: HTMLElement, index: number): void {
    const v = this.view!;
    const f = v.functions;
    const i = this.rows[index];
    const [self, total, samples, name] = Array.from(row.children) as HTMLElement[];
    self.children[0].textContent = formatDuration(f.selfUs[i]);
    self.children[1].textContent = formatShare(f.selfUs[i], v.totalUs);
    total.children[0].textContent = formatDuration(f.totalUs[i]);
    total.children[1].textContent = formatShare(f.totalUs[i], v.totalUs);
    samples.textContent = formatCount(f.samples[i]);
    const file = v.strings[f.file[i]];
    name.children[0].textContent = visibleText(v.strings[f.name[i]]);
    name.children[1].textContent = formatLocation(file, this.hotLines[i]);
    row.title = `${file}:${this.hotLines[i]} · Alt+click: the def line (${f.firstLine[i]})`;
    row.classList.toggle('selected', i === this.selected);
    row.setAttribute('aria-selected', String(i === this.selected));
    row.classList.toggle('library', (f.flags[i] & NodeFlag.library) !== 0);
    const h = this.highlight;
    row.classList.toggle(
      'highlight',
      !!h &&
        (h.line === f.firstLine[i] || h.line === this.hotLines[i]) &&
        file.length > 0 &&
        samePath(file, h.file),
    );
  }
}
