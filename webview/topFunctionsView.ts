/**
 * Top functions: every function with its self and total time, sortable by
 * either (or by name) from the column headers; a click opens the function.
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
import { NodeFlag, type ViewPayload } from '../extension/panel/protocol';
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
      if (i >= 0) this.open(this.rows[i], true);
    });
    this.list.viewport.addEventListener('dblclick', (e) => {
      const i = this.list.rowOf(e.target);
      if (i >= 0) this.open(this.rows[i], false);
    });
    this.element.append(head, this.list.viewport);
  }

  setView(view: ViewPayload): void {
    this.view = view;
    this.update();
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

  private open(i: number, preserveFocus: boolean): void {
    const v = this.view!;
    const f = v.functions;
    this.actions.select(v.strings[f.file[i]], f.firstLine[i], v.strings[f.name[i]]);
    this.actions.reveal(v.strings[f.file[i]], f.firstLine[i], preserveFocus);
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
    name.children[1].textContent = formatLocation(file, f.firstLine[i]);
    row.title = `${file}:${f.firstLine[i]}`;
    row.classList.toggle('library', (f.flags[i] & NodeFlag.library) !== 0);
    const h = this.highlight;
    row.classList.toggle(
      'highlight',
      !!h && h.line === f.firstLine[i] && file.length > 0 && samePath(file, h.file),
    );
  }
}
