// The benchmark's verdicts on slowdown targets rest on this interval: it must
// hold exactly the order statistics the binomial distribution gives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { medianInterval } from '../../bench/lib/stats';
import { decide } from '../../bench/lib/targets';

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

describe('slowdown verdicts (decide)', () => {
  test('11 ratios all within the limit pass; all beyond fail; across it, inconclusive', () => {
    assert.equal(decide(Array(11).fill(1.01), 1.02).verdict, 'pass');
    assert.equal(decide(Array(11).fill(1.05), 1.02).verdict, 'fail');
    assert.equal(decide([...Array(6).fill(1.0), ...Array(5).fill(1.05)], 1.02).verdict, 'inconclusive');
  });

  test('5 ratios or fewer decide nothing, however they lie', () => {
    for (const n of [1, 3, 5]) {
      const decided = decide(Array(n).fill(1.0), 1.02);
      assert.equal(decided.verdict, 'inconclusive', `${n} ratios`);
      assert.match(decided.note, /too few pairs/);
    }
    assert.equal(decide(Array(6).fill(1.0), 1.02).verdict, 'pass');
  });
});
