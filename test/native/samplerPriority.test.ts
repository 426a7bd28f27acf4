/**
 * The sampler's threads and the scheduler (native/sampler/sampler.cc, sampleLoop): a
 * single-threaded program is sampled by the control thread at normal priority, a multi-threaded
 * one by a thread at nice 19 so that the program's threads always get a core first, and the
 * control thread takes the loop back when the scheduler starves that thread.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { loadNative } from '../../extension/native/loadNative';
import type { NativeSampler } from '../../extension/native/nativeApi';
import { installedPythons, pythonVersions } from './helpers/pythons';
import { startTarget, statFields, writeScript } from './helpers/processes';

const native = loadNative();

// Spins for argv[1] seconds in the main thread, with argv[2] - 1 more threads that sleep.
const SPIN = `import sys, threading, time
for _ in range(int(sys.argv[2]) - 1):
    threading.Thread(target=lambda: time.sleep(3600), daemon=True).start()
print("RUNNING", flush=True)
deadline = time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    pass
`;

// Pins the thread given on the command line and itself to one CPU, then spins there forever at
// normal priority: a core that is always busy, which the sampling thread cannot leave.
const COMPETE = `import os, sys
cpu = min(os.sched_getaffinity(0))
os.sched_setaffinity(int(sys.argv[1]), {cpu})
os.sched_setaffinity(0, {cpu})
print("PINNED", flush=True)
while True:
    pass
`;

// argv[1] threads that all sleep, for argv[2] seconds: a program that leaves the machine idle.
const IDLE = `import sys, threading, time
for _ in range(int(sys.argv[1]) - 1):
    threading.Thread(target=lambda: time.sleep(3600), daemon=True).start()
print("RUNNING", flush=True)
time.sleep(float(sys.argv[2]))
`;

const spin = writeScript('spin.py', SPIN);
const compete = writeScript('compete.py', COMPETE);
const idle = writeScript('idle.py', IDLE);
after(() => {
  spin.cleanup();
  compete.cleanup();
  idle.cleanup();
});

/** The nice value in a /proc stat line (field 19). */
function niceOf(stat: string): number {
  return Number(statFields(stat)[19 - 3]);
}

interface ThreadInfo {
  tid: number;
  nice: number;
  /** How many times the thread was scheduled (schedstat's third field). */
  runs: number;
}

/** This process's threads with the given name. */
function threadsNamed(name: string): ThreadInfo[] {
  const found = [];
  for (const entry of readdirSync('/proc/self/task')) {
    const base = `/proc/self/task/${entry}`;
    try {
      if (readFileSync(`${base}/comm`, 'utf8').trim() !== name) continue;
      const runs = Number(readFileSync(`${base}/schedstat`, 'utf8').trim().split(' ')[2]);
      found.push({ tid: Number(entry), nice: niceOf(readFileSync(`${base}/stat`, 'utf8')), runs });
    } catch {
      continue; // the thread ended meanwhile
    }
  }
  return found;
}

/** A sampler on `pid` at `intervalUs`, and a promise for its `count`th progress report. */
function sampleWithProgress(pid: number, intervalUs: number, count: number) {
  let seen = 0;
  let reached!: () => void;
  const progressed = new Promise<void>((resolve) => (reached = resolve));
  const sampler: NativeSampler = new native.Sampler(pid, {
    intervalUs,
    onProgress: () => {
      if (++seen === count) reached();
    },
  });
  return { sampler, progressed };
}

describe('Sampler threads and priorities', () => {
  const shared = installedPythons().filter((p) => !p.staticBuild);
  const python = shared.at(-1) ?? installedPythons()[0] ?? pythonVersions()[0];
  const skip = python.missingReason ?? false;

  /** A program spinning for `seconds` with `threads` threads, once they have all started. */
  async function spinning(seconds: number, threads: number) {
    const target = startTarget(python.path, [spin.path, String(seconds), String(threads)]);
    await target.waitFor('RUNNING');
    return target;
  }

  test(
    'the lowered thread runs at nice 19, the control thread at the priority of the host',
    { skip, timeout: 30_000 },
    async () => {
      const target = startTarget(python.path, [spin.path, '2', '1']);
      const sampler = new native.Sampler(target.pid, { intervalUs: 1000 });
      try {
        // Ready comes once the lowered thread has named and lowered itself.
        await sampler.ready();
        const lowered = threadsNamed('hotpath-sampler');
        const control = threadsNamed('hotpath-control');
        assert.equal(lowered.length, 1, 'one lowered thread');
        assert.equal(control.length, 1, 'one control thread');
        assert.equal(lowered[0].nice, 19);
        assert.equal(control[0].nice, niceOf(readFileSync('/proc/self/stat', 'utf8')));
      } finally {
        target.kill();
        await sampler.finish();
      }
      assert.equal(threadsNamed('hotpath-sampler').length, 0, 'the lowered thread ended with the run');
    },
  );

  test(
    'a single-threaded program is sampled at normal priority, by the control thread',
    { skip, timeout: 30_000 },
    async () => {
      const target = await spinning(5, 1);
      const { sampler, progressed } = sampleWithProgress(target.pid, 1000, 4);
      try {
        await progressed; // about a second of ticks
        const [lowered] = threadsNamed('hotpath-sampler');
        const [control] = threadsNamed('hotpath-control');
        assert.ok(control.runs >= 100, `the control thread ran ${control.runs} times`);
        assert.ok(lowered.runs <= 10, `the lowered thread ran ${lowered.runs} times`);
      } finally {
        target.kill();
        await sampler.finish();
      }
    },
  );

  test('a program with two threads is sampled at nice 19', { skip, timeout: 30_000 }, async (t) => {
    const target = await spinning(5, 2);
    const { sampler, progressed } = sampleWithProgress(target.pid, 1000, 4);
    let lowered: ThreadInfo | undefined;
    try {
      await progressed;
      [lowered] = threadsNamed('hotpath-sampler');
    } finally {
      target.kill();
    }
    const profile = await sampler.finish();
    if (profile.stats.normalPrioritySinceUs !== undefined && profile.stats.normalPrioritySinceUs >= 0) {
      t.skip('every core was busy: the control thread had taken the loop back');
      return;
    }
    assert.ok(lowered && lowered.runs >= 100, `the lowered thread ran ${lowered?.runs} times`);
  });

  test(
    'ticks that cost more than four intervals (60 threads at 20 kHz) are not taken for starvation',
    { skip, timeout: 30_000 },
    async (t) => {
      const target = startTarget(python.path, [idle.path, '60', '10']);
      await target.waitFor('RUNNING');
      const intervalUs = 50;
      const { sampler, progressed } = sampleWithProgress(target.pid, intervalUs, 4);
      try {
        await progressed;
      } finally {
        target.kill();
      }
      const profile = await sampler.finish();
      const cost = profile.stats.meanTickCostUs;
      if (cost <= 4 * intervalUs) {
        t.skip(
          `a tick of 60 threads cost ${cost.toFixed(0)} µs here: within four intervals, nothing to tell`,
        );
        return;
      }
      const since = profile.stats.normalPrioritySinceUs;
      assert.ok(
        since === undefined || since < 0,
        `took the loop back at ${since} µs with nothing else running`,
      );
    },
  );

  test(
    'a lowered thread starved on a busy core hands the loop back to the control thread, and sampling goes on',
    { skip, timeout: 60_000 },
    async () => {
      const target = await spinning(3, 2);
      const sampler = new native.Sampler(target.pid, { intervalUs: 100 });
      await sampler.ready();
      const [lowered] = threadsNamed('hotpath-sampler');
      const competitor = startTarget(python.path, [compete.path, String(lowered.tid)]);
      try {
        await competitor.waitFor('PINNED');
        assert.equal(await target.exited, 0);
      } finally {
        competitor.kill();
        target.kill();
      }
      const profile = await sampler.finish();
      const since = profile.stats.normalPrioritySinceUs;
      assert.ok(since !== undefined && since >= 0, `took the loop back (normalPrioritySinceUs: ${since})`);
      const after = profile.sampleTime.filter((time) => time > since).length;
      assert.ok(after > 0, 'samples after the hand-over');
    },
  );
});
