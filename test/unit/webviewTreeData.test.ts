import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NodeFlag, type ViewPayload } from '../../extension/panel/protocol';
import { TreeData, nextMarkedRow, samePath } from '../../webview/treeData';

interface Spec {
  name: string;
  file?: string;
  line?: number;
  total: number;
  lib?: boolean;
  children?: Spec[];
}

/** A payload from a nested literal, depth first like the host sends it. */
function payload(children: Spec[]): ViewPayload {
  const strings: string[] = [];
  const str = (s: string) => {
    const i = strings.indexOf(s);
    return i >= 0 ? i : strings.push(s) - 1;
  };
  const tree = {
    parent: [] as number[],
    name: [] as number[],
    file: [] as number[],
    line: [] as number[],
    firstLine: [] as number[],
    selfUs: [] as number[],
    totalUs: [] as number[],
    flags: [] as number[],
    hidden: [] as number[],
  };
  const total = children.reduce((a, c) => a + c.total, 0);
  const add = (s: Spec, parent: number) => {
    const id = tree.parent.length;
    tree.parent.push(parent);
    tree.name.push(str(s.name));
    tree.file.push(str(s.file ?? 'app.py'));
    tree.line.push(s.line ?? 0);
    tree.firstLine.push(1);
    tree.totalUs.push(s.total);
    tree.selfUs.push(s.total - (s.children ?? []).reduce((a, c) => a + c.total, 0));
    tree.flags.push(s.lib ? NodeFlag.library : 0);
    tree.hidden.push(0);
    for (const c of s.children ?? []) add(c, id);
  };
  add({ name: '', file: '', total, children }, -1);
  const functions = { name: [], file: [], firstLine: [], selfUs: [], totalUs: [], samples: [], flags: [] };
  return { strings, totalUs: total, tree, functions };
}

// root ─┬ main(90) ─┬ parse(60) ─ read(50, lib)
//       │           └ render(25)
//       └ atexit(10)
const sample = () =>
  new TreeData(
    payload([
      {
        name: 'main',
        line: 3,
        total: 90,
        children: [
          {
            name: 'parse',
            line: 12,
            total: 60,
            children: [{ name: 'read', file: '/usr/lib/python3.12/io.py', total: 50, lib: true }],
          },
          { name: 'render', file: 'views/render.py', line: 40, total: 25 },
        ],
      },
      { name: 'atexit', total: 10 },
    ]),
  );

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
