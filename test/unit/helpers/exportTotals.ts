/**
 * What an export holds, added up, against what the profile holds: the sample
 * count of collapsed stacks, the weight of a speedscope file, and the
 * profile's own (all samples, or the on-CPU ones).
 */
import assert from 'node:assert/strict';
import type { SpeedscopeFile } from '../../../extension/format/speedscope';
import { getIndex } from '../../../extension/model/profileIndex';
import type { RawProfile } from '../../../extension/model/rawProfile';
import type { TimeMode } from '../../../extension/model/types';

export function profileTotals(profile: RawProfile, mode: TimeMode = 'wall'): { samples: number; us: number } {
  const weight = getIndex(profile).sampleWeight;
  let samples = 0;
  let us = 0;
  for (let i = 0; i < profile.sampleTime.length; i++) {
    if (mode === 'cpu' && !profile.sampleOnCpu[i]) continue;
    samples++;
    us += weight[i];
  }
  return { samples, us };
}

/** The sum of the counts of collapsed stacks (asserting every line parses as `stack count`). */
export function collapsedTotal(text: string): number {
  let total = 0;
  for (const line of text.trimEnd().split('\n')) {
    if (line === '') continue;
    const match = /^(.+) (\d+)$/.exec(line);
    assert.ok(match, `a collapsed line ends with its count: ${JSON.stringify(line)}`);
    total += Number(match[2]);
  }
  return total;
}

/** The sum of a speedscope file's weights (asserting no sample is written without a frame). */
export function speedscopeTotalUs(file: SpeedscopeFile): number {
  let us = 0;
  for (const p of file.profiles) {
    assert.equal(p.samples.length, p.weights.length);
    for (const w of p.weights) us += w;
    for (const stack of p.samples) assert.ok(stack.length > 0, 'a sample written without a frame');
  }
  return us;
}

/** What a placeholder frame reads as in `name@file:line` form (no file, line 0). */
export const NO_FRAMES_LEAF = '[no Python frames]@:0';

/**
 * Samples per (function, line) `name@file:line`, from the profile itself: `leaf` counts the
 * innermost frame, `total` every frame on the stack (once per sample, however often it recurs).
 */
export function profileLineCounts(
  profile: RawProfile,
  mode: TimeMode = 'wall',
  options: { unknownLineAtFirstLine?: boolean } = {},
): { leaf: Map<string, number>; total: Map<string, number> } {
  const { strings, frameName, frameFile, frameLine, frameFirstLine, stackParent, stackFrame } = profile;
  // A format with 1-based lines only (.cpuprofile) puts an unknown line (0) at the function's first.
  const lineOf = (frame: number) =>
    frameLine[frame] || (options.unknownLineAtFirstLine ? Math.max(1, frameFirstLine[frame]) : 0);
  const text = (frame: number) =>
    `${strings[frameName[frame]]}@${strings[frameFile[frame]]}:${lineOf(frame)}`;
  const leaf = new Map<string, number>();
  const total = new Map<string, number>();
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (let i = 0; i < profile.sampleTime.length; i++) {
    if (mode === 'cpu' && !profile.sampleOnCpu[i]) continue;
    const stack = profile.sampleStack[i];
    if (stack < 0) {
      add(leaf, NO_FRAMES_LEAF);
      add(total, NO_FRAMES_LEAF);
      continue;
    }
    add(leaf, text(stackFrame[stack]));
    const seen = new Set<string>();
    for (let s = stack; s >= 0; s = stackParent[s]) seen.add(text(stackFrame[s]));
    for (const key of seen) add(total, key);
  }
  return { leaf, total };
}
