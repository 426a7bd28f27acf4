import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { changeColor } from '../../webview/flamePalette';
import { changeText } from '../../webview/callTreeView';
import { TreeData } from '../../webview/treeData';
import type { ViewPayload } from '../../extension/views/protocol';

describe('panel colours and text while comparing runs', () => {
  it('takes the theme’s slower and faster colours, grey within noise', () => {
    const theme = new Map([['--vscode-hotpath-slower3', '#ff0000']]);
    const read = (name: string, fallback: string) => theme.get(name) ?? fallback;
    assert.equal(changeColor(3, 'dark', read), '#ff0000');
    assert.equal(changeColor(-2, 'light', read), '#42a5f5', 'the fallback when the theme has none');
    assert.notEqual(changeColor(1, 'dark', read), changeColor(-1, 'dark', read));
    assert.match(changeColor(0, 'dark', read), /^hsl\(/);
  });

  it('writes a node’s change from its baseline time', () => {
    const view: ViewPayload = {
      strings: ['', 'f'],
      totalUs: 300_000,
      tree: {
        parent: [-1, 0],
        name: [0, 1],
        file: [0, 0],
        line: [0, 1],
        firstLine: [0, 1],
        selfUs: [0, 300_000],
        totalUs: [300_000, 300_000],
        flags: [0, 0],
        hidden: [0, 0],
        baseUs: [100_000, 0],
        change: [3, 3],
      },
      functions: { name: [], file: [], firstLine: [], selfUs: [], totalUs: [], samples: [], flags: [] },
    };
    const tree = new TreeData(view);
    assert.equal(tree.comparing, true);
    assert.equal(changeText(tree, 0), '+200 ms · ×3.0');
    assert.equal(changeText(tree, 1), '+300 ms · new');
  });
});
