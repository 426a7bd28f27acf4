/**
 * Export to speedscope's file format (https://www.speedscope.app/file-format-schema.json):
 * frames shared by all profiles, one "sampled" profile per thread, weights in
 * microseconds. A speedscope frame is a function (name, file, first line), so
 * its flame graph merges lines of one function like our call tree does.
 * Consecutive samples of a thread with the same stack are written once with
 * their weights summed, which keeps the time-order view exact and the file small.
 */
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import { createView, DEFAULT_VIEW, visibleAncestors } from '../model/processors';

export const SPEEDSCOPE_SCHEMA = 'https://www.speedscope.app/file-format-schema.json';

export interface SpeedscopeFrame {
  name: string;
  file?: string;
  line?: number;
  col?: number;
}

export interface SpeedscopeSampledProfile {
  type: 'sampled';
  name: string;
  unit: 'microseconds';
  startValue: number;
  endValue: number;
  samples: number[][];
  weights: number[];
}

export interface SpeedscopeFile {
  $schema: typeof SPEEDSCOPE_SCHEMA;
  version: string;
  name: string;
  activeProfileIndex: number;
  shared: { frames: SpeedscopeFrame[] };
  profiles: SpeedscopeSampledProfile[];
}

/** Version of the speedscope format written (its schema's `version`). */
const FORMAT_VERSION = '0.7.1';

export function toSpeedscope(profile: RawProfile, options: ViewOptions = DEFAULT_VIEW): SpeedscopeFile {
  const view = createView(profile, options);
  const { stackParent, stackFrame, sampleThread, sampleStack, sampleTime } = profile;
  const { frameFunction, functions, sampleWeight } = view.index;
  const visible = visibleAncestors(view);

  // Shared frames: one per function that appears, in order of first use.
  const frames: SpeedscopeFrame[] = [];
  const frameOfFunction = new Map<number, number>();
  const frameIndex = (fn: number): number => {
    let index = frameOfFunction.get(fn);
    if (index === undefined) {
      index = frames.length;
      const info = functions[fn];
      frames.push({ name: info.name || '<unknown>', file: info.file, line: info.firstLine });
      frameOfFunction.set(fn, index);
    }
    return index;
  };
  const stackCache = new Map<number, number[]>();
  const byPath = new Map<string, number[]>();
  const stackOf = (stack: number): number[] => {
    let path = stackCache.get(stack);
    if (!path) {
      const nodes: number[] = [];
      for (let node = stack; node >= 0; node = stackParent[node] < 0 ? -1 : visible[stackParent[node]]) {
        nodes.push(node);
      }
      // Root first, and frames numbered in that order so the output reads top-down.
      const frameIds = nodes.reverse().map((node) => frameIndex(frameFunction[stackFrame[node]]));
      // Stacks that differ only in lines are one speedscope stack: share the
      // array so that consecutive samples on it merge.
      const key = frameIds.join(',');
      path = byPath.get(key);
      if (!path) byPath.set(key, (path = frameIds));
      stackCache.set(stack, path);
    }
    return path;
  };

  const byThread = new Map<number, { profile: SpeedscopeSampledProfile; lastPath: number[] | null }>();
  for (let i = 0; i < sampleStack.length; i++) {
    const raw = sampleStack[i];
    if (!view.keep[i] || raw < 0 || visible[raw] < 0) continue;
    const stack = visible[raw];
    const thread = sampleThread[i];
    let entry = byThread.get(thread);
    if (!entry) {
      const info = profile.threads[thread];
      const name = info ? `${info.name || 'thread'} (tid ${info.tid})` : `thread ${thread}`;
      entry = {
        profile: {
          type: 'sampled',
          name,
          unit: 'microseconds',
          startValue: sampleTime[i],
          endValue: sampleTime[i],
          samples: [],
          weights: [],
        },
        lastPath: null,
      };
      byThread.set(thread, entry);
    }
    const out = entry.profile;
    const weight = sampleWeight[i];
    const path = stackOf(stack);
    if (entry.lastPath === path) out.weights[out.weights.length - 1] += weight;
    else {
      out.samples.push(path);
      out.weights.push(weight);
      entry.lastPath = path;
    }
  }

  const profiles = [...byThread.entries()].sort((a, b) => a[0] - b[0]).map(([, entry]) => entry.profile);
  for (const p of profiles) p.endValue = p.startValue + p.weights.reduce((sum, w) => sum + w, 0);
  const main = [...byThread.keys()].sort((a, b) => a - b).findIndex((t) => profile.threads[t]?.isMain);
  return {
    $schema: SPEEDSCOPE_SCHEMA,
    version: FORMAT_VERSION,
    name: profile.meta.argv.join(' ') || 'Hotpath profile',
    activeProfileIndex: Math.max(0, main),
    shared: { frames },
    profiles,
  };
}

export function exportSpeedscope(profile: RawProfile, options?: ViewOptions): string {
  return JSON.stringify(toSpeedscope(profile, options));
}
