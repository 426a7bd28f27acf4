/**
 * The CPython interpreters the native tests run against: every supported
 * pyenv version, Debian's static /usr/bin/python3.11, and CPython 3.14 and 3.15
 * in both layouts (static and shared libpython). A missing one is
 * listed with the reason, so a suite can skip it and say why instead of
 * silently testing less. CPython 3.14 and 3.15 come from scripts/install-cpython.sh
 * (`currentCpythons()`).
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { cachedCpythons, CPYTHON_INSTALL_HINT, type CpythonLayout } from '../../../scripts/cpythonCache';

export interface PythonInterpreter {
  /** Short label for test names: "3.12.1", "3.11.2 (static)". */
  label: string;
  /** Expected major.minor, e.g. "3.12". */
  minor: string;
  /** Absolute path of the interpreter binary. */
  path: string;
  /** Full version reported by the interpreter, or the expected one when missing. */
  version: string;
  /** True when libpython is linked statically into the binary. */
  staticBuild: boolean;
  /** Null when usable; otherwise why this interpreter cannot be tested here. */
  missingReason: string | null;
}

const PYENV_ROOT = process.env.PYENV_ROOT ?? '/root/.pyenv';

/** Versions the sampler supports, as installed by pyenv on the test machines. */
const PYENV_VERSIONS = ['3.8.18', '3.9.18', '3.10.13', '3.11.7', '3.12.1', '3.13.0'];

const SYSTEM_PYTHON = '/usr/bin/python3.11';

function probe(path: string): { version: string } | { error: string } {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return { error: `${path} not found or not executable` };
  }
  try {
    const out = execFileSync(path, ['-c', 'import platform; print(platform.python_version())'], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    return { version: out.trim() };
  } catch (err) {
    return { error: `${path} does not run: ${(err as Error).message.split('\n')[0]}` };
  }
}

function describe(path: string, expected: string, staticBuild: boolean): PythonInterpreter {
  const minor = expected.split('.').slice(0, 2).join('.');
  const result = probe(path);
  if ('error' in result) {
    return { label: expected, minor, path, version: expected, staticBuild, missingReason: result.error };
  }
  const label = staticBuild ? `${result.version} (static)` : result.version;
  const missingReason = result.version.startsWith(`${minor}.`)
    ? null
    : `${path} reports ${result.version}, expected ${minor}.x`;
  return { label, minor, path, version: result.version, staticBuild, missingReason };
}

let cached: PythonInterpreter[] | undefined;

/**
 * Every interpreter the native suites cover, installed or not (check
 * `missingReason`). Probed once per test process.
 */
export function pythonVersions(): PythonInterpreter[] {
  cached ??= [
    ...PYENV_VERSIONS.map((v) => describe(`${PYENV_ROOT}/versions/${v}/bin/python3`, v, false)),
    describe(SYSTEM_PYTHON, '3.11', true),
    ...currentCpythons(),
  ];
  return cached;
}

/** The installed interpreters only. */
export function installedPythons(): PythonInterpreter[] {
  return pythonVersions().filter((p) => p.missingReason === null);
}

export interface CurrentCpython extends PythonInterpreter {
  layout: CpythonLayout;
}

let current: CurrentCpython[] | undefined;

/**
 * CPython 3.14 and 3.15 as scripts/install-cpython.sh installs them, each in Debian's static
 * layout and the shared-libpython one, installed or not (a missing one says how to install it).
 * Probed once per test process.
 */
export function currentCpythons(): CurrentCpython[] {
  current ??= cachedCpythons().map(({ minor, layout, path }) => {
    const python = describe(path, minor, layout === 'static');
    if (python.missingReason === null) return { ...python, layout };
    const label = `${minor} (${layout})`;
    return { ...python, label, layout, missingReason: `${python.missingReason}; ${CPYTHON_INSTALL_HINT}` };
  });
  return current;
}
