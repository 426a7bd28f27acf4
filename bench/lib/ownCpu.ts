/**
 * The CPU a profiler spends outside the profiled program, from two numbers the
 * harness has for every run: the CPU of the whole command (wait4, includes
 * the Python child once reaped) and the Python process's own CPU up to the end
 * of its measured section (its report). What Python spends after that point
 * (interpreter shutdown) is taken from the paired unprofiled run.
 */
import type { ExecResult } from './exec';

/** CPU seconds of the command not spent by the Python process; NaN when unknown. */
export function profilerOwnCpuS(profiled: ExecResult, base: ExecResult): number {
  if (!profiled.program || !base.program) return NaN;
  const pythonTail = Math.max(0, base.cpuS - base.program.process_cpu_s);
  return profiled.cpuS - profiled.program.process_cpu_s - pythonTail;
}
