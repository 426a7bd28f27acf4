/**
 * One profiling run: a program spawned (or a process attached to) with the
 * native sampler reading it from the first instant, until it exits or is
 * stopped. No `vscode` import: the CLI and the extension's runner share it.
 *
 *   const session = ProfileSession.spawn({ argv: [python, 'app.py'], cwd, env, stdio: 'inherit' });
 *   session.on('ready', (target) => …);      // interpreter found, sampling runs
 *   session.on('progress', (progress) => …); // about 4×/s
 *   session.on('samplerError', (error) => …); // sampling failed; the program keeps running
 *   session.stop();                           // SIGINT, then SIGTERM, then SIGKILL after grace periods
 *   session.signal('SIGTERM');                // pass one signal on to the program, as it is
 *   const { profile, samplerError, exitCode, exitSignal } = await session.result;
 *
 *   ProfileSession.attach({ pid, durationS: 10 }) — sample an existing process; `stop()` ends
 *   sampling (never signals the process), so does the duration or the process exiting.
 *
 * `result` never rejects: whatever was sampled until a crash or kill of the program is in
 * `profile` (empty when nothing could be sampled; read back from the spill file when the sampler
 * itself failed at the end), and a sampler failure is in `samplerError`.
 * Only spawning itself can fail, with a HotpathError from `spawn()`'s `result`
 * (`HOTPATH_SPAWN_FAILED`).
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import { readSpill } from '../format/spillReader';
import type { RawProfile } from '../model/rawProfile';
import type { NativeModule, NativeProgress, NativeSampler, TargetInfo } from '../native/nativeApi';
import { loadNative } from '../native/loadNative';
import { HotpathError, toHotpathError } from './errors';
import { emptyRawProfile, rawFromNative, type SessionMeta } from './rawFromNative';

export const DEFAULT_INTERVAL_US = 1000;
/** Between SIGINT and SIGTERM, and between SIGTERM and SIGKILL: Stop takes under a second. */
export const DEFAULT_STOP_GRACE_MS = 400;

interface SamplingOptions {
  /** Sampling interval, µs (default 1000: 1 kHz). */
  intervalUs?: number;
  /** Spill file path (see docs/spill-format.md); the caller deletes it when done. */
  spillPath?: string;
  startTimeoutMs?: number;
  maxDepth?: number;
  /**
   * Also sample every process started under the program, at any depth (default false). A
   * spawned program's run then lasts until the last of them exits (or stop()).
   */
  followChildren?: boolean;
  /** Record asyncio tasks with each sample (CPython 3.14+; NativeSamplerOptions.asyncTasks). */
  asyncTasks?: boolean;
  /** The addon; loaded with loadNative() when omitted. */
  native?: NativeModule;
}

export interface SpawnOptions extends SamplingOptions {
  /** Program and arguments, e.g. [pythonPath, 'script.py', '--flag']. */
  argv: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Default 'inherit': the program reads and writes the caller's terminal. */
  stdio?: StdioOptions;
  /** The checked interpreter, when known before spawning (recorded in the profile). */
  interpreter?: { path: string; version: string };
  stopGraceMs?: number;
  /**
   * Start the program in a session (and process group) of its own, so that a signal sent to the
   * caller's process group does not reach it: the caller passes signals on with signal(). Only
   * for a caller that is not in the foreground of a terminal: the program would lose it.
   */
  ownSession?: boolean;
}

export interface AttachOptions extends SamplingOptions {
  pid: number;
  /** Stop sampling after this many seconds (default: until the process exits or stop()). */
  durationS?: number;
}

export interface SessionResult {
  /** Everything sampled; empty when sampling never started. */
  profile: RawProfile;
  /** Why sampling failed or was cut short, or null. */
  samplerError: HotpathError | null;
  /** The program's exit code, or null (attached, or killed by a signal). */
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  /** What the sampler found, or null when it never found the interpreter. */
  target: TargetInfo | null;
  /** True when the program ended before its interpreter could be sampled (not an error). */
  exitedBeforeSampling: boolean;
  /** performance.now() when the spawned program exited (undefined when attached). */
  exitedAt?: number;
}

interface SessionEvents {
  ready: [TargetInfo];
  progress: [NativeProgress];
  samplerError: [HotpathError];
}

export class ProfileSession extends EventEmitter<SessionEvents> {
  /** The spawned program, or undefined when attached. */
  readonly child: ChildProcess | undefined;
  readonly result: Promise<SessionResult>;

  private sampler: NativeSampler | undefined;
  private target: TargetInfo | null = null;
  private samplerError: HotpathError | null = null;
  private finishing: Promise<RawProfile> | undefined;
  /** Settles once ready()'s outcome has been handled. */
  private startSettled: Promise<void> = Promise.resolve();
  private spillPath: string | undefined;
  private stopTimers: NodeJS.Timeout[] = [];
  private exited = false;
  /** stop() was asked while the program ran: its end ends the run, whatever it started. */
  private stopAsked = false;
  /** ready() failed only because the spawned program had already exited. */
  private startEndedByExit = false;
  private readonly startedAt = Date.now();

  private constructor(
    readonly pid: number,
    private readonly meta: Omit<SessionMeta, 'exitCode' | 'exitSignal'>,
    private readonly intervalUs: number,
    private readonly stopGraceMs: number,
    child: ChildProcess | undefined,
    run: (session: ProfileSession) => Promise<SessionResult>,
  ) {
    super();
    this.child = child;
    this.result = run(this);
  }

  /** Spawns `argv` and starts sampling it at once. */
  static spawn(options: SpawnOptions): ProfileSession {
    const [command, ...args] = options.argv;
    if (!command)
      throw new HotpathError('HOTPATH_BAD_ARGUMENT', 'Nothing to run: the command line is empty.');
    const cwd = path.resolve(options.cwd ?? process.cwd());
    const child = spawn(command, args, {
      cwd,
      env: options.env ?? process.env,
      stdio: options.stdio ?? 'inherit',
      detached: options.ownSession === true, // setsid(): its own session and process group
    });
    const meta = {
      argv: options.argv,
      cwd,
      pythonPath: options.interpreter?.path ?? '',
      pythonVersion: options.interpreter?.version ?? '',
    };
    const intervalUs = options.intervalUs ?? DEFAULT_INTERVAL_US;
    const exit = waitForExit(child, command);
    return new ProfileSession(
      child.pid ?? 0,
      meta,
      intervalUs,
      options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
      child,
      async (session) => {
        // libuv reports a failed exec (ENOENT, EACCES) as an 'error' event with no pid.
        // (waitForExit rejects with HOTPATH_SPAWN_FAILED then).
        if (child.pid === undefined) await exit;
        session.startSampler(options);
        const { code, signal, at } = await exit;
        session.exited = true;
        session.clearStopTimers();
        // Processes it started may outlive it: their samples are part of the run, unless the
        // user stopped the run (then it ends with the program; they are left running).
        if (options.followChildren && session.stopAsked) session.endSampling();
        else if (options.followChildren) await keepingAlive(session.samplerDone);
        const profile = await session.finish({ exitCode: code, exitSignal: signal });
        return { ...session.buildResult(profile, code, signal), exitedAt: at };
      },
    );
  }

  /** Samples an already running process (never signals it). */
  static attach(options: AttachOptions): ProfileSession {
    const meta = {
      argv: readCmdline(options.pid),
      cwd: readCwd(options.pid),
      pythonPath: '',
      pythonVersion: '',
    };
    const intervalUs = options.intervalUs ?? DEFAULT_INTERVAL_US;
    return new ProfileSession(options.pid, meta, intervalUs, 0, undefined, async (session) => {
      const ended = new Promise<void>((resolve) => {
        session.attachEnd = resolve;
        session.on('progress', (p) => {
          if (!p.targetAlive) resolve();
        });
      });
      // Also notice the process going away by itself, whatever the sampler reports (the
      // processes it started, when followed, may outlive it: the sampler says when they are gone).
      const watch = setInterval(() => {
        if (!options.followChildren && !processExists(options.pid)) session.attachEnd();
      }, 250);
      session.startSampler(options);
      const timer =
        options.durationS !== undefined
          ? setTimeout(() => session.attachEnd(), options.durationS * 1000)
          : undefined;
      await ended;
      clearInterval(watch);
      if (timer) clearTimeout(timer);
      const profile = await session.finish({ exitCode: null, exitSignal: null });
      return session.buildResult(profile, null, null);
    });
  }

  private attachEnd: () => void = () => {};
  private endSampling: () => void = () => {};
  /** Resolves once the sampler has stopped by itself (every process followed is gone) or stop(). */
  private samplerDone: Promise<void> = new Promise((resolve) => {
    this.endSampling = resolve;
  });

  /**
   * Spawned: asks the program to stop — SIGINT now (Python raises KeyboardInterrupt, so
   * `finally` blocks and atexit run), SIGTERM after a grace period, SIGKILL after another.
   * Attached: ends sampling and leaves the process alone.
   */
  stop(): void {
    if (!this.child) {
      this.attachEnd();
      return;
    }
    // The program has exited and only processes it started run on: stop sampling them.
    if (this.exited) this.endSampling();
    if (this.exited || this.stopTimers.length > 0) return;
    this.stopAsked = true;
    const send = (signal: NodeJS.Signals) => {
      if (!this.exited) this.child?.kill(signal);
    };
    send('SIGINT');
    this.stopTimers.push(
      setTimeout(() => send('SIGTERM'), this.stopGraceMs),
      setTimeout(() => send('SIGKILL'), this.stopGraceMs * 2),
    );
  }

  /** True while the spawned program runs (one that exited and is not reaped yet has ended). */
  get programRunning(): boolean {
    if (!this.child || this.exited || this.child.exitCode !== null || this.child.signalCode !== null)
      return false;
    return !isZombie(this.pid);
  }

  /** Passes `signal` on to the spawned program while it runs (attached: does nothing). */
  signal(signal: NodeJS.Signals): void {
    if (this.child && !this.exited) this.child.kill(signal);
  }

  private clearStopTimers(): void {
    for (const timer of this.stopTimers) clearTimeout(timer);
  }

  private startSampler(options: SamplingOptions): void {
    this.spillPath = options.spillPath;
    try {
      const native = options.native ?? loadNative();
      this.sampler = new native.Sampler(this.pid, {
        intervalUs: this.intervalUs,
        spillPath: options.spillPath,
        startTimeoutMs: options.startTimeoutMs,
        maxDepth: options.maxDepth,
        existingProcess: this.child === undefined,
        followChildren: options.followChildren === true,
        asyncTasks: options.asyncTasks === true,
        onProgress: (progress) => {
          if (!progress.targetAlive) this.endSampling();
          this.emit('progress', progress);
        },
      });
    } catch (error) {
      this.failSampling(error);
      this.endSampling();
      if (!this.child) this.attachEnd();
      return;
    }
    this.startSettled = this.sampler.ready().then(
      (target) => {
        this.target = target;
        this.emit('ready', target);
      },
      (error: unknown) => {
        const failure = toHotpathError(error);
        // The process is gone: for a spawned program that is the end of the run, not a failure
        // to report while it runs (buildResult decides what it was). The sampler says TIMEOUT
        // instead when the program's exit made finish() cut its wait for the interpreter short.
        const endedByExit =
          failure.code === 'HOTPATH_NO_PROCESS' || (failure.code === 'HOTPATH_TIMEOUT' && this.exited);
        if (endedByExit && this.child) {
          this.samplerError = failure;
          this.startEndedByExit = true;
        } else this.failSampling(failure);
        this.endSampling();
        if (!this.child) this.attachEnd();
      },
    );
  }

  private failSampling(error: unknown): void {
    const failure = toHotpathError(error);
    this.samplerError = failure;
    // Deferred: the sampler starts inside spawn(), before the caller could subscribe.
    process.nextTick(() => this.emit('samplerError', failure));
  }

  private finish(exit: Pick<SessionMeta, 'exitCode' | 'exitSignal'>): Promise<RawProfile> {
    this.finishing ??= (async () => {
      const meta: SessionMeta = { ...this.meta, ...exit };
      const empty = () =>
        emptyRawProfile({ ...meta, pid: this.pid, intervalUs: this.intervalUs, startedAt: this.startedAt });
      if (!this.sampler) return empty();
      try {
        const native = await this.sampler.finish();
        // ready()'s outcome comes by another route and may come later: the result must know it
        // (a start that failed is an error, never an empty profile that looks like success).
        await this.startSettled;
        return rawFromNative(native, meta);
      } catch (error) {
        await this.startSettled;
        if (!this.samplerError) this.failSampling(error);
        // The spill file holds everything the sampler saw up to its failure.
        return (this.spillPath && recoverFromSpill(this.spillPath, meta)) || empty();
      }
    })();
    return this.finishing;
  }

  private buildResult(
    profile: RawProfile,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): SessionResult {
    // A ready() rejection that raced the exit: the program ended before Python was sampled.
    const exitedBeforeSampling =
      this.child !== undefined &&
      this.target === null &&
      (this.samplerError === null || this.startEndedByExit) &&
      profile.sampleTime.length === 0;
    const samplerError = exitedBeforeSampling ? null : this.samplerError;
    return {
      profile,
      samplerError,
      exitCode: code,
      exitSignal: signal,
      target: this.target,
      exitedBeforeSampling,
    };
  }
}

/** Waits for `promise` with the event loop held open: the addon's callbacks alone do not hold it. */
async function keepingAlive<T>(promise: Promise<T>): Promise<T> {
  const timer = setInterval(() => {}, 60_000);
  try {
    return await promise;
  } finally {
    clearInterval(timer);
  }
}

function waitForExit(
  child: ChildProcess,
  command: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }> {
  return new Promise((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // a failed kill(), not a failed spawn
      const reason =
        error.code === 'ENOENT'
          ? 'it was not found (check the name, or give a full path)'
          : error.code === 'EACCES'
            ? 'permission denied (is it executable?)'
            : error.message;
      reject(new HotpathError('HOTPATH_SPAWN_FAILED', `Could not start ${command}: ${reason}.`));
    });
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() }));
  });
}

/** The profile in a spill file with this session's facts, or null when there is nothing usable. */
function recoverFromSpill(spillPath: string, meta: SessionMeta): RawProfile | null {
  try {
    const { profile } = readSpill(readFileSync(spillPath));
    if (profile.sampleTime.length === 0) return null;
    return {
      ...profile,
      meta: {
        ...profile.meta,
        argv: meta.argv,
        cwd: meta.cwd,
        exitCode: meta.exitCode,
        exitSignal: meta.exitSignal,
        pythonPath: meta.pythonPath || profile.meta.pythonPath,
        pythonVersion: profile.meta.pythonVersion || meta.pythonVersion,
      },
    };
  } catch {
    return null;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] === 'Z';
  } catch {
    return true; // gone
  }
}

function readCmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

function readCwd(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return '';
  }
}
