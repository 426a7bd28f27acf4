/**
 * Program slowdown under each profiler, measured as paired runs: for every
 * round and every case, the unprofiled program and the profiled one back to
 * back (in alternating order), so that drift of this noisy machine hits both
 * sides of a ratio.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { ExecResult } from './exec';
import { CommandFailed, runMeasured, samplerThread, steadyCpuShare } from './exec';
import type { HotpathRunStats } from './hotpathProfile';
import { readHotpathStats } from './hotpathProfile';
import { profilerOwnCpuS } from './ownCpu';
import { scratchPath } from './paths';
import type { Profiler } from './profilers';
import { profiler } from './profilers';
import type { Interpreter } from './pythons';
import type { PySpyRunStats } from './pyspy';
import { parsePySpyStats } from './pyspy';
import { waitWhileQuiet } from './quiet';
import type { Spread } from './stats';
import { spread } from './stats';
import type { Workload } from './workloads';

export interface OverheadCase {
  python: Interpreter;
  workload: Workload;
  profiler: Profiler;
}

export interface Pair {
  base: ExecResult;
  profiled: ExecResult;
  hotpath?: HotpathRunStats;
  pySpy?: PySpyRunStats;
  /** CPython's own sampler: stacks in its collapsed output, and its reported error rate (0–1). */
  collapsed?: { samples: number; errorShare: number };
  /** 1-minute load average when the pair started: other work competing for the CPUs. */
  loadAverage: number;
}

export interface CaseResult {
  python: string;
  workload: string;
  profiler: string;
  profilerId: string;
  /** The profiled command of the first pair, as run. */
  command: string[];
  pairs: Pair[];
  /** Why the case was not run or was abandoned. */
  skipped?: string;
  errors: string[];
  summary?: CaseSummary;
}

export interface CaseSummary {
  /** Load average at the start of each pair. */
  loadAverage: Spread | undefined;
  baseWallS: Spread | undefined;
  /** Profiled / base of the measured section (the program's own timing). */
  wall: Spread | undefined;
  cpu: Spread | undefined;
  /** Profiled − base kernel time of the measured section, seconds. */
  sysDeltaS: Spread | undefined;
  /** Profiled / base of the whole command (start-up, attach, output included). */
  endToEnd: Spread | undefined;
  /** CPU of an out-of-process profiler's whole process, as a share of the profiled run's wall time. */
  ownCpuShare: Spread | undefined;
  /** Hotpath only: steady CPU rate of the sampling thread (middle of the run). */
  samplerCpuShare?: Spread;
  /** Hotpath: from the statistics in the profile it wrote; py-spy: from its sample counts. */
  achievedShare?: Spread;
  lateShare?: Spread;
  droppedShare?: Spread;
  meanTickCostUs?: Spread;
  busyShare?: Spread;
}

/** More failures than this and a case is abandoned for the rest of the run. */
const MAX_ERRORS = 2;
/** Generous: yappi slows call-heavy code 20× and more, and more again on a busy machine. */
const TIMEOUT_MS = 600_000;

/**
 * py-spy's stacks read per second of the whole profiled command, as a share of
 * its rate (it samples from just after start-up to the exit, so this slightly
 * understates it), and its errors (stacks it could not read) as a share of all
 * it reported. Its error count can exceed the ticks that failed (a tick with two
 * threads can fail twice), so the two are not added up into ticks.
 */
function pySpyShares(pairs: Pair[], rateHz: number): Pick<CaseSummary, 'achievedShare' | 'droppedShare'> {
  const runs = pairs.filter((p) => p.pySpy !== undefined);
  if (!runs.length) return {};
  const samples = (p: Pair) => p.pySpy?.samples ?? 0;
  const errors = (p: Pair) => p.pySpy?.errors ?? 0;
  return {
    achievedShare: spread(runs.map((p) => samples(p) / (p.profiled.wallS * rateHz))),
    droppedShare: spread(runs.map((p) => errors(p) / Math.max(1, samples(p) + errors(p)))),
  };
}

/**
 * The stacks CPython's sampler wrote (each collapsed line ends with its count) and the error
 * rate it prints ("Error rate: 14.23", in percent).
 */
function readCollapsedStats(out: string, printed: string): { samples: number; errorShare: number } {
  let samples = 0;
  if (existsSync(out)) {
    for (const line of readFileSync(out, 'utf8').split('\n')) {
      const count = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (line && Number.isFinite(count)) samples += count;
    }
  }
  const error = /Error rate:\s*([\d.]+)/.exec(printed);
  return { samples, errorShare: error ? Number(error[1]) / 100 : NaN };
}

/** Like py-spy's: stacks taken per second of the whole profiled command, as a share of the rate. */
function collapsedShares(pairs: Pair[], rateHz: number): Pick<CaseSummary, 'achievedShare' | 'droppedShare'> {
  const runs = pairs.filter((p) => p.collapsed !== undefined);
  if (!runs.length) return {};
  return {
    achievedShare: spread(runs.map((p) => (p.collapsed?.samples ?? 0) / (p.profiled.wallS * rateHz))),
    droppedShare: spread(runs.map((p) => p.collapsed?.errorShare ?? NaN)),
  };
}

function summarise(result: CaseResult, outOfProcess: boolean, profiler: Profiler): CaseSummary {
  const { pySpyRateHz, collapsedRateHz } = profiler;
  const pairs = result.pairs;
  const ratio = (f: (r: ExecResult) => number | undefined) =>
    spread(pairs.map((p) => (f(p.profiled) ?? NaN) / (f(p.base) ?? NaN)));
  const hot = pairs.map((p) => p.hotpath).filter((h): h is HotpathRunStats => h !== undefined);
  const summary: CaseSummary = {
    loadAverage: spread(pairs.map((p) => p.loadAverage)),
    baseWallS: spread(pairs.map((p) => p.base.program?.wall_s ?? NaN)),
    wall: ratio((r) => r.program?.wall_s),
    cpu: ratio((r) => r.program?.cpu_s),
    sysDeltaS: spread(pairs.map((p) => (p.profiled.program?.sys_s ?? NaN) - (p.base.program?.sys_s ?? NaN))),
    endToEnd: ratio((r) => r.wallS),
    ownCpuShare: outOfProcess
      ? spread(pairs.map((p) => profilerOwnCpuS(p.profiled, p.base) / p.profiled.wallS))
      : undefined,
  };
  if (pySpyRateHz) Object.assign(summary, pySpyShares(pairs, pySpyRateHz));
  if (collapsedRateHz) Object.assign(summary, collapsedShares(pairs, collapsedRateHz));
  if (hot.length) {
    summary.achievedShare = spread(hot.map((h) => h.achievedShare));
    summary.lateShare = spread(hot.map((h) => h.lateShare));
    summary.droppedShare = spread(hot.map((h) => h.stats.droppedSamples / Math.max(1, h.stats.samples)));
    summary.meanTickCostUs = spread(hot.map((h) => h.stats.meanTickCostUs));
    summary.busyShare = spread(hot.map((h) => h.busyShare));
    summary.samplerCpuShare = spread(
      pairs.map((p) => {
        const sampler = samplerThread(p.profiled);
        return sampler ? steadyCpuShare(sampler) : NaN;
      }),
    );
  }
  return summary;
}

function describeError(err: unknown): string {
  if (err instanceof CommandFailed) return err.message;
  return String(err);
}

export async function runOverhead(
  cases: OverheadCase[],
  options: { pairs: number; quick: boolean; log: (line: string) => void },
): Promise<CaseResult[]> {
  const { log } = options;
  const results: CaseResult[] = cases.map((c) => ({
    python: c.python.label,
    workload: c.workload.title,
    profiler: c.profiler.label,
    profilerId: c.profiler.id,
    command: [],
    pairs: [],
    errors: [],
  }));
  const none = profiler('none');
  for (let round = 1; round <= options.pairs; round++) {
    log(`round ${round}/${options.pairs}`);
    for (const [i, c] of cases.entries()) {
      const result = results[i];
      if (result.skipped) continue;
      await waitWhileQuiet(log);
      const args = options.quick ? c.workload.quickArgs : c.workload.args;
      const out = scratchPath(`profile-${i}-${round}.json`);
      const profiledArgv = c.profiler.command(c.python.path, c.workload.script, args, out);
      if (result.command.length === 0) result.command = profiledArgv.map((a) => (a === out ? 'OUT.json' : a));
      try {
        const loadAverage = loadavg()[0];
        const runBase = () =>
          runMeasured(none.command(c.python.path, c.workload.script, args, out), {
            timeoutMs: TIMEOUT_MS,
            expectReport: true,
          });
        const runProfiled = () =>
          runMeasured(profiledArgv, {
            timeoutMs: TIMEOUT_MS,
            expectReport: true,
            watchThreads: c.profiler.hotpathRateHz !== undefined,
          });
        // Alternate which side of a pair runs first, so that a rhythm in other work on the
        // machine cannot favour one side every time.
        const baseFirst = (round + i) % 2 === 1;
        const first = await (baseFirst ? runBase() : runProfiled());
        const second = await (baseFirst ? runProfiled() : runBase());
        const [base, profiled] = baseFirst ? [first, second] : [second, first];
        const pair: Pair = { base, profiled, loadAverage };
        if (c.profiler.hotpathRateHz) pair.hotpath = readHotpathStats(out);
        if (c.profiler.pySpyRateHz) pair.pySpy = parsePySpyStats(profiled.stdoutTail + profiled.stderrTail);
        if (c.profiler.collapsedRateHz) {
          pair.collapsed = readCollapsedStats(out, profiled.stdoutTail + profiled.stderrTail);
        }
        result.pairs.push(pair);
        const ratio = (profiled.program?.wall_s ?? NaN) / (base.program?.wall_s ?? NaN);
        log(
          `  ${c.workload.id.padEnd(10)} ${c.python.version.padEnd(7)} ${c.profiler.label.padEnd(14)} ×${ratio.toFixed(3)}`,
        );
      } catch (err) {
        result.errors.push(describeError(err));
        log(
          `  ${c.workload.id} ${c.python.version} ${c.profiler.label}: FAILED ${describeError(err).split('\n')[0]}`,
        );
        if (result.errors.length >= MAX_ERRORS) result.skipped = `failed ${result.errors.length} times`;
      } finally {
        rmSync(out, { force: true });
      }
    }
  }
  for (const [i, c] of cases.entries()) {
    const outOfProcess =
      c.profiler.id.startsWith('hotpath') ||
      c.profiler.id === 'austin' ||
      !!c.profiler.pySpyRateHz ||
      !!c.profiler.collapsedRateHz;
    if (results[i].pairs.length) results[i].summary = summarise(results[i], outOfProcess, c.profiler);
  }
  return results;
}
