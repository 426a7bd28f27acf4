/**
 * What sampling costs, by Python version and stack depth: Hotpath profiles
 * one thread held at a fixed depth (fixed_depth.py); the harness reads the
 * sampler's statistics back from the profile, and the CPU time of the
 * sampling thread from /proc while the CLI runs (its steady rate, and its
 * total with attaching to the interpreter).
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { runMeasured, samplerThread, steadyCpuShare } from './exec';
import type { HotpathRunStats } from './hotpathProfile';
import { readHotpathStats } from './hotpathProfile';
import { FLOOR_RATE_HZ, ticker, tickerCommand } from './floor';
import { scratchPath } from './paths';
import { hotpathCommand } from './profilers';
import type { Interpreter } from './pythons';
import { waitWhileQuiet } from './quiet';
import type { Spread } from './stats';
import { spread } from './stats';
import { FIXED_DEPTH_SCRIPT } from './workloads';

export interface CostPoint {
  python: string;
  version: string;
  rateHz: number;
  depth: number;
  command: string[];
  runs: HotpathRunStats[];
  /** Steady CPU rate of the sampling thread (middle of the run: no attach, no finish). */
  samplerCpuShare: Spread | undefined;
  /** All CPU of the sampling thread, attaching included, over the sampled duration. */
  samplerCpuShareWithAttach: Spread | undefined;
  meanTickCostUs: Spread | undefined;
  achievedShare: Spread | undefined;
  /** Over the middle of each run (HotpathRunStats.steadyAchievedShare); absent in older results. */
  steadyAchievedShare?: Spread;
  lateShare: Spread | undefined;
  droppedSamples: Spread | undefined;
  busyShare: Spread | undefined;
  /** Sampled duration over the program's measured time: below 1, sampling missed part of the run. */
  coverage: Spread | undefined;
  maxDepthSeen: number;
  /** 1-minute load average at the start of each run. */
  loadAverage: Spread | undefined;
  /**
   * At 10 kHz: what a bare wake-up loop on the same grid achieves beside the
   * same program (bench/floor/ticker.c `wake`), run for run: the machine's
   * own limit on the achieved rate.
   */
  floorAchievedShare?: Spread;
  floorLateShare?: Spread;
  error?: string;
}

export interface CostPlan {
  python: Interpreter;
  rateHz: number;
  depth: number;
}

const TIMEOUT_MS = 60_000;

/** The ticker's achieved rate and late share (its TICKER_CPU report), as shares; NaN when absent. */
export function parseTickerRate(stderr: string): { achieved: number; late: number } {
  const m = /achieved ([\d.]+)% of requested, ([\d.]+)% late/.exec(stderr);
  return m ? { achieved: Number(m[1]) / 100, late: Number(m[2]) / 100 } : { achieved: NaN, late: NaN };
}

async function floorRate(python: string, args: string[]): Promise<{ achieved: number; late: number }> {
  if ('error' in ticker()) return { achieved: NaN, late: NaN };
  const run = await runMeasured(tickerCommand('wake', [python, FIXED_DEPTH_SCRIPT, ...args]), {
    timeoutMs: TIMEOUT_MS,
    expectReport: true,
    env: { TICKER_CPU: '1' },
  });
  return parseTickerRate(run.stderrTail);
}

export async function measureSamplerCost(
  plans: CostPlan[],
  options: { seconds: number; reps: number; log: (line: string) => void },
): Promise<CostPoint[]> {
  const { log } = options;
  const points: CostPoint[] = [];
  for (const plan of plans) {
    const { python, rateHz, depth } = plan;
    const args = [String(depth), String(options.seconds)];
    const point: CostPoint = {
      python: python.label,
      version: python.version,
      rateHz,
      depth,
      command: hotpathCommand(python.path, rateHz, FIXED_DEPTH_SCRIPT, args, 'OUT.json'),
      runs: [],
      samplerCpuShare: undefined,
      samplerCpuShareWithAttach: undefined,
      meanTickCostUs: undefined,
      achievedShare: undefined,
      lateShare: undefined,
      droppedSamples: undefined,
      busyShare: undefined,
      coverage: undefined,
      maxDepthSeen: 0,
      loadAverage: undefined,
    };
    points.push(point);
    try {
      const cpuShares: number[] = [];
      const cpuSharesWithAttach: number[] = [];
      const coverage: number[] = [];
      const loads: number[] = [];
      const floorAchieved: number[] = [];
      const floorLate: number[] = [];
      for (let rep = 0; rep < options.reps; rep++) {
        await waitWhileQuiet(log);
        const out = scratchPath(`cost-${rep}.json`);
        loads.push(loadavg()[0]);
        const run = await runMeasured(hotpathCommand(python.path, rateHz, FIXED_DEPTH_SCRIPT, args, out), {
          timeoutMs: TIMEOUT_MS,
          expectReport: true,
          watchThreads: true,
        });
        const stats = readHotpathStats(out);
        rmSync(out, { force: true });
        point.runs.push(stats);
        const sampler = samplerThread(run);
        cpuShares.push(sampler ? steadyCpuShare(sampler) : NaN);
        cpuSharesWithAttach.push((sampler?.cpu_s ?? NaN) / (stats.durationUs / 1e6));
        coverage.push(stats.durationUs / 1e6 / (run.program?.wall_s ?? NaN));
        if (rateHz === FLOOR_RATE_HZ) {
          const floor = await floorRate(python.path, args);
          floorAchieved.push(floor.achieved);
          floorLate.push(floor.late);
        }
      }
      const runs = point.runs;
      point.samplerCpuShare = spread(cpuShares);
      point.samplerCpuShareWithAttach = spread(cpuSharesWithAttach);
      point.meanTickCostUs = spread(runs.map((r) => r.stats.meanTickCostUs));
      point.achievedShare = spread(runs.map((r) => r.achievedShare));
      point.steadyAchievedShare = spread(runs.map((r) => r.steadyAchievedShare));
      point.lateShare = spread(runs.map((r) => r.lateShare));
      point.droppedSamples = spread(runs.map((r) => r.stats.droppedSamples));
      point.busyShare = spread(runs.map((r) => r.busyShare));
      point.coverage = spread(coverage);
      point.loadAverage = spread(loads);
      point.floorAchievedShare = spread(floorAchieved);
      point.floorLateShare = spread(floorLate);
      point.maxDepthSeen = Math.max(...runs.map((r) => r.stats.maxDepth));
      log(
        `  ${python.version.padEnd(7)} ${String(rateHz).padStart(5)} Hz depth ${String(depth).padStart(3)}: ` +
          `${point.meanTickCostUs?.median.toFixed(1)} µs/sample, ` +
          `rate ${((point.achievedShare?.median ?? NaN) * 100).toFixed(1)}%, ` +
          `late ${((point.lateShare?.median ?? NaN) * 100).toFixed(2)}%, ` +
          `sampler CPU ${((point.samplerCpuShare?.median ?? NaN) * 100).toFixed(1)}%`,
      );
    } catch (err) {
      point.error = String(err instanceof Error ? err.message : err);
      log(`  ${python.version} ${rateHz} Hz depth ${depth}: FAILED ${point.error.split('\n')[0]}`);
    }
  }
  return points;
}
