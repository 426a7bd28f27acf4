/**
 * Call tree in the manner of pyinstrument: a node per call path, children
 * merged by function identity (so different lines of one caller share a
 * node), self time at the innermost node, children sorted by total time.
 * Hidden frames (library, start-up) are merged into their nearest visible
 * caller, which records how many distinct functions it swallowed.
 *
 * Cost: one forward pass over the stack prefix tree, one backward pass over
 * the nodes; samples were already summed per stack by the view.
 */
import type { CallTree, CallTreeNode } from './types';
import { FILE_KIND_USER } from './fileKinds';
import { gcFrameMask } from './gcFrame';
import { stackTotals } from './processors';
import type { ProfileView } from './processors';

export function buildCallTree(view: ProfileView): CallTree {
  const { profile, index, hidden } = view;
  const { stackParent, stackFrame, frameLine } = profile;
  const { frameFunction, functions } = index;
  const gcFrames = view.options.hideGc ? gcFrameMask(profile) : new Uint8Array(0);
  const stackCount = stackParent.length;
  const totals = stackTotals(view);

  // Node columns; a node is created per visible stack at most, plus the root (node 0).
  const capacity = stackCount + 1;
  const nodeFunction = new Int32Array(capacity).fill(-1);
  const nodeParent = new Int32Array(capacity).fill(-1);
  const selfUs = new Float64Array(capacity);
  const selfSamples = new Float64Array(capacity);
  let nodeCount = 1;
  const childByKey = new Map<number, number>();
  const functionCount = Math.max(functions.length, 1);
  const hiddenByNode = new Map<number, Set<number>>();
  const lineWeight = new LineWeights(capacity);

  const stackNode = new Int32Array(stackCount);
  for (let s = 0; s < stackCount; s++) {
    if (totals.samples[s] === 0) {
      stackNode[s] = -1;
      continue;
    }
    const parentStack = stackParent[s];
    const parentNode = parentStack < 0 ? 0 : stackNode[parentStack];
    const frame = stackFrame[s];
    const fn = frameFunction[frame];
    let node: number;
    if (hidden[frame]) {
      node = parentNode;
      // The badge counts library and start-up frames; a hidden collection is no such frame.
      if (!gcFrames[frame]) {
        let set = hiddenByNode.get(node);
        if (!set) hiddenByNode.set(node, (set = new Set()));
        set.add(fn);
      }
    } else {
      const key = parentNode * functionCount + fn;
      const existing = childByKey.get(key);
      if (existing !== undefined) node = existing;
      else {
        node = nodeCount++;
        nodeFunction[node] = fn;
        nodeParent[node] = parentNode;
        childByKey.set(key, node);
      }
      lineWeight.add(node, frameLine[frame], totals.us[s]);
    }
    stackNode[s] = node;
    selfUs[node] += view.stackSelfUs[s];
    selfSamples[node] += view.stackSelfSamples[s];
  }

  const totalUs = selfUs.slice();
  const totalSamples = selfSamples.slice();
  for (let n = nodeCount - 1; n > 0; n--) {
    totalUs[nodeParent[n]] += totalUs[n];
    totalSamples[nodeParent[n]] += totalSamples[n];
  }

  const nodes: CallTreeNode[] = new Array(nodeCount);
  for (let n = 0; n < nodeCount; n++) {
    const fn = nodeFunction[n];
    const info = fn >= 0 ? functions[fn] : undefined;
    nodes[n] = {
      id: n,
      parent: nodeParent[n],
      children: [],
      file: info?.file ?? '',
      name: info?.name ?? '',
      firstLine: info?.firstLine ?? 0,
      functionKey: info?.key ?? '',
      line: lineWeight.best(n) ?? info?.firstLine ?? 0,
      selfUs: selfUs[n],
      totalUs: totalUs[n],
      selfSamples: selfSamples[n],
      totalSamples: totalSamples[n],
      isLibrary: info !== undefined && info.kind !== FILE_KIND_USER,
      hiddenFrames: hiddenByNode.get(n)?.size ?? 0,
    };
    if (n > 0) nodes[nodeParent[n]].children.push(n);
  }
  for (const node of nodes) {
    if (node.children.length > 1) node.children.sort((a, b) => compareNodes(nodes[a], nodes[b]));
  }
  return { totalUs: nodes[0].totalUs, nodes };
}

/** Heaviest first; ties in a stable, readable order. */
function compareNodes(a: CallTreeNode, b: CallTreeNode): number {
  return b.totalUs - a.totalUs || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id);
}

/**
 * Per node, µs spent at each of its lines, to pick the heaviest. Most nodes
 * only ever see one line, so that case lives in flat arrays and only nodes
 * with several lines get a map.
 */
class LineWeights {
  private readonly firstLine: Float64Array;
  private readonly firstUs: Float64Array;
  private readonly more = new Map<number, Map<number, number>>();

  constructor(capacity: number) {
    // NaN marks "no line yet" (lines are non-negative integers).
    this.firstLine = new Float64Array(capacity).fill(NaN);
    this.firstUs = new Float64Array(capacity);
  }

  add(node: number, line: number, us: number): void {
    const first = this.firstLine[node];
    if (first !== first) {
      this.firstLine[node] = line;
      this.firstUs[node] = us;
    } else if (first === line) {
      this.firstUs[node] += us;
    } else {
      const lines = this.more.get(node) ?? new Map<number, number>();
      this.more.set(node, lines);
      lines.set(line, (lines.get(line) ?? 0) + us);
    }
  }

  best(node: number): number | undefined {
    let bestLine = this.firstLine[node];
    if (bestLine !== bestLine) return undefined;
    let bestUs = this.firstUs[node];
    const lines = this.more.get(node);
    if (lines) {
      for (const [line, us] of lines) {
        if (us > bestUs || (us === bestUs && line < bestLine)) {
          bestLine = line;
          bestUs = us;
        }
      }
    }
    return bestLine;
  }
}
