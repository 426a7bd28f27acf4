import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderTextReport, renderTextTree } from '../../extension/format/textTree';
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
        '1.00 s · 100%  <module>  app.py:3  [+2 library frames]',
        '└─ 700 ms · 70.0%  work  app.py:9',
        '   └─ 600 ms · 60.0%  inner  app.py:20',
        '',
      ].join('\n'),
    );
  });

  it('shows small nodes when the threshold allows and library nodes when not hidden', () => {
    const tree = buildCallTree(createView(profile));
    const lines = renderTextTree(tree, { minShare: 0 }).split('\n');
    assert.ok(lines.includes('├─ 295 ms · 29.5%  get  /venv/lib/python3.12/site-packages/requests/api.py:5'));
    assert.ok(lines.includes('└─ 5.00 ms · 0.5%  tiny  /home/user/project/app.py:30'));
    assert.equal(renderTextTree(tree, { minShare: 0, maxDepth: 1 }).trimEnd().split('\n').length, 1);
  });

  it('colours hot nodes and dims library code only when asked', () => {
    const tree = buildCallTree(createView(profile));
    const plain = renderTextTree(tree);
    assert.ok(!plain.includes('\x1b['));
    const coloured = renderTextTree(tree, { color: true });
    assert.ok(coloured.includes('\x1b[31m1.00 s · 100%\x1b[0m'));
    assert.ok(coloured.includes('\x1b[2m295 ms · 29.5%  get'));
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
      /^Hotpath {2}python3 app\.py\nDuration 9\.00 ms {3}Samples 10 {3}Python 3\.12\.1 \(\/usr\/bin\/python3\)\nShown 10\.0 ms of on-CPU time\n/,
    );
    assert.match(text, /\\x1b\[2Jevil {2}app\.py:1/);
  });

  it('says so when there is nothing to show', () => {
    const empty = buildCallTree(createView(buildProfile({ samples: [] })));
    assert.match(renderTextTree(empty), /No samples were recorded/);
  });

  it('says a root of hidden frames stands for library or start-up code only', () => {
    const tree = buildCallTree(
      createView(buildProfile({ samples: [{ stack: [`get@${SITE}:5`], repeat: 10 }] }), {
        mode: 'wall',
        hideLibrary: true,
        hideStartup: true,
      }),
    );
    assert.equal(renderTextTree(tree), '10.0 ms · 100%  [library or start-up code only]\n');
  });
});

describe('text report', () => {
  const READING = { mode: 'wall', hideLibrary: true, hideStartup: true, skipSiteStartup: true } as const;
  const threaded = buildProfile({
    threads: [
      { name: 'MainThread', tid: 101 },
      { name: 'worker', tid: 102 },
    ],
    samples: [
      { stack: ['<module>@/p/app.py:3', 'spin@/p/app.py:9'], repeat: 400 },
      { stack: ['run@/p/app.py:20', 'spin@/p/app.py:9'], thread: 1, repeat: 600 },
    ],
  });

  it('groups the tree by thread (name and TID, busiest first) and says the time shown is a sum', () => {
    const text = renderTextReport(threaded, READING, { cwd: '/p' });
    const lines = text.split('\n');
    assert.equal(
      lines[2],
      'Shown 1.00 s of wall-clock time, summed over 2 threads (percentages are of this sum)',
    );
    assert.deepEqual(lines.slice(4), [
      'Thread worker (TID 102)  600 ms · 60.0%',
      '600 ms · 60.0%  run  app.py:20',
      '└─ 600 ms · 60.0%  spin  app.py:9',
      '',
      'Thread MainThread (TID 101)  400 ms · 40.0%',
      '400 ms · 40.0%  <module>  app.py:3',
      '└─ 400 ms · 40.0%  spin  app.py:9',
      '',
    ]);
  });

  it('prints one tree without thread lines when one thread was sampled', () => {
    const text = renderTextReport(profile, READING, { cwd: '/home/user/project' });
    assert.match(text, /\nShown 1\.00 s of wall-clock time\n\n1\.00 s · 100% {2}<module> {2}app\.py:3/);
    assert.doesNotMatch(text, /Thread |summed over/);
  });

  it('leaves out the start-up work site runs (.pth files), says how much, and keeps it when asked', () => {
    const withPth = buildProfile({
      samples: [
        {
          // What a `.pth` import line looks like: site runs it through exec, code named <string>.
          stack: ['<module>@<frozen site>:616', 'addpackage@<frozen site>:186', '<module>@<string>:1'],
          repeat: 50,
        },
        { stack: ['main@/usr/lib/python3.12/site.py:600', 'work@/p/setup_hook.py:2'], repeat: 20 },
        { stack: ['<module>@/p/app.py:3'], repeat: 100 },
      ],
    });
    const text = renderTextReport(withPth, READING, { cwd: '/p' });
    assert.match(
      text,
      /\nShown 100 ms of wall-clock time\nStart-up work left out: 70\.0 ms in site \(\.pth files\); --show-all keeps it\n/,
    );
    assert.doesNotMatch(text, /<string>|setup_hook|library or start-up code only/);
    assert.match(text, /100 ms · 100% {2}<module> {2}app\.py:3\n$/);
    const all = renderTextReport(
      withPth,
      { mode: 'wall', hideLibrary: false, hideStartup: false },
      { cwd: '/p' },
    );
    assert.match(all, /<module> {2}<string>:1/);
    assert.match(all, /work {2}setup_hook\.py:2/);
    assert.doesNotMatch(all, /left out/);
  });
});
