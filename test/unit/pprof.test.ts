/**
 * The pprof export, read back with an independent decoder (pprof-format): the
 * sample types, labels and one location per (function, line) the format asks
 * for, and the same samples per line as the profile, on a literal profile and
 * on one the CLI recorded.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportPprof } from '../../extension/format/pprof';
import { loadProfile } from '../../extension/format/profileFile';
import { NO_FRAMES_LEAF, profileLineCounts, profileTotals } from './helpers/exportTotals';
import { pprofLeafCounts, readPprof, type PprofRead } from './helpers/pprofRead';
import { SITE, twoThreadProfile } from './helpers/twoThreadProfile';

const profile = twoThreadProfile();

const recorded = loadProfile(readFileSync(join(__dirname, 'fixtures', 'two_threads.hotpath.json'), 'utf8'));

function totalsOf(file: PprofRead): { count: number; ns: number } {
  let count = 0;
  let ns = 0;
  for (const s of file.samples) {
    count += s.values[0];
    ns += s.values[1];
  }
  return { count, ns };
}

/** Samples per `name@file:line` on the stack, once per sample (recursion counted once). */
function pprofTotalCounts(file: PprofRead): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sample of file.samples)
    for (const key of new Set(sample.stack)) counts.set(key, (counts.get(key) ?? 0) + sample.values[0]);
  return counts;
}

describe('pprof export', () => {
  it('declares wall-clock samples: sample types, period, default type, start and duration', async () => {
    const file = readPprof(await exportPprof(profile));
    assert.deepEqual(file.sampleTypes, ['samples/count', 'wall/nanoseconds']);
    assert.equal(file.periodType, 'wall/nanoseconds');
    assert.equal(file.period, 1_000_000);
    assert.equal(file.defaultSampleType, 'wall');
    assert.equal(file.timeNanos, 1_700_000_000_000n * 1_000_000n);
    assert.equal(file.durationNanos, profile.meta.durationUs * 1000);
    assert.deepEqual(file.comments, [
      'Hotpath profile of python3 app.py',
      'Python 3.12.1 (/usr/bin/python3)',
    ]);
  });

  it('writes one function per Python function and one location per (function, line)', async () => {
    const file = readPprof(await exportPprof(profile));
    const byName = new Map(file.functions.map((f) => [f.name, f]));
    assert.deepEqual(byName.get('work'), { name: 'work', systemName: 'work', file: 'app.py', startLine: 8 });
    assert.deepEqual(byName.get('call'), { name: 'call', systemName: 'call', file: SITE, startLine: 1 });
    assert.equal(file.functions.length, 5); // main, work, call, loop, [no Python frames]
    assert.equal(file.locationCount, 7); // main:1, main:2, work:9, work:10, call:5, loop:3, placeholder
  });

  it('writes leaf-first stacks with counts, nanoseconds and thread labels', async () => {
    const file = readPprof(await exportPprof(profile));
    const hot = file.samples.find((s) => s.stack[0] === 'work@app.py:9');
    assert.ok(hot);
    assert.deepEqual(hot.stack, ['work@app.py:9', 'main@app.py:1']);
    assert.deepEqual(hot.values, [3, 3_000_000]);
    assert.deepEqual(hot.labels, {
      thread_name: 'MainThread',
      thread_id: 10,
      pid: 4242,
      thread_state: 'running',
    });
    const waiting = file.samples.find((s) => s.stack[0] === 'loop@w.py:3');
    assert.ok(waiting);
    assert.deepEqual(waiting.labels, {
      thread_name: 'worker',
      thread_id: 11,
      pid: 4242,
      thread_state: 'waiting',
    });
    const idle = file.samples.find((s) => s.stack[0] === NO_FRAMES_LEAF);
    assert.deepEqual(idle?.stack, [NO_FRAMES_LEAF]);
    assert.deepEqual(totalsOf(file), { count: 8, ns: 8_000_000 });
  });

  it('with the on-CPU view: cpu/nanoseconds, only the samples where a thread ran', async () => {
    const file = readPprof(
      await exportPprof(profile, { mode: 'cpu', hideLibrary: false, hideStartup: false }),
    );
    assert.deepEqual(file.sampleTypes, ['samples/count', 'cpu/nanoseconds']);
    assert.equal(file.periodType, 'cpu/nanoseconds');
    assert.equal(file.defaultSampleType, 'cpu');
    assert.equal(totalsOf(file).count, profileTotals(profile, 'cpu').samples);
    assert.ok(file.samples.every((s) => s.labels.thread_state === 'running'));
  });

  it('merges library frames into their callers on request, keeping every sample', async () => {
    const file = readPprof(
      await exportPprof(profile, { mode: 'wall', hideLibrary: true, hideStartup: true }),
    );
    assert.ok(!file.functions.some((f) => f.file === SITE));
    const merged = file.samples.find((s) => s.stack[0] === 'main@app.py:2');
    assert.deepEqual(merged?.values, [1, 1_000_000]);
    assert.equal(totalsOf(file).count, 8);
  });

  for (const mode of ['wall', 'cpu'] as const) {
    it(`round-trips a recorded profile (${mode}): samples per line and time as in the profile`, async () => {
      const file = readPprof(await exportPprof(recorded, { mode, hideLibrary: false, hideStartup: false }));
      const want = profileLineCounts(recorded, mode);
      assert.deepEqual(pprofLeafCounts(file), want.leaf);
      assert.deepEqual(pprofTotalCounts(file), want.total);
      const totals = profileTotals(recorded, mode);
      assert.equal(totalsOf(file).count, totals.samples);
      assert.ok(Math.abs(totalsOf(file).ns - totals.us * 1000) < file.samples.length, 'nanoseconds add up');
      const threads = new Set(file.samples.map((s) => `${s.labels.thread_name}/${s.labels.thread_id}`));
      const expected = recorded.threads
        .filter((_, t) =>
          recorded.sampleThread.some((x, i) => x === t && (mode === 'wall' || recorded.sampleOnCpu[i])),
        )
        .map((t) => `${t.name}/${t.tid}`);
      assert.deepEqual([...threads].sort(), expected.sort());
      assert.ok(want.leaf.size > 3, 'the fixture has several lines');
    });
  }
});
