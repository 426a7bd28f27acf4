/**
 * Drives the shipped `hotpath` command (bin/hotpath.js) on the fault and load
 * targets in this folder. The CLI's stdout and stderr go to files by default,
 * not pipes: a program that forks or daemonises hands its descriptors on to a
 * process that outlives it, and a pipe would then stay open (and a reader
 * waiting for its end would wait for that process, not for the CLI).
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfile } from '../../../../extension/format/profileFile';
import type { RawProfile } from '../../../../extension/model/rawProfile';
import { statFields } from '../../helpers/processes';
import { installedPythons, type PythonInterpreter } from '../../helpers/pythons';

const ROOT = join(__dirname, '..', '..', '..', '..');
const BIN = join(ROOT, 'bin', 'hotpath.js');
export const FAULTS_DIR = __dirname;

export interface CliRun {
  /** The CLI's exit status (null when it died of a signal). */
  status: number | null;
  signal: NodeJS.Signals | null;
  /** The CLI's stdout (the program's): the file's text, or the tail of a drained pipe. */
  stdout: string;
  /** Bytes seen on stdout. */
  stdoutBytes: number;
  stderr: string;
  /** pid of the CLI process itself. */
  pid: number;
}

export interface CliOptions {
  /**
   * 'file' (default): stdout to a file, read after the exit. 'drain': a pipe read as fast as
   * it comes (only the last 64 KiB kept), with `onStdout` seeing each chunk; the run ends when
   * the CLI has exited and the pipe has closed.
   */
  stdout?: 'file' | 'drain';
  onStdout?: (chunk: string, cliPid: number) => void;
  /** Added to the environment of the CLI (and so of the program). */
  env?: NodeJS.ProcessEnv;
}

/** Rebuilds the CLI bundle so that the tests run what ships; returns a scratch directory. */
export function prepareCli(): { dir: string; cleanup(): void } {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-faults-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let runs = 0;

/** Runs `hotpath args…` in `dir` and resolves once it has exited. */
export function hotpath(dir: string, args: string[], options: CliOptions = {}): Promise<CliRun> {
  const id = ++runs;
  const stderrPath = join(dir, `cli-${id}.stderr`);
  const stdoutPath = join(dir, `cli-${id}.stdout`);
  const stderrFd = openSync(stderrPath, 'w');
  const drain = options.stdout === 'drain';
  const stdoutFd = drain ? -1 : openSync(stdoutPath, 'w');
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: dir,
    stdio: ['ignore', drain ? 'pipe' : stdoutFd, stderrFd],
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  closeSync(stderrFd); // the child holds its own copies
  if (!drain) closeSync(stdoutFd);
  let tail = '';
  let bytes = 0;
  const stdoutClosed = new Promise<void>((resolve) => {
    if (!child.stdout) return resolve();
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      const text = chunk.toString('latin1');
      tail = (tail + text).slice(-65536);
      options.onStdout?.(text, child.pid!);
    });
    child.stdout.on('close', resolve);
  });
  const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (status, signal) => resolve({ status, signal })),
  );
  return (async () => {
    const { status, signal } = await exited;
    await stdoutClosed;
    const stdout = drain ? tail : readFileSync(stdoutPath, 'latin1');
    return {
      status,
      signal,
      stdout,
      stdoutBytes: drain ? bytes : stdout.length,
      stderr: readFileSync(stderrPath, 'utf8'),
      pid: child.pid!,
    };
  })();
}

/**
 * `hotpath run --python PYTHON --format json -o OUT [extra…] SCRIPT args…` on a script of this
 * folder, plus the loaded profile (null when no file was written).
 */
export async function profileScript(
  dir: string,
  python: PythonInterpreter,
  script: string,
  scriptArgs: string[] = [],
  options: CliOptions & { extra?: string[] } = {},
): Promise<{ run: CliRun; profile: RawProfile | null; out: string }> {
  const out = join(dir, `${script.replace(/\.py$/, '')}-${++runs}.hotpath.json`);
  const args = ['run', '--python', python.path, '--format', 'json', '-o', out, ...(options.extra ?? [])];
  const run = await hotpath(dir, [...args, join(FAULTS_DIR, script), ...scriptArgs], options);
  let profile: RawProfile | null = null;
  try {
    profile = loadProfile(readFileSync(out, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { run, profile, out };
}

/**
 * The interpreters these suites use: the newest installed (shared libpython) and one before
 * 3.11 (frame objects instead of interpreter frames, the other thread-state layout).
 */
export function suitePythons(): {
  newest: PythonInterpreter | undefined;
  pre311: PythonInterpreter | undefined;
} {
  const shared = installedPythons().filter((p) => !p.staticBuild);
  const pre = shared.filter((p) => Number(p.minor.split('.')[1]) < 11);
  return { newest: shared.at(-1), pre311: pre.find((p) => p.minor === '3.10') ?? pre.at(-1) };
}

/** Samples whose stack contains a frame of `name`, counted once each. */
export function samplesIn(profile: RawProfile, name: string): number {
  const has = new Uint8Array(profile.stackParent.length);
  for (let s = 0; s < has.length; s++) {
    const parent = profile.stackParent[s];
    const here = profile.strings[profile.frameName[profile.stackFrame[s]]] === name;
    has[s] = here || (parent >= 0 && has[parent] === 1) ? 1 : 0;
  }
  let count = 0;
  for (const stack of profile.sampleStack) if (stack >= 0 && has[stack] === 1) count++;
  return count;
}

/** Depth (frames) of a stack node. */
export function depthOf(profile: RawProfile, stack: number): number {
  let depth = 0;
  for (let s = stack; s >= 0; s = profile.stackParent[s]) depth++;
  return depth;
}

/** A process that exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  try {
    return statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'))[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Resident set size of a process, bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}
