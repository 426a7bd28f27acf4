// A virtual environment with pytest for the tests that profile real pytest runs (test/native,
// test/e2e): made once under test/.work/ (kept between runs, cached by CI like the other work
// folders) from CPython 3.11, pytest installed with pip from the configured index.
//
// As a module: `pytestPython()` → { python } or { missing: why }. As a command it prints the
// interpreter's path (exit 0) or why there is none (exit 1).
// Usage: node scripts/pytest-venv.mjs [BASE_PYTHON]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipInstall } from './pipInstall.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VENV = path.join(ROOT, 'test', '.work', 'pytest-venv');
const PYENV_ROOT = process.env.PYENV_ROOT ?? '/root/.pyenv';
/** Interpreters to build it from, first found wins: one version keeps CI's install to one. */
const BASES = [path.join(PYENV_ROOT, 'versions', '3.11.7', 'bin', 'python3.11'), '/usr/bin/python3.11'];

/**
 * @param {string | undefined} [base] the interpreter to build the environment from
 * @returns {{ python: string } | { missing: string }}
 */
export function pytestPython(base) {
  const python = path.join(VENV, 'bin', 'python');
  const ready = path.join(VENV, 'ready');
  if (existsSync(ready)) return { python };
  const from = base ?? BASES.find((candidate) => existsSync(candidate));
  if (!from)
    return { missing: `no CPython 3.11 to make a virtual environment from (looked for ${BASES.join(', ')})` };
  mkdirSync(path.dirname(VENV), { recursive: true });
  const made = spawnSync(from, ['-m', 'venv', '--clear', VENV], { encoding: 'utf8' });
  if (made.status !== 0) return { missing: `${from} -m venv failed: ${made.stderr.trim()}` };
  const failed = pipInstall(python, ['pytest']);
  if (failed !== null) return { missing: `pip could not install pytest: ${failed}` };
  writeFileSync(ready, '');
  return { python };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = pytestPython(process.argv[2]);
  if ('python' in result) process.stdout.write(`${result.python}\n`);
  else {
    process.stderr.write(`${result.missing}\n`);
    process.exitCode = 1;
  }
}
