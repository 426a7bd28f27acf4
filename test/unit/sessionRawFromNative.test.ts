import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rawFromNative, type SessionMeta } from '../../extension/session/rawFromNative';
import type { NativeProfile } from '../../extension/native/nativeApi';
import { buildProfile } from './helpers/profileBuilder';

const EXTRA: SessionMeta = {
  argv: ['app.py'],
  cwd: '/work',
  exitCode: 0,
  exitSignal: null,
  pythonPath: '/usr/bin/python3',
  pythonVersion: '3.12.1',
};

/** What the addon's finish() resolves with, for a profile whose stats say `normalPrioritySinceUs`. */
function nativeProfile(normalPrioritySinceUs: number): NativeProfile {
  const { meta, processes: _none, ...rest } = buildProfile({ samples: [{ stack: ['main@app.py:1'] }] });
  return {
    ...rest,
    processes: [],
    stats: { ...rest.stats, normalPrioritySinceUs },
    pythonVersion: '3.12.1',
    pythonBinary: '/usr/bin/python3.12',
    startedAt: meta.startedAt,
    durationUs: meta.durationUs,
    intervalUs: meta.intervalUs,
    pid: 42,
  };
}

describe('rawFromNative', () => {
  it('leaves out the priority time when sampling never went back to normal priority (-1 from the addon)', () => {
    const raw = rawFromNative(nativeProfile(-1), EXTRA);
    assert.ok(!('normalPrioritySinceUs' in raw.stats));
    assert.equal(raw.stats.samples, 1);
  });

  it('keeps the drops by reason when there were any, and leaves out the empty object', () => {
    const none = nativeProfile(-1);
    assert.ok(
      !(
        'droppedByReason' in
        rawFromNative({ ...none, stats: { ...none.stats, droppedByReason: {} } }, EXTRA).stats
      ),
    );
    const torn = { ...none, stats: { ...none.stats, droppedSamples: 2, droppedByReason: { freedCode: 2 } } };
    assert.deepEqual(rawFromNative(torn, EXTRA).stats.droppedByReason, { freedCode: 2 });
  });

  it('keeps the priority time when the sampler had to take a core back', () => {
    assert.equal(rawFromNative(nativeProfile(250_000), EXTRA).stats.normalPrioritySinceUs, 250_000);
  });
});
