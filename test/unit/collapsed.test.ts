import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exportCollapsed } from '../../extension/format/collapsed';
import { buildProfile } from './helpers/profileBuilder';

describe('collapsed stacks export', () => {
  it('writes thread;frame;… count, root first, frames as qualname (path:line), every sample', () => {
    const profile = buildProfile({
      threads: [{ name: 'MainThread' }, { name: 'worker' }],
      samples: [
        { stack: ['main@app.py:1', 'Foo.work@app.py:9'], repeat: 2 },
        { stack: ['main@app.py:1'], repeat: 1 },
        { stack: ['main@app.py:1', 'Foo.work@app.py:9'], repeat: 1 },
        { stack: ['run@/srv/my app/w.py:3'], thread: 1, repeat: 2 },
        { stack: [], thread: 1, repeat: 4 },
      ],
    });
    assert.equal(
      exportCollapsed(profile),
      'MainThread;main (app.py:1) 1\n' +
        'MainThread;main (app.py:1);Foo.work (app.py:9) 3\n' +
        'worker;[no Python frames] 4\n' +
        'worker;run (/srv/my app/w.py:3) 2\n',
    );
  });

  it('replaces separators and control characters so every line parses', () => {
    const profile = buildProfile({
      threads: [{ name: 'bad;thread\nname' }],
      samples: [{ stack: ['weird;name\r\n@dir;x/a\tb.py:4', '<lambda>@ok.py:1'], repeat: 3 }],
    });
    const text = exportCollapsed(profile);
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 1);
    assert.equal(
      lines[0],
      'bad:thread\\x0aname;weird:name\\x0d\\x0a (dir:x/a\\x09b.py:4);<lambda> (ok.py:1) 3',
    );
    // flamegraph.pl / inferno: the count is the last space-separated field, frames split on ';'.
    const match = /^(.*) (\d+)$/.exec(lines[0]);
    assert.ok(match);
    assert.equal(match[1].split(';').length, 3);
  });

  it('tells apart threads that share a name and merges stacks that become equal once library frames hide', () => {
    const lib = '/usr/lib/python3.12/json/decoder.py';
    const profile = buildProfile({
      threads: [
        { name: 'pool', tid: 1 },
        { name: 'pool', tid: 2 },
      ],
      samples: [
        { stack: ['main@app.py:1', `decode@${lib}:3`], repeat: 1 },
        { stack: ['main@app.py:1', `raw@${lib}:9`], repeat: 2 },
        { stack: ['main@app.py:1'], thread: 1, repeat: 1 },
      ],
    });
    assert.equal(
      exportCollapsed(profile, { mode: 'wall', hideLibrary: true, hideStartup: false }),
      'pool (tid 1);main (app.py:1) 3\npool (tid 2);main (app.py:1) 1\n',
    );
  });
});
