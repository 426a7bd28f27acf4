import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProfileHistory } from '../../extension/editor/profileHistory';
import type { RawProfile } from '../../extension/model/rawProfile';
import { buildProfile } from './helpers/profileBuilder';

function run(script: string, startedAt: number): RawProfile {
  const raw = buildProfile({ samples: [{ stack: ['main@/p/app.py:1'] }] });
  raw.meta = { ...raw.meta, argv: ['python3', script], startedAt };
  return raw;
}

const insertLine = (line: number) => ({
  startLine: line,
  startCharacter: 0,
  endLine: line,
  endCharacter: 0,
  text: 'x = 1\n',
});

describe('profile history', () => {
  it('offers the previous run of the same program, not of another one', () => {
    const history = new ProfileHistory((raw) => raw.meta.argv[1]);
    const first = run('app.py', 1);
    const other = run('tool.py', 2);
    const second = run('app.py', 3);
    for (const raw of [first, other, second]) history.shown(raw);
    assert.equal(history.previousRun(second), first);
    assert.equal(history.previousRun(first), second, 'the latest other run of the program');
    assert.equal(history.previousRun(other), undefined);
  });

  it('keeps no live snapshot: the previous run is another run', () => {
    const history = new ProfileHistory((raw) => raw.meta.argv[1]);
    const first = run('app.py', 1);
    history.shown(first);
    const live = run('app.py', 2);
    live.meta = { ...live.meta, live: true };
    history.shown(live);
    const ended = run('app.py', 2);
    history.shown(ended);
    assert.equal(history.previousRun(ended), first);
  });

  it('knows the edits made between two runs, per file', () => {
    const history = new ProfileHistory((raw) => raw.meta.argv[1]);
    const before = run('app.py', 1);
    history.shown(before);
    history.edited('/p/app.py', [insertLine(3)]);
    history.edited('/p/lib.py', [insertLine(1)]);
    const after = run('app.py', 2);
    history.shown(after);
    history.edited('/p/app.py', [insertLine(9)]);
    assert.deepEqual(history.movesBetween(before, after), [
      ['/p/app.py', [insertLine(3)]],
      ['/p/lib.py', [insertLine(1)]],
    ]);
    assert.deepEqual(history.movesBetween(after, before), [], 'a later baseline has no moves');
  });

  it('finds the run a saved copy was read from', () => {
    const history = new ProfileHistory((raw) => raw.meta.argv[1]);
    const shown = run('app.py', 5);
    history.shown(shown);
    const copy = structuredClone(shown);
    assert.equal(history.sameRun(copy), shown);
    assert.equal(history.sameRun(run('app.py', 6)), undefined);
  });
});
