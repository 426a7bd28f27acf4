import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildLineNeighbours } from '../../extension/views/lineNeighbours';
import { createView } from '../../extension/model/processors';
import type { RawProfile } from '../../extension/model/rawProfile';

type Frame = [file: string, name: string, line: number, firstLine: number];

/** A profile from literal stacks (outermost first), one sample per stack every 1 ms. */
function profileOf(stacks: Frame[][]): RawProfile {
  const strings: string[] = [];
  const str = (s: string) => (strings.includes(s) ? strings.indexOf(s) : strings.push(s) - 1);
  const frames: Frame[] = [];
  const frameId = (f: Frame) => {
    const i = frames.findIndex((g) => g.join('\0') === f.join('\0'));
    return i >= 0 ? i : frames.push(f) - 1;
  };
  const stackParent: number[] = [];
  const stackFrame: number[] = [];
  const stackId = (parent: number, frame: number) => {
    for (let s = 0; s < stackParent.length; s++)
      if (stackParent[s] === parent && stackFrame[s] === frame) return s;
    stackParent.push(parent);
    stackFrame.push(frame);
    return stackParent.length - 1;
  };
  const sampleStack = stacks.map((stack) => stack.reduce((parent, f) => stackId(parent, frameId(f)), -1));
  const n = sampleStack.length;
  return {
    strings,
    frameFile: Uint32Array.from(frames.map((f) => str(f[0]))),
    frameName: Uint32Array.from(frames.map((f) => str(f[1]))),
    frameLine: Uint32Array.from(frames.map((f) => f[2])),
    frameFirstLine: Uint32Array.from(frames.map((f) => f[3])),
    stackParent: Int32Array.from(stackParent),
    stackFrame: Uint32Array.from(stackFrame),
    sampleTime: Float64Array.from({ length: n }, (_, i) => i * 1000),
    sampleThread: new Uint32Array(n),
    sampleStack: Int32Array.from(sampleStack),
    sampleOnCpu: new Uint8Array(n).fill(1),
    threads: [{ tid: 1, ident: '1', name: 'MainThread', isMain: true }],
    meta: {
      startedAt: 0,
      durationUs: n * 1000,
      intervalUs: 1000,
      pid: 1,
      argv: ['python', '/p/app.py'],
      pythonPath: 'python',
      pythonVersion: '3.12.1',
      exitCode: 0,
      exitSignal: null,
      cwd: '/p',
    },
    stats: {
      ticks: n,
      samples: n,
      lateTicks: 0,
      droppedSamples: 0,
      meanTickCostUs: 1,
      maxDepth: 3,
      truncatedStacks: 0,
    },
  };
}

const main: Frame = ['/p/app.py', 'main', 10, 9];
const mainCallsB: Frame = ['/p/app.py', 'main', 11, 9];
const work: Frame = ['/p/app.py', 'work', 3, 2];
const helper: Frame = ['/p/util.py', 'helper', 21, 20];
const lib: Frame = ['/usr/lib/python3.12/json/decoder.py', 'JSONDecoder.decode', 337, 332];

describe('buildLineNeighbours', () => {
  const profile = profileOf([
    [main, work],
    [main, work],
    [main, work, helper],
    [mainCallsB, work, helper],
    [mainCallsB, work, helper, lib],
  ]);

  it('lists the callers of a line with the calling line, hottest first', () => {
    const view = createView(profile, { mode: 'wall', hideLibrary: false, hideStartup: false });
    const lines = buildLineNeighbours(view, '/p/app.py');
    assert.deepEqual(lines.get(3)!.callers, [
      { name: 'main', file: '/p/app.py', line: 10, totalUs: 3000 },
      { name: 'main', file: '/p/app.py', line: 11, totalUs: 2000 },
    ]);
  });

  it('lists the callees of a line linked to their def line', () => {
    const view = createView(profile, { mode: 'wall', hideLibrary: false, hideStartup: false });
    const lines = buildLineNeighbours(view, '/p/app.py');
    assert.deepEqual(lines.get(3)!.callees, [
      { name: 'helper', file: '/p/util.py', line: 20, totalUs: 3000 },
    ]);
    assert.deepEqual(lines.get(10)!.callees, [{ name: 'work', file: '/p/app.py', line: 2, totalUs: 3000 }]);
  });

  it('skips hidden library frames: their callers connect to what is visible', () => {
    const shown = buildLineNeighbours(
      createView(profile, { mode: 'wall', hideLibrary: false, hideStartup: false }),
      '/p/util.py',
    );
    assert.deepEqual(
      shown.get(21)!.callees.map((c) => c.name),
      ['JSONDecoder.decode'],
    );
    const hidden = buildLineNeighbours(
      createView(profile, { mode: 'wall', hideLibrary: true, hideStartup: false }),
      '/p/util.py',
    );
    assert.deepEqual(hidden.get(21)?.callees ?? [], []);
  });

  it('keeps only the requested number of entries', () => {
    const view = createView(profile, { mode: 'wall', hideLibrary: false, hideStartup: false });
    assert.equal(buildLineNeighbours(view, '/p/app.py', 1).get(3)!.callers.length, 1);
  });
});
