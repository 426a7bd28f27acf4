import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildFunctionTable } from '../../extension/model/functionTable';
import { createView } from '../../extension/model/processors';
import { functionKey, parseFunctionKey } from '../../extension/model/profileIndex';
import { buildProfile } from './helpers/profileBuilder';

const SITE = '/venv/lib/python3.11/site-packages/numpy/core.py';

describe('function table', () => {
  const profile = buildProfile({
    firstLines: { 'fib@app.py': 4, 'main@app.py': 1 },
    samples: [
      { stack: ['main@app.py:2', 'fib@app.py:6', 'fib@app.py:6', 'fib@app.py:5'], repeat: 3 },
      { stack: ['main@app.py:3', `dot@${SITE}:40`], repeat: 2 },
    ],
  });

  it('counts a recursive function once per sample and sorts by total', () => {
    const table = buildFunctionTable(createView(profile));
    assert.deepEqual(
      table.map((f) => [f.name, f.totalUs, f.selfUs, f.samples, f.isLibrary]),
      [
        ['main', 5000, 0, 5, false],
        ['fib', 3000, 3000, 3, false],
        ['dot', 2000, 2000, 2, true],
      ],
    );
    assert.equal(table[1].key, 'app.py\0fib\x004');
    assert.equal(table[1].firstLine, 4);
  });

  it('leaves hidden library functions out and gives their self time to the caller', () => {
    const table = buildFunctionTable(
      createView(profile, { mode: 'wall', hideLibrary: true, hideStartup: false }),
    );
    assert.deepEqual(
      table.map((f) => [f.name, f.totalUs, f.selfUs]),
      [
        ['main', 5000, 2000],
        ['fib', 3000, 3000],
      ],
    );
  });
});

describe('function keys', () => {
  it('parse back into the parts they were made of, and nothing else parses', () => {
    const key = functionKey('/p/app.py', 'Worker.run', 12);
    assert.deepEqual(parseFunctionKey(key), { file: '/p/app.py', name: 'Worker.run', firstLine: 12 });
    assert.equal(parseFunctionKey('/p/app.py'), undefined);
    assert.equal(parseFunctionKey(`a\0b\0x`), undefined);
    assert.equal(parseFunctionKey(42), undefined);
  });
});
