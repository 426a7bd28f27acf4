/**
 * Pure processors that turn a profile and the user's view settings into what
 * the builders consume. Sample processors narrow which samples count (process,
 * thread, time range, on-CPU); frame processors decide which frames are hidden
 * (library code, interpreter start-up). Each returns a new array and leaves
 * its input alone, so views of one profile never interfere.
 */
import type { RawProfile } from './rawProfile';
import type { ViewOptions } from './types';
import { FILE_KIND_STARTUP, FILE_KIND_USER, isSiteFile } from './fileKinds';
import type { ClassifyOptions } from './fileKinds';
import { gcFrameMask } from './gcFrame';
import { getIndex } from './profileIndex';
import type { ProfileIndex } from './profileIndex';

/** Wall-clock time, every thread, every frame. */
export const DEFAULT_VIEW: ViewOptions = { mode: 'wall', hideLibrary: false, hideStartup: false };

/** sample → 1 when it counts. */
export type SampleProcessor = (index: ProfileIndex, keep: Uint8Array) => Uint8Array;
/** frame → 1 when it is hidden (merged into its caller). */
export type FrameProcessor = (index: ProfileIndex, hidden: Uint8Array) => Uint8Array;

export function keepThreads(threads: readonly number[]): SampleProcessor {
  const wanted = new Set(threads);
  return ({ profile }, keep) => {
    const out = keep.slice();
    const { sampleThread } = profile;
    for (let i = 0; i < out.length; i++) if (out[i] && !wanted.has(sampleThread[i])) out[i] = 0;
    return out;
  };
}

/** Keeps the samples of one process's threads (a thread without a process is the first one's). */
export function keepProcess(process: number): SampleProcessor {
  return ({ profile }, keep) => {
    const out = keep.slice();
    const inProcess = Uint8Array.from(profile.threads, (t) => ((t.process ?? 0) === process ? 1 : 0));
    const { sampleThread } = profile;
    for (let i = 0; i < out.length; i++) if (out[i] && !inProcess[sampleThread[i]]) out[i] = 0;
    return out;
  };
}

/** Keeps samples with start ≤ time < end (µs since the profile started). */
export function keepRange(start: number, end: number): SampleProcessor {
  return ({ profile }, keep) => {
    const out = keep.slice();
    const { sampleTime } = profile;
    for (let i = 0; i < out.length; i++) {
      const t = sampleTime[i];
      if (out[i] && !(t >= start && t < end)) out[i] = 0;
    }
    return out;
  };
}

/** On-CPU time: drops samples taken while the thread waited. */
export function keepOnCpu(): SampleProcessor {
  return ({ profile }, keep) => {
    const out = keep.slice();
    const { sampleOnCpu } = profile;
    for (let i = 0; i < out.length; i++) if (!sampleOnCpu[i]) out[i] = 0;
    return out;
  };
}

/**
 * GIL time: keeps the samples of the thread that held the GIL, one at a time per interpreter.
 * A profile without the record keeps none (the mode is not offered for it).
 */
export function keepGilHolder(): SampleProcessor {
  return ({ profile }, keep) => {
    const out = keep.slice();
    const { sampleGil } = profile;
    for (let i = 0; i < out.length; i++) if (!sampleGil?.[i]) out[i] = 0;
    return out;
  };
}

/** Keeps samples during which the function (a FunctionStats.key) was on the stack. */
export function keepFunction(functionKey: string): SampleProcessor {
  return ({ profile, functions, frameFunction }, keep) => {
    const out = keep.slice();
    const target = functions.findIndex((f) => f.key === functionKey);
    const { stackParent, stackFrame, sampleStack } = profile;
    // stack → 1 when the function is at or above it; parents come first.
    const through = new Uint8Array(stackParent.length);
    for (let s = 0; s < through.length; s++) {
      const parent = stackParent[s];
      through[s] = frameFunction[stackFrame[s]] === target || (parent >= 0 && through[parent]) ? 1 : 0;
    }
    for (let i = 0; i < out.length; i++) {
      const stack = sampleStack[i];
      if (out[i] && (stack < 0 || !through[stack])) out[i] = 0;
    }
    return out;
  };
}

/** Drops samples with a `site` frame on their stack: start-up work, such as `.pth` files, not the program's. */
export function skipSiteStartup(): SampleProcessor {
  return ({ profile }, keep) => {
    const out = keep.slice();
    const { strings, frameFile, stackParent, stackFrame, sampleStack } = profile;
    const siteFrame = Array.from(frameFile, (file) => isSiteFile(strings[file]));
    // stack → 1 when a site frame is at or above it; parents come first.
    const underSite = new Uint8Array(stackParent.length);
    for (let s = 0; s < underSite.length; s++) {
      const parent = stackParent[s];
      underSite[s] = siteFrame[stackFrame[s]] || (parent >= 0 && underSite[parent]) ? 1 : 0;
    }
    for (let i = 0; i < out.length; i++) {
      const stack = sampleStack[i];
      if (out[i] && stack >= 0 && underSite[stack]) out[i] = 0;
    }
    return out;
  };
}

/** Hides library code: site-packages, dist-packages, the stdlib, `<frozen …>` (start-up frames too). */
export function hideLibraryFrames(): FrameProcessor {
  return ({ frameKind }, hidden) => hidden.map((h, f) => (h || frameKind[f] !== FILE_KIND_USER ? 1 : 0));
}

/** Hides the garbage collector's `<GC>` frame: its time then counts for the line that set it off. */
export function hideGcFrames(): FrameProcessor {
  return ({ profile }, hidden) => {
    const gc = gcFrameMask(profile);
    return hidden.map((h, f) => (h || gc[f] ? 1 : 0));
  };
}

/** Hides the interpreter's start-up frames (runpy, importlib bootstrap). */
export function hideStartupFrames(): FrameProcessor {
  return ({ frameKind }, hidden) => hidden.map((h, f) => (h || frameKind[f] === FILE_KIND_STARTUP ? 1 : 0));
}

/** The processors a ViewOptions stands for, in the order they apply. */
export function processorsFor(options: ViewOptions): {
  samples: SampleProcessor[];
  frames: FrameProcessor[];
} {
  const samples: SampleProcessor[] = [];
  if (options.process !== undefined) samples.push(keepProcess(options.process));
  if (options.threads) samples.push(keepThreads(options.threads));
  if (options.range) samples.push(keepRange(options.range.start, options.range.end));
  if (options.mode === 'cpu') samples.push(keepOnCpu());
  if (options.mode === 'gil') samples.push(keepGilHolder());
  if (options.focus !== undefined) samples.push(keepFunction(options.focus));
  if (options.skipSiteStartup) samples.push(skipSiteStartup());
  const frames: FrameProcessor[] = [];
  if (options.hideLibrary) frames.push(hideLibraryFrames());
  if (options.hideStartup) frames.push(hideStartupFrames());
  if (options.hideGc) frames.push(hideGcFrames());
  return { samples, frames };
}

/**
 * A profile seen through view settings, with the per-stack sums that every
 * builder starts from: samples pointing at the same stack node are added up
 * once here, so builders walk stacks, not samples.
 */
export interface ProfileView {
  index: ProfileIndex;
  profile: RawProfile;
  options: ViewOptions;
  /** sample → 1 when it counts. Samples of threads with no Python frames count only in the timeline. */
  keep: Uint8Array;
  /** frame → 1 when hidden. */
  hidden: Uint8Array;
  /** stack → µs / samples of kept samples whose innermost node it is. */
  stackSelfUs: Float64Array;
  stackSelfSamples: Uint32Array;
  /** Sum over kept samples with Python frames: the denominator of every share. */
  totalUs: number;
  totalSamples: number;
}

export function createView(
  profile: RawProfile,
  options: ViewOptions = DEFAULT_VIEW,
  classify?: ClassifyOptions,
): ProfileView {
  const index = getIndex(profile, classify);
  const { samples, frames } = processorsFor(options);
  let keep: Uint8Array = new Uint8Array(profile.sampleTime.length).fill(1);
  for (const processor of samples) keep = processor(index, keep);
  let hidden: Uint8Array = new Uint8Array(profile.frameFile.length);
  for (const processor of frames) hidden = processor(index, hidden);

  const stackCount = profile.stackParent.length;
  const stackSelfUs = new Float64Array(stackCount);
  const stackSelfSamples = new Uint32Array(stackCount);
  const { sampleStack } = profile;
  const weight = index.sampleWeight;
  let totalUs = 0;
  let totalSamples = 0;
  for (let i = 0; i < keep.length; i++) {
    const stack = sampleStack[i];
    if (!keep[i] || stack < 0) continue;
    stackSelfUs[stack] += weight[i];
    stackSelfSamples[stack]++;
    totalUs += weight[i];
    totalSamples++;
  }
  return { index, profile, options, keep, hidden, stackSelfUs, stackSelfSamples, totalUs, totalSamples };
}

/**
 * stack → nearest ancestor-or-self whose frame is visible, or -1 when every
 * frame up to the root is hidden. Relies on parents preceding children.
 */
export function visibleAncestors(view: ProfileView): Int32Array {
  const { stackParent, stackFrame } = view.profile;
  const out = new Int32Array(stackParent.length);
  for (let s = 0; s < out.length; s++) {
    if (!view.hidden[stackFrame[s]]) out[s] = s;
    else out[s] = stackParent[s] < 0 ? -1 : out[stackParent[s]];
  }
  return out;
}

/**
 * stack → total µs of kept samples at or below it (a stack node is on one
 * path only, so nothing is counted twice).
 */
export function stackTotals(view: ProfileView): { us: Float64Array; samples: Float64Array } {
  const { stackParent } = view.profile;
  const us = Float64Array.from(view.stackSelfUs);
  const samples = Float64Array.from(view.stackSelfSamples);
  for (let s = us.length - 1; s >= 0; s--) {
    const parent = stackParent[s];
    if (parent >= 0) {
      us[parent] += us[s];
      samples[parent] += samples[s];
    }
  }
  return { us, samples };
}

/**
 * The visible stacks as their own prefix tree, keyed by `keyOf(frame)`: two
 * stacks whose visible frames have the same keys all the way to the root get
 * one id, which is what exports aggregate by (a function path for speedscope,
 * a frame path for collapsed stacks). Hiding frames is what makes distinct
 * stacks equal. Ids are dense, parents before children.
 */
export interface VisibleStackTree {
  /** stack → visible path id, or -1 when all of its frames are hidden. */
  ofStack: Int32Array;
  /** path id → parent path id (-1 at the root) and key of its innermost frame. */
  parent: number[];
  key: number[];
  /** path id → a stack whose visible path it is (to read its innermost frame). */
  stack: number[];
}

export function visibleStackTree(view: ProfileView, keyOf: (frame: number) => number): VisibleStackTree {
  const { stackParent, stackFrame } = view.profile;
  const visible = visibleAncestors(view);
  const ofStack = new Int32Array(stackParent.length);
  const tree: VisibleStackTree = { ofStack, parent: [], key: [], stack: [] };
  // Keyed by (parent id, key) as one number; ids and keys stay far below 2^26.
  const children = new Map<number, number>();
  for (let s = 0; s < stackParent.length; s++) {
    if (visible[s] !== s) {
      ofStack[s] = visible[s] < 0 ? -1 : ofStack[visible[s]];
      continue;
    }
    const parentStack = stackParent[s] < 0 ? -1 : visible[stackParent[s]];
    const parent = parentStack < 0 ? -1 : ofStack[parentStack];
    const key = keyOf(stackFrame[s]);
    const packed = (parent + 1) * 67_108_864 + key;
    let id = children.get(packed);
    if (id === undefined) {
      id = tree.parent.length;
      tree.parent.push(parent);
      tree.key.push(key);
      tree.stack.push(s);
      children.set(packed, id);
    }
    ofStack[s] = id;
  }
  return tree;
}
