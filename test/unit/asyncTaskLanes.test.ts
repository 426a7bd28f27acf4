/**
 * asyncio task lanes (recorded with `--async` on CPython 3.14+): a thread record whose
 * `loopThread` names the thread running its event loop. Saved as profile format 3 and spill
 * record 11; older files load as they were; the panel names a lane after its task and its loop.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadProfile, saveProfile } from '../../extension/format/profileFile';
import { ProfileFormatError } from '../../extension/format/formatError';
import { readSpill } from '../../extension/format/spillReader';
import { exportCollapsed } from '../../extension/format/collapsed';
import { renderTextReport } from '../../extension/format/textTree';
import { createView, DEFAULT_VIEW } from '../../extension/model/processors';
import { buildLineTable } from '../../extension/model/lineTable';
import { buildFunctionTable } from '../../extension/model/functionTable';
import { buildAnnotations } from '../../extension/views/annotationModel';
import { asyncTasksUnavailable, recordsAsyncTasks } from '../../extension/session/asyncTasks';
import { buildTimeline, MAX_TIMELINE_TASK_LANES, threadLabel } from '../../extension/views/viewModel';
import { buildProfile } from './helpers/profileBuilder';
import { SpillBuilder } from './helpers/spillBuilder';

/** The loop thread, and two tasks: "fetch" awaited by "main". */
function taskProfile() {
  return buildProfile({
    threads: [
      { name: 'MainThread', tid: 4242, isMain: true },
      { name: 'main', tid: 4242, loopThread: 0 },
      { name: 'fetch', tid: 4242, loopThread: 0 },
    ],
    firstLines: { 'task main@app.py': 20, 'task fetch@app.py': 8, 'fetch@app.py': 8 },
    samples: [
      { stack: ['<module>@app.py:30', 'run_forever@base_events.py:600'], thread: 0, repeat: 3 },
      { stack: ['task main@app.py:0', 'main@app.py:22'], thread: 1, onCpu: false, repeat: 3 },
      {
        stack: ['task main@app.py:0', 'task fetch@app.py:0', 'fetch@app.py:9'],
        thread: 2,
        onCpu: false,
        repeat: 3,
      },
    ],
  });
}

describe('asyncio task lanes', () => {
  it('are saved as format 3 and load back with their loop thread', () => {
    const text = saveProfile(taskProfile());
    assert.match(text, /"version":3/);
    const loaded = loadProfile(text);
    assert.deepEqual(
      loaded.threads.map((t) => t.loopThread),
      [undefined, 0, 0],
    );
    assert.deepEqual(loaded, taskProfile());
  });

  it('refuse a loop thread outside the thread table', () => {
    const text = saveProfile(taskProfile()).replace('"loopThread":0', '"loopThread":7');
    assert.throws(
      () => loadProfile(text),
      (e: unknown) => e instanceof ProfileFormatError && /threads\[1\]\.loopThread/.test(e.message),
    );
  });

  it('a version 2 file loads as it was: a member it did not have is not read', () => {
    const text = saveProfile(taskProfile()).replace('"version":3', '"version":2');
    assert.deepEqual(
      loadProfile(text).threads.map((t) => t.loopThread),
      [undefined, undefined, undefined],
    );
  });

  it('come back from a spill file (record 11)', () => {
    const spill = new SpillBuilder(3)
      .json(6, { pid: 1, pythonVersion: '3.14.0', pythonBinary: '/p', startedAt: 1.7e12, intervalUs: 1000 })
      .string(0, 'MainThread')
      .string(1, 'fetch')
      .thread(0, 9, 1n, true, 0)
      .thread(1, 9, 140000000000123n, false, 1)
      .raw([11, 1, 0, 0, 0, 0, 0, 0, 0])
      .sample(0, 0, -1, true)
      .sample(0, 1, -1, false);
    const { profile, stoppedBecause } = readSpill(spill.bytes());
    assert.equal(stoppedBecause, null);
    assert.equal(profile.threads[1].loopThread, 0);
    assert.equal(profile.threads[0].loopThread, undefined);
    const bad = new SpillBuilder(3)
      .string(0, 'x')
      .thread(0, 9, 1n, true, 0)
      .raw([11, 0, 0, 0, 0, 5, 0, 0, 0]);
    assert.match(readSpill(bad.bytes()).stoppedBecause ?? '', /thread loop/);
  });

  it('are named after the task and the thread running its loop', () => {
    const profile = taskProfile();
    assert.equal(threadLabel(profile.threads[2], 2, profile), 'task fetch · MainThread (4242)');
    assert.equal(threadLabel(profile.threads[0], 0, profile), 'MainThread (4242)');
  });

  it('collapsed: the task nodes nest, each named `task NAME` at line 0', () => {
    const lines = exportCollapsed(taskProfile()).trim().split('\n');
    assert.ok(
      lines.some((l) =>
        /^fetch;task main \(app\.py:0\);task fetch \(app\.py:0\);fetch \(app\.py:9\) 3$/.test(l),
      ),
      lines.join('\n'),
    );
  });

  it('text report: a tree per task, headed `Task NAME`; tasks under 1% each counted in one line', () => {
    const profile = taskProfile();
    const tiny = buildProfile({
      threads: [...profile.threads, { name: 'Task-9', tid: 4242, loopThread: 0 }],
      samples: [
        { stack: ['<module>@app.py:30'], thread: 0, repeat: 300 },
        { stack: ['task main@app.py:0', 'main@app.py:22'], thread: 1, onCpu: false, repeat: 300 },
        { stack: ['task fetch@app.py:0', 'fetch@app.py:9'], thread: 2, onCpu: false, repeat: 300 },
        { stack: ['task Task-9@app.py:0', 'tiny@app.py:3'], thread: 3, onCpu: false, repeat: 2 },
      ],
    });
    const text = renderTextReport(tiny, { ...DEFAULT_VIEW, hideLibrary: false, hideStartup: false });
    assert.match(text, /^Task fetch \(TID 4242\) {2}300 ms/m);
    assert.match(text, /^Thread MainThread \(TID 4242\)/m);
    assert.doesNotMatch(text, /Task-9 \(TID/);
    assert.match(text, /^1 more asyncio task under 1% each {2}2\.00 ms/m);
  });

  it('timeline: every thread, and only the busiest task lanes of a program of many tasks', () => {
    const count = MAX_TIMELINE_TASK_LANES + 10;
    const many = buildProfile({
      threads: [
        { name: 'MainThread', tid: 4242, isMain: true },
        ...Array.from({ length: count }, (_, i) => ({ name: `Task-${i}`, tid: 4242, loopThread: 0 })),
      ],
      samples: [
        { stack: ['<module>@app.py:30'], thread: 0, repeat: 50 },
        // Task-i has i + 1 samples: the last MAX_TIMELINE_TASK_LANES are the busiest.
        ...Array.from({ length: count }, (_, i) => ({
          stack: [`task Task-${i}@app.py:0`, 'tiny@app.py:3'],
          thread: i + 1,
          onCpu: false,
          repeat: i + 1,
        })),
      ],
    });
    const lanes = buildTimeline(many).lanes.map((l) => l.thread);
    assert.equal(lanes.length, 1 + MAX_TIMELINE_TASK_LANES);
    assert.ok(lanes.includes(0), 'the loop thread');
    assert.ok(
      lanes.filter((t) => t > 0).every((t) => t > count - MAX_TIMELINE_TASK_LANES),
      `${lanes}`,
    );
    assert.equal(buildTimeline(taskProfile()).lanes.length, 3);
  });

  it('editor: no CodeLens for a task node, no time on a line 0; the coroutines keep theirs', () => {
    const view = createView(taskProfile(), { ...DEFAULT_VIEW, hideLibrary: false, hideStartup: false });
    const files = buildAnnotations(buildLineTable(view), buildFunctionTable(view), '/', {
      thresholdPercent: 1,
    });
    const app = [...files.values()][0];
    assert.deepEqual(app.functions.map((f) => f.name).sort(), ['<module>', 'fetch', 'main']);
    assert.ok(app.lines.every((l) => l.line > 0));
    assert.deepEqual(
      app.lines.map((l) => l.line).sort((a, b) => a - b),
      [9, 22, 30],
    );
  });

  it('need CPython 3.14: older versions get one line saying so', () => {
    assert.equal(recordsAsyncTasks('3.14.0'), true);
    assert.equal(recordsAsyncTasks('3.15.0a2'), true);
    assert.equal(recordsAsyncTasks('3.13.1'), false);
    assert.equal(asyncTasksUnavailable('3.14.2'), undefined);
    const said = asyncTasksUnavailable('3.11.7') ?? '';
    assert.match(
      said,
      /^asyncio tasks need CPython 3\.14 or newer.*Python 3\.11\.7: profiling its threads as usual\.$/,
    );
    assert.ok(!said.includes('\n'));
  });
});
