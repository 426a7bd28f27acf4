/**
 * Export to speedscope's file format (https://www.speedscope.app/file-format-schema.json):
 * frames shared by all profiles, one "sampled" profile per thread, weights in
 * microseconds. A speedscope frame is a function (name, file, first line), so
 * its flame graph merges lines of one function like our call tree does.
 * Consecutive samples of a thread with the same stack are written once with
 * their weights summed, which keeps the time-order view exact and the file small.
 * Every sample the view keeps is written (see exportPaths.ts): the weights add
 * up to the view's time.
 */
import { processesOf, processLabel } from '../model/rawProfile';
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import { createView, DEFAULT_VIEW, visibleStackTree } from '../model/processors';
import { exportPathOf, placeholderName } from './exportPaths';

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
  const { sampleThread, sampleTime } = profile;
  const { frameFunction, functions, sampleWeight } = view.index;
  // Stacks that differ only in lines are one speedscope stack (frames are functions).
  const paths = visibleStackTree(view, (frame) => frameFunction[frame]);

  // Shared frames: one per function that appears, numbered root-first in order of first use;
  // the placeholders are keyed by their (negative) path ids.
  const frames: SpeedscopeFrame[] = [];
  const frameOfFunction = new Map<number, number>();
  const frameIndex = (fn: number): number => {
    let index = frameOfFunction.get(fn);
    if (index === undefined) {
      index = frames.length;
      if (fn < 0) frames.push({ name: placeholderName(fn) });
      else {
        const info = functions[fn];
        frames.push({ name: info.name || '<unknown>', file: info.file, line: info.firstLine });
      }
      frameOfFunction.set(fn, index);
    }
    return index;
  };
  const pathFrames: (number[] | undefined)[] = new Array(paths.parent.length);
  const placeholderFrames = new Map<number, number[]>();
  const framesOf = (path: number): number[] => {
    if (path < 0) {
      let stack = placeholderFrames.get(path);
      if (!stack) placeholderFrames.set(path, (stack = [frameIndex(path)]));
      return stack;
    }
    const pending: number[] = [];
    for (let node = path; node >= 0 && pathFrames[node] === undefined; node = paths.parent[node])
      pending.push(node);
    for (let i = pending.length - 1; i >= 0; i--) {
      const p = pending[i];
      const parent = paths.parent[p];
      const own = frameIndex(paths.key[p]);
      pathFrames[p] = parent < 0 ? [own] : [...(pathFrames[parent] as number[]), own];
    }
    return pathFrames[path] as number[];
  };

  // A profile of several processes names each thread's process too.
  const processes = processesOf(profile);
  const severalProcesses = new Set(profile.threads.map((t) => t.process ?? 0)).size > 1;
  const byThread = new Map<number, { profile: SpeedscopeSampledProfile; lastPath: number | null }>();
  for (let i = 0; i < sampleThread.length; i++) {
    if (!view.keep[i]) continue;
    const path = exportPathOf(view, paths, i);
    const thread = sampleThread[i];
    let entry = byThread.get(thread);
    if (!entry) {
      const info = profile.threads[thread];
      const process = severalProcesses && info ? processes[info.process ?? 0] : undefined;
      const name =
        (process ? `${processLabel(process)} · ` : '') +
        (info ? `${info.name || 'thread'} (tid ${info.tid})` : `thread ${thread}`);
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
        lastPath: null, // placeholder paths are negative
      };
      byThread.set(thread, entry);
    }
    // Consecutive samples on one path become one sample with their weights summed.
    const out = entry.profile;
    if (entry.lastPath === path) out.weights[out.weights.length - 1] += sampleWeight[i];
    else {
      out.samples.push(framesOf(path));
      out.weights.push(sampleWeight[i]);
      entry.lastPath = path;
    }
  }

  const threads = [...byThread.keys()].sort((a, b) => a - b);
  const profiles = threads.map((t) => (byThread.get(t) as { profile: SpeedscopeSampledProfile }).profile);
  for (const p of profiles) {
    // Nanosecond precision is all the sampler has; shorter numbers also write faster.
    for (let k = 0; k < p.weights.length; k++) p.weights[k] = Math.round(p.weights[k] * 1000) / 1000;
    p.endValue = p.startValue + p.weights.reduce((sum, w) => sum + w, 0);
  }
  const main = threads.findIndex((t) => profile.threads[t]?.isMain);
  return {
    $schema: SPEEDSCOPE_SCHEMA,
    version: FORMAT_VERSION,
    name: profile.meta.argv.join(' ') || 'Hotpath profile',
    activeProfileIndex: Math.max(0, main),
    shared: { frames },
    profiles,
  };
}

/**
 * The file as JSON text. Samples share their stack arrays (one per distinct
 * path), so each array is serialised once and reused, instead of letting
 * JSON.stringify walk it again for every sample.
 */
export function exportSpeedscope(profile: RawProfile, options?: ViewOptions): string {
  const file = toSpeedscope(profile, options);
  const stackText = new Map<number[], string>();
  const textOf = (stack: number[]): string => {
    let text = stackText.get(stack);
    if (text === undefined) stackText.set(stack, (text = `[${stack.join(',')}]`));
    return text;
  };
  const profiles = file.profiles.map((p) => {
    const { samples, weights, ...head } = p;
    const headText = JSON.stringify(head).slice(0, -1);
    return `${headText},"samples":[${samples.map(textOf).join(',')}],"weights":[${weights.join(',')}]}`;
  });
  const { profiles: _profiles, ...top } = file;
  return `${JSON.stringify(top).slice(0, -1)},"profiles":[${profiles.join(',')}]}`;
}
