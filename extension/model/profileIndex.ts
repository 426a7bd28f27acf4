/**
 * Per-profile data every builder needs, computed once and cached by profile
 * object: function identities, file kinds, and the time each sample stands for.
 * A profile is immutable once built, so the cache never goes stale.
 */
import type { RawProfile } from './rawProfile';
import { classifyFile, FILE_KIND_CODES, FILE_KIND_USER, isPseudoFile } from './fileKinds';
import type { ClassifyOptions } from './fileKinds';

export interface FunctionInfo {
  /** `${file}\0${name}\0${firstLine}`, the key used across the model. */
  key: string;
  file: string;
  name: string;
  firstLine: number;
  /** FILE_KIND_* code of the function's file. */
  kind: number;
}

export interface ProfileIndex {
  profile: RawProfile;
  functions: FunctionInfo[];
  /** frame → index into `functions`. */
  frameFunction: Uint32Array;
  /** frame → FILE_KIND_* code. */
  frameKind: Uint8Array;
  /** sample → µs it accounts for (the gap to the thread's next sample, capped). */
  sampleWeight: Float64Array;
}

interface CacheEntry {
  classify: ClassifyOptions | undefined;
  index: ProfileIndex;
}

const cache = new WeakMap<RawProfile, CacheEntry>();

/** A function's identity across the model (FunctionStats.key, ViewOptions.focus). */
export function functionKey(file: string, name: string, firstLine: number): string {
  return `${file}\0${name}\0${firstLine}`;
}

/** The parts of a `functionKey`, or undefined for a string that is not one (from a command). */
export function parseFunctionKey(
  key: unknown,
): { file: string; name: string; firstLine: number } | undefined {
  if (typeof key !== 'string') return undefined;
  const parts = key.split('\0');
  const firstLine = Number(parts[2]);
  if (parts.length !== 3 || !Number.isInteger(firstLine) || firstLine < 0) return undefined;
  return { file: parts[0], name: parts[1], firstLine };
}

/**
 * The index of a profile, built on first use. Pass the same `classify` object
 * each time to hit the cache (it is compared by reference).
 */
export function getIndex(profile: RawProfile, classify?: ClassifyOptions): ProfileIndex {
  const cached = cache.get(profile);
  if (cached && cached.classify === classify) return cached.index;
  const index = buildIndex(profile, classify ?? {});
  cache.set(profile, { classify, index });
  return index;
}

function buildIndex(profile: RawProfile, classify: ClassifyOptions): ProfileIndex {
  const { strings, frameFile, frameName, frameFirstLine } = profile;
  const frameCount = frameFile.length;
  const frameFunction = new Uint32Array(frameCount);
  const frameKind = new Uint8Array(frameCount);
  const functions: FunctionInfo[] = [];
  const byKey = new Map<string, number>();
  const kindByFile = new Map<string, number>();
  for (let f = 0; f < frameCount; f++) {
    const file = strings[frameFile[f]];
    const name = strings[frameName[f]];
    const firstLine = frameFirstLine[f];
    let kind = kindByFile.get(file);
    if (kind === undefined) {
      kind = FILE_KIND_CODES[classifyFile(file, classify)];
      kindByFile.set(file, kind);
    }
    frameKind[f] = kind;
    const key = functionKey(file, name, firstLine);
    let fn = byKey.get(key);
    if (fn === undefined) {
      fn = functions.length;
      functions.push({ key, file, name, firstLine, kind });
      byKey.set(key, fn);
    }
    frameFunction[f] = fn;
  }
  inheritCallerKind(profile, frameKind);
  // A function is library or start-up code as its frames are.
  for (let f = 0; f < frameCount; f++) functions[frameFunction[f]].kind = frameKind[f];
  return {
    profile,
    functions,
    frameFunction,
    frameKind,
    sampleWeight: computeSampleWeights(profile),
  };
}

/**
 * Code a library or the start-up ran with `exec` (a `.pth` file that `site`
 * executes, `<module> <string>:1`) has no file of its own and would count as
 * the user's: it takes the kind of its caller instead, so that it is hidden
 * with it. A pseudo-file frame with no caller (`python -c`) or that the
 * user's code ran somewhere stays the user's.
 */
function inheritCallerKind(profile: RawProfile, frameKind: Uint8Array): void {
  const { stackParent, stackFrame, frameFile, strings } = profile;
  const pseudo = new Uint8Array(frameKind.length);
  let any = false;
  for (let f = 0; f < pseudo.length; f++) {
    if (frameKind[f] === FILE_KIND_USER && isPseudoFile(strings[frameFile[f]])) pseudo[f] = 1;
    any ||= pseudo[f] === 1;
  }
  if (!any) return;
  // stack → the kind its innermost frame takes there; parents come before children.
  const stackKind = new Uint8Array(stackParent.length);
  // frame → the kind it takes, or USER once any stack has it under user code or at the root.
  const inherited = new Int16Array(frameKind.length).fill(-1);
  for (let s = 0; s < stackParent.length; s++) {
    const frame = stackFrame[s];
    const parent = stackParent[s];
    if (!pseudo[frame]) {
      stackKind[s] = frameKind[frame];
      continue;
    }
    const kind = parent < 0 ? FILE_KIND_USER : stackKind[parent];
    stackKind[s] = kind;
    inherited[frame] = inherited[frame] === FILE_KIND_USER || kind === FILE_KIND_USER ? FILE_KIND_USER : kind;
  }
  for (let f = 0; f < pseudo.length; f++) if (pseudo[f] && inherited[f] >= 0) frameKind[f] = inherited[f];
}

/**
 * A sample stands for the time until its thread was sampled again. Late ticks
 * thus still add up to the real duration, while a long gap (a thread that
 * vanished for a while, samples dropped) is capped so that it cannot inflate
 * one stack. The last sample of a thread gets one interval.
 */
function computeSampleWeights(profile: RawProfile): Float64Array {
  const { sampleTime, sampleThread } = profile;
  const interval = profile.meta.intervalUs > 0 ? profile.meta.intervalUs : 1000;
  const cap = interval * MAX_GAP_INTERVALS;
  const count = sampleTime.length;
  const weight = new Float64Array(count);
  let threadCount = profile.threads.length;
  for (let i = 0; i < count; i++) if (sampleThread[i] >= threadCount) threadCount = sampleThread[i] + 1;
  const lastOfThread = new Int32Array(threadCount).fill(-1);
  for (let i = 0; i < count; i++) {
    const thread = sampleThread[i];
    const previous = lastOfThread[thread];
    if (previous >= 0) {
      const gap = sampleTime[i] - sampleTime[previous];
      weight[previous] = gap < 0 ? 0 : gap > cap ? cap : gap;
    }
    lastOfThread[thread] = i;
  }
  for (const last of lastOfThread) if (last >= 0) weight[last] = interval;
  return weight;
}

/** Gaps longer than this many intervals are not time the stack was seen for. */
const MAX_GAP_INTERVALS = 4;
