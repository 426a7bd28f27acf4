import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MIN_SPAN_US,
  chartRects,
  isWholeRun,
  laneDepth,
  panWindow,
  runAt,
  zoomWindow,
} from '../../webview/chartLayout';
import { TreeData } from '../../webview/treeData';
import type { ChartLanePayload } from '../../extension/views/protocol';
import { sampleView } from './helpers/viewPayload';

// sampleView: root ─┬ main ─┬ parse ─ read
//                   │       └ render
//                   └ atexit
const tree = new TreeData(sampleView());
const id = (name: string) => {
  for (let i = 1; i < tree.count; i++) if (tree.name(i) === name) return i;
  throw new Error(name);
};
// 0–40 read, 40–60 render, 60–70 nothing, 70–100 atexit.
const lane: ChartLanePayload = {
  thread: 0,
  start: [0, 40, 70],
  end: [40, 60, 100],
  node: [id('read'), id('render'), id('atexit')],
};
const named = (rects: ReturnType<typeof chartRects>) =>
  rects.map((r) => `${tree.name(r.node)}@${r.depth}:${r.x0}-${r.x1}`).sort();

describe('flame chart layout', () => {
  it('finds the run that holds a time', () => {
    assert.equal(runAt(lane, 0), 0);
    assert.equal(runAt(lane, 39.9), 0);
    assert.equal(runAt(lane, 40), 1);
    assert.equal(runAt(lane, 65), -1, 'a gap');
    assert.equal(runAt(lane, 99), 2);
    assert.equal(runAt(lane, 100), -1);
  });

  it('draws each depth as rectangles of the same node across neighbouring columns', () => {
    assert.deepEqual(named(chartRects(lane, tree, { start: 0, end: 100 }, 10)), [
      'atexit@1:7-10',
      'main@1:0-6',
      'parse@2:0-4',
      'read@3:0-4',
      'render@2:4-6',
    ]);
  });

  it('shows only the window, and leaves out the depths above `fromDepth`', () => {
    assert.deepEqual(named(chartRects(lane, tree, { start: 40, end: 80 }, 4)), [
      'atexit@1:3-4',
      'main@1:0-2',
      'render@2:0-2',
    ]);
    assert.ok(chartRects(lane, tree, { start: 0, end: 100 }, 10, 2).every((r) => r.depth >= 2));
    assert.equal(laneDepth(lane, tree), 3);
  });

  it('zooms around the pointer and pans, staying inside the run', () => {
    const whole = { start: 0, end: 1000 };
    assert.deepEqual(zoomWindow(whole, 250, 1000, 0.5, 1000), { start: 125, end: 625 });
    assert.deepEqual(zoomWindow(whole, 500, 1000, 4, 1000), whole, 'never wider than the run');
    assert.equal(
      zoomWindow({ start: 0, end: 60 }, 0, 1000, 0.01, 1000).end,
      MIN_SPAN_US,
      'never narrower than a few samples',
    );
    assert.deepEqual(panWindow({ start: 100, end: 200 }, 500, 1000, 1000), { start: 150, end: 250 });
    assert.deepEqual(panWindow({ start: 100, end: 200 }, -5000, 1000, 1000), { start: 0, end: 100 });
    assert.deepEqual(panWindow({ start: 800, end: 900 }, 5000, 1000, 1000), { start: 900, end: 1000 });
    assert.ok(isWholeRun(whole, 1000));
    assert.ok(!isWholeRun({ start: 0, end: 999 }, 1000));
  });
});
