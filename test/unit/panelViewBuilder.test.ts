// The panel's views and the editor's annotations are built on a worker thread: the same results
// as the pure builders, only the newest of overlapping requests for one profile, and a worker
// that dies is replaced.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { FilterState } from '../../extension/views/protocol';
import { SupersededError, ViewBuilder } from '../../extension/views/viewBuilder';
import { buildProfileMessage } from '../../extension/views/viewModel';
import { buildEditorAnnotations } from '../../extension/views/editorViews';
import { buildLineNeighbours } from '../../extension/views/lineNeighbours';
import { createView } from '../../extension/model/processors';
import { buildProfile } from './helpers/profileBuilder';

const SOURCE = path.resolve(__dirname, '..', '..', 'extension', 'views', 'viewWorker.ts');
const OUT = mkdtempSync(path.join(tmpdir(), 'hotpath-view-worker-'));
const WORKER = path.join(OUT, 'viewWorker.js');

// The worker runs as it ships: bundled by esbuild as scripts/build.mjs does, from the current source.
before(() =>
  esbuild.build({
    entryPoints: [SOURCE],
    outfile: WORKER,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  }),
);
const IDS = { profileId: 'p1', title: 'Hotpath: app.py' };
const WALL: FilterState = { mode: 'wall', showAll: true };
const CPU: FilterState = { mode: 'cpu', showAll: true };

const profile = buildProfile({
  samples: [
    { stack: ['main@app.py:10', 'work@app.py:20'], repeat: 3 },
    { stack: ['main@app.py:11', 'wait@app.py:30'], repeat: 2, onCpu: false },
    { stack: ['loop@app.py:3'], thread: 1, repeat: 4 },
  ],
  threads: [{ name: 'MainThread' }, { name: 'worker' }],
});

function newBuilder(): ViewBuilder {
  const builder = new ViewBuilder({ workerPath: WORKER });
  builders.push(builder);
  return builder;
}
const builders: ViewBuilder[] = [];
after(() => {
  builders.forEach((b) => b.dispose());
  rmSync(OUT, { recursive: true, force: true });
});

/** Structured clone turns typed arrays into equal typed arrays; compare as plain data. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe('view builder (worker thread)', () => {
  it('builds the same message as the pure builder, and reuses header and timeline', async () => {
    const builder = newBuilder();
    const whole = await builder.build('k', profile, WALL, IDS);
    assert.deepEqual(plain(whole), plain(buildProfileMessage(profile, WALL, IDS)));
    const cpu = await builder.build('k', profile, CPU, IDS, whole);
    assert.equal(cpu.header, whole.header, 'the header is reused, not rebuilt');
    assert.equal(cpu.timeline, whole.timeline, 'the timeline is reused, not rebuilt');
    assert.deepEqual(plain(cpu.view), plain(buildProfileMessage(profile, CPU, IDS).view));
    assert.equal(cpu.filter, CPU, 'the filter asked for, by identity (the panel reuses a view by it)');
  });

  it('keeps only the newest of requests made while one builds', async () => {
    const builder = newBuilder();
    const first = builder.build('k', profile, WALL, IDS);
    const replaced = builder.build('k', profile, CPU, IDS);
    const newest = builder.build('k', profile, { mode: 'wall', showAll: false }, IDS);
    await assert.rejects(replaced, SupersededError);
    assert.deepEqual((await first).filter, WALL);
    assert.deepEqual((await newest).filter, { mode: 'wall', showAll: false });
  });

  it('builds for several profiles side by side', async () => {
    const builder = newBuilder();
    const other = buildProfile({ samples: [{ stack: ['other@b.py:1'], repeat: 2 }] });
    const [a, b] = await Promise.all([
      builder.build('a', profile, WALL, IDS),
      builder.build('b', other, WALL, { profileId: 'p2', title: 'b' }),
    ]);
    assert.ok(a.view.functions.name.length > 1);
    assert.deepEqual(
      b.view.strings.filter((s) => s === 'other'),
      ['other'],
    );
  });

  it('builds the editor annotations and hover neighbours the host would', async () => {
    const builder = newBuilder();
    const options = { mode: 'wall' as const, hideLibrary: false, hideStartup: true };
    const annotations = await builder.annotate('k', profile, options, 1);
    const expected = buildEditorAnnotations(createView(profile, options), 1);
    assert.equal(annotations.totalUs, expected.totalUs);
    assert.deepEqual(plain([...annotations.files]), plain([...expected.files]));
    assert.ok(annotations.files.size > 0, 'some file is annotated');
    const lines = await builder.neighbours('k', profile, options, 'app.py');
    const expectedLines = buildLineNeighbours(createView(profile, options), 'app.py');
    assert.deepEqual(plain([...lines]), plain([...expectedLines]));
    assert.ok(lines.size > 0, 'some line has neighbours');
  });

  it('keeps the newest of overlapping annotation requests, apart from panel builds', async () => {
    const builder = newBuilder();
    const wall = { mode: 'wall' as const, hideLibrary: false, hideStartup: true };
    const cpu = { ...wall, mode: 'cpu' as const };
    const panel = builder.build('k', profile, WALL, IDS);
    const first = builder.annotate('k', profile, wall, 1);
    const replaced = builder.annotate('k', profile, cpu, 1);
    const newest = builder.annotate('k', profile, cpu, 50);
    await assert.rejects(replaced, SupersededError);
    assert.deepEqual((await panel).filter, WALL, 'a panel build is not replaced by the editor');
    assert.equal((await first).totalUs, buildEditorAnnotations(createView(profile, wall), 1).totalUs);
    assert.equal((await newest).totalUs, buildEditorAnnotations(createView(profile, cpu), 50).totalUs);
  });

  it('starts its worker ahead of the first request when warmed', async () => {
    const builder = newBuilder();
    const workerOf = () => (builder as unknown as { worker: object | undefined }).worker;
    assert.equal(workerOf(), undefined, 'no worker before any request');
    builder.warm();
    const warmed = workerOf();
    assert.ok(warmed, 'warm() starts the worker');
    assert.deepEqual((await builder.build('k', profile, WALL, IDS)).filter, WALL);
    assert.equal(workerOf(), warmed, 'the request used the warmed worker');
  });

  it('keeps one copy of a profile that a panel and the editor both show', async () => {
    const builder = newBuilder();
    const sent: { kind: string; withRaw: boolean; key?: string }[] = [];
    const spied = builder as unknown as { send(message: Record<string, unknown>): void };
    const send = spied.send.bind(builder);
    spied.send = (message) => {
      sent.push({ kind: String(message.kind), withRaw: message.raw !== undefined, key: String(message.key) });
      send(message);
    };
    const options = { mode: 'wall' as const, hideLibrary: false, hideStartup: true };
    await builder.build('panel', profile, WALL, IDS);
    await builder.annotate('editor', profile, options, 1);
    assert.deepEqual(
      sent.map((m) => m.withRaw),
      [true, false],
      'the profile goes to the worker once',
    );
    builder.forget('panel');
    assert.ok(!sent.some((m) => m.kind === 'forget'), 'still shown in the editor: kept');
    await builder.neighbours('editor', profile, options, 'app.py');
    assert.equal(sent.at(-1)?.withRaw, false, 'not sent again');
    builder.forget('editor');
    assert.equal(sent.at(-1)?.kind, 'forget', 'dropped once nobody shows it');
    // The editor showing another profile releases the first one.
    const other = buildProfile({ samples: [{ stack: ['other@b.py:1'], repeat: 2 }] });
    await builder.annotate('editor', profile, options, 1);
    await builder.annotate('editor', other, options, 1);
    const forgets = sent.filter((m) => m.kind === 'forget').map((m) => m.key);
    assert.equal(forgets.length, 2, `forgets: ${JSON.stringify(sent)}`);
    assert.equal(forgets[0], forgets[1], 'the first profile, dropped when replaced');
  });

  it('sends the samples so far of a running program as what each snapshot adds', async () => {
    const builder = newBuilder();
    const sent: string[] = [];
    const spied = builder as unknown as { send(message: Record<string, unknown>): void };
    const send = spied.send.bind(builder);
    spied.send = (message) => {
      sent.push(message.raw ? 'whole' : message.live ? 'delta' : String(message.kind));
      send(message);
    };
    const options = { mode: 'wall' as const, hideLibrary: false, hideStartup: true };
    // Snapshots of one run: each holds the one before and more samples, as the spill grows.
    const full = buildProfile({
      samples: [
        { stack: ['main@app.py:10', 'work@app.py:20'], repeat: 30 },
        { stack: ['main@app.py:11', 'wait@app.py:30'], repeat: 30 },
      ],
    });
    const snapshot = (samples: number) => ({
      ...full,
      sampleTime: full.sampleTime.subarray(0, samples),
      sampleThread: full.sampleThread.subarray(0, samples),
      sampleStack: full.sampleStack.subarray(0, samples),
      sampleOnCpu: full.sampleOnCpu.subarray(0, samples),
      meta: { ...full.meta, live: true },
    });
    for (const samples of [10, 25, 45, 60]) {
      const raw = snapshot(samples);
      const annotations = await builder.annotate('editor', raw, options, 1);
      const expected = buildEditorAnnotations(createView(raw, options), 1);
      assert.deepEqual(plain([...annotations.files]), plain([...expected.files]), `${samples} samples`);
      const panel = await builder.build('panel', raw, WALL, IDS);
      assert.deepEqual(plain(panel.view), plain(buildProfileMessage(raw, WALL, IDS).view));
    }
    // Whole once; then each snapshot as a delta, and the panel's build of it with nothing to send.
    const requests = sent.filter((m) => m !== 'forget');
    assert.deepEqual(requests, ['whole', 'build', 'delta', 'build', 'delta', 'build', 'delta', 'build']);
  });

  it('sends a forgotten profile again, and survives its worker dying', async () => {
    const builder = newBuilder();
    await builder.build('k', profile, WALL, IDS);
    builder.forget('k');
    assert.deepEqual((await builder.build('k', profile, CPU, IDS)).filter, CPU);
    // Kill the worker as a crash would: the next build starts a new one and sends the profile.
    const worker = (builder as unknown as { worker: { terminate(): Promise<number> } }).worker;
    await worker.terminate();
    assert.deepEqual((await builder.build('k', profile, WALL, IDS)).filter, WALL);
  });

  it('reports a build that fails instead of leaving the caller waiting', async () => {
    const builder = newBuilder();
    const broken = { ...profile, sampleStack: undefined } as unknown as typeof profile;
    await assert.rejects(builder.build('bad', broken, WALL, IDS), Error);
    // The worker is still there for good profiles.
    assert.deepEqual((await builder.build('k', profile, WALL, IDS)).filter, WALL);
  });

  it('leaves the calling thread free while a big profile builds', async () => {
    const builder = newBuilder();
    const big = buildProfile({
      samples: Array.from({ length: 2000 }, (_, i) => ({
        stack: ['main@app.py:1', `f${i % 500}@app.py:${i % 97}`, `g${i % 7}@lib.py:${i % 13}`],
        repeat: 20,
      })),
    });
    let turns = 0;
    let done = false;
    const built = builder.build('big', big, WALL, IDS).finally(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      turns++;
    }
    await built;
    // Built on this thread, the promise would settle before the event loop turned even once.
    assert.ok(turns > 1, `the event loop turned ${turns} times during the build`);
  });

  it('compares with a baseline on the worker, lines moved by the edits made since', async () => {
    const builder = newBuilder();
    const options = { mode: 'wall' as const, hideLibrary: false, hideStartup: true };
    const baseline = buildProfile({
      samples: [{ stack: ['main@/p/app.py:10', 'work@/p/app.py:20'], repeat: 40 }],
    });
    // One line was added above `work` after the baseline: its line 20 is line 21 now.
    const next = buildProfile({
      samples: [{ stack: ['main@/p/app.py:10', 'work@/p/app.py:21'], repeat: 200 }],
    });
    const added = { startLine: 15, startCharacter: 0, endLine: 15, endCharacter: 0, text: 'x = 1\n' };
    const compared = await builder.annotate('editor', next, options, 1, {
      raw: baseline,
      scale: 'auto',
      moves: [['/p/app.py', [added]]],
    });
    const line = compared.files.get('/p/app.py')?.lines.find((l) => l.line === 21);
    assert.equal(line?.change?.status, 'changed', 'matched across the edit');
    assert.equal(line?.change?.diffUs, 160_000);
    assert.equal(compared.comparison?.scale, 'absolute');
    // Without a baseline, the same editor key paints the plain profile again.
    const plainAgain = await builder.annotate('editor', next, options, 1);
    assert.equal(plainAgain.comparison, undefined);
  });

  it('refuses work once disposed', async () => {
    const builder = newBuilder();
    builder.dispose();
    await assert.rejects(builder.build('k', profile, WALL, IDS), /disposed/);
  });
});
