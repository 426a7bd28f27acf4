import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCallTree } from '../../extension/model/callTree';
import { createView } from '../../extension/model/processors';
import type { CallTree, ViewOptions } from '../../extension/model/types';
import { buildProfile } from './helpers/profileBuilder';

/** The tree as indented `name total/self` lines, children in their sorted order. */
function outline(tree: CallTree): string[] {
  const out: string[] = [];
  const visit = (id: number, depth: number): void => {
    const node = tree.nodes[id];
    const hidden = node.hiddenFrames ? ` +${node.hiddenFrames}` : '';
    if (id !== 0)
      out.push(`${'  '.repeat(depth)}${node.name}:${node.line} ${node.totalUs}/${node.selfUs}${hidden}`);
    for (const child of node.children) visit(child, id === 0 ? 0 : depth + 1);
  };
  visit(0, 0);
  return out;
}

const SITE = '/venv/lib/python3.12/site-packages/requests/api.py';
const STDLIB = '/usr/lib/python3.12/json/decoder.py';

describe('call tree', () => {
  it('merges children by function, whatever line called them, and sorts by time', () => {
    const profile = buildProfile({
      samples: [
        { stack: ['main@app.py:10', 'small@app.py:30'], repeat: 1 },
        { stack: ['main@app.py:12', 'big@app.py:20'], repeat: 2 },
        { stack: ['main@app.py:13', 'big@app.py:21'], repeat: 3 },
        { stack: ['main@app.py:13'], repeat: 1 },
      ],
    });
    const tree = buildCallTree(createView(profile));
    assert.deepEqual(outline(tree), ['main:13 7000/1000', '  big:21 5000/5000', '  small:30 1000/1000']);
    assert.equal(tree.totalUs, 7000);
    assert.equal(tree.nodes[0].parent, -1);
    const big = tree.nodes.find((n) => n.name === 'big');
    assert.equal(big?.totalSamples, 5);
    assert.equal(big?.functionKey, 'app.py\0big\x001');
  });

  it('keeps one node per level of recursion, each counting its samples once', () => {
    const profile = buildProfile({
      samples: [
        { stack: ['main@app.py:1', 'fib@app.py:5', 'fib@app.py:5', 'fib@app.py:4'], repeat: 2 },
        { stack: ['main@app.py:1', 'fib@app.py:4'], repeat: 1 },
      ],
    });
    assert.deepEqual(outline(buildCallTree(createView(profile))), [
      'main:1 3000/0',
      '  fib:5 3000/1000',
      '    fib:5 2000/0',
      '      fib:4 2000/2000',
    ]);
  });

  it('marks library frames and, when hiding them, merges them into the caller with a count', () => {
    const profile = buildProfile({
      samples: [
        { stack: ['main@app.py:1', `get@${SITE}:10`, `request@${SITE}:50`, 'callback@app.py:7'], repeat: 2 },
        { stack: ['main@app.py:1', `get@${SITE}:10`], repeat: 1 },
        { stack: ['main@app.py:2', `loads@${STDLIB}:3`], repeat: 1 },
      ],
    });
    const shown = buildCallTree(createView(profile));
    assert.equal(shown.nodes.find((n) => n.name === 'get')?.isLibrary, true);
    assert.equal(shown.nodes.find((n) => n.name === 'loads')?.isLibrary, true);
    assert.equal(shown.nodes.find((n) => n.name === 'callback')?.isLibrary, false);

    const options: ViewOptions = { mode: 'wall', hideLibrary: true, hideStartup: false };
    assert.deepEqual(outline(buildCallTree(createView(profile, options))), [
      'main:1 4000/2000 +3',
      '  callback:7 2000/2000',
    ]);
  });

  it('hides interpreter start-up frames above the script', () => {
    const profile = buildProfile({
      samples: [
        {
          stack: [
            '_run_module_as_main@<frozen runpy>:198',
            '_run_code@<frozen runpy>:88',
            '<module>@app.py:3',
            'work@app.py:9',
          ],
          repeat: 2,
        },
      ],
    });
    const tree = buildCallTree(createView(profile, { mode: 'wall', hideLibrary: false, hideStartup: true }));
    assert.equal(tree.nodes[0].hiddenFrames, 2);
    assert.deepEqual(outline(tree), ['<module>:3 2000/0', '  work:9 2000/2000']);
  });

  it('gives the root no frame and an empty tree for a profile without samples', () => {
    const tree = buildCallTree(createView(buildProfile({ samples: [] })));
    assert.equal(tree.nodes.length, 1);
    assert.equal(tree.totalUs, 0);
    assert.equal(tree.nodes[0].name, '');
  });
});
