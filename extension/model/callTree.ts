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
import { stackTotals } from './processors';
import type { ProfileView } from './processors';

export function buildCallTree(view: ProfileView): CallTree {
  const { profile, index, hidden } = view;
  const { stackParent, stackFrame, frameLine } = profile;
  const { frameFunction, functions } = index;
  const stackCount = stackParent.length;
  const totals = stackTotals(view);

  // Node columns, grown as nodes are created; node 0 is the root.
  const nodeFunction: number[] = [-1];
  const nodeParent: number[] = [-1];
  const selfUs: number[] = [0];
  const selfSamples: number[] = [0];
  const childByKey = new Map<number, number>();
  const functionCount = Math.max(functions.length, 1);
  const hiddenByNode = new Map<number, Set<number>>();
  const lineWeight = new LineWeights();

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
      let set = hiddenByNode.get(node);
      if (!set) hiddenByNode.set(node, (set = new Set()));
      set.add(fn);
    } else {
      const key = parentNode * functionCount + fn;
      const existing = childByKey.get(key);
      if (existing !== undefined) node = existing;
      else {
        node = nodeFunction.length;
        nodeFunction.push(fn);
        nodeParent.push(parentNode);
        selfUs.push(0);
        selfSamples.push(0);
        childByKey.set(key, node);
      }
      lineWeight.add(node, frameLine[frame], totals.us[s]);
    }
    stackNode[s] = node;
    selfUs[node] += view.stackSelfUs[s];
    selfSamples[node] += view.stackSelfSamples[s];
  }

  const nodeCount = nodeFunction.length;
  const totalUs = selfUs.slice();
  const totalSamples = selfSamples.slice();
  for (let n = nodeCount - 1; n > 0; n--) {
    totalUs[nodeParent[n]] += totalUs[n];
    totalSamples[nodeParent[n]] += totalSamples[n];
  }

  const bestLine = lineWeight.best();
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
      line: bestLine.get(n) ?? info?.firstLine ?? 0,
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

/** Per node, µs spent at each of its lines; picks the heaviest line. */
class LineWeights {
  private readonly weights = new Map<number, Map<number, number>>();

  add(node: number, line: number, us: number): void {
    let lines = this.weights.get(node);
    if (!lines) this.weights.set(node, (lines = new Map()));
    lines.set(line, (lines.get(line) ?? 0) + us);
  }

  best(): Map<number, number> {
    const out = new Map<number, number>();
    for (const [node, lines] of this.weights) {
      let bestLine = 0;
      let bestUs = -1;
      for (const [line, us] of lines) {
        if (us > bestUs || (us === bestUs && line < bestLine)) {
          bestLine = line;
          bestUs = us;
        }
      }
      out.set(node, bestLine);
    }
    return out;
  }
}
