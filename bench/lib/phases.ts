/**
 * Program slowdown measured inside one run: the workload runs equal units of
 * work for a fixed time (HOTPATH_BENCH_PHASES, bench/workloads/benchreport.py)
 * and records when each ends, while this harness switches Hotpath's sampler on
 * and off in alternating phases of a fixed length. Each on phase is compared
 * with the off phases on either side of it (the mean time of a unit inside the
 * phase), so the pairs are a few hundred milliseconds apart instead of a whole
 * run: the slow drifts of a shared VM that make whole-run ratios spread by
 * ±10% cancel, and one run gives dozens of pairs.
 *
 * The sampler is the product's own (the addon of the build under test, in this
 * process's native thread, as the CLI runs it); an on phase lasts from creating
 * it (attaching to the interpreter included) until its profile is back. The
 * control case switches nothing: its "on" phases measure the method's noise.
 * The busy neighbour switches on a loop as busy as the sampler at 10 kHz that
 * reads nothing: what any work on the other core costs the program here.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NativeModule } from '../../extension/native/nativeApi';
import { tickerCommand } from './floor';
import { scratchPath } from './paths';
import type { Interpreter } from './pythons';
import { waitWhileQuiet } from './quiet';
import type { Interval, Spread } from './stats';
import { medianInterval, spread } from './stats';
import type { Workload } from './workloads';

export type PhaseProfilerId = 'control' | 'hotpath-1k' | 'hotpath-10k' | 'floor-busy-10k';
export const PHASE_PROFILERS: readonly PhaseProfilerId[] = [
  'control',
  'hotpath-1k',
  'hotpath-10k',
  'floor-busy-10k',
];

const LABELS: Record<PhaseProfilerId, string> = {
  control: 'none (A/A control)',
  'hotpath-1k': 'Hotpath 1 kHz',
  'hotpath-10k': 'Hotpath 10 kHz',
  'floor-busy-10k': 'floor: busy neighbour at 10 kHz',
};
const RATES_HZ: Record<PhaseProfilerId, number | undefined> = {
  control: undefined,
  'hotpath-1k': 1000,
  'hotpath-10k': 10_000,
  'floor-busy-10k': undefined,
};
/** The line the workload prints when its first unit starts. */
const STARTED = 'hotpath-bench: units started';
/** A phase with fewer whole units than this is not compared. */
const MIN_UNITS = 3;
const START_TIMEOUT_MS = 60_000;

export interface PhaseCase {
  python: Interpreter;
  workload: Workload;
  profilerId: PhaseProfilerId;
}

export interface Phase {
  on: boolean;
  /** CLOCK_MONOTONIC nanoseconds (the workload's clock too). */
  startNs: number;
  endNs: number;
  /** Whole units inside the phase and their mean duration. */
  units: number;
  meanUnitNs: number;
  /** On phases with a sampler: its ticks and sampled duration. */
  ticks?: number;
  sampledUs?: number;
}

export interface PhaseRun {
  phases: Phase[];
  /** One per on phase with both neighbours: its mean unit time over theirs. */
  ratios: number[];
}

export interface PhaseResult {
  python: string;
  workload: string;
  profiler: string;
  profilerId: PhaseProfilerId;
  rateHz?: number;
  seconds: number;
  phaseMs: number;
  runs: PhaseRun[];
  errors: string[];
  summary?: {
    ratio: Spread;
    interval: Interval;
    /** Phases compared (on phases with both neighbours), over all runs. */
    pairs: number;
    offUnitUs: Spread;
    unitsPerPhase: Spread;
    /** Ticks per requested tick over the on phases' sampled time. */
    achieved?: Spread;
  };
}

let addon: NativeModule | undefined;

/** Loads the addon of the build under test (the benchmark's copy of it, lib/snapshot.ts). */
export function usePhaseAddon(path: string): void {
  addon = createRequire(import.meta.url)(path) as NativeModule;
}

const nowNs = (): number => Number(process.hrtime.bigint());

/** Mean unit time inside each phase; `ends[0]` is the first unit's start, then each unit's end. */
export function fillUnits(phases: Phase[], ends: readonly number[]): void {
  let i = 1;
  for (const phase of phases) {
    while (i < ends.length && ends[i - 1] < phase.startNs) i++;
    let total = 0;
    let count = 0;
    for (; i < ends.length && ends[i] <= phase.endNs; i++) {
      total += ends[i] - ends[i - 1];
      count++;
    }
    phase.units = count;
    phase.meanUnitNs = count ? total / count : NaN;
  }
}

/** Each on phase's mean unit time over the mean of its two off neighbours'. */
export function phaseRatios(phases: readonly Phase[]): number[] {
  const ratios: number[] = [];
  for (let k = 1; k + 1 < phases.length; k++) {
    const [before, on, after] = [phases[k - 1], phases[k], phases[k + 1]];
    if (!on.on || before.on || after.on) continue;
    if ([before, on, after].some((p) => p.units < MIN_UNITS)) continue;
    ratios.push(on.meanUnitNs / ((before.meanUnitNs + after.meanUnitNs) / 2));
  }
  return ratios;
}

function readEnds(path: string): number[] {
  const bytes = readFileSync(path);
  const view = new BigInt64Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 8));
  return Array.from(view, (v) => Number(v));
}

/**
 * The busy neighbour (bench/floor/ticker.c, `busy`): 30 µs of computing on
 * every 10 kHz tick, as busy as the sampler at that rate but touching nothing
 * of the program, for one phase (its child is a `sleep` of that length).
 */
async function busyPhase(phaseMs: number): Promise<void> {
  const [path, ...args] = tickerCommand('busy', ['sleep', String(phaseMs / 1000)]);
  const busy = spawn(path, args, { stdio: 'ignore' });
  const code = await new Promise<number>((resolve) => busy.on('close', (c) => resolve(c ?? -1)));
  if (code !== 0) throw new Error(`the busy neighbour (${path} busy) exited with ${code}`);
}

async function onPhase(c: PhaseCase, pid: number, phaseMs: number): Promise<Partial<Phase>> {
  const rateHz = RATES_HZ[c.profilerId];
  if (c.profilerId === 'floor-busy-10k') {
    await busyPhase(phaseMs);
    return {};
  }
  if (rateHz === undefined) {
    await sleep(phaseMs);
    return {};
  }
  if (!addon) throw new Error('phases: the addon under test was not loaded (usePhaseAddon)');
  const sampler = new addon.Sampler(pid, { intervalUs: Math.round(1e6 / rateHz), startTimeoutMs: 5000 });
  let failed: unknown;
  try {
    await sampler.ready();
    await sleep(phaseMs);
  } catch (err) {
    failed = err;
  }
  // finish() resolves after a failed ready() too (with an empty profile).
  const profile = await sampler.finish();
  if (failed !== undefined) throw failed;
  return { ticks: profile.stats.ticks, sampledUs: profile.durationUs };
}

/** One run of the workload with alternating phases, off first and last. */
async function phaseRun(c: PhaseCase, seconds: number, phaseMs: number): Promise<PhaseRun> {
  const unitsPath = scratchPath(`units-${c.workload.id}-${c.profilerId}.bin`);
  const child = spawn(c.python.path, [c.workload.script, ...c.workload.args], {
    env: { ...process.env, HOTPATH_BENCH_PHASES: `${seconds}:${unitsPath}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  let alive = true;
  void exited.then(() => (alive = false));
  const lines = createInterface({ input: child.stdout });
  const started = await Promise.race([
    new Promise<boolean>((resolve) => lines.on('line', (l) => l === STARTED && resolve(true))),
    exited.then(() => false),
    sleep(START_TIMEOUT_MS, false, { ref: false }),
  ]);
  const phases: Phase[] = [];
  try {
    if (!started) throw new Error(`the workload did not start its units: ${stderr.trim().slice(-500)}`);
    let on = false;
    let startNs = nowNs();
    while (alive) {
      let extra: Partial<Phase> = {};
      if (on) {
        try {
          extra = await onPhase(c, child.pid ?? 0, phaseMs);
        } catch (err) {
          // The program ending during an on phase ends the run; anything else
          // (cannot attach) must not pass for a phase that was sampled.
          await Promise.race([exited, sleep(1000, undefined, { ref: false })]);
          if (alive) throw err;
        }
      } else {
        await sleep(phaseMs);
      }
      const endNs = nowNs();
      if (alive) phases.push({ on, startNs, endNs, units: 0, meanUnitNs: NaN, ...extra });
      startNs = endNs;
      on = !on;
    }
    const code = await exited;
    if (code !== 0) throw new Error(`the workload exited with ${code}: ${stderr.trim().slice(-500)}`);
    fillUnits(phases, readEnds(unitsPath));
    return { phases, ratios: phaseRatios(phases) };
  } finally {
    child.kill('SIGKILL');
    rmSync(unitsPath, { force: true });
  }
}

function summarise(result: PhaseResult): void {
  const ratios = result.runs.flatMap((r) => r.ratios);
  const ratio = spread(ratios);
  const interval = medianInterval(ratios);
  const compared = result.runs.flatMap((r) => r.phases.filter((p) => p.units >= MIN_UNITS));
  const off = compared.filter((p) => !p.on);
  const sampled = compared.filter((p) => p.on && p.ticks !== undefined && p.sampledUs);
  const offUnitUs = spread(off.map((p) => p.meanUnitNs / 1e3));
  const unitsPerPhase = spread(compared.map((p) => p.units));
  if (!ratio || !interval || !offUnitUs || !unitsPerPhase) return;
  result.summary = {
    ratio,
    interval,
    pairs: ratios.length,
    offUnitUs,
    unitsPerPhase,
    achieved:
      result.rateHz === undefined
        ? undefined
        : spread(
            sampled.map((p) => ((p.ticks ?? 0) - 1) / (((p.sampledUs ?? 0) * (result.rateHz ?? 0)) / 1e6)),
          ),
  };
}

/** Runs every case `runs` times, round by round (so a slow stretch of the machine hits all cases). */
export async function runPhases(
  cases: PhaseCase[],
  options: { runs: number; seconds: number; phaseMs: number; log: (line: string) => void },
): Promise<PhaseResult[]> {
  const { log } = options;
  const results: PhaseResult[] = cases.map((c) => ({
    python: c.python.label,
    workload: c.workload.title,
    profiler: LABELS[c.profilerId],
    profilerId: c.profilerId,
    rateHz: RATES_HZ[c.profilerId],
    seconds: options.seconds,
    phaseMs: options.phaseMs,
    runs: [],
    errors: [],
  }));
  for (let round = 1; round <= options.runs; round++) {
    log(`round ${round}/${options.runs}`);
    for (const [i, c] of cases.entries()) {
      await waitWhileQuiet(log);
      try {
        const run = await phaseRun(c, options.seconds, options.phaseMs);
        results[i].runs.push(run);
        const s = spread(run.ratios);
        log(
          `  ${c.workload.id.padEnd(10)} ${LABELS[c.profilerId].padEnd(18)} ` +
            `${run.ratios.length} phase pairs, median ×${s?.median.toFixed(4) ?? '—'}`,
        );
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        results[i].errors.push(message);
        log(`  ${c.workload.id} ${LABELS[c.profilerId]}: FAILED ${message.split('\n')[0]}`);
      }
    }
  }
  results.forEach(summarise);
  return results;
}
