/**
 * Finding and vetting the Python interpreter before anything is spawned, so
 * that an unsupported interpreter fails with a clear message instead of a
 * sampler error after the program already started.
 *
 *   resolveInterpreter(nameOrPath?, env?) → absolute path (PATH lookup for bare names)
 *   checkInterpreterVersion(pythonPath, { timeoutMs?, env? }) → InterpreterInfo
 *   describeInterpreterSupport(info) → HotpathError | null (used by checkInterpreterVersion)
 *
 * Supported: CPython 3.8 – 3.15, release (non-debug) builds with the GIL.
 * Both functions reject with a HotpathError (see ./errors.ts).
 */
import { execFile } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { HotpathError } from './errors';

export const MIN_PYTHON: readonly [number, number] = [3, 8];
export const MAX_PYTHON: readonly [number, number] = [3, 15];

export interface InterpreterInfo {
  /** The path that was asked about (a shim or venv symlink stays as given). */
  path: string;
  /** `sys.executable` as the interpreter reports it. */
  executable: string;
  /** "3.12.1" */
  version: string;
  major: number;
  minor: number;
  /** `sys.implementation.name`: "cpython", "pypy", … */
  implementation: string;
  debugBuild: boolean;
  freeThreaded: boolean;
}

/**
 * Resolves an interpreter name or path to an absolute path. A bare name
 * (`python3`) is looked up on PATH; a path is checked to exist and be executable.
 */
export async function resolveInterpreter(
  nameOrPath = 'python3',
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (nameOrPath.includes('/') || nameOrPath.includes(path.sep)) {
    const absolute = path.resolve(nameOrPath);
    await assertExecutable(absolute);
    return absolute;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, nameOrPath);
    if (await isExecutableFile(candidate)) return candidate;
  }
  throw new HotpathError(
    'HOTPATH_PYTHON_NOT_FOUND',
    `Python interpreter "${nameOrPath}" was not found on PATH. Install Python 3.8–3.15 or pass its path ` +
      `(CLI: --python /path/to/python; VS Code: select an interpreter or set hotpath.pythonPath).`,
  );
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function assertExecutable(file: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new HotpathError(
      'HOTPATH_PYTHON_NOT_FOUND',
      `Python interpreter not found: ${file}. Check the path (a venv may have been deleted or moved).`,
    );
  }
  if (!stat.isFile()) {
    throw new HotpathError(
      'HOTPATH_PYTHON_NOT_EXECUTABLE',
      `${file} is not a file. Point to the python executable itself (for a venv: <venv>/bin/python).`,
    );
  }
  try {
    await fs.access(file, fsConstants.X_OK);
  } catch {
    throw new HotpathError(
      'HOTPATH_PYTHON_NOT_EXECUTABLE',
      `${file} is not executable. Fix its permissions (chmod +x) or choose another interpreter.`,
    );
  }
}

// Runs on any Python (2.7 included) so that a too-old interpreter gets a
// version error rather than a syntax error. One JSON line on stdout.
const PROBE = [
  'import sys, json',
  'try:',
  '    import sysconfig; ft = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))',
  'except Exception:',
  '    ft = False',
  'impl = getattr(sys, "implementation", None)',
  'sys.stdout.write(json.dumps({"executable": sys.executable, "version": list(sys.version_info[:3]),',
  '  "implementation": impl.name if impl else "cpython", "debug": hasattr(sys, "gettotalrefcount"),',
  '  "freeThreaded": ft}) + "\\n")',
].join('\n');

interface ProbeOutput {
  executable: string;
  version: [number, number, number];
  implementation: string;
  debug: boolean;
  freeThreaded: boolean;
}

/**
 * Asks the interpreter what it is (with a timeout) and rejects when the
 * sampler cannot profile it: not found, not executable, not CPython, older
 * than 3.8, newer than 3.15, a debug build or a free-threaded build.
 */
export async function checkInterpreterVersion(
  pythonPath: string,
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<InterpreterInfo> {
  await assertExecutable(pythonPath);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      pythonPath,
      ['-c', PROBE],
      { timeout: timeoutMs, env: options.env ?? process.env, encoding: 'utf8', maxBuffer: 1 << 20 },
      (error, out, err) => {
        if (!error) return resolve(out);
        const timedOut = (error as NodeJS.ErrnoException & { killed?: boolean }).killed;
        const detail = timedOut
          ? `it did not answer within ${timeoutMs / 1000} s`
          : (err.trim().split('\n').pop() ?? error.message);
        reject(
          new HotpathError(
            'HOTPATH_PYTHON_NOT_EXECUTABLE',
            `Could not run ${pythonPath} to read its version: ${detail}. Check that it is a working Python interpreter.`,
          ),
        );
      },
    );
  });
  let probe: ProbeOutput;
  try {
    probe = JSON.parse(stdout.trim().split('\n').pop() ?? '') as ProbeOutput;
  } catch {
    throw new HotpathError(
      'HOTPATH_PYTHON_NOT_EXECUTABLE',
      `${pythonPath} did not behave like a Python interpreter (unexpected output: ${JSON.stringify(stdout.slice(0, 200))}).`,
    );
  }
  const [major, minor, micro] = probe.version;
  const info: InterpreterInfo = {
    path: pythonPath,
    executable: probe.executable,
    version: `${major}.${minor}.${micro}`,
    major,
    minor,
    implementation: probe.implementation,
    debugBuild: probe.debug,
    freeThreaded: probe.freeThreaded,
  };
  const problem = describeInterpreterSupport(info);
  if (problem) throw problem;
  return info;
}

/** Null when the sampler supports this interpreter, else the error to show. */
export function describeInterpreterSupport(info: InterpreterInfo): HotpathError | null {
  const where = `${info.path} (Python ${info.version})`;
  if (info.implementation !== 'cpython') {
    return new HotpathError(
      'HOTPATH_NOT_CPYTHON',
      `${where} is ${info.implementation}, not CPython. Hotpath reads CPython's memory layout; ` +
        `choose a CPython 3.8–3.15 interpreter.`,
    );
  }
  const version = info.major * 100 + info.minor;
  if (version < MIN_PYTHON[0] * 100 + MIN_PYTHON[1]) {
    return new HotpathError(
      'HOTPATH_UNSUPPORTED_VERSION',
      `${where} is too old: Hotpath supports CPython ${MIN_PYTHON.join('.')}–${MAX_PYTHON.join('.')}. ` +
        `Choose a newer interpreter.`,
    );
  }
  if (version > MAX_PYTHON[0] * 100 + MAX_PYTHON[1]) {
    return new HotpathError(
      'HOTPATH_UNSUPPORTED_VERSION',
      `${where} is newer than this version of Hotpath knows (up to ${MAX_PYTHON.join('.')}). ` +
        `Update Hotpath or choose CPython ${MIN_PYTHON.join('.')}–${MAX_PYTHON.join('.')}.`,
    );
  }
  if (info.debugBuild) {
    return new HotpathError(
      'HOTPATH_UNSUPPORTED_VERSION',
      `${where} is a debug build (--with-pydebug), whose memory layout differs. Use a release build.`,
    );
  }
  if (info.freeThreaded) {
    return new HotpathError(
      'HOTPATH_UNSUPPORTED_VERSION',
      `${where} is a free-threaded build (no GIL), which Hotpath cannot sample yet ` +
        `(docs/free-threaded.md says why). ` +
        `Use the regular build (python${info.major}.${info.minor}, not python${info.major}.${info.minor}t).`,
    );
  }
  return null;
}
