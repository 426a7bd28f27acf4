/**
 * The Firefox Profiler export, read as the Gecko format's documentation
 * describes it (geckoRead.ts): a track per thread, samples at their times,
 * frames the profiler reads as functions with files and lines, Running and
 * Idle categories from the on-CPU flag, and the same samples per line as the
 * profile, on a literal profile and on one the CLI recorded.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportFirefoxProfile, GECKO_VERSION } from '../../extension/format/firefox';
import { loadProfile } from '../../extension/format/profileFile';
import { profileLineCounts, profileTotals } from './helpers/exportTotals';
import { geckoLeafCounts, readGecko } from './helpers/geckoRead';
import { SITE, twoThreadProfile } from './helpers/twoThreadProfile';

const profile = twoThreadProfile();
const recorded = loadProfile(readFileSync(join(__dirname, 'fixtures', 'two_threads.hotpath.json'), 'utf8'));

const read = (source = profile, options?: Parameters<typeof exportFirefoxProfile>[1]) =>
  readGecko(JSON.parse(exportFirefoxProfile(source, options)));

describe('Firefox Profiler export', () => {
  it('writes the Gecko format’s meta: version, interval and start in ms, categories', () => {
    const { meta } = read();
    assert.equal(meta.version, GECKO_VERSION);
    assert.equal(meta.interval, 1);
    assert.equal(meta.startTime, 1_700_000_000_000);
    assert.deepEqual(
      (meta.categories as { name: string }[]).map((c) => c.name),
      ['Other', 'Running', 'Idle'],
    );
    assert.deepEqual(meta.sampleUnits, { time: 'ms', eventDelay: 'ms', threadCPUDelta: 'µs' });
  });

  it('writes a track per thread with its name, tid, pid and sample times', () => {
    const { threads } = read();
    assert.deepEqual(
      threads.map((t) => [t.name, t.tid, t.pid]),
      [
        ['MainThread', 10, 4242],
        ['worker', 11, 4242],
      ],
    );
    assert.deepEqual(threads[0].times, [0, 1, 2, 3, 4]);
    assert.deepEqual(threads[1].times, [0, 1, 2]);
  });

  it('writes frames the profiler reads as functions (file, first line) at their lines', () => {
    const { threads } = read();
    assert.deepEqual([...threads[0].functions].sort(), [
      `call@${SITE}:1`,
      'main@/home/user/project/app.py:1',
      'work@/home/user/project/app.py:8',
    ]);
    assert.deepEqual(
      threads[0].leafCounts,
      new Map([
        ['work@/home/user/project/app.py:9', 3],
        ['work@/home/user/project/app.py:10', 1],
        [`call@${SITE}:5`, 1],
      ]),
    );
    assert.deepEqual(
      threads[1].leafCounts,
      new Map([
        ['loop@/home/user/project/w.py:3', 2],
        ['[no Python frames]@:0', 1],
      ]),
    );
  });

  it('says running or waiting with the Running and Idle categories and the CPU µs', () => {
    const { threads } = read();
    assert.deepEqual(threads[0].categories, Array(5).fill('Running'));
    assert.deepEqual(threads[1].categories, ['Idle', 'Idle', 'Running']);
    assert.deepEqual(threads[0].cpuDeltas, [1000, 1000, 1000, 1000, 1000]);
    assert.deepEqual(threads[1].cpuDeltas, [0, 0, 1000]);
  });

  it('merges library frames into their callers on request, keeping every sample', () => {
    const { threads } = read(profile, { mode: 'wall', hideLibrary: true, hideStartup: true });
    assert.equal(threads[0].leafCounts.get('main@/home/user/project/app.py:2'), 1);
    assert.ok(![...threads[0].functions].some((f) => f.includes(SITE)));
    assert.equal(
      threads.reduce((n, t) => n + t.times.length, 0),
      8,
    );
  });

  for (const mode of ['wall', 'cpu'] as const) {
    it(`round-trips a recorded profile (${mode}): samples per line, threads and times as in the profile`, () => {
      const { threads } = read(recorded, { mode, hideLibrary: false, hideStartup: false });
      assert.deepEqual(geckoLeafCounts(threads), profileLineCounts(recorded, mode).leaf);
      assert.equal(
        threads.reduce((n, t) => n + t.times.length, 0),
        profileTotals(recorded, mode).samples,
      );
      const expectedTimes = (thread: number) =>
        [...recorded.sampleTime]
          .filter(
            (_, i) => recorded.sampleThread[i] === thread && (mode === 'wall' || recorded.sampleOnCpu[i]),
          )
          .map((us) => us / 1000);
      for (const t of threads) {
        const index = recorded.threads.findIndex((info) => info.tid === t.tid);
        assert.equal(t.name, recorded.threads[index].name);
        assert.deepEqual(t.times, expectedTimes(index));
      }
      const idle = threads.flatMap((t) => t.categories).filter((c) => c === 'Idle').length;
      const waiting = [...recorded.sampleOnCpu].filter((on) => !on).length;
      assert.equal(idle, mode === 'wall' ? waiting : 0);
    });
  }
});
