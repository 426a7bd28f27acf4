/**
 * Agreement with ground truth: bench/workloads/shares.py spends a share of its time in `alpha`
 * that it measures itself (about two thirds, the rest in `beta`); each sampler profiles it, and the
 * share of its stacks that are in alpha is held against that. Also counted: the stacks each took
 * per second of the profiled command, as a share of the rate asked for.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { loadProfile } from '../../extension/format/profileFile';
import { scratchPath, WORKLOADS_DIR } from './paths';
import { CURRENT_PROFILERS } from './plan';
import type { ProfilerId } from './profilers';
import { profiler } from './profilers';
import type { Interpreter } from './pythons';
import { waitWhileQuiet } from './quiet';
import type { Spread } from './stats';
import { spread } from './stats';

const run = promisify(execFile);

export const SHARES_SCRIPT = `${WORKLOADS_DIR}/shares.py`;
/** The samplers compared here (each where it runs): those of the 3.14/3.15 slowdown rows. */
export const AGREEMENT_PROFILERS: ProfilerId[] = CURRENT_PROFILERS.filter((id) => id !== 'control');

export interface AgreementRun {
  /** alpha's share of alpha + beta: as the program measured it, and as the stacks show it. */
  truthShare: number;
  sampledShare: number;
  /** Stacks in alpha or beta, and all stacks the sampler wrote. */
  stacksInEither: number;
  stacks: number;
  wallS: number;
}

export interface AgreementPoint {
  python: string;
  profiler: string;
  profilerId: ProfilerId;
  rateHz: number;
  runs: AgreementRun[];
  skipped?: string;
  errors: string[];
  /** |sampled − truth| in percentage points, and stacks taken as a share of the rate. */
  errorPoints?: Spread;
  takenShare?: Spread;
}

/** Stacks per function name: every stack counted once for each name it holds. */
type Counts = { alpha: number; beta: number; total: number };

function countNames(names: Iterable<string>, weight: number, counts: Counts): void {
  const seen = new Set(names);
  if (seen.has('alpha')) counts.alpha += weight;
  if (seen.has('beta')) counts.beta += weight;
  counts.total += weight;
}

/** Hotpath's profile file. */
function countHotpath(text: string): Counts {
  const p = loadProfile(text);
  const counts = { alpha: 0, beta: 0, total: 0 };
  for (const stack of p.sampleStack) {
    const names: string[] = [];
    for (let s = stack; s >= 0; s = p.stackParent[s]) names.push(p.strings[p.frameName[p.stackFrame[s]]]);
    countNames(names, 1, counts);
  }
  return counts;
}

/**
 * Collapsed stacks, one "frame;frame;… count" a line: py-spy's raw format ("name (file:line)")
 * and CPython's ("file:qualname:line", after a "tid:N" entry).
 */
function countCollapsed(text: string, nameOf: (frame: string) => string): Counts {
  const counts = { alpha: 0, beta: 0, total: 0 };
  for (const line of text.split('\n')) {
    const space = line.lastIndexOf(' ');
    const weight = Number(line.slice(space + 1));
    if (!line || !Number.isFinite(weight)) continue;
    countNames(line.slice(0, space).split(';').map(nameOf), weight, counts);
  }
  return counts;
}

function countStacks(id: ProfilerId, text: string): Counts {
  if (id.startsWith('hotpath')) return countHotpath(text);
  if (id.startsWith('pyspy')) return countCollapsed(text, (f) => f.split(' (')[0]);
  return countCollapsed(text, (f) => {
    const parts = f.split(':');
    return parts.length >= 3 ? parts[parts.length - 2] : f;
  });
}

export async function measureAgreement(
  pythons: Interpreter[],
  profilerIds: ProfilerId[],
  options: { runs: number; seconds: number; log: (line: string) => void },
): Promise<AgreementPoint[]> {
  const points: AgreementPoint[] = [];
  for (const python of pythons.filter((p) => !p.missing)) {
    for (const id of AGREEMENT_PROFILERS.filter((i) => profilerIds.includes(i))) {
      const p = profiler(id);
      const rateHz = p.hotpathRateHz ?? p.pySpyRateHz ?? p.collapsedRateHz ?? 0;
      const point: AgreementPoint = {
        python: python.label,
        profiler: p.label,
        profilerId: id,
        rateHz,
        runs: [],
        errors: [],
      };
      points.push(point);
      const why = p.unavailable(python);
      if (why) {
        point.skipped = `does not run here: ${why}`;
        continue;
      }
      for (let r = 0; r < options.runs; r++) {
        await waitWhileQuiet(options.log);
        const out = scratchPath(`agreement-${id}-${r}.out`);
        const truthFile = scratchPath(`agreement-${id}-${r}.truth.json`);
        const argv = p.command(python.path, SHARES_SCRIPT, [String(options.seconds), truthFile], out);
        try {
          const t0 = performance.now();
          await run(argv[0], argv.slice(1), { timeout: 120_000, maxBuffer: 1 << 24 });
          const wallS = (performance.now() - t0) / 1000;
          const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as { alpha: number; beta: number };
          const counts = countStacks(id, readFileSync(out, 'utf8'));
          const result: AgreementRun = {
            truthShare: truth.alpha / (truth.alpha + truth.beta),
            sampledShare: counts.alpha / Math.max(1, counts.alpha + counts.beta),
            stacksInEither: counts.alpha + counts.beta,
            stacks: counts.total,
            wallS,
          };
          point.runs.push(result);
          options.log(
            `  ${python.version.padEnd(7)} ${p.label.padEnd(22)} alpha ${(100 * result.sampledShare).toFixed(1)}% ` +
              `of ${result.stacksInEither} stacks, truth ${(100 * result.truthShare).toFixed(1)}%`,
          );
        } catch (err) {
          point.errors.push(String(err).split('\n')[0]);
          options.log(`  ${python.version} ${p.label}: FAILED ${point.errors.at(-1)}`);
        } finally {
          rmSync(out, { force: true });
          rmSync(truthFile, { force: true });
        }
      }
      if (point.runs.length) {
        point.errorPoints = spread(point.runs.map((x) => 100 * Math.abs(x.sampledShare - x.truthShare)));
        point.takenShare = spread(point.runs.map((x) => x.stacks / (x.wallS * rateHz)));
      }
    }
  }
  return points;
}
