import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawProfile } from '../../extension/model/rawProfile';
import { samplesInUserCode } from '../../extension/run/userCode';

/** Frames: 0 runpy (start-up), 1 site.py (stdlib), 2 the user's script, 3 json (stdlib). */
function profile(sampleStack: number[]): RawProfile {
  const strings = [
    '<frozen runpy>',
    '/usr/lib/python3.12/site.py',
    '/ws/app.py',
    '/usr/lib/python3.12/json/decoder.py',
    'f',
  ];
  const n = sampleStack.length;
  return {
    strings,
    frameFile: Uint32Array.from([0, 1, 2, 3]),
    frameName: new Uint32Array(4).fill(4),
    frameLine: Uint32Array.from([1, 1, 1, 1]),
    frameFirstLine: Uint32Array.from([1, 1, 1, 1]),
    // stacks: 0 runpy; 1 runpy>site; 2 runpy>app; 3 runpy>app>json
    stackParent: Int32Array.from([-1, 0, 0, 2]),
    stackFrame: Uint32Array.from([0, 1, 2, 3]),
    sampleTime: Float64Array.from({ length: n }, (_, i) => i * 1000),
    sampleThread: new Uint32Array(n),
    sampleStack: Int32Array.from(sampleStack),
    sampleOnCpu: new Uint8Array(n),
    threads: [],
    meta: {
      startedAt: 0,
      durationUs: n * 1000,
      intervalUs: 1000,
      pid: 1,
      argv: [],
      pythonPath: '',
      pythonVersion: '',
      exitCode: 1,
      exitSignal: null,
      cwd: '/ws',
    },
    stats: {
      ticks: n,
      samples: n,
      lateTicks: 0,
      droppedSamples: 0,
      meanTickCostUs: 0,
      maxDepth: 3,
      truncatedStacks: 0,
    },
  };
}

describe('samplesInUserCode', () => {
  it('is zero when only start-up and library code was sampled (a script that failed to start)', () => {
    assert.equal(samplesInUserCode(profile([0, 1, 1, -1])), 0);
  });

  it('counts samples with a user frame anywhere on the stack, including library code it called', () => {
    assert.equal(samplesInUserCode(profile([0, 2, 3, 3, 1, -1])), 3);
  });
});
