/**
 * Running the shipped `hotpath` command (bin/hotpath.js → dist/cli.js) in CLI tests:
 *
 *   const workspace = cliWorkspace('exports'); // builds the CLI before the file's tests (test what
 *                                              // ships), a temporary directory removed after
 *   const run = await workspace.run(['run', 'x.py'], { onStdout: (text, pid) => … }); // cwd: workspace.dir
 *
 * Each run is its own process group, so a test can deliver a terminal-style
 * Ctrl-C to the whole group, or a signal to the hotpath process alone.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { RawProfile } from '../../../extension/model/rawProfile';

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
  /** Added to the environment (TMPDIR, …). */
  env?: NodeJS.ProcessEnv;
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

export interface CliWorkspace {
  /** The temporary working directory (set once the tests run). */
  readonly dir: string;
  /** Runs hotpath with `dir` as its working directory. */
  run(args: string[], options?: CliOptions): Promise<CliRun>;
}

export function cliWorkspace(name: string): CliWorkspace {
  let dir = '';
  before(() => {
    buildCli();
    dir = mkdtempSync(join(tmpdir(), `hotpath-${name}-`));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  return {
    get dir() {
      return dir;
    },
    run: (args, options = {}) => hotpath(args, { cwd: dir, ...options }),
  };
}

export function hotpath(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
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

/** How many samples have `functionName` anywhere on their stack. */
export function sampleCount(profile: RawProfile, functionName: string): number {
  let count = 0;
  for (const stack of profile.sampleStack) {
    for (let s = stack; s >= 0; s = profile.stackParent[s]) {
      if (profile.strings[profile.frameName[profile.stackFrame[s]]] === functionName) {
        count++;
        break;
      }
    }
  }
  return count;
}
