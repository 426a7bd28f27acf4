import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildEnv,
  intervalForRate,
  joinArgs,
  resolveCwd,
  splitArgs,
} from '../../extension/run/launchSettings';

describe('resolveCwd', () => {
  const context = { workspaceFolder: '/ws', file: '/ws/pkg/app.py' };

  it('defaults to the workspace folder, else the file folder', () => {
    assert.equal(resolveCwd('', context), '/ws');
    assert.equal(resolveCwd('  ', { workspaceFolder: undefined, file: '/tmp/x/a.py' }), '/tmp/x');
  });

  it('replaces variables and resolves relative paths against the default', () => {
    assert.equal(resolveCwd('${fileDirname}', context), '/ws/pkg');
    assert.equal(resolveCwd('${workspaceFolder}/data', context), '/ws/data');
    assert.equal(resolveCwd('build/out', context), '/ws/build/out');
    assert.equal(resolveCwd('/abs', context), '/abs');
  });
});

describe('buildEnv', () => {
  it('adds overrides, removes nulls, unbuffers Python unless overridden, and leaves the base alone', () => {
    const base = { PATH: '/bin', DROP: 'x' };
    const env = buildEnv(base, { DROP: null, ADD: 'y' });
    assert.deepEqual(env, { PATH: '/bin', ADD: 'y', PYTHONUNBUFFERED: '1' });
    assert.equal(base.DROP, 'x');
    assert.equal(buildEnv({}, { PYTHONUNBUFFERED: null }).PYTHONUNBUFFERED, undefined);
  });
});

describe('intervalForRate', () => {
  it('converts Hz to µs and clamps to the sampler limits', () => {
    assert.equal(intervalForRate(1000), 1000);
    assert.equal(intervalForRate(10_000), 100);
    assert.equal(intervalForRate(1_000_000), 50);
    assert.equal(intervalForRate(0.5), 1_000_000);
    assert.equal(intervalForRate(Number.NaN), 1000);
    assert.equal(intervalForRate(-3), 1000);
  });
});

describe('splitArgs / joinArgs', () => {
  it('splits on whitespace and honours quotes and escapes, without expansion', () => {
    assert.deepEqual(splitArgs(`  -n 3  --name "a b" 'c "d"' e\\ f $HOME ""`), [
      '-n',
      '3',
      '--name',
      'a b',
      'c "d"',
      'e f',
      '$HOME',
      '',
    ]);
    assert.deepEqual(splitArgs(`"say \\"hi\\""`), ['say "hi"']);
    assert.deepEqual(splitArgs(''), []);
  });

  it('rejects an unterminated quote', () => {
    assert.throws(() => splitArgs(`"open`), /Unterminated double quote/);
    assert.throws(() => splitArgs(`'open`), /Unterminated single quote/);
  });

  it('round-trips arguments through joinArgs', () => {
    for (const args of [
      ['a', 'b c'],
      ["it's", '', 'naïve', '--x=1'],
      ['$HOME', '"q"'],
    ]) {
      assert.deepEqual(splitArgs(joinArgs(args)), args);
    }
  });
});
