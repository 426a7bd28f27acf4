/**
 * The panel page: builds the layout, receives the profile from the host and
 * keeps the views, the filter and the saved state in step.
 */
import {
  DEFAULT_FILTER,
  PROTOCOL_VERSION,
  isHostToWebview,
  type FilterState,
  type HostToWebview,
  type PanelState,
  type SetProfileMessage,
  type ViewName,
} from '../extension/views/protocol';
import { CallTreeView } from './callTreeView';
import { el } from './dom';
import { FlameChartView } from './flameChartView';
import { FlameGraphView } from './flameGraphView';
import { renderHeader } from './headerView';
import { orderLanes } from './timelineLayout';
import { TimelineView, type TimeRange } from './timelineView';
import { Toolbar } from './toolbar';
import { TopFunctionsView } from './topFunctionsView';
import { TreeData } from './treeData';
import { vscodeApi } from './vscodeApi';
// esbuild emits the stylesheet next to the bundle as dist/webview.css.
import './styles.css';

/** Search results beyond this many are marked but not all expanded, to keep the tree usable. */
const MAX_EXPANDED_MATCHES = 2_000;

class PanelApp {
  private readonly api = vscodeApi();
  private readonly header = el('header', 'run-header');
  private readonly message = el('div', 'panel-message', 'Waiting for the profile…');
  private readonly toolbar: Toolbar;
  private readonly timeline: TimelineView;
  private readonly treeView: CallTreeView;
  private readonly flame: FlameGraphView;
  private readonly chart: FlameChartView;
  private readonly functions: TopFunctionsView;
  private readonly views: HTMLElement;
  private state: PanelState;
  private tree: TreeData | undefined;
  private highlight: { file: string; line: number } | undefined;

  constructor(root: HTMLElement) {
    const saved = this.api.getState();
    this.state = saved ?? { profileId: '', title: '', filter: DEFAULT_FILTER, view: 'tree', search: '' };
    const nodeActions = {
      reveal: (node: number, preserveFocus: boolean, definition = false) =>
        this.revealNode(node, preserveFocus, definition),
      select: (node: number) => this.selectNode(node),
    };
    this.treeView = new CallTreeView(nodeActions);
    this.flame = new FlameGraphView(nodeActions, (node) => {
      this.state.zoom = this.tree ? this.tree.pathKey(node) : '';
      this.save();
    });
    this.chart = new FlameChartView(nodeActions, (range) =>
      this.changeFilter({ ...this.state.filter, range }),
    );
    this.functions = new TopFunctionsView({
      reveal: (file, line, preserveFocus) =>
        this.api.postMessage({ type: 'reveal', file, line, preserveFocus }),
      select: (file, line, name) => this.api.postMessage({ type: 'select', file, line, name }),
    });
    this.timeline = new TimelineView(
      (range) => this.changeFilter({ ...this.state.filter, range }),
      (thread, process) =>
        this.changeFilter({
          ...this.state.filter,
          threads: thread === undefined ? undefined : [thread],
          // A lane of another process than the one shown shows its own process.
          process: this.state.filter.process === undefined ? undefined : process,
        }),
      (process) => this.changeFilter({ ...this.state.filter, process, threads: undefined }),
    );
    this.toolbar = new Toolbar({
      onView: (view) => this.showView(view),
      onSearch: (query) => {
        if (query !== this.state.search) this.search(query);
      },
      // Enter in the search box goes through the matches of the view on screen; the keyboard
      // stays in the box, so Enter again goes on to the next one.
      onSearchNext: (backwards) => {
        if (this.state.view === 'flame') this.flame.selectNextMatch(backwards);
        else if (this.state.view === 'functions') this.functions.selectNextMatch(backwards);
        else this.treeView.selectNextMatch(backwards);
      },
      onFilter: (filter) => this.changeFilter(filter),
    });
    this.views = el('main', 'views');
    this.views.append(this.treeView.element, this.flame.element, this.chart.element, this.functions.element);
    root.append(this.header, this.toolbar.element, this.timeline.element, this.message, this.views);
    this.toolbar.setFilter(this.state.filter);
    this.toolbar.setSearch(this.state.search);
    this.showView(this.state.view, false);
    window.addEventListener('message', (e: MessageEvent) => this.onMessage(e.data));
    this.api.postMessage({ type: 'ready', filter: saved?.filter });
  }

  private onMessage(data: unknown): void {
    if (!isHostToWebview(data)) return;
    const message: HostToWebview = data;
    switch (message.type) {
      case 'setProfile':
        this.setProfile(message);
        break;
      case 'highlight':
        this.setHighlight(message.location);
        break;
      case 'notice':
        this.toolbar.setBusy(false);
        this.showMessage(message.text);
        break;
      case 'setOptions':
        this.state.filter = message.filter;
        this.toolbar.setFilter(message.filter);
        this.timeline.setFilter(message.filter.range, message.filter.threads, message.filter.process);
        this.chart.setRange(message.filter.range);
        this.save();
        break;
      default: {
        const unknown: never = message;
        console.warn('hotpath: unknown message from the host', unknown);
      }
    }
  }

  private setProfile(message: SetProfileMessage): void {
    if (message.version !== PROTOCOL_VERSION) {
      this.showMessage(
        'This profile was sent in a format this panel does not understand. Reload the window.',
      );
      return;
    }
    const started = performance.now();
    const tree = new TreeData(message.view);
    // Same profile under a new filter: keep what the user opened; a new profile opens its hot path.
    tree.reopen(this.tree && this.state.profileId === message.profileId ? this.tree.openKeys() : undefined);
    this.tree = tree;
    this.state = {
      ...this.state,
      profileId: message.profileId,
      title: message.header.title,
      filter: message.filter,
    };

    renderHeader(this.header, message.header);
    // The thread list reads like the timeline's lanes: main first, then by start.
    const laneOrder = orderLanes(message.timeline.lanes, message.header.threads).map((l) => l.thread);
    this.toolbar.setThreads(
      [...message.header.threads].sort((a, b) => laneOrder.indexOf(a.index) - laneOrder.indexOf(b.index)),
      message.header.processes,
    );
    this.toolbar.setCapabilities(message.header.hasGil, message.header.hasGc);
    this.toolbar.setFilter(message.filter);
    this.toolbar.setBusy(false);
    this.timeline.setTimeline(message.timeline, message.header.threads, message.header.processes);
    this.timeline.setFilter(message.filter.range, message.filter.threads, message.filter.process);
    const selected = tree.findByPathKey(this.state.selected ?? '');
    if (selected > 0) tree.revealNode(selected);
    this.treeView.setTree(tree, selected);
    this.chart.setChart(
      tree,
      message.chart,
      message.header.threads,
      laneOrder,
      message.timeline.durationUs,
      message.filter.range,
    );
    this.chart.setSelected(selected);
    // A view the host sent on its own (not asked for by the chart) comes without the chart's data.
    if (this.state.view === 'chart' && !message.chart && !message.filter.chart)
      this.changeFilter(this.state.filter);
    const zoom = tree.findByPathKey(this.state.zoom ?? '');
    this.flame.setTree(tree, zoom > 0 ? zoom : 0, selected);
    this.functions.setView(message.view);
    if (tree.count <= 1) {
      this.showMessage(
        message.filter.range || message.filter.threads || message.filter.process !== undefined
          ? 'No samples in this time range or thread selection. Clear the range or choose all threads.'
          : 'No Python samples were recorded: the program may have ended before sampling started.',
      );
    } else {
      this.showMessage('');
    }
    if (this.state.search) this.search(this.state.search);
    if (this.highlight) this.setHighlight(this.highlight);
    this.save();
    document.body.dataset.renderMs = (performance.now() - started).toFixed(1);
    requestAnimationFrame(() => {
      document.body.dataset.paintMs = (performance.now() - started).toFixed(1);
      document.body.classList.add('has-profile');
    });
  }

  private showMessage(text: string): void {
    this.message.textContent = text;
    this.message.hidden = text.length === 0;
  }

  private changeFilter(filter: FilterState): void {
    const next: FilterState = { mode: filter.mode, showAll: filter.showAll };
    if (filter.range) next.range = filter.range;
    if (filter.threads) next.threads = filter.threads;
    if (filter.process !== undefined) next.process = filter.process;
    if (filter.threadRoots) next.threadRoots = true;
    if (filter.hideGc) next.hideGc = true;
    // The flame chart's data comes with the view only while the chart is shown.
    if (this.state.view === 'chart') next.chart = true;
    this.state.filter = next;
    this.timeline.setFilter(next.range as TimeRange | undefined, next.threads, next.process);
    this.toolbar.setFilter(next);
    this.toolbar.setBusy(true);
    this.save();
    this.api.postMessage({ type: 'filter', ...next });
  }

  /**
   * `takeFocus`: a tab the user chose gets the keyboard; the view shown when the page opens does
   * not (the panel opening beside the editor must leave the keyboard in the editor).
   */
  private showView(view: ViewName, takeFocus = true): void {
    this.state.view = view;
    this.toolbar.setView(view);
    this.treeView.element.hidden = view !== 'tree';
    this.flame.element.hidden = view !== 'flame';
    this.chart.element.hidden = view !== 'chart';
    this.functions.element.hidden = view !== 'functions';
    if (view === 'flame') this.flame.refresh();
    if (view === 'chart') {
      this.chart.refresh();
      // Ask for the chart's data the first time it is shown for this view.
      if (this.tree && !this.chart.hasChart()) this.changeFilter(this.state.filter);
    }
    if (view === 'tree' && takeFocus) this.treeView.focus();
    this.save();
  }

  private search(query: string): void {
    this.state.search = query;
    this.save();
    const tree = this.tree;
    if (!tree) return;
    const marks = tree.search(query);
    let count = 0;
    for (let i = 0; i < marks.length; i++) count += marks[i];
    tree.revealMarked(marks, MAX_EXPANDED_MATCHES);
    this.treeView.setSearch(marks);
    this.flame.setSearch(marks);
    this.functions.setSearch(query);
    this.toolbar.setMatchCount(query.trim() ? count : undefined);
  }

  private setHighlight(location: { file: string; line: number } | undefined): void {
    this.highlight = location;
    this.functions.setHighlight(location);
    const tree = this.tree;
    if (!tree) return;
    const marks = location ? tree.locate(location.file, location.line) : new Uint8Array(tree.count);
    tree.revealMarked(marks, 50);
    this.treeView.setHighlight(marks);
    this.flame.setHighlight(marks);
  }

  private selectNode(node: number): void {
    const tree = this.tree;
    if (!tree || node <= 0) return;
    this.state.selected = tree.pathKey(node);
    this.save();
    // One selection for the tree and the flame graph: each ignores the node it already shows.
    this.treeView.showSelected(node);
    this.flame.setSelected(node);
    this.chart.setSelected(node);
    if (tree.isThread(node)) return;
    this.api.postMessage({
      type: 'select',
      file: tree.file(node),
      line: tree.line(node),
      name: tree.name(node),
    });
  }

  /**
   * The one rule for where a frame's code opens, in every view: its hottest line (the line the
   * node spent most time on), or with `definition` (Alt) its `def` line.
   */
  private revealNode(node: number, preserveFocus: boolean, definition: boolean): void {
    const tree = this.tree;
    if (!tree || node <= 0 || tree.isThread(node) || !tree.file(node)) return;
    const line = definition
      ? tree.firstLine(node) || tree.line(node)
      : tree.line(node) || tree.firstLine(node);
    this.api.postMessage({ type: 'reveal', file: tree.file(node), line, preserveFocus });
  }

  private save(): void {
    this.api.setState(this.state);
  }
}

function reportErrors(): void {
  const post = (message: string, stack?: string) => {
    try {
      vscodeApi().postMessage({ type: 'error', message, stack });
    } catch {
      // The host is gone; nothing left to tell.
    }
  };
  window.addEventListener('error', (e) => post(e.message, (e.error as Error | undefined)?.stack));
  window.addEventListener('unhandledrejection', (e) =>
    post(String(e.reason), (e.reason as Error | undefined)?.stack),
  );
}

reportErrors();
new PanelApp(document.getElementById('app') ?? document.body);
