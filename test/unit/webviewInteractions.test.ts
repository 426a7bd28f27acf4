import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flameStep, layoutIcicle } from '../../webview/flameLayout';
import { FUNCTION_HUES, functionColor, libraryColor, themeKind } from '../../webview/flamePalette';
import { functionHotLines } from '../../webview/hotLines';
import { orderLanes, overlaps } from '../../webview/timelineLayout';
import { TreeData } from '../../webview/treeData';
import type { ThreadSummary, TimelineLanePayload } from '../../extension/views/protocol';
import { sampleView } from './helpers/viewPayload';

const view = sampleView;
const byName = (t: TreeData, name: string) => {
  for (let i = 1; i < t.count; i++) if (t.name(i) === name) return i;
  throw new Error(`no node ${name}`);
};

describe('flame graph keyboard', () => {
  const t = new TreeData(view());
  const layout = layoutIcicle(t, 0, 1000);
  const go = (from: string, step: 'up' | 'down' | 'left' | 'right') => {
    const to = flameStep(layout, t, from === 'root' ? 0 : byName(t, from), step);
    return to === undefined ? undefined : to === 0 ? 'root' : t.name(to);
  };

  it('goes up to the caller and down to the widest callee', () => {
    assert.equal(go('parse', 'up'), 'main');
    assert.equal(go('main', 'up'), 'root');
    assert.equal(go('root', 'up'), undefined);
    assert.equal(go('main', 'down'), 'parse');
    assert.equal(go('root', 'down'), 'main');
    assert.equal(go('render', 'down'), undefined);
  });

  it('goes left and right along the row, across parents', () => {
    assert.equal(go('main', 'right'), 'atexit');
    assert.equal(go('atexit', 'left'), 'main');
    assert.equal(go('atexit', 'right'), undefined);
    assert.equal(go('parse', 'right'), 'render');
  });

  it('starts at the zoomed frame when nothing laid out is selected', () => {
    assert.equal(flameStep(layout, t, -1, 'down'), 0);
    const zoomed = layoutIcicle(t, byName(t, 'parse'), 1000);
    assert.equal(flameStep(zoomed, t, byName(t, 'atexit'), 'right'), byName(t, 'parse'));
  });
});

describe('flame graph colours', () => {
  it('keeps function colours in red to orange, clear of the timeline yellow and green', () => {
    for (const name of ['main', 'parse', 'render', 'read', 'a', 'worker', 'checksum', 'x'.repeat(40)]) {
      for (const theme of ['light', 'dark'] as const) {
        const [, hue] = /^hsl\((\d+),/.exec(functionColor(name, theme)) ?? [];
        assert.ok(Number(hue) >= FUNCTION_HUES.from && Number(hue) <= FUNCTION_HUES.to, `${name}: ${hue}`);
        assert.ok(Number(hue) < 40, 'yellow (waiting) starts near 45°');
      }
    }
    assert.equal(functionColor('main', 'dark'), functionColor('main', 'dark'), 'stable per name');
    assert.notEqual(libraryColor('light'), functionColor('main', 'light'));
  });

  it('tells dark themes from light ones', () => {
    assert.equal(themeKind(['vscode-dark']), 'dark');
    assert.equal(themeKind(['vscode-high-contrast']), 'dark');
    assert.equal(themeKind(['vscode-high-contrast', 'vscode-high-contrast-light']), 'light');
    assert.equal(themeKind(['vscode-light']), 'light');
  });
});

describe('where a click on a function goes', () => {
  it('is the hottest line of its heaviest call-tree node, else its def line', () => {
    const v = view();
    const s = (x: string) => v.strings.indexOf(x);
    v.functions = {
      name: [s('parse'), s('render'), s('gone')].map((i) => (i < 0 ? v.strings.push('gone') - 1 : i)),
      file: [s('app.py'), s('views/render.py'), s('app.py')],
      firstLine: [10, 38, 99],
      selfUs: [10, 25, 0],
      totalUs: [60, 25, 0],
      samples: [60, 25, 0],
      flags: [0, 0, 0],
    };
    assert.deepEqual(Array.from(functionHotLines(v)), [12, 40, 99]);
  });
});

describe('timeline lanes and labels', () => {
  const lane = (thread: number, firstBin: number): TimelineLanePayload => {
    const running = new Array<number>(10).fill(0);
    if (firstBin >= 0) running.fill(1, firstBin);
    return { thread, label: `t${thread}`, running, waiting: new Array<number>(10).fill(0) };
  };
  const thread = (index: number, isMain = false): ThreadSummary => ({
    index,
    label: `t${index}`,
    isMain,
    samples: 1,
  });

  it('puts the main thread first, then the others by when they started', () => {
    const lanes = [lane(0, 5), lane(1, 2), lane(2, 0), lane(3, -1), lane(4, 2)];
    const threads = [thread(0), thread(1), thread(2, true), thread(3), thread(4)];
    assert.deepEqual(
      orderLanes(lanes, threads).map((l) => l.thread),
      [2, 1, 4, 0, 3],
    );
  });

  it('groups the lanes of several processes by process, each with its main thread first', () => {
    const lanes = [lane(0, 0), lane(1, 3), lane(2, 1), lane(3, 2), lane(4, 4)];
    const threads = [
      { ...thread(0, true), process: 0 },
      { ...thread(1, true), process: 1 },
      { ...thread(2), process: 0 },
      { ...thread(3, true), process: 2 },
      { ...thread(4), process: 1 },
    ];
    assert.deepEqual(
      orderLanes(lanes, threads).map((l) => l.thread),
      [0, 2, 1, 4, 3],
    );
  });

  it('finds labels that would run into each other', () => {
    assert.ok(overlaps({ left: 0, right: 50 }, { left: 40, right: 90 }));
    assert.ok(overlaps({ left: 0, right: 50 }, { left: 52, right: 90 }), 'closer than the gap');
    assert.ok(!overlaps({ left: 0, right: 50 }, { left: 60, right: 90 }));
  });
});
