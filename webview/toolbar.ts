/**
 * The controls above the views: view tabs, search, process and thread selectors,
 * wall-clock / on-CPU / GIL toggle, "show all frames" and "hide GC".
 */
import { clear, el } from './dom';
import type { FilterState, ProcessSummary, ThreadSummary, ViewName } from '../extension/views/protocol';
import { ProcessSelector } from './processSelector';

export interface ToolbarEvents {
  onView(view: ViewName): void;
  onSearch(query: string): void;
  /** Enter / Shift+Enter in the search box: go to the next / previous match. */
  onSearchNext(backwards: boolean): void;
  onFilter(filter: FilterState): void;
}

const VIEWS: { view: ViewName; label: string }[] = [
  { view: 'tree', label: 'Call tree' },
  { view: 'flame', label: 'Flame graph' },
  { view: 'chart', label: 'Flame chart' },
  { view: 'functions', label: 'Top functions' },
];

const SEARCH_DELAY_MS = 150;

export class Toolbar {
  readonly element: HTMLElement;
  private readonly tabs = new Map<ViewName, HTMLButtonElement>();
  private readonly searchInput: HTMLInputElement;
  private readonly matchCount: HTMLElement;
  private readonly processSelect: ProcessSelector;
  private readonly threadSelect: HTMLSelectElement;
  /** Every thread of the profile; the selector lists those of the chosen process. */
  private threads: ThreadSummary[] = [];
  /** The process whose threads the thread selector lists ('all' for every thread). */
  private listedProcess: number | 'all' | undefined;
  private readonly wall: HTMLButtonElement;
  private readonly cpu: HTMLButtonElement;
  private readonly gil: HTMLButtonElement;
  private readonly showAll: HTMLInputElement;
  private readonly hideGc: HTMLInputElement;
  private readonly hideGcLabel: HTMLLabelElement;
  private readonly threadRoots: HTMLInputElement;
  private readonly busy: HTMLElement;
  private filter: FilterState = { mode: 'wall', showAll: false };
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly events: ToolbarEvents) {
    this.element = el('div', 'toolbar');
    const tabs = el('div', 'tabs');
    tabs.setAttribute('role', 'tablist');
    for (const { view, label } of VIEWS) {
      const b = el('button', 'tab', label);
      b.type = 'button';
      b.setAttribute('role', 'tab');
      b.dataset.view = view;
      b.addEventListener('click', () => this.events.onView(view));
      this.tabs.set(view, b);
      tabs.appendChild(b);
    }

    this.searchInput = el('input', 'search');
    this.searchInput.type = 'search';
    this.searchInput.placeholder = 'Search functions and files';
    this.searchInput.title = 'Enter: next match · Shift+Enter: previous match';
    this.searchInput.setAttribute('aria-label', 'Search functions and files');
    this.searchInput.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.events.onSearch(this.searchInput.value), SEARCH_DELAY_MS);
    });
    this.searchInput.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      clearTimeout(this.searchTimer);
      this.events.onSearch(this.searchInput.value);
      this.events.onSearchNext(e.shiftKey);
    });
    this.matchCount = el('span', 'match-count');

    // Another process's threads are not among the new one's: the thread choice goes with it.
    this.processSelect = new ProcessSelector((process) => this.emit({ process, threads: undefined }));

    this.threadSelect = el('select', 'threads');
    this.threadSelect.setAttribute('aria-label', 'Thread');
    this.threadSelect.addEventListener('change', () => {
      const v = this.threadSelect.value;
      this.emit({ threads: v === 'all' ? undefined : [Number(v)] });
    });

    const mode = el('div', 'segmented');
    mode.setAttribute('role', 'radiogroup');
    mode.setAttribute('aria-label', 'Time');
    this.wall = this.modeButton(
      'Wall clock',
      'All samples: time the program spent, running or waiting',
      'wall',
    );
    this.cpu = this.modeButton('On CPU', 'Only samples where the thread was running on a CPU', 'cpu');
    this.gil = this.modeButton('GIL', 'Only samples of the thread holding the GIL', 'gil');
    this.gil.hidden = true;
    mode.append(this.wall, this.cpu, this.gil);

    const [showAllLabel, showAll] = checkbox(
      'Show library frames',
      'Show library and interpreter start-up frames instead of collapsing them',
      (checked) => this.emit({ showAll: checked }),
    );
    this.showAll = showAll;
    const [threadRootsLabel, threadRoots] = checkbox(
      'Split by thread',
      'One root per thread in the call tree and the flame graph',
      (checked) => this.emit({ threadRoots: checked }),
    );
    this.threadRoots = threadRoots;
    const [hideGcLabel, hideGc] = checkbox(
      'Hide GC',
      "Merge the garbage collector's <GC> frames into the code that set each collection off",
      (checked) => this.emit({ hideGc: checked }),
    );
    this.hideGc = hideGc;
    this.hideGcLabel = hideGcLabel;
    hideGcLabel.hidden = true;

    this.busy = el('span', 'busy', 'Updating…');
    this.busy.hidden = true;
    this.element.append(
      tabs,
      this.searchInput,
      this.matchCount,
      this.processSelect.element,
      this.threadSelect,
      mode,
      showAllLabel,
      threadRootsLabel,
      hideGcLabel,
      this.busy,
    );
  }

  private modeButton(label: string, title: string, value: FilterState['mode']): HTMLButtonElement {
    const b = el('button', 'segment', label);
    b.type = 'button';
    b.title = title;
    b.setAttribute('role', 'radio');
    b.addEventListener('click', () => this.emit({ mode: value }));
    return b;
  }

  private emit(change: Partial<FilterState>): void {
    const next = { ...this.filter, ...change };
    if ('threads' in change && change.threads === undefined) delete next.threads;
    if ('process' in change && change.process === undefined) delete next.process;
    if (next.threadRoots === false) delete next.threadRoots;
    if (next.hideGc === false) delete next.hideGc;
    this.events.onFilter(next);
  }

  setView(view: ViewName): void {
    for (const [v, b] of this.tabs) b.setAttribute('aria-selected', String(v === view));
  }

  setSearch(query: string): void {
    this.searchInput.value = query;
  }

  setMatchCount(count: number | undefined): void {
    this.matchCount.textContent = count === undefined ? '' : `${count} match${count === 1 ? '' : 'es'}`;
  }

  setBusy(busy: boolean): void {
    this.busy.hidden = !busy;
  }

  /** The profile's processes (undefined or one: no process selector) and threads, in lane order. */
  setThreads(threads: ThreadSummary[], processes?: ProcessSummary[]): void {
    this.processSelect.setProcesses(processes);
    this.threads = threads;
    this.listedProcess = undefined;
    this.setFilter(this.filter);
  }

  /** Offers the GIL mode and the GC switch only for a profile that has what they show. */
  setCapabilities(hasGil: boolean, hasGc: boolean): void {
    this.gil.hidden = !hasGil;
    this.hideGcLabel.hidden = !hasGc;
  }

  private listThreads(process: number | undefined): void {
    const listed = process ?? 'all';
    if (listed === this.listedProcess) return;
    this.listedProcess = listed;
    const threads =
      process === undefined ? this.threads : this.threads.filter((t) => (t.process ?? 0) === process);
    clear(this.threadSelect);
    const all = el('option', '', `All threads (${threads.length})`);
    all.value = 'all';
    this.threadSelect.appendChild(all);
    for (const t of threads) {
      const o = el('option', '', t.label);
      o.value = String(t.index);
      this.threadSelect.appendChild(o);
    }
    this.threadSelect.disabled = threads.length <= 1;
  }

  setFilter(filter: FilterState): void {
    this.filter = filter;
    this.processSelect.setValue(filter.process);
    this.listThreads(filter.process);
    this.threadSelect.value =
      filter.threads && filter.threads.length === 1 ? String(filter.threads[0]) : 'all';
    this.wall.setAttribute('aria-checked', String(filter.mode === 'wall'));
    this.cpu.setAttribute('aria-checked', String(filter.mode === 'cpu'));
    this.gil.setAttribute('aria-checked', String(filter.mode === 'gil'));
    this.hideGc.checked = filter.hideGc === true;
    this.showAll.checked = filter.showAll;
    this.threadRoots.checked = filter.threadRoots === true;
    this.threadRoots.disabled = this.threadSelect.disabled;
  }
}

function checkbox(
  label: string,
  title: string,
  onChange: (checked: boolean) => void,
): [HTMLLabelElement, HTMLInputElement] {
  const box = el('label', 'show-all');
  const input = el('input');
  input.type = 'checkbox';
  input.addEventListener('change', () => onChange(input.checked));
  box.append(input, el('span', '', label));
  box.title = title;
  return [box, input];
}
