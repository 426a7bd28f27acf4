/**
 * Export to Chrome's `.cpuprofile` (the DevTools protocol's Profiler.Profile),
 * the JSON that VS Code's JavaScript profile viewers, Chrome DevTools and
 * speedscope open, so a Hotpath profile reaches tools that know nothing of Python.
 *
 * - A node is a function call on a path (callFrame: qualname, the file's
 *   `file://` URL, the function's first line, 0-based as the format wants);
 *   `positionTicks` say on which lines (1-based) its own samples were.
 * - The format has one timeline: under the root, one node per thread
 *   ("MainThread (tid 123)"), and the threads' samples one thread after the
 *   other, each sample lasting its weight (the time until its thread's next
 *   sample, capped), so `timeDeltas` add up to the time the view holds. For a
 *   single-threaded program this is its timeline; with several threads the time
 *   axis no longer lines threads up.
 * - Every sample the view keeps is written (see exportPaths.ts).
 */
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import { createView, DEFAULT_VIEW, visibleAncestors, visibleStackTree } from '../model/processors';
import { exportPathOf, placeholderName, sourceUrl } from './exportPaths';

export interface CpuProfileCallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface CpuProfileNode {
  id: number;
  callFrame: CpuProfileCallFrame;
  hitCount: number;
  children: number[];
  positionTicks?: { line: number; ticks: number }[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  /** µs since the Unix epoch. */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const NO_SCRIPT = '0';

export function toCpuProfile(profile: RawProfile, options: ViewOptions = DEFAULT_VIEW): CpuProfile {
  const view = createView(profile, options);
  const { sampleThread, sampleStack, stackFrame, frameLine, meta } = profile;
  const { frameFunction, functions, sampleWeight } = view.index;
  const paths = visibleStackTree(view, (frame) => frameFunction[frame]);
  const visible = visibleAncestors(view);

  const scriptIds = new Map<string, string>();
  const scriptOf = (url: string): string => {
    let id = scriptIds.get(url);
    if (id === undefined) scriptIds.set(url, (id = String(scriptIds.size + 1)));
    return id;
  };
  const system = (name: string): CpuProfileCallFrame => ({
    functionName: name,
    scriptId: NO_SCRIPT,
    url: '',
    lineNumber: -1,
    columnNumber: -1,
  });

  const nodes: CpuProfileNode[] = [{ id: 1, callFrame: system('(root)'), hitCount: 0, children: [] }];
  const addNode = (parent: CpuProfileNode, callFrame: CpuProfileCallFrame): CpuProfileNode => {
    const node: CpuProfileNode = { id: nodes.length + 1, callFrame, hitCount: 0, children: [] };
    nodes.push(node);
    parent.children.push(node.id);
    return node;
  };
  const functionFrame = (fn: number): CpuProfileCallFrame => {
    const info = functions[fn];
    const url = sourceUrl(info.file, meta.cwd);
    return {
      functionName: info.name || '(anonymous)',
      scriptId: url ? scriptOf(url) : NO_SCRIPT,
      url,
      lineNumber: Math.max(0, info.firstLine - 1),
      columnNumber: 0,
    };
  };

  // Per thread: its node under the root, and its nodes by path (placeholders keyed by their ids).
  const threadNodes = new Map<number, { node: CpuProfileNode; byPath: Map<number, CpuProfileNode> }>();
  const threadEntry = (thread: number) => {
    let entry = threadNodes.get(thread);
    if (!entry) {
      const info = profile.threads[thread];
      const name = info ? `${info.name || 'thread'} (tid ${info.tid})` : `thread ${thread}`;
      entry = { node: addNode(nodes[0], system(name)), byPath: new Map() };
      threadNodes.set(thread, entry);
    }
    return entry;
  };
  const nodeOf = (thread: number, pathId: number): CpuProfileNode => {
    const entry = threadEntry(thread);
    const known = entry.byPath.get(pathId);
    if (known) return known;
    if (pathId < 0) {
      const node = addNode(entry.node, system(placeholderName(pathId)));
      entry.byPath.set(pathId, node);
      return node;
    }
    const parentPath = paths.parent[pathId];
    const parent = parentPath < 0 ? entry.node : nodeOf(thread, parentPath);
    const node = addNode(parent, functionFrame(paths.key[pathId]));
    entry.byPath.set(pathId, node);
    return node;
  };

  // Threads one after another, each in time order (samples are in time order already).
  const order: number[] = [];
  for (let i = 0; i < sampleThread.length; i++) if (view.keep[i]) order.push(i);
  order.sort((a, b) => sampleThread[a] - sampleThread[b] || a - b);

  const ticksByNode = new Map<CpuProfileNode, Map<number, number>>();
  const samples: number[] = new Array(order.length);
  const timeDeltas: number[] = new Array(order.length);
  const startTime = Math.round(meta.startedAt * 1000);
  // A sample starts where the previous one ended; rounding the running sum keeps the deltas integers
  // that add up to the rounded total.
  let elapsed = 0;
  let lastTick = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const node = nodeOf(sampleThread[i], exportPathOf(view, paths, i));
    node.hitCount++;
    const stack = sampleStack[i];
    const leaf = stack < 0 ? -1 : visible[stack];
    if (leaf >= 0) {
      let lines = ticksByNode.get(node);
      if (!lines) ticksByNode.set(node, (lines = new Map()));
      // An unknown line (0) counts at the function's first line: the format's lines are 1-based.
      const frame = stackFrame[leaf];
      const line = frameLine[frame] || Math.max(1, functions[frameFunction[frame]].firstLine);
      lines.set(line, (lines.get(line) ?? 0) + 1);
    }
    samples[k] = node.id;
    const tick = Math.round(elapsed);
    timeDeltas[k] = tick - lastTick;
    lastTick = tick;
    elapsed += sampleWeight[i];
  }
  for (const [node, lines] of ticksByNode) {
    node.positionTicks = [...lines].sort((a, b) => a[0] - b[0]).map(([line, ticks]) => ({ line, ticks }));
  }
  return { nodes, startTime, endTime: startTime + Math.round(elapsed), samples, timeDeltas };
}

export function exportCpuProfile(profile: RawProfile, options?: ViewOptions): string {
  return JSON.stringify(toCpuProfile(profile, options));
}
