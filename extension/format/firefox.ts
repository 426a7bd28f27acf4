/**
 * Export to the Firefox Profiler's Gecko profile format (the JSON Firefox's own
 * profiler writes; profiler.firefox.com processes it on load, upgrading older
 * versions): https://github.com/firefox-devtools/profiler/blob/main/docs-developer/gecko-profile-format.md
 *
 * - One thread per Hotpath thread, each a track (name, tid, pid), with its
 *   samples at their times (ms since `meta.startTime`).
 * - Frames are written as the profiler reads JavaScript frames,
 *   `qualname (file:///path.py:firstLine)` with the sampled line in the frame's
 *   `line`, so its call tree, flame graph and stack chart group by function and
 *   its source view knows the lines.
 * - Categories say whether the thread ran: `Running` (on-CPU) or `Idle`
 *   (waiting; the profiler draws Idle samples as empty in its activity graph).
 *   `threadCPUDelta` carries the same as CPU µs per sample, so the activity
 *   graph's height is the thread's CPU use.
 * - Every sample the view keeps is written (see exportPaths.ts).
 */
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import { createView, DEFAULT_VIEW, visibleStackTree } from '../model/processors';
import { exportPathOf, HIDDEN_PATH, NO_FRAMES_PATH, placeholderName, sourceUrl } from './exportPaths';

/** The Gecko format version written; the profiler upgrades it to its own on load. */
export const GECKO_VERSION = 31;

export const CATEGORY_OTHER = 0;
export const CATEGORY_RUNNING = 1;
export const CATEGORY_IDLE = 2;
const CATEGORIES = [
  { name: 'Other', color: 'grey', subcategories: ['Other'] },
  { name: 'Running', color: 'yellow', subcategories: ['On CPU'] },
  { name: 'Idle', color: 'transparent', subcategories: ['Waiting'] },
];

type FrameRow = [
  location: number,
  relevantForJS: boolean,
  innerWindowID: null,
  implementation: null,
  line: number | null,
  column: null,
  category: number,
  subcategory: number,
];

export interface GeckoThread {
  name: string;
  processType: 'default';
  processName: string;
  pid: number;
  tid: number;
  registerTime: number;
  unregisterTime: number | null;
  markers: {
    schema: { name: 0; startTime: 1; endTime: 2; phase: 3; category: 4; data: 5 };
    data: never[];
  };
  samples: {
    schema: { stack: 0; time: 1; eventDelay: 2; threadCPUDelta: 3 };
    data: [stack: number, time: number, eventDelay: null, threadCPUDelta: number][];
  };
  frameTable: {
    schema: {
      location: 0;
      relevantForJS: 1;
      innerWindowID: 2;
      implementation: 3;
      line: 4;
      column: 5;
      category: 6;
      subcategory: 7;
    };
    data: FrameRow[];
  };
  stackTable: { schema: { prefix: 0; frame: 1 }; data: [prefix: number | null, frame: number][] };
  stringTable: string[];
}

export interface GeckoProfile {
  meta: {
    version: number;
    interval: number;
    startTime: number;
    shutdownTime: number | null;
    profilingStartTime: number;
    profilingEndTime: number;
    processType: 0;
    product: string;
    stackwalk: 0;
    debug: 0;
    gcpoison: 0;
    asyncstack: 0;
    platform: string;
    presymbolicated: true;
    categories: typeof CATEGORIES;
    markerSchema: never[];
    sampleUnits: { time: 'ms'; eventDelay: 'ms'; threadCPUDelta: 'µs' };
  };
  libs: never[];
  pages: never[];
  pausedRanges: never[];
  processes: never[];
  threads: GeckoThread[];
}

/** Per-thread tables: strings, frames and stacks interned as they are first used. */
class ThreadTables {
  readonly thread: GeckoThread;
  private readonly strings = new Map<string, number>();
  private readonly frames = new Map<string, number>();
  private readonly stacks = new Map<string, number>();
  /** (path id, category) → stack index, so a path is walked once per category. */
  readonly pathStacks = new Map<number, number>();

  constructor(name: string, tid: number, pid: number, processName: string) {
    this.thread = {
      name,
      processType: 'default',
      processName,
      pid,
      tid,
      registerTime: 0,
      unregisterTime: null,
      markers: { schema: { name: 0, startTime: 1, endTime: 2, phase: 3, category: 4, data: 5 }, data: [] },
      samples: { schema: { stack: 0, time: 1, eventDelay: 2, threadCPUDelta: 3 }, data: [] },
      frameTable: {
        schema: {
          location: 0,
          relevantForJS: 1,
          innerWindowID: 2,
          implementation: 3,
          line: 4,
          column: 5,
          category: 6,
          subcategory: 7,
        },
        data: [],
      },
      stackTable: { schema: { prefix: 0, frame: 1 }, data: [] },
      stringTable: [],
    };
  }

  string(text: string): number {
    let id = this.strings.get(text);
    if (id === undefined) {
      id = this.thread.stringTable.length;
      this.thread.stringTable.push(text);
      this.strings.set(text, id);
    }
    return id;
  }

  frame(location: string, line: number | null, category: number): number {
    const key = `${location}\0${line}\0${category}`;
    let id = this.frames.get(key);
    if (id === undefined) {
      id = this.thread.frameTable.data.length;
      this.thread.frameTable.data.push([this.string(location), false, null, null, line, null, category, 0]);
      this.frames.set(key, id);
    }
    return id;
  }

  stack(prefix: number | null, frame: number): number {
    const key = `${prefix}:${frame}`;
    let id = this.stacks.get(key);
    if (id === undefined) {
      id = this.thread.stackTable.data.length;
      this.thread.stackTable.data.push([prefix, frame]);
      this.stacks.set(key, id);
    }
    return id;
  }
}

export function toFirefoxProfile(profile: RawProfile, options: ViewOptions = DEFAULT_VIEW): GeckoProfile {
  const view = createView(profile, options);
  const { sampleThread, sampleTime, sampleOnCpu, frameLine, meta } = profile;
  const { frameFunction, functions, sampleWeight } = view.index;
  // Frames are (function, line): a path of frames keeps the line of every caller.
  const paths = visibleStackTree(view, (frame) => frame);
  const processName = meta.argv.join(' ') || `pid ${meta.pid}`;

  // The location string the profiler parses as a JavaScript frame: `name (url:line)`.
  const locations = new Map<number, string>();
  const locationOf = (fn: number): string => {
    let text = locations.get(fn);
    if (text === undefined) {
      const info = functions[fn];
      const url = sourceUrl(info.file, meta.cwd) || '<unknown>';
      text = `${info.name || '<unknown>'} (${url}:${info.firstLine})`;
      locations.set(fn, text);
    }
    return text;
  };

  const tables = new Map<number, ThreadTables>();
  const tablesOf = (thread: number): ThreadTables => {
    let entry = tables.get(thread);
    if (!entry) {
      const info = profile.threads[thread];
      entry = new ThreadTables(info?.name || `thread ${thread}`, info?.tid ?? 0, meta.pid, processName);
      tables.set(thread, entry);
    }
    return entry;
  };
  // A path's stack in one category: every frame carries the sample's category, so that the
  // sample's category (its leaf's) says running or waiting, and a caller's node does too.
  const stackOf = (t: ThreadTables, pathId: number, category: number): number => {
    const key = pathId * 4 + category;
    const known = t.pathStacks.get(key);
    if (known !== undefined) return known;
    let stack: number;
    if (pathId === HIDDEN_PATH || pathId === NO_FRAMES_PATH) {
      stack = t.stack(null, t.frame(placeholderName(pathId), null, category));
    } else {
      const parent = paths.parent[pathId];
      const prefix = parent < 0 ? null : stackOf(t, parent, category);
      const frame = paths.key[pathId];
      stack = t.stack(prefix, t.frame(locationOf(frameFunction[frame]), frameLine[frame] || null, category));
    }
    t.pathStacks.set(key, stack);
    return stack;
  };

  // CPU µs of a running sample: the time since its thread's previous sample (that sample's weight,
  // the same capped gap the rest of Hotpath counts), one interval for a thread's first.
  const previousOfThread = new Map<number, number>();
  for (let i = 0; i < sampleThread.length; i++) {
    const thread = sampleThread[i];
    const previous = previousOfThread.get(thread);
    previousOfThread.set(thread, i);
    if (!view.keep[i]) continue;
    const t = tablesOf(thread);
    const onCpu = sampleOnCpu[i] === 1;
    const category = onCpu ? CATEGORY_RUNNING : CATEGORY_IDLE;
    const cpuUs = onCpu ? (previous === undefined ? meta.intervalUs : sampleWeight[previous]) : 0;
    t.thread.samples.data.push([
      stackOf(t, exportPathOf(view, paths, i), category),
      sampleTime[i] / 1000,
      null,
      Math.round(cpuUs),
    ]);
  }

  const threads = [...tables.keys()].sort((a, b) => a - b).map((t) => (tables.get(t) as ThreadTables).thread);
  const intervalMs = (meta.intervalUs > 0 ? meta.intervalUs : 1000) / 1000;
  return {
    meta: {
      version: GECKO_VERSION,
      interval: intervalMs,
      startTime: meta.startedAt,
      shutdownTime: null,
      profilingStartTime: 0,
      profilingEndTime: meta.durationUs / 1000 + intervalMs,
      processType: 0,
      product: `Hotpath: Python ${meta.pythonVersion}`,
      stackwalk: 0,
      debug: 0,
      gcpoison: 0,
      asyncstack: 0,
      // Where it was recorded: the sampler runs on Linux.
      platform: 'Linux',
      presymbolicated: true,
      categories: CATEGORIES,
      markerSchema: [],
      sampleUnits: { time: 'ms', eventDelay: 'ms', threadCPUDelta: 'µs' },
    },
    libs: [],
    pages: [],
    pausedRanges: [],
    processes: [],
    threads,
  };
}

export function exportFirefoxProfile(profile: RawProfile, options?: ViewOptions): string {
  return JSON.stringify(toFirefoxProfile(profile, options));
}
