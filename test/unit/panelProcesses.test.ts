/**
 * The panel and the editor on a profile of several processes: the process filter (merged by
 * default, one process on demand) through the view model and the editor's annotations, the
 * header's process summaries, and the page's process tree (selector entries, timeline groups).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RawProfile } from '../../extension/model/rawProfile';
import { createView } from '../../extension/model/processors';
import { buildEditorAnnotations } from '../../extension/views/editorViews';
import type { FilterState, ProcessSummary } from '../../extension/views/protocol';
import { processEnding, processOfPid } from '../../extension/views/processSummaries';
import {
  buildHeader,
  buildProfileMessage,
  buildTimeline,
  sanitizeFilter,
  viewOptionsFor,
} from '../../extension/views/viewModel';
import {
  groupLanes,
  processesWithPython,
  processOptionText,
  processSpan,
  processTreeOrder,
} from '../../webview/processTree';
import { buildProfile, processInfo } from './helpers/profileBuilder';

const BASE = processInfo({ pid: 100, argv: ['/usr/bin/python3', 'pool.py'], endUs: 20_000 });

/** pool.py (0) → a shell (1, not CPython) → tool.py (2); pool.py → a spawn worker (3). */
function poolProfile(): RawProfile {
  const profile = buildProfile({
    threads: [
      { name: 'MainThread', tid: 100, isMain: true },
      { name: 'MainThread', tid: 103, isMain: true },
      { name: 'feeder', tid: 104, isMain: false },
      { name: 'MainThread', tid: 102, isMain: true },
    ],
    samples: [
      { stack: ['<module>@/w/pool.py:1', 'wait@/w/pool.py:5'], thread: 0, repeat: 4 },
      { stack: ['<module>@/w/pool.py:1', 'busy@/w/pool.py:9'], thread: 1, repeat: 10 },
      { stack: ['feed@/w/pool.py:14'], thread: 2, repeat: 2 },
      { stack: ['<module>@/w/tool.py:1', 'tool@/w/tool.py:3'], thread: 3, repeat: 3 },
    ],
  });
  [0, 3, 3, 2].forEach((process, t) => (profile.threads[t].process = process));
  profile.meta = { ...profile.meta, cwd: '/w', durationUs: 20_000 };
  profile.processes = [
    BASE,
    {
      ...BASE,
      pid: 101,
      ppid: 100,
      parent: 0,
      argv: ['/bin/sh', '-c', 'python3 tool.py'],
      pythonVersion: '',
      startUs: 2000,
      endUs: 9000,
      note: 'not CPython (/bin/sh)',
    },
    { ...BASE, pid: 102, ppid: 101, parent: 1, argv: ['python3', 'tool.py'], startUs: 2500, endUs: 8000 },
    {
      ...BASE,
      pid: 103,
      ppid: 100,
      parent: 0,
      argv: ['/usr/bin/python3', '-c', 'from multiprocessing.spawn import spawn_main'],
      startUs: 1000,
      endUs: null,
      exitCode: null,
      exitSignal: 'SIGTERM',
    },
  ];
  return profile;
}

const ALL: FilterState = { mode: 'wall', showAll: true };

function functionNames(raw: RawProfile, filter: FilterState): string[] {
  const { view } = buildProfileMessage(raw, filter, { profileId: 'p', title: 't' });
  return view.functions.name.map((n) => view.strings[n]).sort();
}

describe('process filter', () => {
  it('merges every process by default: the workers’ functions are there with the parent’s', () => {
    assert.deepEqual(functionNames(poolProfile(), ALL), [
      '<module>',
      '<module>',
      'busy',
      'feed',
      'tool',
      'wait',
    ]);
    const { view } = buildProfileMessage(poolProfile(), ALL, { profileId: 'p', title: 't' });
    assert.equal(view.totalUs, 19_000);
  });

  it('one process: only its threads’ samples, in every view', () => {
    assert.deepEqual(functionNames(poolProfile(), { ...ALL, process: 0 }), ['<module>', 'wait']);
    assert.deepEqual(functionNames(poolProfile(), { ...ALL, process: 3 }), ['<module>', 'busy', 'feed']);
    const message = buildProfileMessage(
      poolProfile(),
      { ...ALL, process: 3, chart: true },
      { profileId: 'p', title: 't' },
    );
    assert.equal(message.view.totalUs, 12_000);
    assert.deepEqual(message.chart?.lanes.map((l) => l.thread).sort(), [1, 2]);
  });

  it('with a thread of another process chosen too, nothing is left (the page clears the thread)', () => {
    assert.deepEqual(functionNames(poolProfile(), { ...ALL, process: 0, threads: [1] }), []);
  });

  it('split by thread: only the process’s threads get a root', () => {
    const { view } = buildProfileMessage(
      poolProfile(),
      { ...ALL, process: 3, threadRoots: true },
      { profileId: 'p', title: 't' },
    );
    const roots = view.tree.parent
      .map((parent, i) => (parent === 0 ? view.strings[view.tree.name[i]] : undefined))
      .filter((name) => name !== undefined);
    assert.deepEqual(roots.sort(), [
      'pid 103 (python3 -c) · MainThread (103)',
      'pid 103 (python3 -c) · feeder (104)',
    ]);
  });

  it('keeps a well-formed process index from the page and drops anything else', () => {
    assert.equal(sanitizeFilter({ mode: 'wall', showAll: false, process: 2 }).process, 2);
    for (const bad of [-1, 1.5, '2', null, Number.NaN])
      assert.equal(
        'process' in sanitizeFilter({ mode: 'wall', showAll: false, process: bad as unknown as number }),
        false,
        String(bad),
      );
    assert.equal(viewOptionsFor({ ...ALL, process: 0 }).process, 0);
    assert.equal('process' in viewOptionsFor(ALL), false);
  });

  it('editor: the worker’s lines are painted merged and gone with the parent process only', () => {
    const raw = poolProfile();
    const lines = (filter: FilterState) => {
      const built = buildEditorAnnotations(createView(raw, viewOptionsFor(filter)), 1);
      return (built.files.get('/w/pool.py')?.lines ?? []).map((l) => l.line);
    };
    assert.deepEqual(lines(ALL), [1, 5, 9, 14]);
    assert.deepEqual(lines({ ...ALL, process: 0 }), [1, 5]);
    assert.deepEqual(lines({ ...ALL, process: 3 }), [1, 9, 14]);
  });
});

describe('process summaries in the header', () => {
  it('each process with its label, parent, lifetime, ending, note and samples', () => {
    const header = buildHeader(poolProfile(), 'Hotpath: pool.py');
    assert.deepEqual(
      header.processes?.map((p) => [p.index, p.parent, p.label, p.startUs, p.endUs, p.ending, p.samples]),
      [
        [0, -1, 'pid 100 (pool.py)', 0, 20_000, 'exit 0', 4],
        [1, 0, 'pid 101 (sh -c)', 2000, 9000, 'exit 0', 0],
        [2, 1, 'pid 102 (tool.py)', 2500, 8000, 'exit 0', 3],
        [3, 0, 'pid 103 (python3 -c)', 1000, null, 'killed by SIGTERM', 12],
      ],
    );
    assert.equal(header.processes?.[1].note, 'not CPython (/bin/sh)');
    assert.deepEqual(
      header.threads.map((t) => t.process),
      [0, 3, 3, 2],
    );
  });

  it('a profile of one process has none (no selector, no groups)', () => {
    const { processes: _p, ...one } = poolProfile();
    assert.equal(buildHeader({ ...one }, 't').processes, undefined);
  });

  it('a pid means its process, the image that ran Python when an exec gave it two', () => {
    const raw = poolProfile();
    assert.equal(processOfPid(raw, 103), 3);
    assert.equal(processOfPid(raw, 999), undefined);
    // pid 101 was a shell that exec'd Python: its second entry (index 4) has the thread.
    raw.processes!.push({ ...raw.processes![1], argv: ['python3', 'again.py'], note: undefined });
    raw.processes![1] = { ...raw.processes![1], execed: true };
    raw.threads[3].process = 1;
    assert.equal(processOfPid(raw, 101), 1, 'the sampled image, though older');
    raw.threads[3].process = 4;
    assert.equal(processOfPid(raw, 101), 4);
    raw.threads[3].process = 2;
    assert.equal(processOfPid(raw, 101), 4, 'neither image sampled: the newest');
  });

  it('says how a process ended', () => {
    assert.equal(processEnding({ exitCode: 3, exitSignal: null }), 'exit 3');
    assert.equal(processEnding({ exitCode: null, exitSignal: 'SIGKILL' }), 'killed by SIGKILL');
    assert.equal(processEnding({ exitCode: null, exitSignal: null, execed: true }), "exec'd another program");
    assert.equal(processEnding({ exitCode: null, exitSignal: null }), '');
  });
});

describe('the page’s process tree', () => {
  const header = buildHeader(poolProfile(), 't');
  const processes = header.processes as ProcessSummary[];

  it('lists each process under its parent, depth first, through a process that was not sampled', () => {
    assert.deepEqual(
      processTreeOrder(processes).map((n) => [n.process.pid, n.depth]),
      [
        [100, 0],
        [101, 1],
        [102, 2],
        [103, 1],
      ],
    );
    assert.deepEqual(processTreeOrder(processes).map(processOptionText), [
      'pid 100 (pool.py)',
      '\u00a0\u00a0pid 101 (sh -c) — not CPython (/bin/sh)',
      '\u00a0\u00a0\u00a0\u00a0pid 102 (tool.py)',
      '\u00a0\u00a0pid 103 (python3 -c)',
    ]);
  });

  it('survives a parent cycle or a parent missing from the list', () => {
    const cyclic = processes.map((p) => ({ ...p, parent: (p.index + 1) % processes.length }));
    assert.equal(processTreeOrder(cyclic).length, processes.length);
    const orphan = processTreeOrder([{ ...processes[2], parent: 7 }]);
    assert.deepEqual(
      orphan.map((n) => n.depth),
      [0],
    );
  });

  it('groups the timeline’s lanes under their process, named without the process again', () => {
    const rows = groupLanes(buildTimeline(poolProfile()).lanes, header.threads, processes);
    assert.deepEqual(
      rows.map((r) => (r.kind === 'process' ? `P ${r.process.pid} @${r.depth}` : `${r.label} @${r.depth}`)),
      [
        'P 100 @0',
        'MainThread (100) @1',
        'P 101 @1',
        'P 102 @2',
        'MainThread (102) @3',
        'P 103 @1',
        'MainThread (103) @2',
        'feeder (104) @2',
      ],
    );
  });

  it('leaves out a process that ran no Python and started none, keeps the shell that did', () => {
    const helper: ProcessSummary = { ...processes[1], index: 4, pid: 105, samples: 0, parent: 0 };
    const all = [...processes, helper];
    assert.deepEqual(
      processesWithPython(all).map((p) => p.pid),
      [100, 101, 102, 103],
    );
    const rows = groupLanes(buildTimeline(poolProfile()).lanes, header.threads, all);
    assert.equal(
      rows.some((r) => r.kind === 'process' && r.process.pid === 105),
      false,
    );
    const cyclic = all.map((p) => ({ ...p, parent: p.index === 0 ? 2 : p.parent }));
    assert.equal(processesWithPython(cyclic).length, 4);
  });

  it('marks a process from its start to its end, or to the run’s end while it ran on', () => {
    assert.deepEqual(processSpan(processes[1], 20_000), { start: 2000, end: 9000 });
    assert.deepEqual(processSpan(processes[3], 20_000), { start: 1000, end: 20_000 });
    assert.deepEqual(processSpan({ ...processes[1], endUs: 50_000 }, 20_000), { start: 2000, end: 20_000 });
  });
});
