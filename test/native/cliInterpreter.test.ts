/**
 * Interpreter resolution and vetting on real files: the supported ones pass
 * (pyenv shims included), everything else is refused with its own code.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { HotpathError } from '../../extension/session/errors';
import {
  checkInterpreterVersion,
  describeInterpreterSupport,
  type InterpreterInfo,
  resolveInterpreter,
} from '../../extension/session/interpreter';
import { pythonVersions } from './helpers/pythons';

const dir = mkdtempSync(join(tmpdir(), 'hotpath-interp-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  return assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof HotpathError, String(error));
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('checkInterpreterVersion on every supported interpreter', () => {
  for (const python of pythonVersions()) {
    test(python.label, { skip: python.missingReason ?? false }, async () => {
      const info = await checkInterpreterVersion(python.path);
      assert.equal(info.version, python.version);
      assert.equal(info.implementation, 'cpython');
      assert.equal(info.debugBuild, false);
      assert.equal(info.freeThreaded, false);
    });
  }
});

test('a venv-style symlink works and keeps the path as given', async () => {
  const python = pythonVersions().find((p) => !p.missingReason);
  if (!python) return assert.fail('no supported interpreter installed');
  const link = join(dir, 'python');
  symlinkSync(python.path, link);
  const info = await checkInterpreterVersion(link);
  assert.equal(info.path, link);
  assert.equal(info.version, python.version);
});

const PYENV_SHIM = '/root/.pyenv/shims/python3';
test(
  'a pyenv shim resolves from PATH and passes',
  { skip: existsSync(PYENV_SHIM) ? false : 'pyenv shims not installed' },
  async () => {
    const resolved = await resolveInterpreter('python3', { PATH: '/root/.pyenv/shims:/usr/bin' });
    assert.equal(resolved, PYENV_SHIM);
    const info = await checkInterpreterVersion(resolved);
    assert.match(info.version, /^3\.\d+\.\d+$/);
  },
);

test('not found: a bare name not on PATH, a missing path', async () => {
  await rejectsWith(
    resolveInterpreter('python-nope', { PATH: dir }),
    'HOTPATH_PYTHON_NOT_FOUND',
    /not found on PATH/,
  );
  await rejectsWith(resolveInterpreter(join(dir, 'missing', 'python')), 'HOTPATH_PYTHON_NOT_FOUND');
  await rejectsWith(checkInterpreterVersion(join(dir, 'missing')), 'HOTPATH_PYTHON_NOT_FOUND');
});

test('not executable: no x bit, a directory, a program that is not Python', async () => {
  const plain = join(dir, 'plain');
  writeFileSync(plain, '#!/bin/sh\n');
  chmodSync(plain, 0o644);
  await rejectsWith(resolveInterpreter(plain), 'HOTPATH_PYTHON_NOT_EXECUTABLE', /chmod \+x/);
  await rejectsWith(checkInterpreterVersion(dir), 'HOTPATH_PYTHON_NOT_EXECUTABLE', /not a file/);
  const fake = join(dir, 'fake-python');
  writeFileSync(fake, '#!/bin/sh\necho "I am not Python"\n');
  chmodSync(fake, 0o755);
  await rejectsWith(
    checkInterpreterVersion(fake),
    'HOTPATH_PYTHON_NOT_EXECUTABLE',
    /did not behave like a Python/,
  );
  const failing = join(dir, 'failing-python');
  writeFileSync(failing, '#!/bin/sh\necho "boom: broken install" >&2\nexit 1\n');
  chmodSync(failing, 0o755);
  await rejectsWith(
    checkInterpreterVersion(failing),
    'HOTPATH_PYTHON_NOT_EXECUTABLE',
    /boom: broken install/,
  );
});

test('a hanging interpreter times out', async () => {
  const hanging = join(dir, 'hanging-python');
  writeFileSync(hanging, '#!/bin/sh\nexec sleep 30\n');
  chmodSync(hanging, 0o755);
  await rejectsWith(
    checkInterpreterVersion(hanging, { timeoutMs: 300 }),
    'HOTPATH_PYTHON_NOT_EXECUTABLE',
    /did not answer/,
  );
});

for (const old of ['2.7.18', '3.7.16']) {
  const path = `/root/.pyenv/versions/${old}/bin/python`;
  test(
    `CPython ${old} is too old`,
    { skip: existsSync(path) ? false : `${path} is not installed` },
    async () => {
      await rejectsWith(
        checkInterpreterVersion(path),
        'HOTPATH_UNSUPPORTED_VERSION',
        new RegExp(`${old.replace(/\./g, '\\.')}.*too old`),
      );
    },
  );
}

test('too new, debug, free-threaded and non-CPython builds are refused with their reason', () => {
  const base: InterpreterInfo = {
    path: '/x/python',
    executable: '/x/python',
    version: '3.12.1',
    major: 3,
    minor: 12,
    implementation: 'cpython',
    debugBuild: false,
    freeThreaded: false,
  };
  assert.equal(describeInterpreterSupport(base), null);
  for (const minor of [14, 15]) {
    assert.equal(describeInterpreterSupport({ ...base, version: `3.${minor}.0`, minor }), null);
  }
  const cases: [Partial<InterpreterInfo>, string, RegExp][] = [
    [{ version: '3.16.0', minor: 16 }, 'HOTPATH_UNSUPPORTED_VERSION', /newer than .*up to 3\.15/],
    [{ debugBuild: true }, 'HOTPATH_UNSUPPORTED_VERSION', /debug build/],
    [
      { freeThreaded: true, version: '3.14.0', minor: 14 },
      'HOTPATH_UNSUPPORTED_VERSION',
      /free-threaded.*python3\.14t/,
    ],
    [{ implementation: 'pypy' }, 'HOTPATH_NOT_CPYTHON', /pypy, not CPython/],
  ];
  for (const [change, code, message] of cases) {
    const error = describeInterpreterSupport({ ...base, ...change });
    assert.ok(error, JSON.stringify(change));
    assert.equal(error.code, code);
    assert.match(error.message, message);
  }
});
