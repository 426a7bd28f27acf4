import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTimeline } from '../../extension/model/timeline';
import { createView } from '../../extension/model/processors';
import { buildProfile } from './helpers/profileBuilder';

describe('timeline', () => {
  it('makes one lane per thread of run-length segments by state and innermost function', () => {
    const profile = buildProfile({
      threads: [{ name: 'MainThread' }, { name: 'worker' }],
      samples: [
        { stack: ['main@app.py:1', 'spin@app.py:5'], repeat: 3 },
        { stack: ['main@app.py:1', 'spin@app.py:6'], repeat: 1 },
        { stack: ['main@app.py:2', 'sleep@app.py:9'], onCpu: false, repeat: 2 },
        { stack: ['run@w.py:3'], thread: 1, repeat: 2 },
        { stack: [], thread: 1, repeat: 1 },
      ],
    });
    const lanes = buildTimeline(createView(profile));
    assert.deepEqual(
      lanes.map((l) => [l.thread, l.name]),
      [
        [0, 'MainThread'],
        [1, 'worker'],
      ],
    );
    assert.deepEqual(lanes[0].segments, [
      { start: 0, end: 4000, onCpu: true, functionKey: 'app.py\0spin\x001' },
      { start: 4000, end: 6000, onCpu: false, functionKey: 'app.py\0sleep\x001' },
    ]);
    assert.deepEqual(lanes[1].segments, [
      { start: 0, end: 2000, onCpu: true, functionKey: 'w.py\0run\x001' },
      { start: 2000, end: 3000, onCpu: true, functionKey: '' },
    ]);
  });

  it('starts a new segment after a gap in sampling', () => {
    const profile = buildProfile({
      samples: [
        { stack: ['main@app.py:1'], time: 0 },
        { stack: ['main@app.py:1'], time: 1000 },
        { stack: ['main@app.py:1'], time: 50_000 },
      ],
    });
    // The gap weight is capped at four intervals, so the segments do not touch.
    const segments = buildTimeline(createView(profile))[0].segments;
    assert.deepEqual(
      segments.map((s) => [s.start, s.end]),
      [
        [0, 5000],
        [50_000, 51_000],
      ],
    );
  });
});
