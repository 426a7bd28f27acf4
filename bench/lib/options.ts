/** The command line of `npm run bench` (see bench/README.md). */
import { parseArgs } from 'node:util';
import { CURRENT_PROFILERS, FLOOR_PROFILERS, MAIN_PROFILERS } from './plan';
import type { ProfilerId } from './profilers';
import type { BenchOptions, Section } from './results';
import { SECTIONS } from './results';
import type { Workload, WorkloadId } from './workloads';
import { WORKLOADS } from './workloads';

export interface ParsedOptions extends BenchOptions {
  workloads: Workload[];
  profilerIds: ProfilerId[];
  phaseRuns: number;
  phaseSeconds: number;
  phaseMs: number;
  /** Where the Markdown goes instead of the default (bench/RESULTS.md, or the quick file). */
  out?: string;
  /** Re-render the Markdown from bench/.work/results.json without measuring anything. */
  renderOnly: boolean;
}

function list<T extends string>(
  raw: string | undefined,
  allowed: readonly T[],
  what: string,
  defaults: readonly T[] = allowed,
): T[] {
  if (raw === undefined) return [...defaults];
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!allowed.includes(item as T)) {
      throw new Error(`unknown ${what} "${item}"; choose from ${allowed.join(', ')}`);
    }
  }
  return items as T[];
}

function positiveNumber(raw: string | undefined, fallback: number, what: string): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${what} must be a positive number (got "${raw}")`);
  }
  return value;
}

export function parseBenchArgs(argv: string[]): ParsedOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      pairs: { type: 'string' },
      quick: { type: 'boolean', default: false },
      sections: { type: 'string' },
      workloads: { type: 'string' },
      profilers: { type: 'string' },
      seconds: { type: 'string' },
      reps: { type: 'string' },
      'phase-runs': { type: 'string' },
      'phase-seconds': { type: 'string' },
      'phase-ms': { type: 'string' },
      out: { type: 'string' },
      'render-only': { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const quick = values.quick ?? false;
  const workloadIds = list<WorkloadId>(
    values.workloads,
    WORKLOADS.map((w) => w.id),
    'workload',
  );
  return {
    pairs: Math.round(positiveNumber(values.pairs, quick ? 1 : 3, '--pairs')),
    quick,
    sections: list<Section>(values.sections, SECTIONS, 'section'),
    costSeconds: positiveNumber(values.seconds, quick ? 0.5 : 2, '--seconds'),
    costReps: Math.round(positiveNumber(values.reps, quick ? 1 : 2, '--reps')),
    phaseRuns: Math.round(positiveNumber(values['phase-runs'], quick ? 1 : 2, '--phase-runs')),
    phaseSeconds: positiveNumber(values['phase-seconds'], quick ? 3 : 15, '--phase-seconds'),
    phaseMs: positiveNumber(values['phase-ms'], 250, '--phase-ms'),
    workloads: WORKLOADS.filter((w) => workloadIds.includes(w.id)),
    profilerIds: list<ProfilerId>(
      values.profilers,
      [...new Set([...MAIN_PROFILERS, ...CURRENT_PROFILERS, ...FLOOR_PROFILERS])],
      'profiler',
      [...new Set([...MAIN_PROFILERS, ...CURRENT_PROFILERS])],
    ),
    out: values.out,
    renderOnly: values['render-only'] ?? false,
  };
}
