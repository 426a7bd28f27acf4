/**
 * Function totals: self time (innermost visible frame) and total time (on the
 * stack at all, counted once per sample however deep the recursion). Hidden
 * functions are left out and their self time goes to their visible caller,
 * as in the call tree.
 */
import type { FunctionStats } from './types';
import { FILE_KIND_USER } from './fileKinds';
import { visibleAncestors } from './processors';
import type { ProfileView } from './processors';

/** Functions with samples, heaviest total first. */
export function buildFunctionTable(view: ProfileView): FunctionStats[] {
  const { stackParent, stackFrame } = view.profile;
  const { frameFunction, functions } = view.index;
  const { stackSelfUs, stackSelfSamples } = view;
  const visible = visibleAncestors(view);
  const count = functions.length;
  const selfUs = new Float64Array(count);
  const totalUs = new Float64Array(count);
  const totalSamples = new Float64Array(count);
  const seenAt = new Int32Array(count).fill(-1);

  for (let s = 0; s < stackParent.length; s++) {
    const samples = stackSelfSamples[s];
    if (samples === 0) continue;
    const us = stackSelfUs[s];
    let node = visible[s];
    if (node < 0) continue;
    const innermost = frameFunction[stackFrame[node]];
    selfUs[innermost] += us;
    while (node >= 0) {
      const fn = frameFunction[stackFrame[node]];
      if (seenAt[fn] !== s) {
        seenAt[fn] = s;
        totalUs[fn] += us;
        totalSamples[fn] += samples;
      }
      const parent = stackParent[node];
      node = parent < 0 ? -1 : visible[parent];
    }
  }

  const table: FunctionStats[] = [];
  for (let fn = 0; fn < count; fn++) {
    if (totalSamples[fn] === 0) continue;
    const info = functions[fn];
    table.push({
      key: info.key,
      file: info.file,
      name: info.name,
      firstLine: info.firstLine,
      selfUs: selfUs[fn],
      totalUs: totalUs[fn],
      samples: totalSamples[fn],
      isLibrary: info.kind !== FILE_KIND_USER,
    });
  }
  return table.sort((a, b) => b.totalUs - a.totalUs || b.selfUs - a.selfUs || (a.key < b.key ? -1 : 1));
}
