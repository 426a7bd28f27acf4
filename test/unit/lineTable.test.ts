import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildFileLines, buildLineTable } from '../../extension/model/lineTable';
import { createView } from '../../extension/model/processors';
import { buildProfile } from './helpers/profileBuilder';

describe('line table', () => {
  it('gives the innermost line self time and every line on the stack total time', () => {
    const profile = buildProfile({
      samples: [
        { stack: ['main@app.py:10', 'work@app.py:3'], repeat: 3 },
        { stack: ['main@app.py:11'], repeat: 1 },
      ],
    });
    const table = buildLineTable(createView(profile));
    assert.equal(table.totalUs, 4000);
    const lines = table.files.get('app.py');
    assert.ok(lines);
    assert.deepEqual(lines.get(3), { line: 3, selfUs: 3000, totalUs: 3000, selfSamples: 3, totalSamples: 3 });
    assert.deepEqual(lines.get(10), { line: 10, selfUs: 0, totalUs: 3000, selfSamples: 0, totalSamples: 3 });
    assert.deepEqual(lines.get(11), {
      line: 11,
      selfUs: 1000,
      totalUs: 1000,
      selfSamples: 1,
      totalSamples: 1,
    });
    assert.equal(lines.size, 3);
  });

  it('counts a recursive line once per sample however deep', () => {
    const profile = buildProfile({
      samples: [
        {
          stack: ['main@app.py:1', 'fib@app.py:5', 'fib@app.py:5', 'fib@app.py:5', 'fib@app.py:4'],
          repeat: 2,
        },
      ],
    });
    const lines = buildLineTable(createView(profile)).files.get('app.py');
    assert.equal(lines?.get(5)?.totalSamples, 2);
    assert.equal(lines?.get(5)?.totalUs, 2000);
    assert.equal(lines?.get(5)?.selfUs, 0);
    assert.equal(lines?.get(4)?.selfSamples, 2);
  });

  it('keeps files apart and ignores samples of threads with no Python frames', () => {
    const profile = buildProfile({
      samples: [
        { stack: ['main@app.py:1', 'helper@lib/util.py:7'], repeat: 2 },
        { stack: [], thread: 1, repeat: 5 },
      ],
    });
    const table = buildLineTable(createView(profile));
    assert.equal(table.totalUs, 2000);
    assert.deepEqual([...table.files.keys()].sort(), ['app.py', 'lib/util.py']);
    assert.equal(table.files.get('lib/util.py')?.get(7)?.selfUs, 2000);
  });

  it('builds one file alone with the same numbers as the whole table', () => {
    const profile = buildProfile({
      samples: [
        { stack: ['main@app.py:10', 'run@other.py:2', 'work@app.py:3'], repeat: 2 },
        { stack: ['main@app.py:10', 'run@other.py:2', 'work@app.py:3', 'work@app.py:3'], repeat: 1 },
        { stack: ['main@app.py:12', 'run@other.py:4'], repeat: 4 },
      ],
    });
    const view = createView(profile);
    const whole = buildLineTable(view);
    for (const file of ['app.py', 'other.py']) {
      assert.deepEqual(buildFileLines(view, file), whole.files.get(file), file);
    }
    assert.equal(buildFileLines(view, 'missing.py').size, 0);
  });

  it('applies the view: on-CPU mode, thread and time range', () => {
    const profile = buildProfile({
      samples: [
        { stack: ['main@app.py:1', 'sleep@app.py:2'], onCpu: false, repeat: 3 },
        { stack: ['main@app.py:1', 'spin@app.py:3'], repeat: 2 },
        { stack: ['worker@app.py:20'], thread: 1, repeat: 4 },
      ],
    });
    const cpu = buildLineTable(createView(profile, { mode: 'cpu', hideLibrary: false, hideStartup: false }));
    assert.equal(cpu.files.get('app.py')?.get(2), undefined);
    assert.equal(cpu.files.get('app.py')?.get(1)?.totalSamples, 2);
    assert.equal(cpu.totalUs, 6000);

    const main = buildLineTable(
      createView(profile, { mode: 'wall', threads: [0], hideLibrary: false, hideStartup: false }),
    );
    assert.equal(main.files.get('app.py')?.get(20), undefined);
    assert.equal(main.totalUs, 5000);

    // Main-thread samples sit at 0..4000 µs, worker samples at 0..3000 µs.
    const range = buildLineTable(
      createView(profile, {
        mode: 'wall',
        range: { start: 3000, end: 5000 },
        hideLibrary: false,
        hideStartup: false,
      }),
    );
    assert.equal(range.files.get('app.py')?.get(3)?.totalSamples, 2);
    assert.equal(range.files.get('app.py')?.get(20)?.totalSamples, 1);
    assert.equal(range.files.get('app.py')?.get(2), undefined);
  });
});
