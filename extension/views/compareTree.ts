/**
 * The panel's call tree compared with a baseline: for each node, the baseline's total time at the
 * same call path (the functions from the root, by file and qualified name, as model/compare.ts
 * matches paths) in this run's terms, and the change's diverging level. Paths only the baseline
 * has are not in this run's tree; `hotpath report --compare` lists them. No `vscode` import.
 */
import { change, changeLevel, PathIds } from '../model/compare';
import { chooseScale, summarizeRun } from '../model/compareScale';
import { buildCallTree } from '../model/callTree';
import { createView, type ProfileView } from '../model/processors';
import type { RawProfile } from '../model/rawProfile';
import type { CallTree } from '../model/types';

export interface TreeChanges {
  /** tree node → the baseline's total µs at its path (in this run's terms); 0 when new. */
  baseUs: Float64Array;
  /** tree node → −3 … 3, 0 within noise. */
  level: Int8Array;
  reason: string;
}

export function treeChanges(baseline: RawProfile, view: ProfileView, tree: CallTree): TreeChanges {
  const baseView = createView(baseline, view.options);
  const { baseFactor, reason } = chooseScale(summarizeRun(baseView), summarizeRun(view), 'auto');
  const ids = new PathIds();
  const baseTree = buildCallTree(baseView);
  const baseIds = ids.ofTree(baseTree);
  // path id → the baseline's total µs and samples there (one path may be two nodes: a function
  // recorded with two first lines).
  const baseUs = new Map<number, number>();
  const baseSamples = new Map<number, number>();
  for (let n = 1; n < baseTree.nodes.length; n++) {
    const node = baseTree.nodes[n];
    baseUs.set(baseIds[n], (baseUs.get(baseIds[n]) ?? 0) + node.totalUs);
    baseSamples.set(baseIds[n], (baseSamples.get(baseIds[n]) ?? 0) + node.totalSamples);
  }
  const nodeIds = ids.ofTree(tree);
  const out: TreeChanges = {
    baseUs: new Float64Array(tree.nodes.length),
    level: new Int8Array(tree.nodes.length),
    reason,
  };
  for (let n = 0; n < tree.nodes.length; n++) {
    const node = tree.nodes[n];
    // The root is the whole run.
    const us = n === 0 ? baseView.totalUs : (baseUs.get(nodeIds[n]) ?? 0);
    const samples = n === 0 ? baseView.totalSamples : (baseSamples.get(nodeIds[n]) ?? 0);
    const c = change(us, samples, node.totalUs, node.totalSamples, baseFactor);
    out.baseUs[n] = c.scaledBaseUs;
    out.level[n] = changeLevel(c);
  }
  return out;
}
