// The phases measurement compares units of work inside sampler-on phases with
// those of the off phases around them: a unit that straddles a switch belongs
// to neither, and an on phase is compared only with two full neighbours.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Phase } from '../../bench/lib/phases';
import { fillUnits, phaseRatios } from '../../bench/lib/phases';

const phase = (on: boolean, startNs: number, endNs: number): Phase => ({
  on,
  startNs,
  endNs,
  units: 0,
  meanUnitNs: NaN,
});

describe('fillUnits', () => {
  test('counts only the units wholly inside a phase', () => {
    const phases = [phase(false, 0, 100), phase(true, 100, 200)];
    // Units: 0–30, 30–60, 60–90, 90–120 (straddles), 120–160, 160–200, 200–210 (after).
    fillUnits(phases, [0, 30, 60, 90, 120, 160, 200, 210]);
    assert.equal(phases[0].units, 3);
    assert.equal(phases[0].meanUnitNs, 30);
    assert.equal(phases[1].units, 2);
    assert.equal(phases[1].meanUnitNs, 40);
  });

  test('a phase without a whole unit has none and no mean', () => {
    const phases = [phase(false, 0, 10), phase(true, 10, 20), phase(false, 20, 100)];
    fillUnits(phases, [0, 50, 100]);
    assert.deepEqual(
      phases.map((p) => p.units),
      [0, 0, 1],
    );
    assert.ok(Number.isNaN(phases[0].meanUnitNs));
  });
});

describe('phaseRatios', () => {
  const filled = (on: boolean, meanUnitNs: number, units = 10): Phase => ({
    ...phase(on, 0, 0),
    units,
    meanUnitNs,
  });

  test('each on phase over the mean of its two off neighbours', () => {
    const ratios = phaseRatios([
      filled(false, 100),
      filled(true, 110),
      filled(false, 120),
      filled(true, 121),
      filled(false, 100),
    ]);
    assert.deepEqual(ratios, [1, 1.1]);
  });

  test('an on phase at either end, or next to a thin phase, is not compared', () => {
    assert.deepEqual(phaseRatios([filled(true, 200), filled(false, 100), filled(true, 200)]), []);
    assert.deepEqual(phaseRatios([filled(false, 100), filled(true, 150), filled(false, 100, 2)]), []);
  });
});
