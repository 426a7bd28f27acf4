// The achieved-rate floor in the benchmark comes from the ticker's own report.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
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
