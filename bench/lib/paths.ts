/** Where the benchmark finds the product, its workloads, and its scratch space. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const REPO_DIR = dirname(BENCH_DIR);
export const WORKLOADS_DIR = join(BENCH_DIR, 'workloads');
export const HOTPATH_BIN = join(REPO_DIR, 'bin', 'hotpath.js');
/** Git-ignored: raw results of the last runs. */
export const WORK_DIR = join(BENCH_DIR, '.work');

let scratchDir: string | undefined;

/** A path in this run's temporary directory (profiles, rusage reports). */
export function scratchPath(name: string): string {
  scratchDir ??= mkdtempSync(join(tmpdir(), 'hotpath-bench-'));
  return join(scratchDir, name);
}

export function removeScratch(): void {
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  scratchDir = undefined;
}

export function workPath(name: string): string {
  mkdirSync(WORK_DIR, { recursive: true });
  return join(WORK_DIR, name);
}
