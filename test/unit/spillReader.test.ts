import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readSpill } from '../../extension/format/spillReader';
import { ProfileFormatError } from '../../extension/format/formatError';
import { SpillBuilder } from './helpers/spillBuilder';
import { createView } from '../../extension/model/processors';
import { buildCallTree } from '../../extension/model/callTree';
import { buildLineTable } from '../../extension/model/lineTable';

const META = {
  pid: 321,
  pythonVersion: '3.12.1',
  pythonBinary: '/usr/bin/python3.12',
  startedAt: 1.7e12,
  intervalUs: 1000,
};
const END = {
  ticks: 3,
  samples: 4,
  lateTicks: 1,
  droppedSamples: 2,
  meanTickCostUs: 9.5,
  maxDepth: 2,
  truncatedStacks: 0,
  durationUs: 2000,
};

/** A run with two threads, a renamed thread, and a sample with no Python frames. */
function run(): SpillBuilder {
  return new SpillBuilder()
    .json(6, META)
    .string(0, 'app.py')
    .string(1, 'main')
    .string(2, 'wörk')
    .string(3, 'MainThread')
    .string(4, 'Thread-1')
    .frame(0, 0, 1, 10, 9)
    .frame(1, 0, 2, 20, 19)
    .stack(0, -1, 0)
    .stack(1, 0, 1)
    .thread(0, 100, 140000000000001n, true, 3)
    .thread(1, 101, 18446744073709551615n, false, 4)
    .sample(0, 0, 1, true)
    .sample(0, 1, -1, false)
    .string(5, 'downloader')
    .threadName(1, 5)
    .sample(1000, 0, 0, true)
    .sample(2000, 0, 1, false);
}

describe('spill reader', () => {
  it('rebuilds every table of a finished run', () => {
    const { profile, stoppedBecause, bytesRead } = readSpill(run().json(7, END).bytes());
    assert.equal(stoppedBecause, null);
    assert.ok(bytesRead > 16);
    assert.deepEqual(profile.strings, ['app.py', 'main', 'wörk', 'MainThread', 'Thread-1', 'downloader']);
    assert.deepEqual([...profile.frameLine], [10, 20]);
    assert.deepEqual([...profile.frameFirstLine], [9, 19]);
    assert.deepEqual([...profile.stackParent], [-1, 0]);
    assert.deepEqual([...profile.sampleTime], [0, 0, 1000, 2000]);
    assert.deepEqual([...profile.sampleThread], [0, 1, 0, 0]);
    assert.deepEqual([...profile.sampleStack], [1, -1, 0, 1]);
    assert.deepEqual([...profile.sampleOnCpu], [1, 0, 1, 0]);
    assert.deepEqual(profile.threads, [
      { tid: 100, ident: '140000000000001', isMain: true, name: 'MainThread' },
      { tid: 101, ident: '18446744073709551615', isMain: false, name: 'downloader' },
    ]);
    assert.equal(profile.meta.pid, 321);
    assert.equal(profile.meta.pythonPath, '/usr/bin/python3.12');
    assert.equal(profile.meta.durationUs, 2000);
    assert.equal(profile.meta.recovered, undefined);
    assert.equal(profile.stats.droppedSamples, 2);
    assert.equal(profile.stats.lateTicks, 1);
  });

  it('reads when sampling went back to normal priority; -1 (it never did) leaves the field out', () => {
    const never = readSpill(
      run()
        .json(7, { ...END, normalPrioritySinceUs: -1 })
        .bytes(),
    ).profile;
    assert.ok(!('normalPrioritySinceUs' in never.stats));
    const busy = readSpill(
      run()
        .json(7, { ...END, normalPrioritySinceUs: 312_000 })
        .bytes(),
    ).profile;
    assert.equal(busy.stats.normalPrioritySinceUs, 312_000);
  });

  it('keeps everything before a record cut off mid-write and marks the profile recovered', () => {
    const whole = run().bytes();
    // Cut one byte into the last sample record (18 bytes).
    const { profile, stoppedBecause, bytesRead } = readSpill(whole.subarray(0, whole.length - 17));
    assert.match(stoppedBecause ?? '', /incomplete record at byte \d+/);
    assert.equal(bytesRead, whole.length - 18);
    assert.deepEqual([...profile.sampleTime], [0, 0, 1000]);
    assert.equal(profile.meta.recovered, true);
    assert.equal(profile.stats.samples, 3);
    assert.equal(profile.stats.maxDepth, 2);
    assert.equal(profile.meta.durationUs, 1000);
  });

  it('survives a cut at every byte', () => {
    const whole = run().json(7, END).bytes();
    let previousSamples = 0;
    for (let cut = 16; cut <= whole.length; cut++) {
      const { profile } = readSpill(whole.subarray(0, cut));
      assert.ok(profile.sampleTime.length >= previousSamples, `cut ${cut}`);
      previousSamples = profile.sampleTime.length;
    }
    assert.equal(previousSamples, 4);
  });

  it('stops at a record that breaks the rules', () => {
    const outOfOrder = readSpill(run().string(9, 'skipped ids').sample(3000, 0, 0, true).bytes());
    assert.match(outOfOrder.stoppedBecause ?? '', /string id out of order/);
    assert.equal(outOfOrder.profile.sampleTime.length, 4);

    const dangling = readSpill(run().sample(3000, 0, 7, true).bytes());
    assert.match(dangling.stoppedBecause ?? '', /undefined stack/);

    const unknown = readSpill(run().raw([42, 0, 0]).bytes());
    assert.match(unknown.stoppedBecause ?? '', /unknown record type 42/);
  });

  it('refuses a file with a bad header or another version', () => {
    assert.throws(() => readSpill(new Uint8Array(10)), ProfileFormatError);
    assert.throws(() => readSpill(new TextEncoder().encode('NOTASPILLFILE!!!')), /not a Hotpath spill file/);
    assert.throws(() => readSpill(new SpillBuilder(4).bytes()), /version 4/);
  });
});

describe('spill reader fuzz', () => {
  it('reads 3000 damaged files into consistent profiles or refuses them with a ProfileFormatError', () => {
    const whole = run().json(7, END).bytes();
    let state = 0x1234;
    const next = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 4294967296;
    };
    for (let round = 0; round < 3000; round++) {
      const bytes = whole.slice(0, 8 + Math.floor(next() * (whole.length - 7)));
      for (let e = 0; e < 1 + Math.floor(next() * 6); e++) {
        bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      }
      try {
        const { profile } = readSpill(bytes);
        // Everything the reader returns must be safe for the model.
        const view = createView(profile);
        buildCallTree(view);
        buildLineTable(view);
        for (const stack of profile.sampleStack) assert.ok(stack >= -1 && stack < profile.stackParent.length);
        for (const t of profile.sampleThread) assert.ok(t < profile.threads.length);
      } catch (error) {
        if (!(error instanceof ProfileFormatError)) assert.fail(`round ${round}: ${String(error)}`);
      }
    }
  });
});
