/**
 * Profiles of several processes: the file format (version 2 with processes, version 1 read as
 * one process), the collapsed export's process prefix and the text tree's grouping.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportCollapsed } from '../../extension/format/collapsed';
import { loadProfile, saveProfile } from '../../extension/format/profileFile';
import { renderTextReport } from '../../extension/format/textTree';
import {
  processesOf,
  processLabel,
  type ProcessInfo,
  type RawProfile,
} from '../../extension/model/rawProfile';
import { DEFAULT_VIEW } from '../../extension/model/processors';
import { ProfileFormatError } from '../../extension/format/formatError';
import { threadLabel } from '../../extension/views/viewModel';
import { buildProfile } from './helpers/profileBuilder';

const PARENT: ProcessInfo = {
  pid: 100,
  ppid: 1,
  parent: -1,
  argv: ['/usr/bin/python3', 'pool.py'],
  pythonVersion: '3.12.1',
  startUs: 0,
  endUs: 9000,
  exitCode: 0,
  exitSignal: null,
};
const WORKER: ProcessInfo = {
  ...PARENT,
  pid: 101,
  ppid: 100,
  parent: 0,
  argv: ['/usr/bin/python3', '-c', 'from multiprocessing.spawn import spawn_main'],
  startUs: 1000,
  exitCode: null,
  exitSignal: 'SIGKILL',
};

function twoProcesses(): RawProfile {
  const profile = buildProfile({
    threads: [
      { name: 'MainThread', tid: 100, isMain: true },
      { name: 'MainThread', tid: 101, isMain: true },
    ],
    samples: [
      { stack: ['<module>@pool.py:1', 'wait@pool.py:5'], thread: 0, repeat: 2 },
      { stack: ['<module>@pool.py:1', 'busy@pool.py:9'], thread: 1, repeat: 6 },
    ],
  });
  profile.threads[1].process = 1;
  profile.threads[0].process = 0;
  return { ...profile, processes: [PARENT, WORKER] };
}

describe('profiles of several processes', () => {
  it('saves the processes and each thread’s process, and loads them back', () => {
    const loaded = loadProfile(saveProfile(twoProcesses()));
    assert.deepEqual(loaded.processes, [PARENT, WORKER]);
    assert.deepEqual(
      loaded.threads.map((t) => t.process),
      [0, 1],
    );
  });

  it('refuses a thread whose process is not in the list', () => {
    const text = saveProfile(twoProcesses()).replace('"process":1', '"process":2');
    assert.throws(() => loadProfile(text), ProfileFormatError);
  });

  it('reads a version 1 file as one process, the one its meta describes', () => {
    const old = loadProfile(readFileSync(join(__dirname, 'fixtures', 'two_threads.hotpath.json'), 'utf8'));
    assert.equal(old.processes, undefined);
    const [only, ...rest] = processesOf(old);
    assert.equal(rest.length, 0);
    assert.equal(only.pid, old.meta.pid);
    assert.deepEqual(only.argv, old.meta.argv);
    assert.equal(only.pythonVersion, old.meta.pythonVersion);
    // Saved again, it is a version 3 file without processes.
    assert.match(saveProfile(old), /"version":3/);
  });

  it('names a process after its script, module or -c', () => {
    assert.equal(processLabel(PARENT), 'pid 100 (pool.py)');
    assert.equal(processLabel(WORKER), 'pid 101 (python3 -c)');
    assert.equal(processLabel({ ...PARENT, argv: ['python', '-m', 'pytest', '-x'] }), 'pid 100 (pytest)');
    assert.equal(processLabel({ ...PARENT, argv: [] }), 'pid 100');
  });

  it('collapsed: the process first in each line, counts per process', () => {
    const lines = exportCollapsed(twoProcesses()).trim().split('\n');
    assert.deepEqual(lines.sort(), [
      'pid 100 (pool.py);MainThread;<module> (pool.py:1);wait (pool.py:5) 2',
      'pid 101 (python3 -c);MainThread;<module> (pool.py:1);busy (pool.py:9) 6',
    ]);
  });

  it('collapsed: one process, no prefix (as before processes were recorded)', () => {
    const { processes: _p, ...one } = twoProcesses();
    const single: RawProfile = { ...one, threads: one.threads.map((t) => ({ ...t, process: undefined })) };
    for (const line of exportCollapsed(single).trim().split('\n')) assert.match(line, /^MainThread/);
  });

  it('text tree: threads grouped under their process, the busiest first, with how it ended', () => {
    const text = renderTextReport(twoProcesses(), {
      ...DEFAULT_VIEW,
      hideLibrary: false,
      hideStartup: false,
    });
    const worker = text.indexOf('Process pid 101 (python3 -c)');
    const parent = text.indexOf('Process pid 100 (pool.py)');
    assert.ok(worker >= 0 && parent > worker, text);
    assert.match(text, /Process pid 101 \(python3 -c\) {2}6\.00 ms · 75\.0% {2}\(killed by SIGKILL\)/);
    assert.ok(text.indexOf('busy') > worker && text.indexOf('busy') < parent, text);
  });

  it('panel: each thread named after its process when there are several', () => {
    const profile = twoProcesses();
    assert.deepEqual(
      profile.threads.map((t, i) => threadLabel(t, i, profile)),
      ['pid 100 (pool.py) · MainThread (100)', 'pid 101 (python3 -c) · MainThread (101)'],
    );
    assert.equal(threadLabel(profile.threads[0], 0, { processes: [PARENT] }), 'MainThread (100)');
  });
});
