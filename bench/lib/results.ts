/** Everything one benchmark run measured, as written to bench/.work/results.json. */
import type { AgreementPoint } from './agreement';
import type { MachineInfo } from './machine';
import type { EditorBenchResult } from './editorBench';
import type { ModelBenchResult } from './modelBench';
import type { PanelBenchResult } from './panelBench';
import type { CaseResult } from './overhead';
import type { PhaseResult } from './phases';
import type { CostPoint } from './samplerCost';
import type { SyscallPoint } from './syscalls';

export interface BenchOptions {
  pairs: number;
  quick: boolean;
  sections: Section[];
  costSeconds: number;
  costReps: number;
  /** The phases section: runs per case, seconds per run, milliseconds per phase. */
  phaseRuns?: number;
  phaseSeconds?: number;
  phaseMs?: number;
}

export type Section =
  'overhead' | 'agreement' | 'phases' | 'cost' | 'depth' | 'syscalls' | 'model' | 'panel' | 'editor';
export const SECTIONS: readonly Section[] = [
  'overhead',
  'agreement',
  'phases',
  'cost',
  'depth',
  'syscalls',
  'model',
  'panel',
  'editor',
];

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  /** The command that produced these results. */
  invocation: string;
  options: BenchOptions;
  machine: MachineInfo;
  /** Modification times of the Hotpath files the run used (copied aside at the start). */
  hotpathBuild?: Record<string, string>;
  pythons: { label: string; path: string; missing: string | null }[];
  overhead: CaseResult[];
  /** Absent in results from before the agreement section existed. */
  agreement?: AgreementPoint[];
  /** Absent in results from before the phases section existed. */
  phases?: PhaseResult[];
  cost: CostPoint[];
  depth: CostPoint[];
  syscalls: SyscallPoint[];
  /** Why the syscall section did not run, when it did not. */
  syscallsSkipped?: string;
  model?: ModelBenchResult;
  panel?: PanelBenchResult;
  editor?: EditorBenchResult;
}
