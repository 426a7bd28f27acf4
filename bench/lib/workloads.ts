/** The workloads of bench/workloads/: each runs ~1–3 s and times its own measured section. */
import { join } from 'node:path';
import { WORKLOADS_DIR } from './paths';

export type WorkloadId = 'django' | 'callheavy' | 'threads' | 'deepstack';

export interface Workload {
  id: WorkloadId;
  title: string;
  script: string;
  /** Arguments of a full run, and of a --quick run (a fraction of the work). */
  args: string[];
  quickArgs: string[];
  singleThreaded: boolean;
  /** Needs Django: only Debian's interpreter has it. */
  needsDjango: boolean;
}

export const WORKLOADS: readonly Workload[] = [
  {
    id: 'django',
    title: 'Django template render ×4000',
    script: join(WORKLOADS_DIR, 'django_templates.py'),
    args: ['4000'],
    quickArgs: ['400'],
    singleThreaded: true,
    needsDjango: true,
  },
  {
    id: 'callheavy',
    title: 'Call-heavy pure Python',
    script: join(WORKLOADS_DIR, 'callheavy.py'),
    args: ['2000'],
    quickArgs: ['200'],
    singleThreaded: true,
    needsDjango: false,
  },
  {
    id: 'threads',
    title: 'Four threads: CPU, sleeps, blocking waits',
    script: join(WORKLOADS_DIR, 'threads.py'),
    args: ['1'],
    quickArgs: ['1'],
    singleThreaded: false,
    needsDjango: false,
  },
  {
    id: 'deepstack',
    title: 'Deep stacks (100–300 frames)',
    script: join(WORKLOADS_DIR, 'deepstack.py'),
    args: ['25000'],
    quickArgs: ['2500'],
    singleThreaded: true,
    needsDjango: false,
  },
];

/** Holds a fixed stack depth on one thread: `fixed_depth.py DEPTH SECONDS`. */
export const FIXED_DEPTH_SCRIPT = join(WORKLOADS_DIR, 'fixed_depth.py');
