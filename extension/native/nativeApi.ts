/**
 * Types of the native addon's surface (native/binding.cc). The addon is
 * loaded by `loadNative()` in ./loadNative.ts; nothing else touches it
 * directly, so this file is the contract between C++ and TypeScript.
 */
import type { NativeProcessRecord } from '../format/processRecord';
import type { RawProfile } from '../model/rawProfile';

export interface NativeSamplerOptions {
  /** Sampling interval in µs: 50 (20 kHz) to 1_000_000 (1 Hz). */
  intervalUs: number;
  /** Append-only spill file written while sampling (see docs/spill-format.md). */
  spillPath?: string;
  /** How long to wait for the interpreter to initialise (ms). Default 10_000. */
  startTimeoutMs?: number;
  /** Stack depth cap; deeper stacks are cut and marked. Default 4096. */
  maxDepth?: number;
  /**
   * The process was already running (attach): if it has no interpreter loaded and is not loading
   * one, ready() rejects with HOTPATH_NOT_PYTHON at once instead of waiting startTimeoutMs.
   */
  existingProcess?: boolean;
  /**
   * Also sample every process started under `pid`, at any depth and through processes that are
   * not Python (a shell, make); `pid` itself need not be Python then. Sampling ends when all of
   * them have exited (or at finish()); ready() resolves with the first Python process found and
   * rejects (HOTPATH_NOT_PYTHON) at the end when none was.
   */
  followChildren?: boolean;
  /**
   * Also record each event loop's asyncio tasks with every sample (CPython 3.14+; ignored on older
   * versions): each task gets a lane of its own (`ThreadInfo.loopThread`), see README "asyncio".
   */
  asyncTasks?: boolean;
  /** Called about 4 times a second on the JS thread. */
  onProgress?: (progress: NativeProgress) => void;
}

export interface NativeProgress {
  elapsedUs: number;
  ticks: number;
  samples: number;
  threads: number;
  droppedSamples: number;
  lateTicks: number;
  /** False once the target process has gone away (sampling has stopped by itself). */
  targetAlive: boolean;
}

export interface TargetInfo {
  pid: number;
  /** "3.12.1" */
  pythonVersion: string;
  /** The mapped interpreter binary or libpython that was found. */
  pythonBinary: string;
}

/**
 * What `finish()` resolves with: the columns and tables of RawProfile as the
 * engine interned them; the JS side adds the rest of ProfileMeta.
 */
export interface NativeProfile extends Omit<RawProfile, 'meta' | 'processes'> {
  /** Every process followed (one, the target, when children are not followed). */
  processes: NativeProcessRecord[];
  pythonVersion: string;
  pythonBinary: string;
  /** ms since the Unix epoch at the first tick. */
  startedAt: number;
  durationUs: number;
  intervalUs: number;
  pid: number;
}

export interface NativeSampler {
  /**
   * Resolves once the interpreter was found and sampling runs; rejects with a
   * coded error (not Python, unsupported version, permission, timeout, exited).
   */
  ready(): Promise<TargetInfo>;
  /**
   * Stops sampling (if the target has not already gone) and resolves with
   * everything sampled. Safe to call at any time, including after a failed
   * ready() (it then resolves with an empty profile) and more than once.
   */
  finish(): Promise<NativeProfile>;
}

/** One frame of a stack read by dumpStacks. */
export interface NativeDumpFrame {
  /** Qualified name on 3.11+, the code object's name before. */
  function: string;
  file: string;
  /** 0 when unknown. */
  line: number;
  firstLine: number;
}

export interface NativeDumpThread {
  /** threading.get_ident(), as text: it exceeds 2^53. */
  ident: string;
  /** OS thread id, 0 when unknown. */
  tid: number;
  /** threading's name, else the OS thread name, else "". */
  name: string;
  isMain: boolean;
  /** Holds the GIL, or the kernel says running or ready to run (the sampler's on-CPU flag). */
  running: boolean;
  holdsGil: boolean;
  /** Deeper than maxDepth: `frames` holds the innermost part. */
  truncated: boolean;
  /** Innermost first. */
  frames: NativeDumpFrame[];
}

/** An asyncio task (CPython 3.14+), read by dumpStacks with `async`. */
export interface NativeDumpTask {
  /** The Task object's address, as hexadecimal text: what `awaitedBy` refers to. */
  id: string;
  /** Task.get_name(). */
  name: string;
  running: boolean;
  /** The thread running it (threading.get_ident(), as text); "0" when suspended. */
  threadIdent: string;
  /** Running: down to the executing frame; suspended: its coroutines. Innermost first. */
  frames: NativeDumpFrame[];
  /** Ids of the tasks that await it. */
  awaitedBy: string[];
}

/** What dumpStacks resolves with: every thread's stack, read once. */
export interface NativeStackDump {
  pid: number;
  pythonVersion: string;
  pythonBinary: string;
  /** The main thread first, then by OS thread id. */
  threads: NativeDumpThread[];
  /** Threads whose stack kept changing under every read: left out. */
  droppedThreads: number;
  /** With `async`: asyncio's pending tasks. */
  tasks?: NativeDumpTask[];
  /** With `async`: why there are no tasks to read (asyncio not imported), else "". */
  tasksNote?: string;
}

/** Who sent the last signal of a kind (see recordSignalOrigin). */
export interface SignalOrigin {
  /** Signals recorded so far; 0 when none (pid and code are then unset). */
  count: number;
  /** The sender's pid; 0 when the kernel sent it (a terminal's Ctrl-C or hang-up). */
  pid: number;
  /** siginfo's si_code: 0 (SI_USER) for kill(), 128 (SI_KERNEL) for the terminal, … */
  code: number;
}

export interface NativeModule {
  /** Starts the sampling thread at once; it waits for the interpreter. */
  Sampler: new (pid: number, options: NativeSamplerOptions) => NativeSampler;
  /**
   * Records the sender of every `signum` from now on, in front of Node's own handler (install
   * that first, with process.on); false, changing nothing, when there is none. Linux.
   */
  recordSignalOrigin(signum: number): boolean;
  /** The sender of the last `signum` received since recordSignalOrigin. */
  lastSignalOrigin(signum: number): SignalOrigin;
  /**
   * Reads every thread's current stack of a running CPython process once, on a worker thread; the
   * process is never stopped or signalled. Rejects with HOTPATH_NO_PROCESS, HOTPATH_NOT_PYTHON,
   * HOTPATH_UNSUPPORTED_VERSION or HOTPATH_PERMISSION (the message says how to allow it).
   * `async`: asyncio's tasks too (CPython 3.14+; HOTPATH_UNSUPPORTED_VERSION before, or with
   * "ifSupported" a `tasksNote` saying so).
   */
  dumpStacks(
    pid: number,
    options?: { maxDepth?: number; async?: boolean | 'ifSupported' },
  ): Promise<NativeStackDump>;
  /** Addon build information, for `hotpath --version` and bug reports. */
  version: string;
}
