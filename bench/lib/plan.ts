/**
 * What a full run measures: which profilers run on which interpreter and
 * workload, and the sampler-cost grid. A profiler that cannot run somewhere is
 * kept as a skipped row with the reason, so the table says what was not compared.
 */
import type { CaseResult, OverheadCase } from './overhead';
import type { PhaseCase } from './phases';
import { PHASE_PROFILERS } from './phases';
import type { ProfilerId } from './profilers';
import { profiler } from './profilers';
import type { Interpreter } from './pythons';
import type { CostPlan } from './samplerCost';
import type { Workload, WorkloadId } from './workloads';

/** Compared on Debian's Python 3.11 (Django, yappi and cProfile all run there). */
export const MAIN_PROFILERS: ProfilerId[] = [
  'control',
  'hotpath-1k',
  'hotpath-10k',
  'pyspy-1k',
  'pyspy-10k',
  'cprofile',
  'yappi',
  'austin',
];
/**
 * On CPython 3.14 and 3.15 (Debian's builds): Hotpath beside the samplers that run there, py-spy
 * (3.14) and the sampler CPython 3.15 ships (`profiling.sampling`), on the call-heavy workload.
 */
export const CURRENT_PROFILERS: ProfilerId[] = [
  'control',
  'hotpath-1k',
  'hotpath-10k',
  'pyspy-1k',
  'pyspy-10k',
  'cpython-sampling-1k',
  'cpython-sampling-10k',
];
export const CURRENT_WORKLOADS: WorkloadId[] = ['callheavy'];
/** Only when asked for (--profilers): what parts of a 10 kHz sample cost the program (lib/floor.ts). */
export const FLOOR_PROFILERS: ProfilerId[] = [
  'floor-wake-10k',
  'floor-stat-10k',
  'floor-readv-10k',
  'floor-busy-10k',
];
/** Debian's austin cannot read 3.11: the out-of-process comparison also runs on 3.10. */
export const PEER_PYTHON_VERSION = '3.10.13';
const PEER_PROFILERS: ProfilerId[] = ['hotpath-1k', 'austin'];
/** Rates of the version sweep; its depth is the targets' 30 frames. */
const COST_RATES_HZ = [1000, 10_000];
/** Depths of the depth sweep (30 comes from the version sweep). */
const SWEEP_DEPTHS = [10, 100, 300];

function skippedCase(python: Interpreter, workload: Workload, id: ProfilerId, reason: string): CaseResult {
  const p = profiler(id);
  return {
    python: python.label,
    workload: workload.title,
    profiler: p.label,
    profilerId: p.id,
    command: [],
    pairs: [],
    errors: [],
    skipped: `does not run here: ${reason}`,
  };
}

/** The overhead cases to run, and (pushed onto `skipped`) the ones that cannot run here. */
export function overheadCases(
  main: Interpreter,
  peer: Interpreter | undefined,
  current: Interpreter[],
  workloads: Workload[],
  profilerIds: ProfilerId[],
  skipped: CaseResult[],
): OverheadCase[] {
  const cases: OverheadCase[] = [];
  const plan: [Interpreter | undefined, ProfilerId[], (w: Workload) => boolean][] = [
    [main, [...MAIN_PROFILERS, ...FLOOR_PROFILERS], () => true],
    [peer, PEER_PROFILERS, (w) => !w.needsDjango],
    ...current.map((python): [Interpreter, ProfilerId[], (w: Workload) => boolean] => [
      python,
      CURRENT_PROFILERS,
      (w) => CURRENT_WORKLOADS.includes(w.id),
    ]),
  ];
  for (const [python, ids, applies] of plan) {
    if (!python || python.missing) continue;
    for (const workload of workloads.filter(applies)) {
      for (const id of ids.filter((i) => profilerIds.includes(i))) {
        const reason = profiler(id).unavailable(python);
        if (reason === null) cases.push({ python, workload, profiler: profiler(id) });
        else skipped.push(skippedCase(python, workload, id, reason));
      }
    }
  }
  return cases;
}

export function costPlans(pythons: Interpreter[]): CostPlan[] {
  return pythons.flatMap((python) => COST_RATES_HZ.map((rateHz) => ({ python, rateHz, depth: 30 })));
}

export function depthPlans(pythons: Interpreter[]): CostPlan[] {
  return pythons.flatMap((python) => SWEEP_DEPTHS.map((depth) => ({ python, rateHz: 1000, depth })));
}

/**
 * The phases section (lib/phases.ts) on Debian's Python: Hotpath at the rates
 * asked for, with the A/A control and the busy neighbour always (the
 * yardsticks of the others).
 */
export function phaseCases(main: Interpreter, workloads: Workload[], profilerIds: ProfilerId[]): PhaseCase[] {
  if (main.missing) return [];
  const ids = PHASE_PROFILERS.filter(
    (id) => id === 'control' || id === 'floor-busy-10k' || profilerIds.includes(id),
  );
  return workloads.flatMap((workload) => ids.map((profilerId) => ({ python: main, workload, profilerId })));
}
