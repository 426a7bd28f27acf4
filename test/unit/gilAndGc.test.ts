/**
 * The GIL holder and the garbage collector in the model and on disk: GIL mode keeps the holder's
 * samples only, `<GC>` frames are hidden into the line that set the collection off, profile
 * format 3 keeps both (and the run's mode), and older files load without them; the spill file's
 * flags byte carries the holder.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadProfile, saveProfile } from '../../extension/format/profileFile';
import { ProfileFormatError } from '../../extension/format/formatError';
import { buildCallTree } from '../../extension/model/callTree';
import { buildFunctionTable } from '../../extension/model/functionTable';
import { buildLineTable } from '../../extension/model/lineTable';
import { createView } from '../../extension/model/processors';
import { gcFrameMask, GC_FRAME_NAME, hasGilData } from '../../extension/model/gcFrame';
import { buildProfile } from './helpers/profileBuilder';
import {
  buildHeader,
  buildTimeline,
  sanitizeFilter,
  startingMode,
  viewOptionsFor,
} from '../../extension/views/viewModel';
import { gilColumns } from '../../webview/gilBand';
import { readSpill } from '../../extension/format/spillReader';
import { SpillBuilder } from './helpers/spillBuilder';

const GC = '<GC>@<interpreter>:0';
const profile = buildProfile({
  threads: [{ name: 'MainThread' }, { name: 'worker' }],
  firstLines: { [GC.replace(':0', '')]: 0 },
  samples: [
    { stack: ['main@app.py:3', 'alloc@app.py:10'], gil: true, repeat: 4 },
    { stack: ['main@app.py:3', 'alloc@app.py:10', GC], gil: true, repeat: 2 },
    { stack: ['spin@app.py:20'], thread: 1, gil: false, repeat: 5 },
    { stack: ['spin@app.py:20'], thread: 1, gil: true, repeat: 1 },
  ],
});
const options = { hideLibrary: false, hideStartup: false } as const;

describe('GIL mode and <GC> frames', () => {
  it('GIL mode counts the holder only; wall and on-CPU count everything here', () => {
    const gil = buildFunctionTable(createView(profile, { mode: 'gil', ...options }));
    const samples = (name: string) => gil.find((f) => f.name === name)?.samples ?? 0;
    assert.equal(samples('alloc'), 6);
    assert.equal(samples('spin'), 1);
    assert.equal(createView(profile, { mode: 'wall', ...options }).totalSamples, 12);
    assert.equal(createView(profile, { mode: 'gil', ...options }).totalSamples, 7);
  });

  it('a profile without the record has no GIL time (and says so)', () => {
    const { sampleGil: _, ...old } = profile;
    assert.equal(hasGilData(old), false);
    assert.equal(hasGilData(profile), true);
    assert.equal(createView(old, { mode: 'gil', ...options }).totalSamples, 0);
  });

  it('<GC> is a frame of its own; hidden, its time is the line that set it off', () => {
    assert.deepEqual([...gcFrameMask(profile)].filter(Boolean).length, 1);
    const shown = buildFunctionTable(createView(profile, { mode: 'wall', ...options }));
    assert.equal(shown.find((f) => f.name === GC_FRAME_NAME)?.selfUs, 2000);
    assert.equal(shown.find((f) => f.name === 'alloc')?.selfUs, 4000);
    const hiddenView = createView(profile, { mode: 'wall', ...options, hideGc: true });
    const hidden = buildFunctionTable(hiddenView);
    assert.equal(
      hidden.find((f) => f.name === GC_FRAME_NAME && f.samples > 0),
      undefined,
    );
    assert.equal(hidden.find((f) => f.name === 'alloc')?.selfUs, 6000);
    // In the tree, the collection's time is its caller's, and no "library frame" is counted for it.
    const allocNode = buildCallTree(hiddenView).nodes.find((n) => n.name === 'alloc');
    assert.deepEqual([allocNode?.selfUs, allocNode?.hiddenFrames], [6000, 0]);
    // The editor's lines never hide frames: the collection is in the total of the line under it.
    const line = buildLineTable(hiddenView).files.get('app.py')?.get(10);
    assert.deepEqual([line?.selfUs, line?.totalUs], [4000, 6000]);
  });
});

describe('profile format 3: GIL record and time mode', () => {
  it('round-trips sampleGil and meta.mode', () => {
    const withMode = { ...profile, meta: { ...profile.meta, mode: 'gil' as const } };
    const loaded = loadProfile(saveProfile(withMode));
    assert.deepEqual(loaded, withMode);
    assert.match(saveProfile(withMode), /"version":3/);
  });

  it('reads a version 2 file as it was: no GIL record, wall-clock (a stray column is ignored)', () => {
    const file = JSON.parse(saveProfile({ ...profile, meta: { ...profile.meta, mode: 'cpu' } }));
    file.version = 2;
    const loaded = loadProfile(JSON.stringify(file));
    assert.equal(loaded.sampleGil, undefined);
    assert.equal(loaded.meta.mode, undefined);
    assert.deepEqual(loaded.sampleOnCpu, profile.sampleOnCpu);
  });

  it('refuses a GIL column out of range or of the wrong length, and an unknown mode', () => {
    const refuses = (
      change: (file: { samples: { gil: number[] }; meta: { mode?: string } }) => void,
      message: RegExp,
    ) => {
      const file = JSON.parse(saveProfile(profile));
      change(file);
      assert.throws(
        () => loadProfile(JSON.stringify(file)),
        (error: unknown) => error instanceof ProfileFormatError && message.test(error.message),
      );
    };
    refuses((f) => (f.samples.gil[0] = 2), /^samples\.gil\[0\]/);
    refuses((f) => f.samples.gil.pop(), /^samples\.gil/);
    refuses((f) => (f.meta.mode = 'idle'), /^meta\.mode: expected one of wall, cpu, gil/);
  });
});

describe('the panel: GIL mode, GC switch, GIL band, mode taken in', () => {
  it('the header says what the profile holds and which mode it was taken in', () => {
    const header = buildHeader({ ...profile, meta: { ...profile.meta, mode: 'gil' } }, 'app.py');
    assert.deepEqual([header.mode, header.hasGil, header.hasGc], ['gil', true, true]);
    const { sampleGil: _, ...old } = profile;
    const plain = buildHeader(old, 'app.py');
    assert.deepEqual([plain.mode, plain.hasGil], [undefined, false]);
  });

  it('a new profile opens in its own mode; GIL only where it was recorded', () => {
    assert.equal(startingMode({ ...profile, meta: { ...profile.meta, mode: 'gil' } }, 'wall'), 'gil');
    assert.equal(startingMode(profile, 'cpu'), 'cpu');
    const { sampleGil: _, ...old } = profile;
    assert.equal(startingMode(old, 'gil'), 'wall');
  });

  it('the filter keeps gil and hideGc, and hands hideGc to the model', () => {
    const filter = sanitizeFilter({ mode: 'gil', showAll: false, hideGc: true });
    assert.deepEqual(filter, { mode: 'gil', showAll: false, hideGc: true });
    assert.equal(viewOptionsFor(filter).hideGc, true);
    assert.equal(sanitizeFilter({ mode: 'idle' as never, showAll: false }).mode, 'wall');
  });

  it('the timeline counts GIL samples per bin, and the band is their share of each column', () => {
    const timeline = buildTimeline(profile);
    const worker = timeline.lanes[1];
    assert.equal(
      worker.gil?.reduce((a, b) => a + b, 0),
      1,
    );
    assert.equal(
      timeline.lanes[0].gil?.reduce((a, b) => a + b, 0),
      6,
    );
    const band = gilColumns(worker, 1);
    assert.ok(band && Math.abs(band[0] - 1 / 6) < 1e-6, `band ${band?.[0]}`);
    const { sampleGil: _, ...old } = profile;
    assert.equal(buildTimeline(old).lanes[0].gil, undefined);
    assert.equal(gilColumns(buildTimeline(old).lanes[0], 10), undefined);
  });
});

describe('the spill file: a flags byte per sample', () => {
  const spill = (meta: Record<string, unknown>) =>
    new SpillBuilder()
      .json(6, {
        pid: 7,
        pythonVersion: '3.12.1',
        pythonBinary: '/usr/bin/python3',
        startedAt: 1,
        intervalUs: 1000,
        ...meta,
      })
      .string(0, 'app.py')
      .string(1, 'main')
      .string(2, 'MainThread')
      .frame(0, 0, 1, 10, 9)
      .stack(0, -1, 0)
      .thread(0, 100, 1n, true, 2)
      .sample(0, 0, 0, 3)
      .sample(1000, 0, 0, 1)
      .sample(2000, 0, 0, 0)
      .bytes();

  it('bit 0 is on-CPU, bit 1 the GIL holder, when the meta says the sampler recorded it', () => {
    const { profile: read } = readSpill(spill({ gil: true }));
    assert.deepEqual([...read.sampleOnCpu], [1, 1, 0]);
    assert.deepEqual([...(read.sampleGil ?? [])], [1, 0, 0]);
  });

  it('an older spill (no `gil` in its meta) has no GIL record', () => {
    const { profile: read } = readSpill(spill({}));
    assert.equal(read.sampleGil, undefined);
    assert.deepEqual([...read.sampleOnCpu], [1, 1, 0]);
  });
});
