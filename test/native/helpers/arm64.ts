/**
 * Running the linux-arm64 build on this x86_64 machine under qemu-user: the addon built by
 * scripts/build-native-cross.mjs, inside an arm64 Node, sampling an arm64 CPython, all three
 * emulated (scripts/install-arm64-runtime.sh installs the Node and the Python).
 *
 * The sampler can read the emulated interpreter because qemu-user maps a 64-bit guest at the
 * same addresses on the host (its guest base is 0): the interpreter's pointers are addresses in
 * the qemu process, readable from /proc/PID/mem and listed in /proc/PID/maps with their files.
 * qemu-user does not implement process_vm_readv (ENOSYS), so the emulated sampler reads through
 * /proc/PID/mem, the Linux backend's fallback.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const CACHE = process.env.HOTPATH_ARM64_CACHE ?? join(homedir(), '.cache', 'hotpath', 'arm64');
/** Where Debian's cross compiler puts the arm64 C and C++ libraries qemu loads programs with. */
const SYSROOT = '/usr/aarch64-linux-gnu';
const QEMU = 'qemu-aarch64-static';
export const ARM64_NODE = join(CACHE, 'node', 'bin', 'node');
export const ARM64_PYTHON_VERSION = '3.11';
const PYTHON = join(CACHE, 'root', 'usr', 'bin', `python${ARM64_PYTHON_VERSION}`);
const PYTHON_LIBRARIES = ['usr/lib/aarch64-linux-gnu', 'lib/aarch64-linux-gnu'].map((dir) =>
  join(CACHE, 'root', dir),
);
const INSTALL_HINT =
  'install them with `apt-get install qemu-user-static g++-aarch64-linux-gnu` and ' +
  '`scripts/install-arm64-runtime.sh` (.ci/install-system-deps does both)';

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}

/** Null when everything the emulated run needs is here; otherwise what is missing and how to get it. */
export function arm64MissingReason(): string | null {
  const missing: string[] = [];
  if (process.arch !== 'x64') return `these tests emulate arm64 on x86_64; this is ${process.arch}`;
  if (!onPath(QEMU)) missing.push(QEMU);
  if (!existsSync(join(SYSROOT, 'lib', 'ld-linux-aarch64.so.1')))
    missing.push(`${SYSROOT} (arm64 C library)`);
  if (!onPath('aarch64-linux-gnu-g++')) missing.push('aarch64-linux-gnu-g++');
  if (!existsSync(ARM64_NODE)) missing.push(ARM64_NODE);
  if (!existsSync(PYTHON)) missing.push(PYTHON);
  return missing.length ? `missing ${missing.join(', ')}: ${INSTALL_HINT}` : null;
}

/** The command line that runs an arm64 program under qemu-user. */
export function underQemu(program: string, args: string[], libraryPath: string[] = []): string[] {
  const env = libraryPath.length ? ['-E', `LD_LIBRARY_PATH=${libraryPath.join(':')}`] : [];
  return [QEMU, '-L', SYSROOT, ...env, program, ...args];
}

/** Builds (if stale) the arm64 addon and returns its path. */
export function buildArm64Addon(): string {
  const built = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts', 'build-native-cross.mjs'), 'linux-arm64'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (built.status !== 0) throw new Error(`cross build failed:\n${built.stdout}\n${built.stderr}`);
  return join(ROOT, 'build-cross', 'linux-arm64', 'build', 'Release', 'hotpath.node');
}

/**
 * An installed-extension layout for arm64 in `dir`: dist/ (the bundles, as built) and
 * build/Release/hotpath.node (the arm64 addon), where the bundles look for it, plus an executable
 * `python3.11` that starts the arm64 interpreter under qemu. Returns the CLI and that python.
 */
export function arm64App(dir: string, addon: string): { cli: string; python: string } {
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
  cpSync(addon, join(dir, 'build', 'Release', 'hotpath.node'));
  const python = join(dir, `python${ARM64_PYTHON_VERSION}`);
  const quoted = underQemu(PYTHON, [], PYTHON_LIBRARIES).map((word) => `'${word}'`);
  writeFileSync(python, `#!/bin/sh\nexec ${quoted.join(' ')} "$@"\n`);
  chmodSync(python, 0o755);
  return { cli: join(dir, 'dist', 'cli.js'), python };
}

export interface EmulatedRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the arm64 Node under qemu with `args`, `input` on its stdin. */
export function runArm64Node(
  args: string[],
  options: { cwd?: string; input?: string } = {},
): Promise<EmulatedRun> {
  const [command, ...rest] = underQemu(ARM64_NODE, args);
  return new Promise((resolve) => {
    const child = spawn(command, rest, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.on('error', () => {}); // a program that exited without reading
    child.stdin.end(options.input ?? '');
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
