import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readSpill, SpillReader } from '../../extension/format/spillReader';
import { profileSince } from '../../extension/model/profileSince';
import type { RawProfile } from '../../extension/model/rawProfile';
import { buildLineTable } from '../../extension/model/lineTable';
import { createView } from '../../extension/model/processors';
import { LiveProfile } from '../../extension/run/liveProfile';
import { applyLiveDelta, liveDelta } from '../../extension/views/liveDelta';
import { SpillBuilder } from './helpers/spillBuilder';

const META = {
  pid: 77,
  pythonVersion: '3.12.1',
  pythonBinary: '/usr/bin/python3.12',
  startedAt: 1.7e12,
  intervalUs: 1000,
};

/** A run of `ticks` samples: the main thread in `work` (line 5) under `main` (line 9). */
function run(ticks: number): SpillBuilder {
  const spill = new SpillBuilder()
    .json(6, META)
    .string(0, '/app/server.py')
    .string(1, 'main')
    .string(2, 'work')
    .string(3, 'MainThread')
    .frame(0, 0, 1, 9, 8)
    .frame(1, 0, 2, 5, 4)
    .stack(0, -1, 0)
    .stack(1, 0, 1)
    .thread(0, 500, 1n, true, 3);
  for (let t = 0; t < ticks; t++) spill.sample(t * 1000, 0, t % 4 === 0 ? 0 : 1, true);
  return spill;
}

/** Every column as plain numbers, and the facts the views read: equal profiles compare equal. */
function plain(raw: RawProfile): unknown {
  return {
    strings: raw.strings,
    columns: [
      raw.frameFile,
      raw.frameName,
      raw.frameLine,
      raw.frameFirstLine,
      raw.stackParent,
      raw.stackFrame,
      raw.sampleTime,
      raw.sampleThread,
      raw.sampleStack,
      raw.sampleOnCpu,
    ].map((column) => [...column]),
    threads: raw.threads,
    durationUs: raw.meta.durationUs,
    samples: raw.stats.samples,
    maxDepth: raw.stats.maxDepth,
  };
}

describe('spill reader, pushed a piece at a time', () => {
  it('reads a file pushed in pieces cut at every byte as it reads it whole', () => {
    const whole = run(9).json(7, { samples: 9, durationUs: 8000 }).bytes();
    const expected = plain(readSpill(whole).profile);
    for (const size of [1, 2, 3, 7, 17, 18, 19, 64]) {
      const reader = new SpillReader();
      for (let at = 0; at < whole.length; at += size) reader.push(whole.subarray(at, at + size));
      assert.deepEqual(plain(reader.result().profile), expected, `pieces of ${size} bytes`);
      assert.equal(reader.ended, true);
    }
    // One buffer reused for every read, as a file reader does: a record cut between reads survives.
    const reader = new SpillReader();
    const chunk = Buffer.alloc(50);
    for (let at = 0; at < whole.length; at += chunk.length) {
      const piece = whole.subarray(at, at + chunk.length);
      chunk.set(piece);
      reader.push(chunk.subarray(0, piece.length));
      chunk.fill(0);
    }
    assert.deepEqual(plain(reader.result().profile), expected, 'one buffer reused');
  });

  it('snapshots the samples so far, and a snapshot never changes as more is read', () => {
    const whole = run(3000).bytes();
    const reader = new SpillReader();
    const half = Math.floor(whole.length / 2);
    reader.push(whole.subarray(0, half));
    const early = reader.snapshot();
    const earlyCopy = plain(early);
    assert.ok(early.sampleTime.length > 0 && early.sampleTime.length < 3000);
    assert.equal(early.meta.recovered, true, 'no end record yet');
    reader.push(whole.subarray(half));
    const late = reader.snapshot();
    assert.equal(late.sampleTime.length, 3000);
    assert.deepEqual(plain(early), earlyCopy, 'the earlier snapshot is as it was');
    // The snapshot reads like the whole file.
    assert.deepEqual(plain(late), plain(readSpill(whole).profile));
  });

  it('keeps a record cut between pushes and completes it with the next push', () => {
    const whole = run(4).bytes();
    const reader = new SpillReader();
    reader.push(whole.subarray(0, whole.length - 5));
    assert.equal(reader.samples, 3);
    reader.push(whole.subarray(whole.length - 5));
    assert.equal(reader.samples, 4);
    assert.equal(reader.stoppedBecause, null);
  });

  it('stops for good at a record that breaks the rules', () => {
    const reader = new SpillReader();
    reader.push(run(2).sample(5000, 0, 9, true).bytes());
    assert.match(reader.stoppedBecause ?? '', /undefined stack/);
    reader.push(new SpillBuilder().sample(6000, 0, 0, true).bytes().subarray(16));
    assert.equal(reader.samples, 2);
  });
});

describe('profileSince (Reset)', () => {
  const profile = readSpill(
    run(10).json(7, { samples: 10, durationUs: 9000, normalPrioritySinceUs: 2000 }).bytes(),
  ).profile;

  it('keeps the samples from the reset on, counted from it', () => {
    const since = profileSince(profile, 6500);
    assert.deepEqual([...since.sampleTime], [500, 1500, 2500]);
    assert.deepEqual([...since.sampleStack], [1, 0, 1]);
    assert.equal(since.meta.countedFromUs, 6500);
    assert.equal(since.meta.startedAt, META.startedAt + 6.5);
    assert.equal(since.meta.durationUs, 2500);
    assert.equal(since.stats.samples, 3);
    assert.equal(since.stats.normalPrioritySinceUs, 0);
    // The views see only what came after.
    const lines = buildLineTable(createView(since)).files.get('/app/server.py');
    assert.equal(lines?.get(9)?.totalSamples, 3);
    assert.equal(lines?.get(5)?.totalSamples, 2);
  });

  it('adds up two resets, and a reset at 0 changes nothing', () => {
    assert.equal(profileSince(profile, 0), profile);
    const twice = profileSince(profileSince(profile, 2000), 3000);
    assert.equal(twice.meta.countedFromUs, 5000);
    assert.deepEqual([...twice.sampleTime], [0, 1000, 2000, 3000, 4000]);
  });

  it('keeps no sample when the reset came after the last one', () => {
    const none = profileSince(profile, 20_000);
    assert.equal(none.sampleTime.length, 0);
    assert.equal(none.meta.durationUs, 0);
  });
});

describe('live profile', () => {
  it('follows a growing spill file, shows each new state once and counts from a reset', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotpath-live-'));
    try {
      const spillPath = path.join(dir, 'run.hotspill');
      const shown: RawProfile[] = [];
      const live = new LiveProfile({
        spillPath,
        meta: { argv: ['python3', 'server.py'], cwd: '/app', pythonPath: '/venv/bin/python' },
        show: async (profile) => {
          shown.push(profile);
        },
      });
      // No spill yet (the interpreter is not up): nothing to show, no error.
      await live.update();
      assert.equal(shown.length, 0);

      const whole = run(2000).bytes();
      writeFileSync(spillPath, whole.subarray(0, 5000));
      await live.update();
      assert.equal(shown.length, 1);
      const first = shown[0];
      assert.ok(first.sampleTime.length > 0);
      assert.equal(first.meta.live, true);
      assert.equal(first.meta.recovered, undefined);
      assert.deepEqual(first.meta.argv, ['python3', 'server.py']);
      assert.equal(first.meta.pythonPath, '/venv/bin/python');

      // Nothing new: nothing shown again.
      await live.update();
      assert.equal(shown.length, 1);

      appendFileSync(spillPath, whole.subarray(5000));
      await live.update();
      assert.equal(shown.length, 2);
      assert.equal(shown[1].sampleTime.length, 2000);
      assert.equal(live.samples, 2000);

      live.resetAt(1_500_000);
      await live.update();
      assert.equal(shown.length, 3, 'a reset shows the samples since, even when none is new');
      assert.equal(shown[2].sampleTime.length, 500);
      assert.equal(shown[2].meta.countedFromUs, 1_500_000);
      await live.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows nothing after stop, even when an update was in flight', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotpath-live-'));
    try {
      const spillPath = path.join(dir, 'run.hotspill');
      writeFileSync(spillPath, run(10).bytes());
      let release: () => void = () => undefined;
      let showing: () => void = () => undefined;
      const shown = new Promise<void>((resolve) => (showing = resolve));
      let shows = 0;
      const live = new LiveProfile({
        spillPath,
        meta: { argv: [], cwd: '' },
        show: () => {
          shows++;
          showing();
          return new Promise<void>((resolve) => (release = resolve));
        },
      });
      const inFlight = live.update();
      // A second look while one is in flight joins it instead of queueing another.
      assert.equal(live.update(), inFlight);
      await shown;
      const stopped = live.stop();
      let stopResolved = false;
      void stopped.then(() => (stopResolved = true));
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(stopResolved, false, 'stop waits for the update in flight');
      release();
      await stopped;
      appendFileSync(spillPath, new SpillBuilder().sample(20_000, 0, 0, true).bytes().subarray(16));
      await live.update();
      assert.equal(shows, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('live deltas (what the view worker is sent)', () => {
  /** Live snapshots of one run read a piece at a time, with a thread renamed half-way. */
  function snapshots(): RawProfile[] {
    const whole = run(1200).string(4, 'renamed').threadName(0, 4).bytes();
    const reader = new SpillReader();
    const out: RawProfile[] = [];
    for (let at = 0; at < whole.length; at += 4000) {
      reader.push(whole.subarray(at, at + 4000));
      const raw = reader.snapshot();
      out.push({ ...raw, meta: { ...raw.meta, live: true } });
    }
    return out;
  }

  it('rebuilds each snapshot from the one before and what it adds', () => {
    const all = snapshots();
    assert.ok(all.length > 3);
    let held = all[0];
    for (const next of all.slice(1)) {
      const delta = liveDelta(held, next);
      assert.ok(delta, 'a later snapshot of the same run extends the earlier one');
      assert.ok(delta.sampleTime.length < next.sampleTime.length, 'only the new samples travel');
      const rebuilt = applyLiveDelta(held, delta);
      assert.ok(rebuilt);
      assert.deepEqual(plain(rebuilt), plain(next));
      assert.deepEqual(rebuilt.threads, next.threads, 'a renamed thread has its new name');
      held = rebuilt;
    }
  });

  it('sends whole what does not extend the base: another run, a Reset, a finished profile', () => {
    const [a, b] = snapshots();
    assert.equal(liveDelta(a, { ...b, meta: { ...b.meta, pid: 99 } }), undefined);
    assert.equal(liveDelta(a, profileSince(b, 500)), undefined);
    assert.equal(liveDelta(a, { ...b, meta: { ...b.meta, live: undefined } }), undefined);
    assert.equal(liveDelta(b, a), undefined, 'an earlier snapshot');
    // The processes of a program that starts others travel whole, and a Reset counts them from it.
    const process = { pid: 77, ppid: 1, parent: -1, argv: ['python3'], pythonVersion: '3.12.1' };
    const processes = [{ ...process, startUs: 0, endUs: null, exitCode: null, exitSignal: null }];
    const withProcesses = liveDelta(a, { ...b, processes });
    assert.deepEqual(withProcesses && applyLiveDelta(a, withProcesses)?.processes, processes);
    const child = { ...processes[0], pid: 78, parent: 0, startUs: 3000, endUs: 5000 };
    const since = profileSince({ ...b, processes: [processes[0], child] }, 4000).processes;
    assert.deepEqual(
      since?.map((p) => [p.startUs, p.endUs]),
      [
        [0, null],
        [0, 1000],
      ],
    );
    // A delta only applies to the snapshot it was made from.
    const delta = liveDelta(a, b);
    assert.ok(delta);
    assert.equal(applyLiveDelta(b, delta), undefined);
  });
});
