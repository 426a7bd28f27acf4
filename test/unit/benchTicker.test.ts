// The achieved rate at 10 kHz: the floor comes from the ticker's own report,
// the steady rate from the sample times of the middle of the run.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { steadyAchievedShare } from '../../bench/lib/hotpathProfile';
import { parseTickerRate } from '../../bench/lib/samplerCost';

describe('parseTickerRate', () => {
  test('reads the achieved and late shares of the ticker report', () => {
    const stderr =
      'ticker wake 10000 Hz: 20.81% of one core (user 0.212 s, sys 0.212 s over 2.04 s)\n' +
      'ticker wake 10000 Hz: 20263 ticks, achieved 99.51% of requested, 0.19% late\n';
    const parsed = parseTickerRate(stderr);
    assert.ok(Math.abs(parsed.achieved - 0.9951) < 1e-9 && Math.abs(parsed.late - 0.0019) < 1e-9);
  });

  test('NaN when the ticker printed no rate (it ran under a tick)', () => {
    const parsed = parseTickerRate('ticker wake 10000 Hz: 20.81% of one core\n');
    assert.ok(Number.isNaN(parsed.achieved) && Number.isNaN(parsed.late));
  });
});

describe('steadyAchievedShare', () => {
  test('ticks in the middle 30–90% of the run over the ticks requested there', () => {
    // 1 s at 1 kHz, every tick taken but 20 missing between 0.5 and 0.52 s.
    const times: number[] = [];
    for (let ms = 0; ms <= 1000; ms++) if (ms < 500 || ms >= 520) times.push(ms * 1e6);
    const deltas = times.map((t, i) => (i ? t - times[i - 1] : t));
    const share = steadyAchievedShare(deltas, 1e6, 1000);
    assert.ok(Math.abs(share - 580 / 600) < 1e-9, String(share));
  });

  test('several threads sampled in one tick count once; the start-up does not count', () => {
    // Two threads per tick from 0.3 s on; nothing before (attaching, start-up).
    const times: number[] = [];
    for (let ms = 300; ms <= 1000; ms++) times.push(ms * 1e6, ms * 1e6);
    const deltas = times.map((t, i) => (i ? t - times[i - 1] : t));
    assert.ok(Math.abs(steadyAchievedShare(deltas, 1e6, 1000) - 1) < 1e-9);
  });
});
