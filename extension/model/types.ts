/**
 * Shapes the model derives from a RawProfile. Builders live beside this file
 * (lineTable.ts, callTree.ts, functionTable.ts, timeline.ts, processors.ts);
 * the editor, the panel, the exports and the CLI all consume these shapes.
 * Times are in µs. "Total" counts a sample once per node/line/function even
 * when it appears several times on the stack (recursion).
 */

/**
 * Which samples count: all (wall-clock), only those where the thread ran (on-CPU), or only those
 * where the thread held the GIL (GIL: a profile that recorded the holder, `hasGilData`).
 */
export type TimeMode = 'wall' | 'cpu' | 'gil';

/** Options every builder takes; produced by the processors from user settings. */
/**
 * Which samples count: the time mode, the threads and the time range. The one definition behind
 * the model's ViewOptions and the panel's FilterState (views/protocol.ts), which add what each
 * shows of them.
 */
export interface SampleFilter {
  mode: TimeMode;
  /** Keep only these thread indices (undefined = all). */
  threads?: number[];
  /**
   * Keep only the threads of this process (an index into `RawProfile.processes`; undefined = every
   * process, their times added up).
   */
  process?: number;
  /** Keep only samples with start ≤ time < end (µs since the start of sampling). */
  range?: { start: number; end: number };
}

/** A profile seen through a SampleFilter and the frames it hides: what a ProfileView is made of. */
export interface ViewOptions extends SampleFilter {
  /** Hide library frames (site-packages, stdlib) by merging them into their caller. */
  hideLibrary: boolean;
  /** Hide interpreter start-up frames (runpy, <frozen …>). */
  hideStartup: boolean;
  /**
   * Leave out the samples taken while `site` ran (with what it runs: `.pth` files), the
   * interpreter's start-up before the program. For reading (the CLI's text tree); exports keep
   * every sample.
   */
  skipSiteStartup?: boolean;
  /** Keep only samples with this function (a FunctionStats.key) on the stack. */
  focus?: string;
  /** Hide the garbage collector's `<GC>` frames: its time goes to the line that set it off. */
  hideGc?: boolean;
}

export interface LineStats {
  line: number;
  selfUs: number;
  totalUs: number;
  selfSamples: number;
  totalSamples: number;
}

/** file → line → stats; files keyed by the path as the profile recorded it. */
export interface LineTable {
  /** Total µs of all samples kept (the denominator of every share). */
  totalUs: number;
  files: Map<string, Map<number, LineStats>>;
}

export interface FunctionStats {
  /** Stable key: `${file}\0${name}\0${firstLine}`. */
  key: string;
  file: string;
  name: string;
  firstLine: number;
  selfUs: number;
  totalUs: number;
  /** Samples in which the function was on the stack (once per sample). */
  samples: number;
  isLibrary: boolean;
}

/** Call tree in flat arrays: node 0 is the root (no frame). */
export interface CallTree {
  totalUs: number;
  nodes: CallTreeNode[];
}

export interface CallTreeNode {
  id: number;
  parent: number; // -1 for the root
  children: number[]; // sorted by totalUs, descending
  /** Function identity of the node (pyinstrument merges children by it). */
  file: string;
  name: string;
  firstLine: number;
  /** Same key as FunctionStats.key ('' for the root). */
  functionKey: string;
  /** The line in this function where it called the child / was sampled (most sampled). */
  line: number;
  selfUs: number;
  totalUs: number;
  selfSamples: number;
  totalSamples: number;
  /** Library or start-up code (see classifyFile). */
  isLibrary: boolean;
  /** For a node standing for several hidden frames: how many were collapsed. */
  hiddenFrames: number;
}

/** One lane per thread: run-length segments of what the thread did. */
export interface TimelineLane {
  thread: number;
  name: string;
  /** [start, end) in µs, onCpu, innermost function key (or '' when idle with no frames). */
  segments: { start: number; end: number; onCpu: boolean; functionKey: string }[];
}
