/**
 * The `.cpuprofile` export, checked against the DevTools protocol's published
 * types (devtools-protocol) and the format's rules (cpuprofileRules.ts), on a
 * literal profile and on one the CLI recorded: the same samples per line and
 * the same time as the profile.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Protocol } from 'devtools-protocol';
import { exportCpuProfile, toCpuProfile } from '../../extension/format/cpuprofile';
import { loadProfile } from '../../extension/format/profileFile';
import { assertProtocolType } from './helpers/cdpSchema';
import { assertCpuProfileRules } from './helpers/cpuprofileRules';
import { profileLineCounts, profileTotals } from './helpers/exportTotals';
import { SITE, twoThreadProfile } from './helpers/twoThreadProfile';

const profile = twoThreadProfile();
const recorded = loadProfile(readFileSync(join(__dirname, 'fixtures', 'two_threads.hotpath.json'), 'utf8'));

describe('.cpuprofile export', () => {
  it('is a Profiler.Profile of the DevTools protocol', () => {
    for (const source of [profile, recorded]) {
      const file = JSON.parse(exportCpuProfile(source));
      assertProtocolType(file, 'Profiler.Profile');
      // And the protocol's TypeScript type takes it as it is.
      const typed: Protocol.Profiler.Profile = toCpuProfile(source);
      assert.equal(typed.nodes.length, file.nodes.length);
    }
  });

  it('the protocol check refuses what the protocol does not allow', () => {
    const file = toCpuProfile(profile);
    const broken = { ...file, nodes: [{ ...file.nodes[0], id: 1.5 }, ...file.nodes.slice(1)] };
    assert.throws(() => assertProtocolType(broken, 'Profiler.Profile'), /integer expected/);
    assert.throws(
      () => assertProtocolType({ ...file, extra: 1 }, 'Profiler.Profile'),
      /unknown property extra/,
    );
    const { startTime: _startTime, ...noStart } = file;
    assert.throws(() => assertProtocolType(noStart, 'Profiler.Profile'), /startTime is required/);
  });

  it('writes functions with file URL, 0-based first line, and their lines as positionTicks', () => {
    const file = toCpuProfile(profile);
    assertCpuProfileRules(file);
    const work = file.nodes.find((n) => n.callFrame.functionName === 'work');
    assert.deepEqual(work?.callFrame, {
      functionName: 'work',
      scriptId: '1',
      url: 'file:///home/user/project/app.py',
      lineNumber: 7,
      columnNumber: 0,
    });
    assert.deepEqual(work?.positionTicks, [
      { line: 9, ticks: 3 },
      { line: 10, ticks: 1 },
    ]);
    assert.equal(work?.hitCount, 4);
    const call = file.nodes.find((n) => n.callFrame.functionName === 'call');
    assert.equal(call?.callFrame.url, `file://${SITE}`);
  });

  it('puts each thread under the root, its samples one thread after the other', () => {
    const file = toCpuProfile(profile);
    const root = file.nodes[0];
    const threads = root.children.map((id) => file.nodes[id - 1].callFrame.functionName);
    assert.deepEqual(threads, ['MainThread (tid 10)', 'worker (tid 11)']);
    const threadOf = (id: number): string => {
      let node = id;
      for (;;) {
        const parent = file.nodes.find((n) => n.children.includes(node));
        if (!parent || parent.id === 1) return file.nodes[node - 1].callFrame.functionName;
        node = parent.id;
      }
    };
    assert.deepEqual(file.samples.map(threadOf), [
      ...Array(5).fill('MainThread (tid 10)'),
      ...Array(3).fill('worker (tid 11)'),
    ]);
    const noFrames = file.nodes.find((n) => n.callFrame.functionName === '[no Python frames]');
    assert.equal(noFrames?.hitCount, 1);
    assert.deepEqual(file.timeDeltas, [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000]);
    assert.equal(file.endTime - file.startTime, 8000);
    assert.equal(file.startTime, 1_700_000_000_000_000);
  });

  it('merges library frames into their callers on request, keeping every sample', () => {
    const file = toCpuProfile(profile, { mode: 'wall', hideLibrary: true, hideStartup: true });
    assertCpuProfileRules(file);
    assert.ok(!file.nodes.some((n) => n.callFrame.functionName === 'call'));
    const main = file.nodes.find((n) => n.callFrame.functionName === 'main');
    assert.deepEqual(main?.positionTicks, [{ line: 2, ticks: 1 }]);
    assert.equal(file.samples.length, 8);
  });

  for (const mode of ['wall', 'cpu'] as const) {
    it(`round-trips a recorded profile (${mode}): samples per line and time as in the profile`, () => {
      const file = toCpuProfile(recorded, { mode, hideLibrary: false, hideStartup: false });
      const read = assertCpuProfileRules(file);
      assert.deepEqual(
        read.leafCounts,
        profileLineCounts(recorded, mode, { unknownLineAtFirstLine: true }).leaf,
      );
      const totals = profileTotals(recorded, mode);
      assert.equal(file.samples.length, totals.samples);
      assert.ok(Math.abs(read.durationUs - totals.us) <= 1, `${read.durationUs} µs, profile ${totals.us} µs`);
    });
  }
});
