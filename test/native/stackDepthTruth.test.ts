/**
 * Stack depth against the program's own timeline, on every installed
 * interpreter. Deep stacks that are torn down and rebuilt all the time are
 * where an out-of-process sampler is most tempted to lie: a stack read
 * frame by frame over a long time fails more often the deeper it is, and
 * the reads that succeed are the shallow ones. (This reader reported a mean
 * depth of 26 frames where 3.8–3.10 programs spent their time 120 deep, and
 * 91 for 131 on 3.11+, until frames were read in a few calls per sample.)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runTarget, samplesIn, stackFrames } from './groundTruth-helpers';
import { pythonVersions } from './helpers/pythons';

/**
 * Relative. Before frames were read a chunk or a page at a time, the sampled
 * mean was 21% short on 3.11 and 68% short on 3.9 for this program. 3.11+
 * now lands a few % deep of the recorded mean (+3–6% in most runs; one run at
 * 1 kHz, 640 samples, read +10.8%), before and after the reader's change of
 * 2026-11-26 alike; the recorded mean models each descent as a straight line,
 * which may be part of it (not pinned down). 3.8–3.10 keep a bias short
 * (12–19% on a quiet machine here; one CI run read more than 20% at 1 kHz):
 * their frames are scattered heap objects, and reading the 40-odd pages of a
 * deep stack takes 30 µs, long enough for it to change (see
 * native/python/README.md). The bound still catches the 68% of a reader that
 * reads frame by frame. 3.11+ allow 20%: a quiet CI run read +16.8% on 3.15 at
 * 10 kHz (the same deep side as above), with 3.11–3.14 at +3–6% in that run.
 */
function depthTolerance(minor: string): number {
  return Number(minor.split('.')[1]) >= 11 ? 0.2 : 0.25;
}
const DESCENTS = '2000';

for (const python of pythonVersions()) {
  describe(`stack depth on CPython ${python.label}`, { skip: python.missingReason ?? false }, () => {
    for (const rateHz of [1000, 10000]) {
      test(`deep stacks rebuilt all the time, ${rateHz / 1000} kHz: the mean depth is the program's`, async (t) => {
        const { profile, truth, result } = await runTarget(python.path, 'deep_churn.py', {
          rateHz,
          args: [DESCENTS],
        });
        assert.equal(result.samplerError, null);
        assert.equal(result.exitCode, 0);
        const samples = samplesIn(profile, 'descents');
        assert.ok(samples.length > 200, `only ${samples.length} samples inside descents()`);
        let frames = 0;
        for (const i of samples) frames += stackFrames(profile, profile.sampleStack[i]).length;
        const sampled = frames / samples.length;
        const expected = truth.extra.meanDepth as number;
        t.diagnostic(`mean depth ${sampled.toFixed(1)} sampled, ${expected.toFixed(1)} recorded`);
        assert.ok(
          Math.abs(sampled - expected) <= depthTolerance(python.minor) * expected,
          `mean depth ${sampled.toFixed(1)} frames over ${samples.length} samples; the program ` +
            `spent its time ${expected.toFixed(1)} deep`,
        );
        const { droppedSamples, samples: kept, droppedByReason } = profile.stats;
        assert.ok(droppedSamples < 0.05 * (kept + droppedSamples), `${droppedSamples} samples dropped`);
        // Every drop has its reason (3.8–3.10 drop a few here: frames freed as they were read).
        const byReason = Object.values(droppedByReason ?? {}).reduce((sum, n) => sum + n, 0);
        assert.equal(byReason, droppedSamples, `drops by reason ${JSON.stringify(droppedByReason)}`);
      });
    }
  });
}
