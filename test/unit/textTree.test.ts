import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderTextTree } from '../../extension/format/textTree';
import { buildCallTree } from '../../extension/model/callTree';
import { createView } from '../../extension/model/processors';
import { buildProfile } from './helpers/profileBuilder';

const SITE = '/venv/lib/python3.12/site-packages/requests/api.py';

const profile = buildProfile({
  samples: [
    {
      stack: [
        '<module>@/home/user/project/app.py:3',
        'work@/home/user/project/app.py:9',
        'inner@/home/user/project/app.py:20',
      ],
      repeat: 600,
    },
    { stack: ['<module>@/home/user/project/app.py:3', 'work@/home/user/project/app.py:10'], repeat: 100 },
    { stack: ['<module>@/home/user/project/app.py:4', `get@${SITE}:5`, `send@${SITE}:50`], repeat: 295 },
    { stack: ['<module>@/home/user/project/app.py:5', 'tiny@/home/user/project/app.py:30'], repeat: 5 },
  ],
});

describe('text tree', () => {
  it('prints time, share, name and location with tree guides, cutting nodes under the threshold', () => {
    const tree = buildCallTree(createView(profile, { mode: 'wall', hideLibrary: true, hideStartup: true }));
    const text = renderTextTree(tree, { cwd: '/home/user/project' });
    assert.equal(
      text,
      [
        '1.000s 100.0%  <module>  app.py:3  [+2 library frames]',
        '└─ 0.700s  70.0%  work  app.py:9',
        '   └─ 0.600s  60.0%  inner  app.py:20',
        '',
      ].join('\n'),
    );
  });

  it('shows small nodes when the threshold allows and library nodes when not hidden', () => {
    const tree = buildCallTree(createView(profile));
    const lines = renderTextTree(tree, { minShare: 0 }).split('\n');
    assert.ok(lines.includes('├─ 0.295s  29.5%  get  /venv/lib/python3.12/site-packages/requests/api.py:5'));
    assert.ok(lines.includes('└─ 0.005s   0.5%  tiny  /home/user/project/app.py:30'));
    assert.equal(renderTextTree(tree, { minShare: 0, maxDepth: 1 }).trimEnd().split('\n').length, 1);
  });

  it('colours hot nodes and dims library code only when asked', () => {
    const tree = buildCallTree(createView(profile));
    const plain = renderTextTree(tree);
    assert.ok(!plain.includes('\x1b['));
    const coloured = renderTextTree(tree, { color: true });
    assert.ok(coloured.includes('\x1b[31m1.000s 100.0%\x1b[0m'));
    assert.ok(coloured.includes('\x1b[2m0.295s  29.5%  get'));
  });

  it('prints a header and neutralises escape sequences from the profile', () => {
    const hostile = buildProfile({ samples: [{ stack: ['\x1b[2Jevil@app.py:1'], repeat: 10 }] });
    const tree = buildCallTree(createView(hostile));
    const text = renderTextTree(tree, {
      header: { meta: hostile.meta, stats: hostile.stats, mode: 'cpu' },
    });
    assert.ok(!text.includes('\x1b'));
    assert.match(
      text,
      /^Hotpath {2}python3 app\.py\nDuration 0\.009s {3}Samples 10 {3}Python 3\.12\.1 \(\/usr\/bin\/python3\)\nMode on-CPU/,
    );
    assert.match(text, /\\x1b\[2Jevil {2}app\.py:1/);
  });

  it('says so when there is nothing to show', () => {
    const empty = buildCallTree(createView(buildProfile({ samples: [] })));
    assert.match(renderTextTree(empty), /No samples were recorded/);
  });
});
