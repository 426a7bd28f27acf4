import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exportSpeedscope, SPEEDSCOPE_SCHEMA, toSpeedscope } from '../../extension/format/speedscope';
import { SITE, twoThreadProfile } from './helpers/twoThreadProfile';

const profile = twoThreadProfile();

describe('speedscope export', () => {
  it('writes the top-level fields of speedscope’s schema', () => {
    const file = JSON.parse(exportSpeedscope(profile));
    assert.equal(file.$schema, SPEEDSCOPE_SCHEMA);
    assert.equal(typeof file.version, 'string');
    assert.equal(file.name, 'python3 app.py');
    assert.equal(file.activeProfileIndex, 0);
    assert.deepEqual(Object.keys(file).sort(), [
      '$schema',
      'activeProfileIndex',
      'name',
      'profiles',
      'shared',
      'version',
    ]);
  });

  it('shares one frame per function with name, file and first line', () => {
    const { shared } = toSpeedscope(profile);
    assert.deepEqual(shared.frames, [
      { name: 'main', file: 'app.py', line: 1 },
      { name: 'work', file: 'app.py', line: 8 },
      { name: 'call', file: SITE, line: 1 },
      { name: 'loop', file: 'w.py', line: 1 },
      { name: '[no Python frames]' },
    ]);
  });

  it('writes one sampled profile per thread, root-first stacks, consecutive repeats merged', () => {
    const { profiles, shared } = toSpeedscope(profile);
    assert.equal(profiles.length, 2);
    const [main, worker] = profiles;
    assert.equal(main.type, 'sampled');
    assert.equal(main.unit, 'microseconds');
    assert.equal(main.name, 'MainThread (tid 10)');
    assert.deepEqual(main.samples, [
      [0, 1],
      [0, 2],
      [0, 1],
    ]);
    assert.deepEqual(main.weights, [3000, 1000, 1000]);
    assert.equal(main.samples.length, main.weights.length);
    assert.ok(main.endValue >= main.startValue);
    assert.equal(main.endValue - main.startValue, 5000);
    assert.deepEqual(worker.samples, [[3], [4]]);
    assert.deepEqual(worker.weights, [2000, 1000]);
    for (const p of profiles) {
      for (const stack of p.samples)
        for (const frame of stack) assert.ok(frame >= 0 && frame < shared.frames.length);
    }
  });

  it('applies the view: library frames hidden, on-CPU only', () => {
    const { profiles, shared } = toSpeedscope(profile, {
      mode: 'cpu',
      hideLibrary: true,
      hideStartup: false,
    });
    assert.equal(profiles.length, 2, 'the worker ran with no Python frames');
    assert.deepEqual(profiles[0].samples, [[0, 1], [0], [0, 1]]);
    assert.deepEqual(
      profiles[1].samples.map((stack) => stack.map((f) => shared.frames[f].name)),
      [['[no Python frames]']],
    );
    assert.ok(!shared.frames.some((f) => f.name === 'call'));
  });
});

describe('speedscope text', () => {
  it('is the same JSON as the file object', () => {
    const options = { mode: 'wall' as const, hideLibrary: false, hideStartup: false };
    assert.deepEqual(JSON.parse(exportSpeedscope(profile, options)), toSpeedscope(profile, options));
  });
});
