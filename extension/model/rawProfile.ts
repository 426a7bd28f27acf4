/**
 * The profile as the native sampler hands it over: columnar typed arrays plus
 * a string table. This is the one shape shared by the sampler, the spill-file
 * reader, the profile-file loader and every model builder, so that a million
 * samples stay a handful of allocations instead of a million objects.
 *
 * Identity rules (the model relies on them):
 * - a *frame* is (file, name, line, firstLine): one source line inside one function;
 * - a *function* is (file, name, firstLine);
 * - a *stack* is a node of a prefix tree: `stackParent[i]` is the caller's
 *   stack (-1 at the root, i.e. the outermost frame) and `stackFrame[i]` the
 *   frame at that depth. A sample points at its innermost stack node. A
 *   parent always precedes its children (`stackParent[i] < i`), so builders
 *   walk the tree in one forward or backward pass.
 */
import type { TimeMode } from './types';

export interface RawProfile {
  /** Strings referenced by index from the frame and thread tables. */
  strings: string[];

  /** Frame table: indices into `strings` for file and (qualified) name. */
  frameFile: Uint32Array;
  frameName: Uint32Array;
  /** Current line of the frame (0 when unknown). */
  frameLine: Uint32Array;
  /** First line of the function (co_firstlineno). */
  frameFirstLine: Uint32Array;

  /** Stack prefix tree. */
  stackParent: Int32Array;
  stackFrame: Uint32Array;

  /** Samples, one entry per (tick, thread). Times are µs since `meta.startedAt`. */
  sampleTime: Float64Array;
  /** Index into `threads`. */
  sampleThread: Uint32Array;
  /** Innermost stack node, or -1 for a thread with no Python frames. */
  sampleStack: Int32Array;
  /** 1 when the thread was running on a CPU at that instant, 0 when waiting. */
  sampleOnCpu: Uint8Array;
  /**
   * 1 when the thread held the GIL at that instant; absent in a profile that predates the record
   * (such a profile has no GIL mode).
   */
  sampleGil?: Uint8Array;

  threads: ThreadInfo[];
  /**
   * The processes followed (the program and every process started under it), in the order they
   * were found; absent in a profile of one process (see `processesOf`).
   */
  processes?: ProcessInfo[];
  meta: ProfileMeta;
  stats: SamplerStats;
}

/**
 * One program image: a process from its start (or from when it was found) to its exit, or to an
 * exec that replaced its program (the same pid then has a second entry).
 */
export interface ProcessInfo {
  pid: number;
  /** The OS parent pid. */
  ppid: number;
  /** Index of the parent's entry in `processes`; -1 for the first process. */
  parent: number;
  argv: string[];
  /** The CPython version sampled in it; "" when none was (see `note`). */
  pythonVersion: string;
  /** µs since `meta.startedAt` (0 for a process already running then). */
  startUs: number;
  /** µs since `meta.startedAt`; null when it still ran when sampling ended. */
  endUs: number | null;
  /** Exit code, or null when it died of a signal, still ran, or its status is not known. */
  exitCode: number | null;
  /** Signal name when it died of a signal. */
  exitSignal: string | null;
  /** True when it ended by exec'ing another program (the next entry with its pid). */
  execed?: boolean;
  /** Why it was not sampled ("not CPython (/bin/bash)", an unsupported version, …). */
  note?: string;
}

export interface ThreadInfo {
  /** OS thread id (TID); 0 when it could not be read. */
  tid: number;
  /** Python's `threading.get_ident()` value as a decimal string (it does not fit a double). */
  ident: string;
  /** Best available name: the Python thread name, else the OS thread name. */
  name: string;
  /** True for the interpreter's main thread. */
  isMain: boolean;
  /** Index into `RawProfile.processes`; absent (0) in a profile of one process. */
  process?: number;
  /**
   * An asyncio task's lane (recorded with `--async`, CPython 3.14+): the index of the thread whose
   * event loop runs the task. Absent for a thread. The lane's `name` is the task's, its `ident`
   * the Task object's address, its `tid` the loop thread's.
   */
  loopThread?: number;
}

export interface ProfileMeta {
  /** Wall-clock start of sampling, ms since the Unix epoch. */
  startedAt: number;
  /** Sampling duration in µs (first tick to last tick). */
  durationUs: number;
  /** Requested sampling interval in µs. */
  intervalUs: number;
  pid: number;
  /** The profiled command line, as given. */
  argv: string[];
  /** Interpreter path and version, e.g. "3.12.1". */
  pythonPath: string;
  pythonVersion: string;
  /** Exit code of the program, or null when it was attached to or killed by a signal. */
  exitCode: number | null;
  /** Signal name when the program died of a signal. */
  exitSignal: string | null;
  cwd: string;
  /** True when rebuilt from a spill file of a sampler that did not finish. */
  recovered?: boolean;
  /** True for the samples so far of a program still running (a live snapshot; never saved). */
  live?: boolean;
  /**
   * µs after sampling began from which the samples count: a Reset during the run dropped the
   * ones before (times and `startedAt` are then counted from the reset). Absent without a Reset.
   */
  countedFromUs?: number;
  /**
   * The time mode the run was asked for (`hotpath run --mode`, the `hotpath.timeMode` setting):
   * what a view of it starts in. Every mode's data is recorded whatever it says; absent: wall.
   */
  mode?: TimeMode;
}

export interface SamplerStats {
  /** Ticks taken (each tick samples every thread). */
  ticks: number;
  /** Samples recorded (ticks × threads seen). */
  samples: number;
  /** Ticks that started later than their deadline by more than one interval. */
  lateTicks: number;
  /** Thread samples dropped because a read was torn or invalid. */
  droppedSamples: number;
  /** Mean wall-clock cost of one tick, µs. */
  meanTickCostUs: number;
  /** Largest stack depth seen, and how many stacks hit the depth cap. */
  maxDepth: number;
  truncatedStacks: number;
  /**
   * Samples whose innermost frames had already returned while the stack was read: those frames
   * were cut off and the caller shown where it was (absent when none).
   */
  returnedFramesCut?: number;
  /**
   * droppedSamples by why each was dropped (model/dropReasons.ts names the reasons); absent when
   * none was dropped or the profile predates the count.
   */
  droppedByReason?: Record<string, number>;
  /**
   * µs after the first tick at which sampling, lowered to nice 19 for a multi-threaded program,
   * went back to normal priority because every core was busy (from then on it took its share of a
   * core from the program to sample on time); absent when it never had to.
   */
  normalPrioritySinceUs?: number;
}

/**
 * The profile's processes: its own list, or, for a profile of one process, that process as the
 * meta describes it.
 */
export function processesOf(profile: Pick<RawProfile, 'processes' | 'meta'>): ProcessInfo[] {
  if (profile.processes && profile.processes.length > 0) return profile.processes;
  const { meta } = profile;
  return [
    {
      pid: meta.pid,
      ppid: 0,
      parent: -1,
      argv: meta.argv,
      pythonVersion: meta.pythonVersion,
      startUs: 0,
      endUs: meta.durationUs,
      exitCode: meta.exitCode,
      exitSignal: meta.exitSignal,
    },
  ];
}

/** A short name for a process: `pid 1234 (worker.py)`, the script or program it runs. */
export function processLabel(process: Pick<ProcessInfo, 'pid' | 'argv'>): string {
  const { argv } = process;
  let what = argv[0] ?? '';
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-c') {
      what = `${what} -c`;
      break;
    }
    if (arg === '-m') {
      what = argv[i + 1] ?? what;
      break;
    }
    if (!arg.startsWith('-')) {
      what = arg;
      break;
    }
  }
  const base = what.slice(what.lastIndexOf('/') + 1);
  return base ? `pid ${process.pid} (${base})` : `pid ${process.pid}`;
}

/** The numeric columns of a RawProfile while they are being built, as plain or typed arrays. */
export interface RawColumns {
  frameFile: ArrayLike<number>;
  frameName: ArrayLike<number>;
  frameLine: ArrayLike<number>;
  frameFirstLine: ArrayLike<number>;
  stackParent: ArrayLike<number>;
  stackFrame: ArrayLike<number>;
  sampleTime: ArrayLike<number>;
  sampleThread: ArrayLike<number>;
  sampleStack: ArrayLike<number>;
  sampleOnCpu: ArrayLike<number>;
}

/** A RawProfile from columns collected one entry at a time (each is copied into its typed array). */
export function rawProfileFromColumns(
  columns: RawColumns,
  rest: Pick<RawProfile, 'strings' | 'threads' | 'meta' | 'stats' | 'processes'>,
): RawProfile {
  return {
    strings: rest.strings,
    frameFile: Uint32Array.from(columns.frameFile),
    frameName: Uint32Array.from(columns.frameName),
    frameLine: Uint32Array.from(columns.frameLine),
    frameFirstLine: Uint32Array.from(columns.frameFirstLine),
    stackParent: Int32Array.from(columns.stackParent),
    stackFrame: Uint32Array.from(columns.stackFrame),
    sampleTime: Float64Array.from(columns.sampleTime),
    sampleThread: Uint32Array.from(columns.sampleThread),
    sampleStack: Int32Array.from(columns.sampleStack),
    sampleOnCpu: Uint8Array.from(columns.sampleOnCpu),
    threads: rest.threads,
    ...(rest.processes ? { processes: rest.processes } : {}),
    meta: rest.meta,
    stats: rest.stats,
  };
}
