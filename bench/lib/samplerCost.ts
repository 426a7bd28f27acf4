/**
 * What sampling costs, by Python version and stack depth: Hotpath profiles
 * one thread held at a fixed depth (fixed_depth.py) and the harness reads the
 * sampler's statistics back from the profile, plus the CPU the CLI spent
 * beyond its idle cost (start-up, reading and writing the profile), measured
 * by profiling a program that does nothing.
 */
import { rmSync } from 'node:fs';
import { runMeasured } from './exec';
import type { HotpathRunStats } from './hotpathProfile';
import { readHotpathStats } from './hotpathProfile';
import { profilerOwnCpuS } from './ownCpu';
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
  /** CPU of the CLI beyond its idle cost, as a share of the sampled duration. */
  samplerCpuShare: Spread | undefined;
  meanTickCostUs: Spread | undefined;
  achievedShare: Spread | undefined;
  lateShare: Spread | undefined;
  droppedSamples: Spread | undefined;
  busyShare: Spread | undefined;
  maxDepthSeen: number;
  error?: string;
}

export interface CostPlan {
  python: Interpreter;
  rateHz: number;
  depth: number;
}

const TIMEOUT_MS = 60_000;
/** The do-nothing program for the idle cost: fixed_depth.py with zero seconds. */
const IDLE_ARGS = ['3', '0'];

/** CLI CPU (s) for profiling a program that exits at once: start-up and output only. */
async function idleCliCpuS(python: Interpreter, rateHz: number, reps: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const out = scratchPath(`idle-${i}.json`);
    const base = await runMeasured([python.path, FIXED_DEPTH_SCRIPT, ...IDLE_ARGS], {
      timeoutMs: TIMEOUT_MS,
      expectReport: true,
    });
    const profiled = await runMeasured(
      hotpathCommand(python.path, rateHz, FIXED_DEPTH_SCRIPT, IDLE_ARGS, out),
      {
        timeoutMs: TIMEOUT_MS,
        expectReport: true,
      },
    );
    rmSync(out, { force: true });
    samples.push(profilerOwnCpuS(profiled, base));
  }
  return spread(samples)?.median ?? NaN;
}

export async function measureSamplerCost(
  plans: CostPlan[],
  options: { seconds: number; reps: number; log: (line: string) => void },
): Promise<CostPoint[]> {
  const { log } = options;
  const idle = new Map<string, number>();
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
      meanTickCostUs: undefined,
      achievedShare: undefined,
      lateShare: undefined,
      droppedSamples: undefined,
      busyShare: undefined,
      maxDepthSeen: 0,
    };
    points.push(point);
    try {
      await waitWhileQuiet(log);
      const idleKey = `${python.path}@${rateHz}`;
      if (!idle.has(idleKey)) idle.set(idleKey, await idleCliCpuS(python, rateHz, 3));
      const idleCpu = idle.get(idleKey) ?? NaN;
      const cpuShares: number[] = [];
      for (let rep = 0; rep < options.reps; rep++) {
        const out = scratchPath(`cost-${rep}.json`);
        const base = await runMeasured([python.path, FIXED_DEPTH_SCRIPT, ...IDLE_ARGS], {
          timeoutMs: TIMEOUT_MS,
          expectReport: true,
        });
        const run = await runMeasured(hotpathCommand(python.path, rateHz, FIXED_DEPTH_SCRIPT, args, out), {
          timeoutMs: TIMEOUT_MS,
          expectReport: true,
        });
        const stats = readHotpathStats(out);
        rmSync(out, { force: true });
        point.runs.push(stats);
        cpuShares.push((profilerOwnCpuS(run, base) - idleCpu) / (stats.durationUs / 1e6));
      }
      const runs = point.runs;
      point.samplerCpuShare = spread(cpuShares);
      point.meanTickCostUs = spread(runs.map((r) => r.stats.meanTickCostUs));
      point.achievedShare = spread(runs.map((r) => r.achievedShare));
      point.lateShare = spread(runs.map((r) => r.lateShare));
      point.droppedSamples = spread(runs.map((r) => r.stats.droppedSamples));
      point.busyShare = spread(runs.map((r) => r.busyShare));
      point.maxDepthSeen = Math.max(...runs.map((r) => r.stats.maxDepth));
      log(
        `  ${python.version.padEnd(7)} ${String(rateHz).padStart(5)} Hz depth ${String(depth).padStart(3)}: ` +
          `${point.meanTickCostUs?.median.toFixed(1)} µs/sample, ` +
          `rate ${((point.achievedShare?.median ?? NaN) * 100).toFixed(1)}%, ` +
          `late ${((point.lateShare?.median ?? NaN) * 100).toFixed(2)}%, ` +
          `CPU ${((point.samplerCpuShare?.median ?? NaN) * 100).toFixed(1)}%`,
      );
    } catch (err) {
      point.error = String(err instanceof Error ? err.message : err);
      log(`  ${python.version} ${rateHz} Hz depth ${depth}: FAILED ${point.error.split('\n')[0]}`);
    }
  }
  return points;
}
