import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileAnnotations } from '../../extension/views/annotationModel';
import { AnnotationStore } from '../../extension/editor/annotationStore';
import { contentHash } from '../../extension/model/sourceFiles';
import type { LineEdit } from '../../extension/model/lineTracking';
import { mapLineThroughEdit, mapLineThroughEdits } from '../../extension/model/lineTracking';

function insertAt(lineNo: number, character: number, text: string): LineEdit {
  return { startLine: lineNo, startCharacter: character, endLine: lineNo, endCharacter: character, text };
}

describe('mapLineThroughEdit', () => {
  it('keeps lines above the edit and shifts lines below by the inserted line count', () => {
    const edit = insertAt(5, 3, 'a\nb\n');
    assert.equal(mapLineThroughEdit(4, edit), 4);
    assert.equal(mapLineThroughEdit(5, edit), 5);
    assert.equal(mapLineThroughEdit(6, edit), 8);
  });

  it('pushes a line down when whole lines are pasted at its start', () => {
    assert.equal(mapLineThroughEdit(5, insertAt(5, 0, 'x = 1\n')), 6);
  });

  it('shifts lines up when lines above are deleted', () => {
    // delete lines 2-3 entirely: range (2,0)-(4,0)
    const edit: LineEdit = { startLine: 2, startCharacter: 0, endLine: 4, endCharacter: 0, text: '' };
    assert.equal(mapLineThroughEdit(1, edit), 1);
    assert.equal(mapLineThroughEdit(3, edit), undefined);
    assert.equal(mapLineThroughEdit(4, edit), 2);
    assert.equal(mapLineThroughEdit(10, edit), 8);
  });

  it('drops lines a multi-line replacement ran into', () => {
    const edit: LineEdit = { startLine: 2, startCharacter: 4, endLine: 4, endCharacter: 2, text: 'y' };
    assert.equal(mapLineThroughEdit(2, edit), 2);
    assert.equal(mapLineThroughEdit(3, edit), undefined);
    assert.equal(mapLineThroughEdit(4, edit), undefined);
    assert.equal(mapLineThroughEdit(5, edit), 3);
  });

  it('applies several edits in order', () => {
    assert.equal(mapLineThroughEdits(10, [insertAt(1, 0, '\n'), insertAt(1, 0, '\n\n')]), 13);
    assert.equal(
      mapLineThroughEdits(10, [{ startLine: 9, startCharacter: 0, endLine: 11, endCharacter: 0, text: '' }]),
      undefined,
    );
  });
});

describe('AnnotationStore', () => {
  function annotations(): Map<string, FileAnnotations> {
    const base = { selfUs: 1, totalUs: 1, selfSamples: 1, totalSamples: 1, share: 0.5, selfShare: 0.5 };
    return new Map([
      [
        '/p/a.py',
        {
          path: '/p/a.py',
          lines: [
            { ...base, line: 3, level: 5, inline: '1 s · 50%', hot: true },
            { ...base, line: 8, level: 2, inline: undefined, hot: false },
          ],
          functions: [
            { key: 'k', name: 'f', firstLine: 2, totalUs: 1, selfUs: 1, share: 0.5, samples: 1, title: 't' },
          ],
        },
      ],
    ]);
  }

  it('moves annotations with edits and reports whether anything moved', () => {
    const store = new AnnotationStore(annotations());
    assert.equal(store.applyEdits('/p/a.py', [insertAt(9, 0, 'z\n')]), false);
    assert.equal(store.applyEdits('/p/a.py', [insertAt(1, 0, '# header\n')]), true);
    const file = store.get('/p/a.py')!;
    assert.deepEqual(
      [...file.lines.keys()].sort((a, b) => a - b),
      [4, 9],
    );
    assert.equal(file.lines.get(4)!.inline, '1 s · 50%');
    assert.equal(file.functions[0].firstLine, 3);
    assert.equal(file.edited, true);
  });

  it('drops annotations of deleted lines and ignores unknown files', () => {
    const store = new AnnotationStore(annotations());
    store.applyEdits('/p/a.py', [{ startLine: 3, startCharacter: 0, endLine: 4, endCharacter: 0, text: '' }]);
    assert.deepEqual([...store.get('/p/a.py')!.lines.keys()], [7]);
    assert.equal(store.applyEdits('/p/other.py', [insertAt(1, 0, '\n')]), false);
  });

  it('marks a file stale when its content hash differs from the profiled one, and fresh again', () => {
    const original = 'print(1)\n';
    const store = new AnnotationStore(annotations(), new Map([['/p/a.py', contentHash(original)]]));
    assert.equal(store.checkContent('/p/a.py', contentHash(original)), false);
    assert.equal(store.get('/p/a.py')!.stale, false);
    assert.equal(store.checkContent('/p/a.py', contentHash('print(2)\n')), true);
    assert.equal(store.get('/p/a.py')!.stale, true);
    assert.equal(store.checkContent('/p/a.py', contentHash(original)), true);
    assert.equal(store.get('/p/a.py')!.stale, false);
  });

  it('never marks a file stale when the profiled content is unknown', () => {
    const store = new AnnotationStore(annotations());
    assert.equal(store.checkContent('/p/a.py', contentHash('anything')), false);
    assert.equal(store.get('/p/a.py')!.stale, false);
  });
});
