import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCallTree } from '../../extension/model/callTree';
import { classifyFile, FILE_KIND_STARTUP, FILE_KIND_USER } from '../../extension/model/fileKinds';
import {
  createView,
  hideLibraryFrames,
  keepOnCpu,
  keepFunction,
  keepRange,
  keepThreads,
  processorsFor,
} from '../../extension/model/processors';
import { getIndex } from '../../extension/model/profileIndex';
import { buildProfile } from './helpers/profileBuilder';

describe('classifyFile', () => {
  const cases: [string, string][] = [
    ['/home/me/project/app.py', 'user'],
    ['app.py', 'user'],
    ['<string>', 'user'],
    ['/home/me/.venv/lib/python3.12/site-packages/requests/api.py', 'library'],
    ['/usr/lib/python3/dist-packages/yaml/__init__.py', 'library'],
    ['/root/.pyenv/versions/3.12.1/lib/python3.12/json/decoder.py', 'library'],
    ['/usr/lib/python3.11/threading.py', 'library'],
    ['C:\\Python312\\Lib\\json\\decoder.py', 'library'],
    ['<frozen posixpath>', 'library'],
    ['<frozen runpy>', 'startup'],
    ['<frozen importlib._bootstrap>', 'startup'],
    ['<frozen importlib._bootstrap_external>', 'startup'],
    ['/usr/lib/python3.9/runpy.py', 'startup'],
    ['/usr/lib/python3.8/importlib/_bootstrap.py', 'startup'],
    ['<frozen site>', 'startup'],
    ['/usr/lib/python3.8/site.py', 'startup'],
    ['/proj/mysite.py', 'user'],
    ['/home/me/.venv/lib/python3.12/site-packages/_pytest/python.py', 'startup'],
    ['/home/me/.venv/lib/python3.12/site-packages/_pytest/config/__init__.py', 'startup'],
    ['/home/me/.venv/lib/python3.12/site-packages/pytest/__main__.py', 'startup'],
    ['/home/me/.venv/lib/python3.12/site-packages/pluggy/_callers.py', 'startup'],
    ['/src/pytest/src/_pytest/runner.py', 'startup'],
    ['/usr/lib/python3.11/unittest/case.py', 'startup'],
    ['/usr/lib/python3.11/unittest/mock.py', 'library'],
    ['/home/me/project/tests/test_pytest_plugin.py', 'user'],
    ['/home/me/project/unittest_helpers.py', 'user'],
    ['/home/me/pytest/app.py', 'user'],
  ];
  for (const [path, kind] of cases) {
    it(`${path} is ${kind}`, () => assert.equal(classifyFile(path), kind));
  }

  it('honours extra library directories and start-up files', () => {
    assert.equal(classifyFile('/opt/vendor/x.py', { libraryDirs: ['/opt/vendor'] }), 'library');
    assert.equal(classifyFile('/opt/vendored.py', { libraryDirs: ['/opt/vendor'] }), 'user');
    assert.equal(classifyFile('/tmp/boot.py', { startupFiles: ['/tmp/boot.py'] }), 'startup');
  });
});

describe('code run by exec', () => {
  const kindOf = (profile: ReturnType<typeof buildProfile>, file: string, line: number) => {
    const { frameKind } = getIndex(profile);
    const f = profile.frameFile.findIndex(
      (id, i) => profile.strings[id] === file && profile.frameLine[i] === line,
    );
    assert.ok(f >= 0, `${file}:${line} is a frame`);
    return frameKind[f];
  };

  it("takes the kind of its caller: a .pth file that site runs is start-up, not the user's", () => {
    const profile = buildProfile({
      samples: [
        {
          stack: [
            '<module>@<frozen site>:616',
            'addpackage@<frozen site>:186',
            '<module>@<string>:1',
            '<module>@<string>:2',
            'load@/usr/lib/python3.11/json/__init__.py:5',
          ],
          repeat: 3,
        },
        { stack: ['<module>@/proj/quick.py:1'], repeat: 1 },
      ],
    });
    assert.equal(kindOf(profile, '<string>', 1), FILE_KIND_STARTUP);
    assert.equal(kindOf(profile, '<string>', 2), FILE_KIND_STARTUP);
    // Hidden with start-up frames: only the script's own line is left in the editor's view.
    const view = createView(profile, { mode: 'wall', hideLibrary: true, hideStartup: true });
    assert.equal(view.totalSamples, 4);
    const tree = buildCallTree(view);
    assert.deepEqual(
      tree.nodes[0].children.map((id) => `${tree.nodes[id].name} ${tree.nodes[id].file}`),
      ['<module> /proj/quick.py'],
    );
  });

  it("stays the user's at the root (python -c) and where the user's code ran it", () => {
    const profile = buildProfile({
      samples: [
        { stack: ['<module>@<string>:1', 'f@<string>:3'], repeat: 2 },
        { stack: ['main@/proj/app.py:4', '<module>@<string>:7'], repeat: 2 },
      ],
    });
    assert.equal(kindOf(profile, '<string>', 1), FILE_KIND_USER);
    assert.equal(kindOf(profile, '<string>', 3), FILE_KIND_USER);
    assert.equal(kindOf(profile, '<string>', 7), FILE_KIND_USER);
  });
});

describe('processors', () => {
  const profile = buildProfile({
    samples: [
      { stack: ['a@app.py:1'], onCpu: false, repeat: 2 },
      { stack: ['a@app.py:1', 'b@/usr/lib/python3.12/os.py:2'], repeat: 2 },
      { stack: ['w@app.py:9'], thread: 1, repeat: 3 },
    ],
  });
  const index = getIndex(profile);
  const all = new Uint8Array(profile.sampleTime.length).fill(1);

  it('keep samples by thread, time range and CPU state without touching their input', () => {
    assert.deepEqual([...keepThreads([1])(index, all)], [0, 0, 0, 0, 1, 1, 1]);
    assert.deepEqual([...keepRange(1000, 3000)(index, all)], [0, 1, 1, 0, 0, 1, 1]);
    assert.deepEqual([...keepOnCpu()(index, all)], [0, 0, 1, 1, 1, 1, 1]);
    assert.deepEqual([...all], [1, 1, 1, 1, 1, 1, 1]);
  });

  it('hide library frames by frame', () => {
    assert.deepEqual([...hideLibraryFrames()(index, new Uint8Array(3))], [0, 1, 0]);
  });

  it('keep samples with a function on the stack', () => {
    const focus = 'app.py\0a\x001';
    assert.deepEqual([...keepFunction(focus)(index, all)], [1, 1, 1, 1, 0, 0, 0]);
    assert.deepEqual(
      [...keepFunction('/usr/lib/python3.12/os.py\0b\x001')(index, all)],
      [0, 0, 1, 1, 0, 0, 0],
    );
    assert.deepEqual([...keepFunction('missing')(index, all)], [0, 0, 0, 0, 0, 0, 0]);
    const view = createView(profile, { mode: 'wall', focus, hideLibrary: false, hideStartup: false });
    assert.equal(view.totalSamples, 4);
  });

  it('map view options to processors in order', () => {
    const { samples, frames } = processorsFor({
      mode: 'cpu',
      threads: [0],
      range: { start: 0, end: 1 },
      hideLibrary: true,
      hideStartup: true,
    });
    assert.equal(samples.length, 3);
    assert.equal(frames.length, 2);
  });

  it('sum kept samples per stack in the view', () => {
    const view = createView(profile, { mode: 'cpu', threads: [0], hideLibrary: false, hideStartup: false });
    assert.equal(view.totalSamples, 2);
    assert.equal(view.totalUs, 2000);
    assert.deepEqual([...view.stackSelfSamples], [0, 2, 0]);
  });

  it('weigh each sample by the gap to its thread’s next sample, capped', () => {
    const gappy = buildProfile({
      intervalUs: 100,
      samples: [
        { stack: ['a@app.py:1'], time: 0 },
        { stack: ['a@app.py:1'], time: 150 },
        { stack: ['a@app.py:1'], time: 10_000 },
      ],
    });
    assert.deepEqual([...getIndex(gappy).sampleWeight], [150, 400, 100]);
  });
});
