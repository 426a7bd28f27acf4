/**
 * The CPython reader (native/python/) checked on its own, through the dev
 * tools in native/tools/, against what CPython itself says: generated layout
 * tables against the verified offset tables, the run-time layouts of 3.13+ (read
 * from _Py_DebugOffsets) against the same, line-table decoders against CPython's
 * own per-instruction lines, and whole stacks against the target's
 * sys._current_frames(). Also: which processes are refused, and with which code.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { installedPythons, pythonVersions } from './helpers/pythons';
import { startTarget, unusedPid } from './helpers/processes';

const ROOT = join(__dirname, '..', '..');
const TOOLS = join(ROOT, 'native', 'tools');
const SOURCES = ['native/python', 'native/os', 'native/os/linux'];

const work = mkdtempSync(join(tmpdir(), 'hotpath-reader-'));
const selftest = join(work, 'reader_selftest');
const dumpStacks = join(work, 'dump_stacks');

/**
 * Builds the native/tools programs (the build line in native/tools/README.md),
 * compiling the reader's sources once for both.
 */
function buildTools(mains: string[]): void {
  const sources = SOURCES.flatMap((dir) =>
    execFileSync('sh', ['-c', `ls ${dir}/*.cc`], { cwd: ROOT, encoding: 'utf8' })
      .trim()
      .split('\n'),
  );
  const objects = join(work, 'obj');
  mkdirSync(objects);
  const flags = ['-O1', '-std=c++17', `-I${join(ROOT, 'native')}`];
  execFileSync('g++', [...flags, '-c', ...sources.map((s) => join(ROOT, s))], {
    cwd: objects,
    stdio: 'inherit',
  });
  const linked = readdirSync(objects).map((o) => join(objects, o));
  for (const main of mains) {
    const output = join(work, main.replace(/\.cc$/, ''));
    execFileSync('g++', [...flags, join(TOOLS, main), ...linked, '-o', output], { stdio: 'inherit' });
  }
}

function run(cmd: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

before(() => buildTools(['reader_selftest.cc', 'dump_stacks.cc']));

after(() => rmSync(work, { recursive: true, force: true }));

test('pure parsers: maps lines, interpreter file names, str objects, debug-offsets header', () => {
  const r = run(selftest, ['units']);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /units: 0 failed/);
});

test('generated layout tables match the verified offset tables for 3.8-3.13', () => {
  const r = run(selftest, ['generated', join(TOOLS, 'testdata')]);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /generated 3\.13: \d+ fields compared, 0 differ/);
});

describe('per interpreter', () => {
  for (const python of pythonVersions()) {
    const skip = python.missingReason ?? false;

    test(`${python.label}: line-table decoder agrees with CPython on every instruction`, { skip }, () => {
      const dump = join(work, `lines-${python.label.replace(/\W/g, '_')}.txt`);
      writeFileSync(
        dump,
        execFileSync(python.path, [join(TOOLS, 'linetable_dump.py')], { maxBuffer: 1 << 28 }),
      );
      const r = run(selftest, ['lines', dump]);
      assert.equal(r.status, 0, r.out);
      assert.match(r.out, / 0 differ/);
    });

    test(`${python.label}: every parked thread's stack equals sys._current_frames()`, { skip }, () => {
      const r = run('python3', [join(TOOLS, 'compare_stacks.py'), '--dump', dumpStacks, python.path]);
      assert.equal(r.status, 0, r.out);
      assert.match(r.out, / ok\n/);
    });
  }
});

describe('layouts read at run time from _Py_DebugOffsets match the verified tables', () => {
  // 3.13+ describe their own layout; each interpreter, in each layout (static, shared), is read
  // the way the sampler reads it and compared with testdata/offsets_3.X.txt. 3.14+ also check
  // that the field list ends the struct where _PyRuntimeState continues.
  for (const python of pythonVersions().filter((p) => Number(p.minor.split('.')[1]) >= 13)) {
    test(`${python.label}`, { skip: python.missingReason ?? false }, async () => {
      const target = startTarget(python.path, [
        '-c',
        'print("READY", flush=True)\nimport time\ntime.sleep(60)',
      ]);
      try {
        await target.waitFor('READY');
        const table = join(TOOLS, 'testdata', `offsets_${python.minor}.txt`);
        const r = run(selftest, ['layout', String(target.pid), table]);
        assert.equal(r.status, 0, r.out);
        assert.match(
          r.out,
          new RegExp(`live ${python.minor.replace('.', '\\.')}\\.\\d+: \\d+ fields compared, 0 differ`),
        );
      } finally {
        target.kill();
      }
    });
  }
});

describe('refusals carry a code and say why', () => {
  test('a pid that does not exist: HOTPATH_NO_PROCESS', () => {
    const r = run(dumpStacks, [String(unusedPid())]);
    assert.equal(r.status, 1);
    assert.match(r.out, /HOTPATH_NO_PROCESS/);
  });

  test('a process without Python: HOTPATH_NOT_PYTHON, mentioning shims', async () => {
    const target = startTarget('sh', ['-c', 'echo READY; exec sleep 60']);
    try {
      await target.waitFor('READY');
      const r = run(dumpStacks, [String(target.pid)]);
      assert.equal(r.status, 1);
      assert.match(r.out, /HOTPATH_NOT_PYTHON: .*shim/);
    } finally {
      target.kill();
    }
  });

  test('CPython 3.7: HOTPATH_UNSUPPORTED_VERSION naming the version and the range', async (t) => {
    const old = `${process.env.PYENV_ROOT ?? '/root/.pyenv'}/versions/3.7.16/bin/python3.7`;
    if (spawnSync(old, ['-c', 'pass']).status !== 0) {
      t.skip(`${old} is not installed here`);
      return;
    }
    const target = startTarget(old, ['-c', 'print("READY", flush=True)\nimport time\ntime.sleep(60)']);
    try {
      await target.waitFor('READY');
      const r = run(dumpStacks, [String(target.pid)]);
      assert.equal(r.status, 1);
      assert.match(r.out, /HOTPATH_UNSUPPORTED_VERSION: Python 3\.7 .*3\.8–3\.15/);
    } finally {
      target.kill();
    }
  });
});

/**
 * The dynamic loader first maps a library whole from its start, then each segment over it at its
 * own offset; until then `_PyRuntime`'s address shows other bytes of the file. A libpython mapped
 * that way (here by mmap, as a program might map any file) is not the interpreter: it is passed
 * over for the one really loaded, not judged "not a CPython Hotpath can read".
 */
test('a libpython mapped whole, not loaded, is passed over for the loaded interpreter', async (t) => {
  const installed = installedPythons().filter((p) => !p.staticBuild);
  const mapped = installed.at(-1);
  const host = pythonVersions().find((p) => p.missingReason === null && p.minor !== mapped?.minor);
  if (!mapped || !host) {
    t.skip('needs a shared-libpython CPython and an interpreter of another version');
    return;
  }
  // The library the interpreter itself maps (its sysconfig LIBDIR may name where a distribution
  // would install it, not where this copy lives).
  const lib = execFileSync(
    mapped.path,
    ['-c', 'print(next(l.split()[-1] for l in open("/proc/self/maps") if "/libpython" in l))'],
    { encoding: 'utf8' },
  ).trim();
  const script = [
    'import mmap, sys, time',
    'f = open(sys.argv[1], "rb")',
    'm = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)',
    'print("READY", flush=True)',
    'time.sleep(60)',
  ].join('\n');
  const target = startTarget(host.path, ['-c', script, lib]);
  try {
    await target.waitFor('READY');
    const r = run(dumpStacks, [String(target.pid), '--quiet']);
    assert.equal(r.status, 0, r.out);
    assert.equal(/^Python (\S+) /m.exec(r.out)?.[1], host.version, r.out);
  } finally {
    target.kill();
  }
});

test('a process of another user: HOTPATH_PERMISSION saying whose it is and what to do', async (t) => {
  const python = installedPythons()[0];
  const setpriv = spawnSync('sh', ['-c', 'command -v setpriv']).status === 0;
  if (process.getuid?.() !== 0 || !setpriv || !python) {
    t.skip('needs root and setpriv to run the reader as another user (nobody)');
    return;
  }
  chmodSync(work, 0o755); // nobody must be able to run the tool from here
  const target = startTarget(python.path, ['-c', 'print("READY", flush=True)\nimport time\ntime.sleep(60)']);
  try {
    await target.waitFor('READY');
    const r = run('setpriv', [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      dumpStacks,
      String(target.pid),
    ]);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /HOTPATH_PERMISSION: .*another user \(uid 0/);
    assert.match(r.out, /SYS_PTRACE/);
    assert.doesNotMatch(r.out, /run (it|the editor|VS Code) as root/i);
  } finally {
    target.kill();
  }
});

describe('launchers that exec Python are followed', () => {
  const python = installedPythons().find((p) => !p.staticBuild);

  test(
    'a wrapper script that sleeps, then execs the interpreter',
    { skip: !python && 'no CPython installed' },
    async () => {
      const target = startTarget('sh', [
        '-c',
        `echo READY; sleep 0.3; exec ${python!.path} -c "import time; time.sleep(60)"`,
      ]);
      try {
        await target.waitFor('READY');
        const r = run(dumpStacks, [String(target.pid), '--wait']);
        assert.equal(r.status, 0, r.out);
        assert.match(r.out, /MainThread/);
      } finally {
        target.kill();
      }
    },
  );

  test(
    'a venv interpreter (a symlink to the real one)',
    { skip: !python && 'no CPython installed' },
    async () => {
      const venv = join(work, 'venv');
      execFileSync(python!.path, ['-m', 'venv', '--without-pip', venv]);
      const target = startTarget(join(venv, 'bin', 'python'), [
        '-c',
        'print("READY", flush=True)\nimport time\ntime.sleep(60)',
      ]);
      try {
        await target.waitFor('READY');
        const r = run(dumpStacks, [String(target.pid)]);
        assert.equal(r.status, 0, r.out);
        assert.match(r.out, /<module> \(<string>:3\)/);
      } finally {
        target.kill();
      }
    },
  );
});
