/**
 * Running the shipped `hotpath` command (bin/hotpath.js → dist/cli.js) in CLI tests:
 *
 *   before(buildCli);                                   // test what ships: the bundle npm builds
 *   const run = await hotpath(['run', 'x.py'], { cwd, onStdout: (text, pid) => … });
 *
 * Each run is its own process group, so a test can deliver a terminal-style
 * Ctrl-C to the whole group, or a signal to the hotpath process alone.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
export const BIN = join(ROOT, 'bin', 'hotpath.js');

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Sees stdout as it comes, with the hotpath process's pid. */
  onStdout?: (text: string, pid: number) => void;
  /** Sees stderr as it comes, with the hotpath process's pid. */
  onStderr?: (text: string, pid: number) => void;
}

const live = new Set<number>();
// A test that failed or timed out leaves no hotpath behind (its program then exits, orphaned).
process.on('exit', () => {
  for (const pid of live) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export function buildCli(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });
}

export function hotpath(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, NO_COLOR: '1' },
    });
    if (child.pid !== undefined) live.add(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(stdout, child.pid!);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(stderr, child.pid!);
    });
    child.on('close', (status, signal) => {
      live.delete(child.pid!);
      resolve({ status, signal, stdout, stderr });
    });
  });
}
