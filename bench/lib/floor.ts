/**
 * The floor under the slowdown at 10 kHz: bench/floor/ticker.c runs the workload as its child
 * and, at the same rate and with the same absolute deadlines as Hotpath's sampler, does only one
 * part of a sample's work: wake up (`wake`), read the child's /proc stat file (`stat`, the on-CPU
 * check), one vectored read of 8 pages of its heap (`readv`), or compute for 30 µs without
 * touching it (`busy`: a neighbour as busy as the sampler). Paired against unprofiled runs
 * like any profiler, they show what each part costs the program on this machine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, workPath } from './paths';

const SOURCE = join(BENCH_DIR, 'floor', 'ticker.c');
export const FLOOR_RATE_HZ = 10_000;
export type FloorMode = 'wake' | 'stat' | 'readv' | 'busy';

let built: { path: string } | { error: string } | undefined;

/** The ticker binary (compiled once per run with `cc -O2`), or why it is not available. */
export function ticker(): { path: string } | { error: string } {
  if (built) return built;
  const out = workPath('ticker');
  try {
    if (!existsSync(out) || statSync(out).mtimeMs < statSync(SOURCE).mtimeMs) {
      execFileSync('cc', ['-O2', '-o', out, SOURCE], { stdio: ['ignore', 'ignore', 'pipe'] });
    }
    built = { path: out };
  } catch (err) {
    built = {
      error: `bench/floor/ticker.c did not compile (is cc installed?): ${String(err).split('\n')[0]}`,
    };
  }
  return built;
}

/** The ticker in `mode` at the floor rate, running `child` (a command line) while it ticks. */
export function tickerCommand(mode: FloorMode, child: string[]): string[] {
  const t = ticker();
  if ('error' in t) throw new Error(t.error);
  return [t.path, mode, String(FLOOR_RATE_HZ), '--', ...child];
}
