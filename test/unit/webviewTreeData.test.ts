import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TreeData, nextMarkedNode, nextMarkedRow, samePath } from '../../webview/treeData';
import { payload, sampleView, type Spec } from './helpers/viewPayload';

const sample = () => new TreeData(sampleView());

const names = (t: TreeData, rows: Int32Array) => Array.from(rows, (r) => t.name(r));

describe('webview tree data', () => {
  it('rebuilds child lists and depths from parent columns', () => {
    const t = sample();
    assert.equal(t.count, 6);
    assert.deepEqual(
      Array.from(t.children(0), (c) => t.name(c)),
      ['main', 'atexit'],
    );
    assert.deepEqual(
      Array.from(t.children(1), (c) => t.name(c)),
      ['parse', 'render'],
    );
    assert.deepEqual(Array.from(t.depth), [0, 1, 2, 3, 2, 1]);
    assert.ok(t.isLibrary(3));
    assert.equal(t.selfUs(1), 5);
  });

  it('shows only the top level until nodes are expanded', () => {
    const t = sample();
    assert.deepEqual(names(t, t.visibleRows()), ['main', 'atexit']);
    t.expanded[1] = 1;
    assert.deepEqual(names(t, t.visibleRows()), ['main', 'parse', 'render', 'atexit']);
  });

  it('opens the hot path: nodes at or above the share threshold', () => {
    const t = sample();
    t.expandHotPath(0.5);
    assert.deepEqual(names(t, t.visibleRows()), ['main', 'parse', 'read', 'render', 'atexit']);
    const u = sample();
    u.expandHotPath(0.7);
    assert.deepEqual(names(u, u.visibleRows()), ['main', 'parse', 'render', 'atexit']);
  });

  it('expands a whole subtree and nothing outside it', () => {
    const t = sample();
    t.expandSubtree(2);
    assert.deepEqual(names(t, t.visibleRows()), ['main', 'atexit'], 'parse is inside a closed main');
    t.expanded[1] = 1;
    assert.deepEqual(names(t, t.visibleRows()), ['main', 'parse', 'read', 'render', 'atexit']);
    assert.equal(t.expanded[5], 0);
  });

  it('searches names and files case-insensitively and reveals the matches', () => {
    const t = sample();
    const marks = t.search('READ');
    assert.deepEqual(
      Array.from(marks.keys()).filter((i) => marks[i]),
      [3],
    );
    const byFile = t.search('views/');
    assert.equal(byFile[4], 1);
    assert.equal(t.search('  ').indexOf(1), -1, 'a blank query marks nothing');
    t.revealMarked(marks);
    assert.deepEqual(names(t, t.visibleRows()), ['main', 'parse', 'read', 'render', 'atexit']);
  });

  it('locates the nodes that ran an editor line, by path suffix', () => {
    const t = sample();
    const marks = t.locate('/home/u/proj/views/render.py', 40);
    assert.deepEqual(
      Array.from(marks.keys()).filter((i) => marks[i]),
      [4],
    );
    assert.equal(t.locate('/home/u/proj/views/render.py', 41).indexOf(1), -1);
    assert.equal(t.locate('/other/render.py', 40).indexOf(1), -1);
  });

  it('carries what the user opened over to a rebuilt tree', () => {
    const t = sample();
    t.expanded[1] = 1; // main
    t.expanded[2] = 1; // parse
    const keys = t.openKeys()!;
    assert.equal(keys.size, 2);
    // The rebuilt tree (say, a time range) lost "render" and orders children differently.
    const rebuilt = new TreeData(
      payload([
        { name: 'atexit', total: 50 },
        {
          name: 'main',
          total: 40,
          children: [{ name: 'parse', total: 40, children: [{ name: 'read', total: 40 }] }],
        },
      ]),
    );
    rebuilt.openByKeys(keys);
    assert.deepEqual(names(rebuilt, rebuilt.visibleRows()), ['atexit', 'main', 'parse', 'read']);
  });

  it('ignores open nodes hidden under a closed parent and gives up above the limit', () => {
    const t = sample();
    t.expanded[2] = 1; // parse, under a closed main
    assert.equal(t.openKeys()!.size, 0);
    t.expanded[1] = 1;
    assert.equal(t.openKeys(2)?.size, 2, 'main and parse, within the limit');
    assert.equal(t.openKeys(1), undefined);
  });

  it('finds a node again by its call path after the tree is rebuilt', () => {
    const t = sample();
    const key = t.pathKey(3);
    const again = sample();
    assert.equal(again.findByPathKey(key), 3);
    assert.equal(again.findByPathKey('nope\0x'), -1);
    assert.equal(again.findByPathKey(''), -1);
  });

  it('flattens 100,000 expanded nodes', () => {
    const wide: Spec[] = Array.from({ length: 1000 }, (_, i) => ({
      name: `f${i}`,
      total: 100,
      children: Array.from({ length: 99 }, (_, j) => ({ name: `g${j}`, total: 1 })),
    }));
    const t = new TreeData(payload(wide));
    assert.equal(t.count, 100_001);
    t.expanded.fill(1);
    assert.equal(t.visibleRows().length, 100_000);
  });
});

describe('webview path matching', () => {
  it('matches equal paths and relative recordings by suffix on a separator', () => {
    assert.ok(samePath('/a/b.py', '/a/b.py'));
    assert.ok(samePath('b.py', '/a/b.py'));
    assert.ok(samePath('pkg/b.py', 'C:\\x\\pkg\\b.py'));
    assert.ok(!samePath('b.py', '/a/xb.py'));
    assert.ok(samePath('./b.py', '/a/b.py'));
    assert.ok(!samePath('/a/b.py', '/c/a/b.py'), 'an absolute recording must match exactly');
  });
});

describe('webview search navigation', () => {
  const rows = Int32Array.from([5, 6, 7, 8]);
  const marks = new Uint8Array(10);
  marks[6] = 1;
  marks[8] = 1;

  it('finds the next match after a row, wrapping around', () => {
    assert.equal(nextMarkedRow(rows, marks, -1), 1);
    assert.equal(nextMarkedRow(rows, marks, 1), 3);
    assert.equal(nextMarkedRow(rows, marks, 3), 1);
  });

  it('goes backwards with Shift+Enter', () => {
    assert.equal(nextMarkedRow(rows, marks, 3, true), 1);
    assert.equal(nextMarkedRow(rows, marks, 1, true), 3);
    assert.equal(nextMarkedRow(rows, marks, -1, true), 3);
  });

  it('reports no match', () => {
    assert.equal(nextMarkedRow(rows, new Uint8Array(10), 0), -1);
    assert.equal(nextMarkedRow(new Int32Array(0), marks, -1), -1);
  });
});

describe('webview search navigation by node', () => {
  it('goes through the marked nodes in depth-first order, wrapping, never to the root', () => {
    const marks = Uint8Array.from([1, 0, 1, 0, 1]);
    assert.equal(nextMarkedNode(marks, -1), 2);
    assert.equal(nextMarkedNode(marks, 2), 4);
    assert.equal(nextMarkedNode(marks, 4), 2);
    assert.equal(nextMarkedNode(marks, -1, true), 4);
    assert.equal(nextMarkedNode(marks, 2, true), 4);
    assert.equal(nextMarkedNode(Uint8Array.from([1, 0, 0]), -1), -1);
    assert.equal(nextMarkedNode(Uint8Array.from([0, 0, 1]), 2), 2, 'the only match stays selected');
  });
});

describe('webview tree data: what stays open across a new view', () => {
  it('keeps what was open, or opens the hot path when none of it exists any more', () => {
    const before = sample();
    before.expandHotPath();
    const again = sample();
    again.reopen(before.openKeys());
    assert.deepEqual(names(again, again.visibleRows()), names(before, before.visibleRows()));
    // A tree of other paths (one root per thread): nothing of the old keys matches.
    const other = new TreeData(
      payload([
        {
          name: 'MainThread',
          total: 100,
          children: [{ name: 'main', total: 100, children: [{ name: 'x', total: 90 }] }],
        },
      ]),
    );
    other.reopen(before.openKeys());
    assert.deepEqual(names(other, other.visibleRows()), ['MainThread', 'main', 'x']);
  });
});
