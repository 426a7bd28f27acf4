/**
 * Running the linux-arm64 build on this x86_64 machine under qemu-user: the addon built by
 * scripts/build-native-cross.mjs, inside an arm64 Node, sampling an arm64 CPython, all emulated
 * (scripts/install-arm64-runtime.sh installs the Node and the interpreters).
 *
 * The sampler can read the emulated interpreter because qemu-user maps a 64-bit guest at the
 * same addresses on the host (its guest base is 0): the interpreter's pointers are addresses in
 * the qemu process, readable from /proc/PID/mem and listed in /proc/PID/maps with their files.
 * qemu-user does not implement process_vm_readv (ENOSYS), so the emulated sampler reads through
 * /proc/PID/mem, the Linux backend's fallback.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SCRIPTS_DIR, type StackColumns } from '../groundTruth-helpers';

const ROOT = join(__dirname, '..', '..', '..');
const CACHE = process.env.HOTPATH_ARM64_CACHE ?? join(homedir(), '.cache', 'hotpath', 'arm64');
const QEMU = 'qemu-aarch64-static';
/** Where Debian's cross compiler puts the arm64 C and C++ libraries that Node is run with. */
const CROSS_SYSROOT = '/usr/aarch64-linux-gnu';
const NODE = join(CACHE, 'node', 'bin', 'node');
const DRIVER = join(__dirname, 'arm64SampleDriver.cjs');
const INSTALL_HINT =
  'install them with `apt-get install qemu-user-static g++-aarch64-linux-gnu` and ' +
  '`scripts/install-arm64-runtime.sh` (.ci/install-system-deps does both)';

export interface Arm64Python {
  /** "3.11" */
  version: string;
  executable: string;
  /** The C library it runs with (qemu's -L). */
  sysroot: string;
  libraries: string[];
}

function debianPython(suite: string, version: string, sysroot: string): Arm64Python {
  const root = join(CACHE, suite);
  return {
    version,
    executable: join(root, 'usr', 'bin', `python${version}`),
    sysroot,
    libraries: [join(root, 'usr', 'lib', 'aarch64-linux-gnu'), join(root, 'lib', 'aarch64-linux-gnu')],
  };
}

/** Debian 12's 3.11 (generated layouts) and unstable's 3.14 (_Py_DebugOffsets), with its glibc. */
export const ARM64_PYTHONS: Arm64Python[] = [
  debianPython('bookworm', '3.11', CROSS_SYSROOT),
  debianPython('sid', '3.14', join(CACHE, 'sid', 'usr')),
];

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}

/** Null when everything the emulated runs need is here; otherwise what is missing and how to get it. */
export function arm64MissingReason(): string | null {
  if (process.arch !== 'x64') return `these tests emulate arm64 on x86_64; this is ${process.arch}`;
  const missing: string[] = [];
  if (!onPath(QEMU)) missing.push(QEMU);
  if (!onPath('aarch64-linux-gnu-g++')) missing.push('aarch64-linux-gnu-g++');
  if (!existsSync(join(CROSS_SYSROOT, 'lib', 'ld-linux-aarch64.so.1')))
    missing.push(`${CROSS_SYSROOT} (arm64 C library)`);
  for (const path of [NODE, ...ARM64_PYTHONS.map((python) => python.executable)]) {
    if (!existsSync(path)) missing.push(path);
  }
  return missing.length ? `missing ${missing.join(', ')}: ${INSTALL_HINT}` : null;
}

function underQemu(sysroot: string, program: string, args: string[], libraries: string[] = []): string[] {
  const env = libraries.length ? ['-E', `LD_LIBRARY_PATH=${libraries.join(':')}`] : [];
  return [QEMU, '-L', sysroot, ...env, program, ...args];
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
 * The linux-arm64 VSIX as `npm run package` makes it (scripts/package.mjs, from the dist/ that
 * is built), unpacked into `dir`/extension: its dist/cli.js and build/Release/hotpath.node are
 * what an arm64 machine installs. Beside it, for each interpreter an executable `pythonX.Y` that
 * starts it under qemu. Returns the VSIX's CLI and addon and those interpreters.
 */
export function arm64Vsix(dir: string): { cli: string; addon: string; pythons: Map<string, string> } {
  const packaged = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts', 'package.mjs'), '--skip-build', '--target', 'linux-arm64'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (packaged.status !== 0) throw new Error(`packaging failed:\n${packaged.stdout}\n${packaged.stderr}`);
  const vsix = join(ROOT, packaged.stdout.trim().split('\n').pop()!);
  // A VSIX is a zip file; Python's zipfile unpacks it without another tool.
  const unpacked = spawnSync('python3', ['-m', 'zipfile', '-e', vsix, dir], { encoding: 'utf8' });
  if (unpacked.status !== 0) throw new Error(`unzip of ${vsix} failed: ${unpacked.stderr}`);
  const pythons = new Map<string, string>();
  for (const python of ARM64_PYTHONS) {
    const wrapper = join(dir, `python${python.version}`);
    const command = underQemu(python.sysroot, python.executable, [], python.libraries);
    writeFileSync(wrapper, `#!/bin/sh\nexec ${command.map((word) => `'${word}'`).join(' ')} "$@"\n`);
    chmodSync(wrapper, 0o755);
    pythons.set(python.version, wrapper);
  }
  const extension = join(dir, 'extension');
  return {
    cli: join(extension, 'dist', 'cli.js'),
    addon: join(extension, 'build', 'Release', 'hotpath.node'),
    pythons,
  };
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
  const [command, ...rest] = underQemu(CROSS_SYSROOT, NODE, args);
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

/** What the addon's finish() resolves with, as the driver prints it (typed arrays as arrays). */
export interface DriverProfile extends StackColumns {
  sampleOnCpu: number[];
  pythonVersion: string;
}

/**
 * Starts `script` (a ground-truth target of test/native/scripts/) with the emulated interpreter
 * `python` (a wrapper from arm64Vsix) and samples it with the addon in the emulated Node through
 * helpers/arm64SampleDriver.cjs; the target starts its measured work once the sampler reads it.
 */
export async function sampleWithArm64Addon(
  addon: string,
  python: string,
  script: string,
  truthPath: string,
  intervalUs: number,
): Promise<DriverProfile> {
  const target = spawn(python, [join(SCRIPTS_DIR, script), truthPath], {
    cwd: SCRIPTS_DIR,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  target.stdin.on('error', () => {});
  try {
    const [command, ...rest] = underQemu(CROSS_SYSROOT, NODE, [
      DRIVER,
      addon,
      String(target.pid),
      String(intervalUs),
    ]);
    const driver = spawn(command, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    driver.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    driver.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.startsWith('ready\n')) target.stdin.end('go\n');
    });
    const status = await new Promise<number | null>((resolve) => driver.on('close', resolve));
    const lines = stdout.trim().split('\n');
    if (status !== 0 || lines.length < 2) {
      throw new Error(`the emulated sampler exited with ${status}:\n${stdout}\n${stderr}`);
    }
    return JSON.parse(lines[lines.length - 1]) as DriverProfile;
  } finally {
    target.kill('SIGKILL');
  }
}
