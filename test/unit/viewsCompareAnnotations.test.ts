import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCompareAnnotations, changeLevel } from '../../extension/views/compareAnnotations';
import { change } from '../../extension/model/compare';
import { createView } from '../../extension/model/processors';
import { loadProfile } from '../../extension/format/profileFile';
import { buildProfile } from './helpers/profileBuilder';
import { buildViewPart } from '../../extension/views/viewModel';

const VIEW = { mode: 'wall', hideLibrary: true, hideStartup: true } as const;
const fixture = (name: string) => loadProfile(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));

describe('editor annotations of a comparison', () => {
  const base = fixture('compare_base.hotpath.json');
  const slower = fixture('compare_slower.hotpath.json');
  const annotations = buildCompareAnnotations(createView(base, VIEW), createView(slower, VIEW), 1);
  const file = annotations.files.get('/home/user/project/compare_target.py');

  it('paints the lines of the slowed loop warm, with their change', () => {
    assert.ok(file);
    const loop = file.lines.find((l) => l.line === 20);
    assert.ok(loop?.change);
    assert.ok(loop.change.level >= 2, `level ${loop.change.level}`);
    assert.match(loop.inline ?? '', /^\+\S+ ms · (×\d\.\d|\+\d+%)$/);
    assert.equal(loop.hot, false, 'no heat tint while comparing');
  });

  it('leaves the unchanged lines unmarked and says so in the lenses', () => {
    const parse = file!.lines.find((l) => l.line === 12);
    assert.equal(parse?.change?.level, 0);
    assert.equal(parse?.inline, undefined);
    const lens = (name: string) => file!.functions.find((f) => f.name === name)?.title ?? '';
    assert.match(lens('transform'), /· \+\S+ ms · ×\d\.\d vs baseline$/);
    assert.match(lens('parse'), /unchanged \(within noise\)$/);
    assert.equal(annotations.comparison?.scale, 'absolute');
  });

  it('shows a line that is gone where it was, cool', () => {
    const before = buildProfile({ samples: [{ stack: ['main@/p/a.py:1', 'old@/p/a.py:9'], repeat: 200 }] });
    const after = buildProfile({ samples: [{ stack: ['main@/p/a.py:2'], repeat: 50 }] });
    const result = buildCompareAnnotations(createView(before, VIEW), createView(after, VIEW), 1);
    const lines = result.files.get('/p/a.py')!.lines;
    const gone = lines.find((l) => l.line === 9);
    assert.equal(gone?.change?.status, 'vanished');
    assert.equal(gone?.change?.level, -3);
    assert.equal(gone?.inline, '\u2212200 ms · gone');
    assert.deepEqual(
      lines.map((l) => l.line),
      [1, 2, 9],
    );
    assert.ok(result.files.get('/p/a.py')!.functions.some((f) => /old: not run any more/.test(f.title)));
  });

  it('grades changes on a diverging scale', () => {
    assert.equal(changeLevel(change(100_000, 100, 110_000, 110, 1)), 0, 'noise');
    assert.equal(changeLevel(change(100_000, 1000, 115_000, 1150, 1)), 1);
    assert.equal(changeLevel(change(100_000, 1000, 150_000, 1500, 1)), 2);
    assert.equal(changeLevel(change(100_000, 1000, 300_000, 3000, 1)), 3);
    assert.equal(changeLevel(change(100_000, 1000, 60_000, 600, 1)), -2);
    assert.equal(changeLevel(change(0, 0, 60_000, 600, 1)), 3, 'new');
  });
});

describe('the panel of a comparison', () => {
  const base = fixture('compare_base.hotpath.json');
  const slower = fixture('compare_slower.hotpath.json');
  const ids = { profileId: 'p' };

  it('colours each call path by its change from the baseline', () => {
    const message = buildViewPart(slower, { mode: 'wall', showAll: false }, ids, {
      raw: base,
      label: 'before',
    });
    assert.deepEqual(message.comparison?.label, 'before');
    const tree = message.view.tree;
    const node = (name: string) => tree.name.findIndex((n) => message.view.strings[n] === name);
    const transform = node('transform');
    assert.ok(tree.change && tree.baseUs);
    assert.equal(tree.change.length, tree.parent.length, 'a change per node');
    assert.equal(tree.change[transform], 3, 'three times the time');
    assert.ok(tree.baseUs[transform] > 0 && tree.baseUs[transform] < tree.totalUs[transform] / 2);
    assert.equal(tree.change[node('parse')], 0, 'unchanged');
  });

  it('leaves the tree alone without a baseline, and with one root per thread', () => {
    assert.equal(buildViewPart(slower, { mode: 'wall', showAll: false }, ids).view.tree.change, undefined);
    const split = buildViewPart(slower, { mode: 'wall', showAll: false, threadRoots: true }, ids, {
      raw: base,
      label: 'before',
    });
    assert.equal(split.view.tree.change, undefined);
    assert.equal(split.comparison, undefined);
  });
});
