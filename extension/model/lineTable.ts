/**
 * Line table: file → line → self and total time. A line counts once per
 * sample however often it appears on the stack (recursion), so a line's total
 * is the time during which it was executing or waiting for a callee.
 *
 * Work is per stack node, not per sample: the view already summed samples by
 * innermost stack, so a million samples cost one pass over the used stacks.
 * `buildFileLines` serves one file without touching the others' lines.
 *
 * The view's sample filters (thread, range, on-CPU) apply; hidden frames do
 * not: a library file opened in the editor still shows where its time went.
 */
import type { LineStats, LineTable } from './types';
import type { ProfileView } from './processors';

interface LineIds {
  /** frame → line id */
  frameLine: Uint32Array;
  /** line id → file / line */
  file: string[];
  line: number[];
}

const lineIdCache = new WeakMap<ProfileView['profile'], LineIds>();

function lineIds(view: ProfileView): LineIds {
  const cached = lineIdCache.get(view.profile);
  if (cached) return cached;
  const { strings, frameFile, frameLine } = view.profile;
  const ids = new Map<string, number>();
  const result: LineIds = { frameLine: new Uint32Array(frameFile.length), file: [], line: [] };
  for (let f = 0; f < frameFile.length; f++) {
    const file = strings[frameFile[f]];
    const line = frameLine[f];
    const key = `${line}\0${file}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = result.file.length;
      result.file.push(file);
      result.line.push(line);
      ids.set(key, id);
    }
    result.frameLine[f] = id;
  }
  lineIdCache.set(view.profile, result);
  return result;
}

export function buildLineTable(view: ProfileView): LineTable {
  return { totalUs: view.totalUs, files: accumulate(view, null) };
}

/** The lines of one file (the path as the profile recorded it); empty when it has no samples. */
export function buildFileLines(view: ProfileView, file: string): Map<number, LineStats> {
  return accumulate(view, file).get(file) ?? new Map();
}

function accumulate(view: ProfileView, onlyFile: string | null): Map<string, Map<number, LineStats>> {
  const ids = lineIds(view);
  const { stackParent, stackFrame } = view.profile;
  const { stackSelfUs, stackSelfSamples } = view;
  const stackCount = stackParent.length;
  const lineCount = ids.file.length;

  // nearest[s]: the closest node at or above s whose frame is in the wanted
  // file, so a per-file walk skips every other frame of the path.
  let nearest: Int32Array | null = null;
  if (onlyFile !== null) {
    const inFile = new Uint8Array(lineCount);
    for (let id = 0; id < lineCount; id++) inFile[id] = ids.file[id] === onlyFile ? 1 : 0;
    nearest = new Int32Array(stackCount);
    for (let s = 0; s < stackCount; s++) {
      if (inFile[ids.frameLine[stackFrame[s]]]) nearest[s] = s;
      else nearest[s] = stackParent[s] < 0 ? -1 : nearest[stackParent[s]];
    }
  }

  const selfUs = new Float64Array(lineCount);
  const totalUs = new Float64Array(lineCount);
  const selfSamples = new Float64Array(lineCount);
  const totalSamples = new Float64Array(lineCount);
  const seenAt = new Int32Array(lineCount).fill(-1);
  for (let s = 0; s < stackCount; s++) {
    const us = stackSelfUs[s];
    const samples = stackSelfSamples[s];
    if (samples === 0) continue;
    let node = nearest ? nearest[s] : s;
    if (node === s) {
      const id = ids.frameLine[stackFrame[s]];
      selfUs[id] += us;
      selfSamples[id] += samples;
    }
    while (node >= 0) {
      const id = ids.frameLine[stackFrame[node]];
      if (seenAt[id] !== s) {
        seenAt[id] = s;
        totalUs[id] += us;
        totalSamples[id] += samples;
      }
      const parent = stackParent[node];
      node = parent < 0 ? -1 : nearest ? nearest[parent] : parent;
    }
  }

  const files = new Map<string, Map<number, LineStats>>();
  for (let id = 0; id < lineCount; id++) {
    if (totalSamples[id] === 0) continue;
    const file = ids.file[id];
    let lines = files.get(file);
    if (!lines) files.set(file, (lines = new Map()));
    const line = ids.line[id];
    lines.set(line, {
      line,
      selfUs: selfUs[id],
      totalUs: totalUs[id],
      selfSamples: selfSamples[id],
      totalSamples: totalSamples[id],
    });
  }
  return files;
}
