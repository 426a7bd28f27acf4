import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scrollToReveal, visibleWindow } from '../../webview/virtualWindow';
import { ancestry, hashName, hitTest, layoutIcicle } from '../../webview/flameLayout';
import { brushRange, laneColumns, pxToTime, timeToPx } from '../../webview/timelineLayout';
import { TreeData } from '../../webview/treeData';
import type { TimelinePayload, ViewPayload } from '../../extension/views/protocol';

describe('virtual window', () => {
  it('renders only the rows in view plus overscan', () => {
    assert.deepEqual(visibleWindow(0, 220, 22, 100_000, 5), { start: 0, end: 16 });
    assert.deepEqual(visibleWindow(22_000, 220, 22, 100_000, 5), { start: 995, end: 1016 });
  });

  it('clamps at the end and handles empty lists', () => {
    assert.deepEqual(visibleWindow(10_000_000, 220, 22, 100, 5), { start: 99, end: 100 });
    assert.deepEqual(visibleWindow(0, 220, 22, 0), { start: 0, end: 0 });
    assert.deepEqual(visibleWindow(-50, 44, 22, 3, 0), { start: 0, end: 3 });
  });

  it('scrolls as little as possible to reveal a row', () => {
    assert.equal(scrollToReveal(5, 0, 220, 22), 0, 'already visible');
    assert.equal(scrollToReveal(20, 0, 220, 22), 21 * 22 - 220, 'below: aligns to the bottom');
    assert.equal(scrollToReveal(2, 400, 220, 22), 44, 'above: aligns to the top');
  });
});

/** root ─┬ a(60) ─┬ c(30)
 *        │        └ d(0.001)
 *        └ b(40)                 (times in µs, total 100) */
function flameTree(): TreeData {
  const view: ViewPayload = {
    strings: ['', 'a', 'b', 'c', 'd', 'x.py'],
    totalUs: 100,
    tree: {
      parent: [-1, 0, 1, 1, 0],
      name: [0, 1, 3, 4, 2],
      file: [0, 5, 5, 5, 5],
      line: [0, 1, 2, 3, 4],
      firstLine: [0, 1, 2, 3, 4],
      selfUs: [0, 29.999, 30, 0.001, 40],
      totalUs: [100, 60, 30, 0.001, 40],
      flags: [0, 0, 0, 0, 0],
      hidden: [0, 0, 0, 0, 0],
    },
    functions: { name: [], file: [], firstLine: [], selfUs: [], totalUs: [], samples: [], flags: [] },
  };
  return new TreeData(view);
}

describe('flame graph layout', () => {
  it('lays children under their parent, proportional and left to right', () => {
    const t = flameTree();
    const layout = layoutIcicle(t, 0, 1000);
    assert.deepEqual(
      layout.rows.map((row) =>
        row.map((r) => [t.name(r.node) || 'root', Math.round(r.x), Math.round(r.width)]),
      ),
      [
        [['root', 0, 1000]],
        [
          ['a', 0, 600],
          ['b', 600, 400],
        ],
        [['c', 0, 300]],
      ],
    );
  });

  it('drops frames narrower than the minimum width', () => {
    const t = flameTree();
    const nodes = layoutIcicle(t, 0, 1000)
      .rows.flat()
      .map((r) => t.name(r.node));
    assert.ok(!nodes.includes('d'), 'a 0.01 px frame is not laid out');
  });

  it('zooms: the chosen node spans the full width at depth 0', () => {
    const t = flameTree();
    const layout = layoutIcicle(t, 1, 600);
    assert.equal(layout.rows[0][0].node, 1);
    assert.equal(layout.rows[0][0].width, 600);
    assert.equal(Math.round(layout.rows[1][0].width), 300);
  });

  it('finds the frame under the pointer', () => {
    const t = flameTree();
    const layout = layoutIcicle(t, 0, 1000);
    assert.equal(t.name(hitTest(layout, 599, 1)!.node), 'a');
    assert.equal(t.name(hitTest(layout, 600, 1)!.node), 'b');
    assert.equal(hitTest(layout, 500, 2), undefined, 'self time of a is empty space');
    assert.equal(hitTest(layout, 10, 9), undefined);
  });

  it('lists the breadcrumb from the top and hashes names stably', () => {
    const t = flameTree();
    assert.deepEqual(
      ancestry(t, 2).map((n) => t.name(n)),
      ['a', 'c'],
    );
    assert.deepEqual(ancestry(t, 0), []);
    assert.equal(hashName('parse'), hashName('parse'));
    assert.notEqual(hashName('parse'), hashName('render'));
  });

  it('returns nothing for an empty tree or a zero width', () => {
    const t = flameTree();
    assert.deepEqual(layoutIcicle(t, 0, 0).rows, []);
  });
});

describe('timeline layout', () => {
  const timeline: TimelinePayload = {
    durationUs: 4000,
    binUs: 1000,
    lanes: [
      { thread: 0, label: 'main', running: [4, 0, 2, 0], waiting: [0, 4, 2, 0] },
      { thread: 1, label: 'w', running: [1, 1, 1, 1], waiting: [0, 0, 0, 0] },
    ],
  };

  it('splits each column into the running and waiting share of its samples', () => {
    const cols = laneColumns(timeline.lanes[0], 4);
    assert.deepEqual(Array.from(cols.running), [1, 0, 0.5, 0]);
    assert.deepEqual(Array.from(cols.waiting), [0, 1, 0.5, 0]);
  });

  it('folds several bins into one column and stretches few bins over many', () => {
    const squeezed = laneColumns(timeline.lanes[0], 2);
    assert.deepEqual(Array.from(squeezed.running), [0.5, 0.5]);
    assert.deepEqual(Array.from(squeezed.waiting), [0.5, 0.5]);
    const stretched = laneColumns(timeline.lanes[1], 8);
    assert.equal(stretched.running.length, 8);
    assert.ok(stretched.running.every((v) => v === 1));
  });

  it('leaves columns where the thread was never sampled empty', () => {
    const cols = laneColumns(timeline.lanes[0], 4);
    assert.equal(cols.running[3] + cols.waiting[3], 0);
    assert.equal(laneColumns({ thread: 2, label: 'x', running: [], waiting: [] }, 10).running[0], 0);
  });

  it('converts between pixels and time, clamped to the run', () => {
    assert.equal(pxToTime(50, 200, 4000), 1000);
    assert.equal(pxToTime(-5, 200, 4000), 0);
    assert.equal(pxToTime(500, 200, 4000), 4000);
    assert.equal(timeToPx(1000, 200, 4000), 50);
  });

  it('turns a drag in either direction into a range; a click is no range', () => {
    assert.deepEqual(brushRange(150, 50, 200, 4000), { start: 1000, end: 3000 });
    assert.deepEqual(brushRange(50, 150, 200, 4000), { start: 1000, end: 3000 });
    assert.equal(brushRange(50, 51, 200, 4000), undefined);
    assert.deepEqual(brushRange(190, 400, 200, 4000), { start: 3800, end: 4000 });
  });
});
