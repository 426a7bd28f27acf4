// Django, gunicorn and pytest-xdist for the native tests that follow real applications'
// processes (test/native/realPrograms.test.ts): installed once with pip, from the configured
// index, into test/.work/app-packages (kept between runs, cached by CI like the other work
// folders). They are pure-Python wheels, so one folder on PYTHONPATH serves every CPython from
// APP_PACKAGES_MIN_PYTHON on, with no environment per version to make. That is 3.11: Django 5.2
// runs on 3.10, but pytest needs a `tomli` backport there, of which the wheel mirror has only a
// 3.11 build.
//
// As a module: `appPackages()` → { dir } or { missing: why }. As a command it prints the folder
// (exit 0) or why there is none (exit 1).
// Usage: node scripts/app-packages.mjs
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipInstall } from './pipInstall.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = path.join(ROOT, 'test', '.work', 'app-packages');
const PYENV_ROOT = process.env.PYENV_ROOT ?? '/root/.pyenv';
/** The pip that installs them (any version's would do): the first found. */
const PIPS = [path.join(PYENV_ROOT, 'versions', '3.11.7', 'bin', 'python3.11'), '/usr/bin/python3.11'];
export const APP_PACKAGES = ['django', 'gunicorn', 'pytest-xdist'];
export const APP_PACKAGES_MIN_PYTHON = '3.11';

/** @returns {{ dir: string } | { missing: string }} */
export function appPackages() {
  const ready = path.join(TARGET, '.ready');
  if (existsSync(ready)) return { dir: TARGET };
  const python = PIPS.find((candidate) => existsSync(candidate));
  if (!python)
    return { missing: `no CPython 3.11 with pip to install them with (looked for ${PIPS.join(', ')})` };
  rmSync(TARGET, { recursive: true, force: true });
  mkdirSync(TARGET, { recursive: true });
  const failed = pipInstall(python, [
    '--target',
    TARGET,
    '--python-version',
    APP_PACKAGES_MIN_PYTHON,
    '--implementation',
    'cp',
    '--only-binary=:all:',
    ...APP_PACKAGES,
  ]);
  if (failed !== null) return { missing: `pip could not install ${APP_PACKAGES.join(', ')}: ${failed}` };
  writeFileSync(ready, '');
  return { dir: TARGET };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = appPackages();
  if ('dir' in result) process.stdout.write(`${result.dir}\n`);
  else {
    process.stderr.write(`${result.missing}\n`);
    process.exitCode = 1;
  }
}
