import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount, formatLocation, shortPath, visibleText } from '../../webview/format';
import { sortFunctions, toggleSort } from '../../webview/functionSort';
import type { ViewPayload } from '../../extension/views/protocol';

describe('webview formatting', () => {
  it('shortens paths to their last components', () => {
    assert.equal(shortPath('/home/u/proj/pkg/mod.py'), '…/pkg/mod.py');
    assert.equal(shortPath('mod.py'), 'mod.py');
    assert.equal(shortPath('<frozen runpy>'), '<frozen runpy>');
    assert.equal(formatLocation('/a/b/c.py', 12), '…/b/c.py:12');
    assert.equal(formatLocation('<string>', 0), '<string>');
    assert.equal(formatCount(1234567), '1,234,567');
  });
});

describe('top functions order', () => {
  const view: ViewPayload = {
    strings: ['alpha', 'beta', 'gamma', 'a.py', 'lib/b.py'],
    totalUs: 100,
    tree: {
      parent: [],
      name: [],
      file: [],
      line: [],
      firstLine: [],
      selfUs: [],
      totalUs: [],
      flags: [],
      hidden: [],
    },
    functions: {
      name: [0, 1, 2],
      file: [3, 4, 3],
      firstLine: [1, 2, 3],
      selfUs: [10, 50, 10],
      totalUs: [90, 50, 20],
      samples: [9, 5, 2],
      flags: [0, 1, 0],
    },
  };
  const names = (rows: number[]) => rows.map((i) => view.strings[view.functions.name[i]]);

  it('sorts by self, total or name, ties broken by name', () => {
    assert.deepEqual(names(sortFunctions(view, { key: 'self', descending: true })), [
      'beta',
      'alpha',
      'gamma',
    ]);
    assert.deepEqual(names(sortFunctions(view, { key: 'total', descending: true })), [
      'alpha',
      'beta',
      'gamma',
    ]);
    assert.deepEqual(names(sortFunctions(view, { key: 'total', descending: false })), [
      'gamma',
      'beta',
      'alpha',
    ]);
    assert.deepEqual(names(sortFunctions(view, { key: 'name', descending: false })), [
      'alpha',
      'beta',
      'gamma',
    ]);
  });

  it('filters by name or file', () => {
    assert.deepEqual(names(sortFunctions(view, { key: 'self', descending: true }, 'LIB/')), ['beta']);
    assert.deepEqual(names(sortFunctions(view, { key: 'self', descending: true }, 'mm')), ['gamma']);
  });

  it('flips the direction when the sorted column is clicked again', () => {
    assert.deepEqual(toggleSort({ key: 'self', descending: true }, 'self'), {
      key: 'self',
      descending: false,
    });
    assert.deepEqual(toggleSort({ key: 'self', descending: true }, 'total'), {
      key: 'total',
      descending: true,
    });
    assert.deepEqual(toggleSort({ key: 'self', descending: true }, 'name'), {
      key: 'name',
      descending: false,
    });
  });
});

describe('webview display of hostile text', () => {
  it('shows bidirectional controls as escapes so a name cannot read as another', () => {
    assert.equal(visibleText('report\u202Etxt.exe'), 'report\\u202Etxt.exe');
    assert.equal(visibleText('a\u2066b\u2069c\u200Fd'), 'a\\u2066b\\u2069c\\u200Fd');
    assert.equal(visibleText('naïve 計算 <lambda>'), 'naïve 計算 <lambda>');
    assert.equal(formatLocation('/srv/app/report\u202Etxt.exe.py', 18), '…/app/report\\u202Etxt.exe.py:18');
  });
});
