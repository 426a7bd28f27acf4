/**
 * Model → protocol payload. Pure and vscode-free so it is unit-tested on
 * literal profiles: the host calls it once per filter change and posts the
 * result; the page never sees the RawProfile itself.
 */
import { buildCallTree } from '../model/callTree';
import { treeChanges, type TreeChanges } from './compareTree';
import { processSummaries, threadsOfProcess } from './processSummaries';
import { buildFunctionTable } from '../model/functionTable';
import { createView, visibleStackTree, type ProfileView } from '../model/processors';
import { processLabel, type RawProfile, type ThreadInfo } from '../model/rawProfile';
import type { CallTree, CallTreeNode, FunctionStats, TimeMode, ViewOptions } from '../model/types';
import { gcFrameMask, hasGilData } from '../model/gcFrame';
import {
  NodeFlag,
  PROTOCOL_VERSION,
  type ChartLanePayload,
  type ChartPayload,
  type FilterState,
  type FunctionColumns,
  type SetProfileMessage,
  type ProfileHeader,
  type ThreadSummary,
  type TimelinePayload,
  type TreeColumns,
  type ViewPayload,
} from './protocol';

/** Upper bound on timeline bins per lane: wider than any panel, small to post. */
export const MAX_TIMELINE_BINS = 2000;
/**
 * asyncio task lanes the timeline shows, the most sampled: a program of thousands of short tasks
 * would otherwise post thousands of lanes of bins (megabytes) for strips a pixel high. Every task
 * stays in the tree and the thread selector.
 */
export const MAX_TIMELINE_TASK_LANES = 32;

/** A filter from the page's saved state or a message: keep only well-formed parts. */
export function sanitizeFilter(value: Partial<FilterState>): FilterState {
  const filter: FilterState = {
    mode: value.mode === 'cpu' || value.mode === 'gil' ? value.mode : 'wall',
    showAll: value.showAll === true,
  };
  if (value.hideGc === true) filter.hideGc = true;
  const r = value.range;
  if (r && Number.isFinite(r.start) && Number.isFinite(r.end) && r.end > r.start) {
    filter.range = { start: r.start, end: r.end };
  }
  if (Array.isArray(value.threads) && value.threads.every((t) => Number.isInteger(t) && t >= 0)) {
    filter.threads = [...value.threads];
  }
  if (Number.isInteger(value.process) && (value.process ?? -1) >= 0) filter.process = value.process;
  if (value.threadRoots === true) filter.threadRoots = true;
  if (value.chart === true) filter.chart = true;
  return filter;
}
/** The model's view options for what the panel's controls say. */
export function viewOptionsFor(filter: FilterState): ViewOptions {
  const options: ViewOptions = {
    mode: filter.mode,
    hideLibrary: !filter.showAll,
    hideStartup: !filter.showAll,
  };
  if (filter.hideGc) options.hideGc = true;
  if (filter.threads && filter.threads.length > 0) options.threads = [...filter.threads];
  if (filter.process !== undefined) options.process = filter.process;
  if (filter.range && filter.range.end > filter.range.start) options.range = { ...filter.range };
  return options;
}

/**
 * Everything the page needs for one profile under one filter. The timeline
 * and header do not depend on the filter; pass them in to reuse them.
 */
export function buildProfileMessage(
  raw: RawProfile,
  filter: FilterState,
  ids: { profileId: string; title: string },
  reuse?: Pick<SetProfileMessage, 'header' | 'timeline'>,
  baseline?: { raw: RawProfile; label: string },
): SetProfileMessage {
  return {
    ...buildViewPart(raw, filter, ids, baseline),
    header: reuse?.header ?? buildHeader(raw, ids.title),
    timeline: reuse?.timeline ?? buildTimeline(raw),
  };
}

/** The part of the message that depends on the filter: everything but header and timeline. */
export function buildViewPart(
  raw: RawProfile,
  filter: FilterState,
  ids: { profileId: string },
  baseline?: { raw: RawProfile; label: string },
): Omit<SetProfileMessage, 'header' | 'timeline'> {
  const view = createView(raw, viewOptionsFor(filter));
  const functions = buildFunctionTable(view);
  let payload: ViewPayload;
  let comparison: SetProfileMessage['comparison'];
  if (filter.threadRoots) {
    // Threads are not matched across runs (their ids differ): no comparison in this layout.
    const { tree, threadNodes } = threadRootedTree(raw, filter);
    payload = buildViewPayload(tree, functions, threadNodes);
  } else {
    const tree = buildCallTree(view);
    const changes = baseline && treeChanges(baseline.raw, view, tree);
    payload = buildViewPayload(tree, functions, undefined, changes);
    if (baseline && changes) comparison = { label: baseline.label, reason: changes.reason };
  }
  const message: Omit<SetProfileMessage, 'header' | 'timeline'> = {
    type: 'setProfile',
    version: PROTOCOL_VERSION,
    profileId: ids.profileId,
    view: payload,
    filter,
  };
  if (comparison) message.comparison = comparison;
  if (filter.chart) message.chart = buildChart(view, payload, filter.threadRoots === true);
  return message;
}

/**
 * The flame chart of a view: per thread, its kept samples in time order as runs of the call-tree
 * node (of `payload`, so a chart frame is the tree's node with its times and lines) that holds
 * the sample's innermost visible frame. A run ends where the node changes or the thread was not
 * sampled for more than an interval. Nodes are found through the tree's own columns: the visible
 * function path of each stack, step by step from the root (or the thread's root).
 */
export function buildChart(view: ProfileView, payload: ViewPayload, threadRoots: boolean): ChartPayload {
  const { profile, index, keep } = view;
  const paths = visibleStackTree(view, (frame) => index.frameFunction[frame]);
  const t = payload.tree;
  const stringId = new Map(payload.strings.map((value, i) => [value, i]));
  const childOf = new Map<string, number>();
  for (let i = 1; i < t.parent.length; i++)
    childOf.set(`${t.parent[i]}\0${t.file[i]}\0${t.name[i]}\0${t.firstLine[i]}`, i);
  const threadRoot = new Map<number, number>();
  if (threadRoots) {
    const labels = profile.threads.map((thread, i) => threadLabel(thread, i, profile));
    for (let i = 1; i < t.parent.length; i++)
      if (t.flags[i] & NodeFlag.thread) threadRoot.set(labels.indexOf(payload.strings[t.name[i]]), i);
  }
  // path id → tree node, per root (one root without thread roots).
  const nodeOf = new Map<number, Int32Array>();
  const nodesUnder = (root: number) => {
    let nodes = nodeOf.get(root);
    if (nodes) return nodes;
    nodes = new Int32Array(paths.parent.length).fill(-1);
    for (let p = 0; p < paths.parent.length; p++) {
      const parent = paths.parent[p] < 0 ? root : nodes[paths.parent[p]];
      if (parent < 0) continue;
      const fn = index.functions[paths.key[p]];
      const file = stringId.get(fn.file);
      const name = stringId.get(fn.name);
      if (file === undefined || name === undefined) continue;
      nodes[p] = childOf.get(`${parent}\0${file}\0${name}\0${fn.firstLine}`) ?? -1;
    }
    nodeOf.set(root, nodes);
    return nodes;
  };
  const interval = Math.max(profile.meta.intervalUs, 1);
  const lanes = profile.threads.map(
    (_, thread) => ({ thread, start: [], end: [], node: [] }) as ChartLanePayload,
  );
  for (let i = 0; i < keep.length; i++) {
    const stack = profile.sampleStack[i];
    if (!keep[i] || stack < 0) continue;
    const path = paths.ofStack[stack];
    const thread = profile.sampleThread[i];
    const lane = lanes[thread];
    if (path < 0 || !lane) continue;
    const node = nodesUnder(threadRoots ? (threadRoot.get(thread) ?? -1) : 0)[path];
    if (node < 0) continue;
    const at = profile.sampleTime[i];
    const last = lane.node.length - 1;
    if (last >= 0 && lane.node[last] === node && at <= lane.end[last] + interval) {
      lane.end[last] = at + interval;
    } else {
      lane.start.push(at);
      lane.end.push(at + interval);
      lane.node.push(node);
    }
  }
  return { lanes: lanes.filter((lane) => lane.node.length > 0) };
}

/**
 * One call tree per thread under a root node each (named by the thread's label), the threads
 * by total time like any siblings. Built from one view per thread, so it costs a pass over the
 * samples per thread: it is only built when asked for.
 */
export function threadRootedTree(
  raw: RawProfile,
  filter: FilterState,
): { tree: CallTree; threadNodes: Set<number> } {
  const root: CallTreeNode = {
    id: 0,
    parent: -1,
    children: [],
    file: '',
    name: '',
    firstLine: 0,
    functionKey: '',
    line: 0,
    selfUs: 0,
    totalUs: 0,
    selfSamples: 0,
    totalSamples: 0,
    isLibrary: false,
    hiddenFrames: 0,
  };
  const nodes: CallTreeNode[] = [root];
  const threadNodes = new Set<number>();
  const ofProcess = new Set(threadsOfProcess(raw.threads, filter.process));
  const threads = (filter.threads ?? raw.threads.map((_, i) => i)).filter((t) => ofProcess.has(t));
  for (const t of threads) {
    if (!raw.threads[t]) continue;
    const tree = buildCallTree(createView(raw, viewOptionsFor({ ...filter, threads: [t] })));
    const top = tree.nodes[0];
    if (!top || tree.totalUs <= 0) continue;
    const id = nodes.length;
    // The thread's tree follows its root node: old id j (≥ 1) becomes id + j.
    const renumber = (j: number) => (j === 0 ? id : id + j);
    nodes.push({
      ...top,
      id,
      parent: 0,
      name: threadLabel(raw.threads[t], t, raw),
      children: top.children.map(renumber),
    });
    for (let j = 1; j < tree.nodes.length; j++) {
      const n = tree.nodes[j];
      nodes.push({ ...n, id: renumber(j), parent: renumber(n.parent), children: n.children.map(renumber) });
    }
    threadNodes.add(id);
    root.children.push(id);
    root.totalUs += tree.totalUs;
    root.totalSamples += top.totalSamples;
  }
  root.children.sort((a, b) => nodes[b].totalUs - nodes[a].totalUs);
  return { tree: { totalUs: root.totalUs, nodes }, threadNodes };
}

/** Assigns each distinct string one index, in first-seen order. */
class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  intern(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

/**
 * Flattens the call tree into depth-first columns. Children keep the model's
 * order (total time, descending), so the page can rebuild child lists from
 * `parent` alone without sorting.
 */
export function buildViewPayload(
  tree: CallTree,
  functions: readonly FunctionStats[],
  threadNodes?: ReadonlySet<number>,
  changes?: TreeChanges,
): ViewPayload {
  const table = new StringTable();
  const cols: TreeColumns = {
    parent: [],
    name: [],
    file: [],
    line: [],
    firstLine: [],
    selfUs: [],
    totalUs: [],
    flags: [],
    hidden: [],
  };
  if (tree.nodes.length > 0) {
    // Explicit stack: recursion 1,000 deep must not overflow the JS stack.
    const stackNode: number[] = [0];
    const stackParent: number[] = [-1];
    while (stackNode.length > 0) {
      const node = stackNode.pop()!;
      const parent = stackParent.pop()!;
      const n = tree.nodes[node];
      const id = cols.parent.length;
      cols.parent.push(parent);
      cols.name.push(table.intern(n.name));
      cols.file.push(table.intern(n.file));
      cols.line.push(n.line);
      cols.firstLine.push(n.firstLine);
      cols.selfUs.push(n.selfUs);
      cols.totalUs.push(n.totalUs);
      cols.flags.push((n.isLibrary ? NodeFlag.library : 0) | (threadNodes?.has(node) ? NodeFlag.thread : 0));
      cols.hidden.push(n.hiddenFrames);
      if (changes) {
        (cols.baseUs ??= []).push(changes.baseUs[node]);
        (cols.change ??= []).push(changes.level[node]);
      }
      for (let c = n.children.length - 1; c >= 0; c--) {
        stackNode.push(n.children[c]);
        stackParent.push(id);
      }
    }
  }
  return {
    strings: table.strings,
    totalUs: tree.totalUs,
    tree: cols,
    functions: functionColumns(functions, table),
  };
}

function functionColumns(functions: readonly FunctionStats[], table: StringTable): FunctionColumns {
  const cols: FunctionColumns = {
    name: [],
    file: [],
    firstLine: [],
    selfUs: [],
    totalUs: [],
    samples: [],
    flags: [],
  };
  for (const f of functions) {
    cols.name.push(table.intern(f.name));
    cols.file.push(table.intern(f.file));
    cols.firstLine.push(f.firstLine);
    cols.selfUs.push(f.selfUs);
    cols.totalUs.push(f.totalUs);
    cols.samples.push(f.samples);
    cols.flags.push(f.isLibrary ? NodeFlag.library : 0);
  }
  return cols;
}

/**
 * Per-thread lanes of running/waiting sample counts in equal bins. Computed
 * from the raw samples rather than run-length segments: the page only needs
 * one column per pixel, and this stays the same size for any run length.
 */
export function buildTimeline(raw: RawProfile): TimelinePayload {
  const durationUs = Math.max(raw.meta.durationUs, lastSampleTime(raw), 1);
  const byInterval = Math.ceil(durationUs / Math.max(raw.meta.intervalUs, 1));
  const bins = Math.max(1, Math.min(MAX_TIMELINE_BINS, byInterval));
  const binUs = durationUs / bins;
  const shown = timelineThreads(raw);
  const lanes = raw.threads.map((t, i) =>
    shown[i]
      ? {
          thread: i,
          label: threadLabel(t, i, raw),
          running: new Array<number>(bins).fill(0),
          waiting: new Array<number>(bins).fill(0),
          ...(raw.sampleGil ? { gil: new Array<number>(bins).fill(0) } : {}),
        }
      : undefined,
  );
  const { sampleGil } = raw;
  for (let s = 0; s < raw.sampleTime.length; s++) {
    const lane = lanes[raw.sampleThread[s]];
    if (!lane) continue;
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(raw.sampleTime[s] / binUs)));
    if (raw.sampleOnCpu[s]) lane.running[bin]++;
    else lane.waiting[bin]++;
    if (lane.gil && sampleGil?.[s]) lane.gil[bin]++;
  }
  return { durationUs, binUs, lanes: lanes.filter((lane) => lane !== undefined) };
}

/** Per thread, whether the timeline has its lane: every thread, and the busiest task lanes. */
function timelineThreads(raw: RawProfile): boolean[] {
  const shown = raw.threads.map((t) => t.loopThread === undefined);
  const tasks = raw.threads.flatMap((t, i) => (t.loopThread === undefined ? [] : [i]));
  if (tasks.length <= MAX_TIMELINE_TASK_LANES) return raw.threads.map(() => true);
  const counts = new Array<number>(raw.threads.length).fill(0);
  for (let s = 0; s < raw.sampleThread.length; s++) counts[raw.sampleThread[s]]++;
  tasks.sort((a, b) => counts[b] - counts[a] || a - b);
  for (const t of tasks.slice(0, MAX_TIMELINE_TASK_LANES)) shown[t] = true;
  return shown;
}

function lastSampleTime(raw: RawProfile): number {
  const n = raw.sampleTime.length;
  return n > 0 ? raw.sampleTime[n - 1] : 0;
}

/** A thread's name and TID, after its process's label when the profile has several processes. */
export function threadLabel(
  t: ThreadInfo,
  index: number,
  profile?: Pick<RawProfile, 'processes'> & Partial<Pick<RawProfile, 'threads'>>,
): string {
  const name = t.name || (t.isMain ? 'MainThread' : `Thread ${index + 1}`);
  let label = t.tid ? `${name} (${t.tid})` : name;
  // An asyncio task's lane: the task, and the thread whose event loop runs it.
  const loop = t.loopThread === undefined ? undefined : profile?.threads?.[t.loopThread];
  if (t.loopThread !== undefined)
    label = loop ? `task ${t.name} · ${threadLabel(loop, t.loopThread)}` : `task ${t.name}`;
  const processes = profile?.processes;
  const process = processes && processes.length > 1 ? processes[t.process ?? 0] : undefined;
  return process ? `${processLabel(process)} · ${label}` : label;
}

export function buildHeader(raw: RawProfile, title: string): ProfileHeader {
  const counts = new Array<number>(raw.threads.length).fill(0);
  for (let s = 0; s < raw.sampleThread.length; s++) counts[raw.sampleThread[s]]++;
  const threads: ThreadSummary[] = raw.threads.map((t, i) => ({
    index: i,
    label: threadLabel(t, i, raw),
    isMain: t.isMain,
    samples: counts[i] ?? 0,
    ...(raw.processes && raw.processes.length > 1 ? { process: t.process ?? 0 } : {}),
  }));
  const m = raw.meta;
  const processes = processSummaries(raw);
  return {
    title,
    argv: m.argv,
    cwd: m.cwd,
    pythonPath: m.pythonPath,
    pythonVersion: m.pythonVersion,
    startedAt: m.startedAt,
    durationUs: m.durationUs,
    intervalUs: m.intervalUs,
    exitCode: m.exitCode,
    exitSignal: m.exitSignal,
    recovered: m.recovered === true,
    ...(m.live ? { live: true } : {}),
    ...(m.countedFromUs !== undefined ? { countedFromUs: m.countedFromUs } : {}),
    stats: raw.stats,
    threads,
    ...(processes ? { processes } : {}),
    ...(m.mode && m.mode !== 'wall' ? { mode: m.mode } : {}),
    hasGil: hasGilData(raw),
    hasGc: gcFrameMask(raw).includes(1),
  };
}

/**
 * The mode a new profile is shown in: the one it was taken in, else the one the panel had; GIL
 * time only where the profile recorded the holder.
 */
export function startingMode(raw: RawProfile, current: TimeMode): TimeMode {
  const mode = raw.meta.mode ?? current;
  return mode === 'gil' && !hasGilData(raw) ? 'wall' : mode;
}

/**
 * The name users know the run by: the script's file name, `-m module`, or
 * the program itself. Used in the panel title `Hotpath: <script>`.
 */
export function scriptLabel(argv: readonly string[]): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-m' && i + 1 < argv.length) return argv[i + 1];
    if (arg === '-c') return '-c';
    if (/\.pyw?$/i.test(arg)) return baseName(arg);
  }
  return argv.length > 0 ? baseName(argv[argv.length - 1]) : 'profile';
}

function baseName(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] || p;
}
