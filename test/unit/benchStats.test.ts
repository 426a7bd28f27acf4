// The benchmark's verdicts on slowdown targets rest on this interval: it must
// hold exactly the order statistics the binomial distribution gives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { medianInterval } from '../../bench/lib/stats';

const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('medianInterval', () => {
  test('11 values: the 2nd smallest to the 2nd largest, 98.8% coverage', () => {
    const interval = medianInterval(oneTo(11).reverse());
    assert.deepEqual([interval?.low, interval?.high], [2, 10]);
    // 1 − 2·(1 + 11)/2048: the 3rd–9th would cover only 93.5%, under 95%.
    assert.ok(Math.abs((interval?.coverage ?? 0) - (1 - 24 / 2048)) < 1e-12);
  });

  test('15 values: the 4th to the 12th (96.5%)', () => {
    const interval = medianInterval(oneTo(15));
    assert.deepEqual([interval?.low, interval?.high], [4, 12]);
    assert.ok((interval?.coverage ?? 0) >= 0.95);
  });

  test('too few values for 95%: the min–max with the coverage it has', () => {
    const interval = medianInterval([3, 1, 2, 5, 4]);
    assert.deepEqual([interval?.low, interval?.high], [1, 5]);
    assert.equal(interval?.coverage, 1 - 2 / 32);
  });

  test('non-finite values are left out; none left gives no interval', () => {
    assert.deepEqual(medianInterval([NaN, 2, Infinity])?.low, 2);
    assert.equal(medianInterval([NaN]), undefined);
  });
});
