/** The interpreters the benchmark uses, probed once: path, version, and why one is missing. */
import { execFileSync } from 'node:child_process';
import { cachedCpythons, CPYTHON_INSTALL_HINT, type CpythonLayout } from '../../scripts/cpythonCache';

export interface Interpreter {
  /** "3.11.2 (Debian, static)", "3.12.1". */
  label: string;
  path: string;
  /** "3.11.2", or "" when it does not run. */
  version: string;
  /** Null when usable, else why not. */
  missing: string | null;
}

const PYENV_ROOT = process.env.PYENV_ROOT ?? '/root/.pyenv';
const PYENV_VERSIONS = ['3.8.18', '3.9.18', '3.10.13', '3.11.7', '3.12.1', '3.13.0'];

/** Debian's interpreter: Django and yappi come from Debian's packages for it. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

export function probePython(path: string, describe: (version: string) => string): Interpreter {
  try {
    const version = execFileSync(path, ['-c', 'import platform; print(platform.python_version())'], {
      encoding: 'utf8',
      timeout: 15_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
    return { label: describe(version), path, version, missing: null };
  } catch (err) {
    return { label: path, path, version: '', missing: `${path} does not run: ${String(err).split('\n')[0]}` };
  }
}

export function systemPython(): Interpreter {
  return probePython(SYSTEM_PYTHON, (v) => `${v} (Debian, static)`);
}

/** Every pyenv version the sampler supports (3.8–3.13), installed or not. */
export function pyenvPythons(): Interpreter[] {
  return PYENV_VERSIONS.map((v) => probePython(`${PYENV_ROOT}/versions/${v}/bin/python3`, (got) => got));
}

export interface CurrentCpython extends Interpreter {
  /** "3.14". */
  minor: string;
  layout: CpythonLayout;
}

/**
 * CPython 3.14 and 3.15 from scripts/install-cpython.sh, Debian's static build and the
 * shared-libpython launcher of each, installed or not (a missing one says how to install it).
 */
export function currentCpythons(): CurrentCpython[] {
  return cachedCpythons().map(({ minor, layout, path }) => {
    const python = probePython(path, (v) =>
      layout === 'static' ? `${v} (Debian, static)` : `${v} (shared)`,
    );
    if (python.missing === null) return { ...python, minor, layout };
    const label = `${minor} (${layout})`;
    return { ...python, label, minor, layout, missing: `${python.missing}; ${CPYTHON_INSTALL_HINT}` };
  });
}

/** "3.10" of "3.10.13". */
export function minorOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** True for 3.11 and later: the versions held to the tighter per-sample target. */
export function isModernPython(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major > 3 || (major === 3 && minor >= 11);
}
