/**
 * Runs one measured command: through timed_exec.py (wall time and the
 * command's own rusage via wait4) with HOTPATH_BENCH_REPORT pointing at a file
 * where the workload records the timing of its measured section.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, scratchPath } from './paths';

/** What a workload reports about its measured section (bench/workloads/benchreport.py). */
export interface ProgramReport {
  workload: string;
  wall_s: number;
  cpu_s: number;
  /** Kernel part of cpu_s. */
  sys_s: number;
  /** CPU of the whole Python process up to the end of the measured section. */
  process_cpu_s: number;
  maxrss_kb: number;
}

/** A thread of the command, as last seen by timed_exec.py --watch-threads. */
export interface ThreadUsage {
  tid: number;
  comm: string;
  cpu_s: number;
  /** How many times the thread was put on a CPU: a sampler wakes once per tick. */
  timeslices: number;
  /** Readings every 100 ms: [seconds since the command started, CPU seconds so far]. */
  series: [number, number][];
}

/**
 * CPU seconds per second of a thread over the middle of its life (from 30% to
 * 90% of the time it was seen): the steady rate, without start-up (attaching
 * to the interpreter) and shutdown. NaN when too few readings.
 */
export function steadyCpuShare(thread: ThreadUsage): number {
  const series = thread.series;
  if (series.length < 4) return NaN;
  const first = series[0][0];
  const span = series[series.length - 1][0] - first;
  const inside = series.filter(([t]) => t >= first + 0.3 * span && t <= first + 0.9 * span);
  if (inside.length < 2) return NaN;
  const [t0, c0] = inside[0];
  const [t1, c1] = inside[inside.length - 1];
  return t1 > t0 ? (c1 - c0) / (t1 - t0) : NaN;
}

export interface ExecResult {
  argv: string[];
  /** Wall time of the whole command (start-up, profiler set-up and output included). */
  wallS: number;
  /** User + system CPU of the command and every descendant it reaped. */
  cpuS: number;
  maxrssKb: number;
  exitCode: number;
  /** The workload's own report; missing when it failed before the end. */
  program?: ProgramReport;
  /** Threads other than the main one, when watched. */
  threads?: ThreadUsage[];
  /** Last lines of stderr, for error messages. */
  stderrTail: string;
  /** Last lines of stdout. */
  stdoutTail: string;
}

export class CommandFailed extends Error {
  constructor(
    readonly result: ExecResult,
    reason: string,
  ) {
    super(`${reason}: ${result.argv.join(' ')}\n${result.stderrTail.trim()}`);
    this.name = 'CommandFailed';
  }
}

const WRAPPER = join(BENCH_DIR, 'lib', 'timed_exec.py');
/** The wrapper only needs a Python 3; Debian's is always there. */
const WRAPPER_PYTHON = '/usr/bin/python3';

let counter = 0;

interface RawUsage {
  wall_s: number;
  user_s: number;
  sys_s: number;
  maxrss_kb: number;
  exit_code: number;
  threads?: ThreadUsage[];
}

/**
 * Runs `argv` to completion. Rejects with CommandFailed when it exits non-zero,
 * times out, or (when `expectReport`) the workload wrote no report.
 */
export function runMeasured(
  argv: string[],
  options: { timeoutMs: number; expectReport: boolean; watchThreads?: boolean; env?: NodeJS.ProcessEnv },
): Promise<ExecResult> {
  const id = `${process.pid}-${++counter}`;
  const usagePath = scratchPath(`usage-${id}.json`);
  const reportPath = scratchPath(`report-${id}.json`);
  rmSync(reportPath, { force: true });
  return new Promise((resolve, reject) => {
    const watch = options.watchThreads ? ['--watch-threads'] : [];
    const child = spawn(WRAPPER_PYTHON, [WRAPPER, ...watch, usagePath, '--', ...argv], {
      // stdout is kept too: py-spy prints its sample counts there.
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env, HOTPATH_BENCH_REPORT: reportPath },
      // Own process group, so a timeout can end the command and everything it started.
      detached: true,
    });
    let stderrTail = '';
    let stdoutTail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString()).slice(-2000);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutTail = (stdoutTail + chunk.toString()).slice(-2000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, options.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const usage = existsSync(usagePath)
        ? (JSON.parse(readFileSync(usagePath, 'utf8')) as RawUsage)
        : undefined;
      const program = existsSync(reportPath)
        ? (JSON.parse(readFileSync(reportPath, 'utf8')) as ProgramReport)
        : undefined;
      rmSync(usagePath, { force: true });
      rmSync(reportPath, { force: true });
      const result: ExecResult = {
        argv,
        wallS: usage?.wall_s ?? NaN,
        cpuS: usage ? usage.user_s + usage.sys_s : NaN,
        maxrssKb: usage?.maxrss_kb ?? NaN,
        exitCode: usage?.exit_code ?? code ?? -1,
        program,
        threads: usage?.threads,
        stderrTail,
        stdoutTail,
      };
      if (timedOut) reject(new CommandFailed(result, `timed out after ${options.timeoutMs / 1000} s`));
      else if (result.exitCode !== 0) reject(new CommandFailed(result, `exit code ${result.exitCode}`));
      else if (options.expectReport && !program)
        reject(new CommandFailed(result, 'the workload wrote no report'));
      else resolve(result);
    });
  });
}

/**
 * The sampling threads of a `hotpath` process as one: hotpath-control (it
 * attaches, and samples a single-threaded program itself) and hotpath-sampler
 * (at nice 19, it samples a multi-threaded one), their CPU added up reading by
 * reading. A build that does not name them: the thread scheduled most often
 * (it wakes once per tick; Node's own helper threads wake a handful of times).
 */
export function samplerThread(result: ExecResult): ThreadUsage | undefined {
  const threads = result.threads ?? [];
  const named = threads.filter((t) => t.comm === 'hotpath-control' || t.comm === 'hotpath-sampler');
  if (named.length > 0) return combineThreads(named);
  return threads.reduce<ThreadUsage | undefined>(
    (best, t) => (!best || t.timeslices > best.timeslices ? t : best),
    undefined,
  );
}

/** Threads as one: each reading of the first-seen one plus the others' latest CPU up to then. */
export function combineThreads(threads: ThreadUsage[]): ThreadUsage {
  const [first, ...rest] = [...threads].sort((a, b) => (a.series[0]?.[0] ?? 0) - (b.series[0]?.[0] ?? 0));
  const cpuAt = (t: ThreadUsage, time: number): number => {
    let cpu = 0;
    for (const [at, c] of t.series) {
      if (at > time) break;
      cpu = c;
    }
    return cpu;
  };
  return {
    tid: first.tid,
    comm: [first, ...rest].map((t) => t.comm).join('+'),
    cpu_s: threads.reduce((sum, t) => sum + t.cpu_s, 0),
    timeslices: threads.reduce((sum, t) => sum + t.timeslices, 0),
    series: first.series.map(([time, cpu]) => [time, cpu + rest.reduce((sum, t) => sum + cpuAt(t, time), 0)]),
  };
}
