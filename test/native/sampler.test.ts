/**
 * The Sampler against real CPython processes of every installed version:
 * start-up polling, stacks and lines against the script's own ground truth,
 * progress, the spill file, and every way a run can end or fail to start.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { addonCandidates, loadNative } from '../../extension/native/loadNative';
import type { NativeProfile, NativeProgress, NativeSampler } from '../../extension/native/nativeApi';
import { toNativeError } from '../../extension/native/nativeErrors';
import { installedPythons, pythonVersions, type PythonInterpreter } from './helpers/pythons';
import { startTarget, unusedPid, writeScript } from './helpers/processes';
import { parseSpill } from './helpers/spillFile';

const native = loadNative();

// Spins in hot_leaf (called from outer) for argv[1] seconds. Before that it
// prints where the hot lines are, so the test knows the truth without
// hard-coding line numbers.
const BUSY_SCRIPT = `import json, sys, time


def hot_leaf(deadline):
    total = 0
    while time.monotonic() < deadline:  # hot
        total += 1  # hot
    return total


def outer(seconds):
    return hot_leaf(time.monotonic() + seconds)


if __name__ == "__main__":
    with open(__file__) as source:
        hot = [i + 1 for i, text in enumerate(source.read().splitlines()) if text.endswith("# hot")]
    print(json.dumps({"hotLines": hot, "leafFirstLine": hot_leaf.__code__.co_firstlineno}), flush=True)
    print("RUNNING", flush=True)
    outer(float(sys.argv[1]))
`;

const script = writeScript('busy_target.py', BUSY_SCRIPT);
after(() => script.cleanup());

interface GroundTruth {
  hotLines: number[];
  leafFirstLine: number;
}

function groundTruth(stdout: string): GroundTruth {
  return JSON.parse(stdout.split('\n')[0]) as GroundTruth;
}

/** The frames of a sample's stack, innermost first, as "name:line". */
function stackOf(profile: NativeProfile, stack: number): { name: string; file: string; line: number }[] {
  const frames = [];
  for (let s = stack; s !== -1; s = profile.stackParent[s]) {
    const f = profile.stackFrame[s];
    frames.push({
      name: profile.strings[profile.frameName[f]],
      file: profile.strings[profile.frameFile[f]],
      line: profile.frameLine[f],
    });
  }
  return frames;
}

function assertColumnsConsistent(profile: NativeProfile): void {
  const n = profile.sampleTime.length;
  assert.equal(profile.sampleThread.length, n);
  assert.equal(profile.sampleStack.length, n);
  assert.equal(profile.sampleOnCpu.length, n);
  assert.equal(profile.stats.samples, n, 'stats.samples counts every sample');
  assert.equal(profile.stackParent.length, profile.stackFrame.length);
  for (let i = 0; i < n; i++) {
    assert.ok(profile.sampleThread[i] < profile.threads.length);
    assert.ok(profile.sampleStack[i] < profile.stackFrame.length);
    assert.ok(profile.sampleTime[i] >= 0 && profile.sampleTime[i] <= profile.durationUs);
  }
}

/** The reader reports at least major.minor (the patch level where the binary records it). */
function assertVersion(reported: string, python: PythonInterpreter): void {
  assert.ok(
    reported === python.version || reported === python.minor,
    `reported ${reported} for ${python.path} (${python.version})`,
  );
}

/**
 * Life-cycle tests need one interpreter, not every one: the newest installed shared build
 * (else any installed one, else a missing one whose `missingReason` skips the tests).
 */
function newestPython(): PythonInterpreter {
  const shared = installedPythons().filter((p) => !p.staticBuild);
  return shared[shared.length - 1] ?? installedPythons()[0] ?? pythonVersions()[0];
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    return toNativeError(err);
  }
  assert.fail('expected a rejection');
}

describe('Sampler on every installed CPython', () => {
  for (const python of pythonVersions()) {
    const skip = python.missingReason ?? false;
    test(
      `samples ${python.label}: stacks, lines, progress and spill file`,
      { skip, timeout: 60_000 },
      async () => {
        const target = startTarget(python.path, [script.path, '1.0']);
        const spillPath = join(script.dir, `run-${process.pid}-${python.label.replace(/\W/g, '_')}.spill`);
        const progress: NativeProgress[] = [];
        // Started at once, while the interpreter is still starting: the engine polls for it.
        const sampler = new native.Sampler(target.pid, {
          intervalUs: 1000,
          spillPath,
          onProgress: (p) => progress.push(p),
        });
        const info = await sampler.ready();
        assert.equal(info.pid, target.pid);
        assertVersion(info.pythonVersion, python);
        assert.equal(await target.exited, 0);
        const profile = await sampler.finish();
        const truth = groundTruth(target.stdout());

        assertColumnsConsistent(profile);
        assert.equal(profile.pid, target.pid);
        assertVersion(profile.pythonVersion, python);
        assert.equal(profile.intervalUs, 1000);
        assert.ok(profile.stats.ticks > 0);
        assert.ok(
          profile.threads.some((t) => t.isMain),
          'the main thread is marked',
        );
        assert.ok(Math.abs(profile.startedAt - Date.now()) < 60_000, 'startedAt is a wall-clock time');

        // Ground truth: once in outer(), the program only spins in hot_leaf's loop, so every
        // sample below outer must be hot_leaf at one of the lines marked "# hot". Start-up
        // before that (imports, slower on a busy machine) is not counted.
        let inOuter = 0;
        const misplaced = new Map<string, number>();
        for (let i = 0; i < profile.sampleStack.length; i++) {
          if (profile.sampleStack[i] === -1) continue;
          const frames = stackOf(profile, profile.sampleStack[i]);
          const outerAt = frames.findIndex((f) => f.name === 'outer' && f.file === script.path);
          if (outerAt === -1) continue;
          inOuter++;
          const [leaf] = frames;
          assert.equal(frames[frames.length - 1].name, '<module>');
          if (leaf.name !== 'hot_leaf' || !truth.hotLines.includes(leaf.line) || outerAt !== 1) {
            const key = frames.map((f) => `${f.name}:${f.line}`).join(' < ');
            misplaced.set(key, (misplaced.get(key) ?? 0) + 1);
          }
        }
        const wrong = [...misplaced.values()].reduce((a, b) => a + b, 0);
        // Loose count on purpose: the machine may be busy; rates are the benchmarks' job.
        assert.ok(
          inOuter >= 50,
          `expected many samples in outer(), got ${inOuter}: ${JSON.stringify(profile.stats)}`,
        );
        // A sample taken during the call into hot_leaf (before its first line) may show outer alone.
        assert.ok(wrong <= 2, `samples outside the hot loop: ${JSON.stringify([...misplaced])}`);
        const leafFrame = [...profile.frameName.keys()].find(
          (f) => profile.strings[profile.frameName[f]] === 'hot_leaf',
        );
        assert.ok(leafFrame !== undefined);
        assert.equal(profile.frameFirstLine[leafFrame], truth.leafFirstLine);

        assert.ok(progress.length >= 1, 'progress arrives while sampling');
        for (let i = 1; i < progress.length; i++) assert.ok(progress[i].samples >= progress[i - 1].samples);

        // The spill file holds the same run.
        const spill = parseSpill(readFileSync(spillPath));
        assert.equal(spill.order[0], 6, 'meta record first');
        assert.equal(spill.order[spill.order.length - 1], 7, 'end record last');
        assert.deepEqual(spill.strings, profile.strings);
        assert.equal(spill.frames.length, profile.frameLine.length);
        assert.equal(spill.stacks.length, profile.stackFrame.length);
        assert.equal(spill.samples.length, profile.sampleTime.length);
        assert.deepEqual(
          spill.samples.map((s) => s.stack),
          [...profile.sampleStack],
        );
        assert.equal(spill.meta?.pid, target.pid);
        assert.equal(spill.meta?.pythonVersion, profile.pythonVersion);
        assert.equal(spill.meta?.intervalUs, 1000);
        assert.equal(spill.end?.samples, profile.stats.samples);
        assert.equal(spill.end?.durationUs, profile.durationUs);
      },
    );
  }
});

describe('Sampler life cycle', () => {
  const python = newestPython();
  const skip = python.missingReason ?? false;

  test('finish() twice resolves with the same profile', { skip, timeout: 30_000 }, async () => {
    const target = startTarget(python.path, [script.path, '1']);
    const sampler = new native.Sampler(target.pid, { intervalUs: 500 });
    await sampler.ready();
    await target.exited;
    const first = await sampler.finish();
    const second = await sampler.finish();
    assert.equal(second, first);
    assert.ok(first.sampleTime.length > 0);
  });

  test(
    'finish() before ready() settles both and keeps the profile consistent',
    { skip, timeout: 30_000 },
    async () => {
      const target = startTarget(python.path, [script.path, '5']);
      try {
        const sampler: NativeSampler = new native.Sampler(target.pid, { intervalUs: 1000 });
        const profile = await sampler.finish();
        assertColumnsConsistent(profile);
        // Either the interpreter was found before the stop request, or the wait was cut short.
        const outcome = await sampler.ready().then(
          () => 'ready',
          (err: unknown) => toNativeError(err).code,
        );
        assert.ok(['ready', 'HOTPATH_TIMEOUT'].includes(outcome), outcome);
      } finally {
        target.kill();
      }
    },
  );

  test(
    'a target killed mid-run keeps everything sampled until the kill',
    { skip, timeout: 30_000 },
    async () => {
      const target = startTarget(python.path, [script.path, '30']);
      const spillPath = join(script.dir, `killed-${process.pid}.spill`);
      let sawSamples: () => void = () => {};
      const enoughSamples = new Promise<void>((resolve) => (sawSamples = resolve));
      const progress: NativeProgress[] = [];
      const sampler = new native.Sampler(target.pid, {
        intervalUs: 1000,
        spillPath,
        onProgress: (p) => {
          progress.push(p);
          if (p.samples >= 200) sawSamples();
        },
      });
      await sampler.ready();
      await enoughSamples;
      target.kill('SIGKILL');
      await target.exited;
      const profile = await sampler.finish();
      assertColumnsConsistent(profile);
      assert.ok(profile.sampleTime.length >= 200, `kept ${profile.sampleTime.length} samples`);
      const spill = parseSpill(readFileSync(spillPath));
      assert.equal(spill.samples.length, profile.sampleTime.length);
    },
  );

  test('every Python thread is sampled, each with a name', { skip, timeout: 30_000 }, async () => {
    const threads = writeScript(
      'threads_target.py',
      [
        'import threading, time',
        'def spin(end):',
        '    while time.monotonic() < end:',
        '        pass',
        'end = time.monotonic() + 0.6',
        'workers = [threading.Thread(target=spin, args=(end,), name="worker-%d" % i) for i in range(3)]',
        'for w in workers:',
        '    w.start()',
        'spin(end)',
        'for w in workers:',
        '    w.join()',
        '',
      ].join('\n'),
    );
    try {
      const target = startTarget(python.path, [threads.path]);
      const sampler = new native.Sampler(target.pid, { intervalUs: 1000 });
      await sampler.ready();
      await target.exited;
      const profile = await sampler.finish();
      assertColumnsConsistent(profile);
      // Python names for workers come from the reader (threading's registry); where it has
      // none yet the OS name stands in, so only the main thread's name is certain here.
      assert.ok(profile.threads.length >= 4, `threads: ${JSON.stringify(profile.threads)}`);
      assert.ok(profile.threads.some((t) => t.isMain && t.name === 'MainThread'));
      assert.equal(profile.threads.filter((t) => t.isMain).length, 1);
      assert.ok(
        profile.threads.every((t) => t.name.length > 0),
        'every thread has a name',
      );
      assert.equal(
        new Set(profile.threads.map((t) => t.ident)).size,
        profile.threads.length,
        'idents are distinct',
      );
      for (let index = 0; index < profile.threads.length; index++) {
        assert.ok(profile.sampleThread.includes(index), `thread ${profile.threads[index].name} has samples`);
      }
    } finally {
      threads.cleanup();
    }
  });

  test('a wrapper that execs Python later is waited for', { skip, timeout: 30_000 }, async () => {
    // The pid first runs a shell (like a pyenv shim), then becomes Python.
    const target = startTarget('/bin/sh', ['-c', `sleep 0.3; exec "${python.path}" "${script.path}" 1`]);
    const sampler = new native.Sampler(target.pid, { intervalUs: 1000, startTimeoutMs: 10_000 });
    const info = await sampler.ready();
    assertVersion(info.pythonVersion, python);
    await target.exited;
    const profile = await sampler.finish();
    assert.ok(profile.sampleTime.length > 0);
  });
});

describe('Sampler and the hosting Node process', () => {
  const python = newestPython();
  const addon = addonCandidates().find((p) => existsSync(p));
  const skip = python.missingReason ?? (addon ? false : 'the addon is not built');

  // Runs `body` in a fresh Node process with `Sampler` sampling a Python process `py`
  // at 10 kHz; resolves with how that Node process ended.
  function host(body: string, flags: string[] = []) {
    const source = `
      const { Sampler } = require(${JSON.stringify(addon)});
      const py = require('node:child_process').spawn(${JSON.stringify(python.path)},
        ['-c', 'import time\\nwhile True: time.sleep(0.0005)'], { stdio: 'ignore', detached: true });
      py.unref();
      console.log(py.pid);
      ${body}`;
    const node = startTarget(process.execPath, [...flags, '-e', source]);
    return node;
  }

  test('process.exit() while sampling exits cleanly', { skip, timeout: 30_000 }, async () => {
    const node = host(`
      const sampler = new Sampler(py.pid, { intervalUs: 100, onProgress() {} });
      sampler.ready().then(() => setTimeout(() => process.exit(7), 300));`);
    const code = await node.exited;
    process.kill(Number(node.stdout().split('\n')[0]), 'SIGKILL');
    assert.equal(code, 7, 'exit code of the host (not a crash signal)');
    assert.equal(node.child.signalCode, null);
  });

  test('a sampler collected while sampling stops and lets Node exit', { skip, timeout: 30_000 }, async () => {
    // The target keeps running: if collection did not stop the engine, the host would never exit.
    const node = host(
      `
      let sampler = new Sampler(py.pid, { intervalUs: 100 });
      sampler.ready().then(() => {
        sampler = null;
        setTimeout(() => { global.gc(); console.log('collected'); }, 100);
      });`,
      ['--expose-gc'],
    );
    try {
      assert.equal(await node.exited, 0);
      assert.match(node.stdout(), /collected/);
    } finally {
      process.kill(Number(node.stdout().split('\n')[0]), 'SIGKILL');
    }
  });
});

describe('Sampler errors', () => {
  test('an interval outside 50 µs..1 s is refused with HOTPATH_BAD_ARGUMENT', () => {
    for (const intervalUs of [49, 1_000_001, 0, -5, 1.5, Number.NaN]) {
      assert.throws(
        () => new native.Sampler(process.pid, { intervalUs }),
        (err: unknown) => toNativeError(err).code === 'HOTPATH_BAD_ARGUMENT',
        `intervalUs ${intervalUs}`,
      );
    }
  });

  test('a pid that is not a positive integer is refused with HOTPATH_BAD_ARGUMENT', () => {
    for (const pid of [0, -1, 1.5, 2 ** 40, Number.NaN]) {
      assert.throws(
        () => new native.Sampler(pid, { intervalUs: 1000 }),
        (err: unknown) => toNativeError(err).code === 'HOTPATH_BAD_ARGUMENT',
        `pid ${pid}`,
      );
    }
  });

  test('a pid that does not exist fails with HOTPATH_NO_PROCESS', { timeout: 30_000 }, async () => {
    const sampler = new native.Sampler(unusedPid(), { intervalUs: 1000 });
    const err = await rejection(sampler.ready());
    assert.equal(err.code, 'HOTPATH_NO_PROCESS');
    assert.match(err.message, new RegExp(String(unusedPid())));
    const profile = await sampler.finish();
    assert.equal(profile.sampleTime.length, 0, 'finish() after a failed start gives an empty profile');
  });

  test('a process that never becomes Python fails with HOTPATH_NOT_PYTHON', { timeout: 30_000 }, async () => {
    const target = startTarget('sleep', ['30']);
    try {
      const sampler = new native.Sampler(target.pid, { intervalUs: 1000, startTimeoutMs: 300 });
      const err = await rejection(sampler.ready());
      assert.equal(err.code, 'HOTPATH_NOT_PYTHON');
      assert.match(err.message, /300 ms/);
    } finally {
      target.kill();
    }
  });

  test(
    'a process that exits before its Python starts fails with HOTPATH_NO_PROCESS',
    { timeout: 30_000 },
    async () => {
      // Named like an interpreter (as right after exec'ing one), gone before it loaded one.
      const fake = join(script.dir, 'python3.12');
      copyFileSync('/bin/sleep', fake);
      const target = startTarget(fake, ['0.2']);
      const sampler = new native.Sampler(target.pid, { intervalUs: 1000, startTimeoutMs: 10_000 });
      const err = await rejection(sampler.ready());
      assert.equal(err.code, 'HOTPATH_NO_PROCESS');
      assert.match(err.message, /exited before the Python interpreter started/);
    },
  );

  test(
    'a process that ends without ever loading Python fails with HOTPATH_NOT_PYTHON',
    { timeout: 30_000 },
    async () => {
      const target = startTarget('/bin/sh', ['-c', 'sleep 0.5; exit 3']);
      const sampler = new native.Sampler(target.pid, { intervalUs: 1000, startTimeoutMs: 10_000 });
      const err = await rejection(sampler.ready());
      assert.equal(err.code, 'HOTPATH_NOT_PYTHON');
      assert.match(err.message, /no Python process was found: .*ended without loading a CPython interpreter/);
    },
  );

  test('an unwritable spill path fails with HOTPATH_SPILL_IO', { timeout: 30_000 }, async () => {
    const sampler = new native.Sampler(process.pid, {
      intervalUs: 1000,
      spillPath: join(script.dir, 'missing-folder', 'run.spill'),
    });
    const err = await rejection(sampler.ready());
    assert.equal(err.code, 'HOTPATH_SPILL_IO');
    assert.match(err.message, /missing-folder/);
  });
});

describe('Addon loading and error typing', () => {
  test('the addon is found from the bundle (dist/) and from sources (extension/native/)', () => {
    const root = join(__dirname, '..', '..');
    const addonPath = join(root, 'build', 'Release', 'hotpath.node');
    assert.ok(addonCandidates(join(root, 'dist')).includes(addonPath));
    assert.ok(addonCandidates(join(root, 'extension', 'native')).includes(addonPath));
    assert.equal(typeof native.version, 'string');
  });

  test('errors without a known code become HOTPATH_INTERNAL and keep the original', () => {
    const original = new TypeError('boom');
    const typed = toNativeError(original);
    assert.equal(typed.code, 'HOTPATH_INTERNAL');
    assert.match(typed.message, /boom/);
    assert.equal(typed.cause, original);
    assert.equal(toNativeError(typed), typed);
    const coded = Object.assign(new Error('no such process'), { code: 'HOTPATH_NO_PROCESS' });
    assert.equal(toNativeError(coded).code, 'HOTPATH_NO_PROCESS');
    assert.equal(toNativeError(coded).message, 'no such process');
  });
});
