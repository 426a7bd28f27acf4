/** Everything one benchmark run measured, as written to bench/.work/results.json. */
import type { MachineInfo } from './machine';
import type { ModelBenchResult } from './modelBench';
import type { PanelBenchResult } from './panelBench';
import type { CaseResult } from './overhead';
import type { CostPoint } from './samplerCost';

export interface BenchOptions {
  pairs: number;
  quick: boolean;
  sections: Section[];
  costSeconds: number;
  costReps: number;
}

export type Section = 'overhead' | 'cost' | 'depth' | 'model' | 'panel';
export const SECTIONS: readonly Section[] = ['overhead', 'cost', 'depth', 'model', 'panel'];

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  /** The command that produced these results. */
  invocation: string;
  options: BenchOptions;
  machine: MachineInfo;
  pythons: { label: string; path: string; missing: string | null }[];
  overhead: CaseResult[];
  cost: CostPoint[];
  depth: CostPoint[];
  model?: ModelBenchResult;
  panel?: PanelBenchResult;
}
