/**
 * Spawning real target processes for native tests, and making sure none
 * outlives the test that started it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Target {
  child: ChildProcess;
  pid: number;
  /** Everything the process wrote to stdout so far. */
  stdout(): string;
  /** Resolves when stdout contains `marker` (rejects if the process exits first). */
  waitFor(marker: string): Promise<void>;
  /** Resolves with the exit code (or null on a signal) once the process has exited. */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts `command args…` with stdout captured and stderr passed through to the test log. */
export function startTarget(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Target {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  live.add(child);
  let out = '';
  const waiters: { marker: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    out += chunk;
    for (const w of waiters.splice(0)) {
      if (out.includes(w.marker)) w.resolve();
      else waiters.push(w);
    }
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      live.delete(child);
      for (const w of waiters.splice(0))
        w.reject(new Error(`${command} exited (${code}) before "${w.marker}"`));
      resolve(code);
    });
  });
  return {
    child,
    pid: child.pid,
    stdout: () => out,
    waitFor: (marker) =>
      out.includes(marker)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => waiters.push({ marker, resolve, reject })),
    exited,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** Writes `source` to a fresh temporary directory and returns its path; `cleanup` removes it. */
export function writeScript(name: string, source: string): { path: string; dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-test-'));
  const path = join(dir, name);
  writeFileSync(path, source);
  return { path, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The fields of a /proc stat line from field 3 (the state letter) on. The command name before
 * them may hold spaces and parentheses, so they start after the last ')'.
 */
export function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** A pid that no process has: one past the kernel's maximum. */
export function unusedPid(): number {
  return 4_194_304 + 1;
}
