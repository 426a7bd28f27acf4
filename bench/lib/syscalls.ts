/**
 * System calls per sampler tick, counted by the kernel: `perf stat` with
 * syscall tracepoints around `hotpath run`, divided by the ticks the sampler
 * reports. A system call costs several microseconds on these VMs, so this count
 * is the floor under the cost per sample. Only the sampler calls
 * process_vm_readv; pread64 is its /proc thread-state read (Node and Python
 * rarely use it), so both are attributed to the sampler.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { runMeasured } from './exec';
import { readHotpathStats } from './hotpathProfile';
import { scratchPath } from './paths';
import { hotpathCommand } from './profilers';
import type { Interpreter } from './pythons';
import { waitWhileQuiet } from './quiet';
import type { Workload } from './workloads';

const EVENTS = ['process_vm_readv', 'pread64'] as const;
type CountedCall = (typeof EVENTS)[number];

export interface SyscallPoint {
  workload: string;
  python: string;
  rateHz: number;
  command: string[];
  ticks?: number;
  samples?: number;
  meanTickCostUs?: number;
  /** Calls per tick, by system call. */
  perTick?: Record<CountedCall, number>;
  /** Extra kernel time of the program's measured section, per tick (µs), against an unprofiled run. */
  programSysUsPerTick?: number;
  error?: string;
}

/** Null when perf can count syscall tracepoints here, else why not. */
export function perfUnavailable(): string | null {
  try {
    execFileSync('perf', ['stat', '-x,', '-e', 'syscalls:sys_enter_pread64', '--', 'true'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 15_000,
    });
    return null;
  } catch (err) {
    return `perf cannot count syscall tracepoints here (${String(err).split('\n')[0]})`;
  }
}

function parsePerfCsv(text: string): Partial<Record<CountedCall, number>> {
  const counts: Partial<Record<CountedCall, number>> = {};
  for (const line of text.split('\n')) {
    const [value, , event] = line.split(',');
    const name = event?.replace('syscalls:sys_enter_', '') as CountedCall | undefined;
    if (name && (EVENTS as readonly string[]).includes(name)) counts[name] = Number(value);
  }
  return counts;
}

export async function countSyscalls(
  workloads: Workload[],
  python: Interpreter,
  options: { quick: boolean; rateHz: number; log: (line: string) => void },
): Promise<SyscallPoint[]> {
  const points: SyscallPoint[] = [];
  for (const workload of workloads) {
    const args = options.quick ? workload.quickArgs : workload.args;
    const out = scratchPath('syscalls.json');
    const csv = scratchPath('syscalls.csv');
    const events = EVENTS.map((e) => `syscalls:sys_enter_${e}`).join(',');
    const hotpath = hotpathCommand(python.path, options.rateHz, workload.script, args, out);
    const point: SyscallPoint = {
      workload: workload.title,
      python: python.label,
      rateHz: options.rateHz,
      command: [
        'perf',
        'stat',
        '-x,',
        '-o',
        'COUNTS.csv',
        '-e',
        events,
        '--',
        ...hotpath.map((a) => (a === out ? 'OUT.json' : a)),
      ],
    };
    points.push(point);
    try {
      await waitWhileQuiet(options.log);
      const base = await runMeasured([python.path, workload.script, ...args], {
        timeoutMs: 120_000,
        expectReport: true,
      });
      const run = await runMeasured(['perf', 'stat', '-x,', '-o', csv, '-e', events, '--', ...hotpath], {
        timeoutMs: 120_000,
        expectReport: true,
      });
      const stats = readHotpathStats(out);
      const counts = parsePerfCsv(readFileSync(csv, 'utf8'));
      const ticks = stats.stats.ticks;
      point.ticks = ticks;
      point.samples = stats.stats.samples;
      point.meanTickCostUs = stats.stats.meanTickCostUs;
      point.perTick = {
        process_vm_readv: (counts.process_vm_readv ?? NaN) / ticks,
        pread64: (counts.pread64 ?? NaN) / ticks,
      };
      point.programSysUsPerTick =
        (((run.program?.sys_s ?? NaN) - (base.program?.sys_s ?? NaN)) * 1e6) / ticks;
      options.log(
        `  ${workload.id.padEnd(10)} ${point.perTick.process_vm_readv.toFixed(2)} process_vm_readv + ` +
          `${point.perTick.pread64.toFixed(2)} pread64 per tick, ${stats.stats.meanTickCostUs.toFixed(1)} µs/tick, ` +
          `program sys +${point.programSysUsPerTick.toFixed(1)} µs/tick`,
      );
    } catch (err) {
      point.error = String(err instanceof Error ? err.message : err);
      options.log(`  ${workload.id}: FAILED ${point.error.split('\n')[0]}`);
    } finally {
      rmSync(out, { force: true });
      rmSync(csv, { force: true });
    }
  }
  return points;
}
