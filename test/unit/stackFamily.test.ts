import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DumpedThread, FamilyDump, StackDump } from '../../extension/session/stackDump';
import {
  familyMessage,
  keepGone,
  markedDumps,
  processText,
  shownAfterRead,
  type ShownProcess,
} from '../../extension/stacks/stackFamily';
import { stackItems, type StackItem } from '../../extension/stacks/stacksTreeModel';

function thread(name: string, fn: string, line: number): DumpedThread {
  return {
    name,
    tid: line,
    ident: '1',
    main: name === 'MainThread',
    state: 'waiting',
    holdsGil: false,
    truncated: false,
    frames: [{ function: fn, file: '/app/pool.py', line, firstLine: 1 }],
  };
}

function stacks(pid: number, threads: DumpedThread[], extra: Partial<StackDump> = {}): StackDump {
  return {
    pid,
    python: { version: '3.12.1', binary: '/usr/bin/python3.12' },
    cwd: '/app',
    threads,
    droppedThreads: 0,
    ...extra,
  };
}

const parent: FamilyDump = {
  pid: 100,
  ppid: 1,
  argv: ['python3', '-u', '/app/pool.py', 'x'],
  dump: stacks(100, [thread('MainThread', 'main', 30), thread('Thread-1 (_handle_workers)', 'wait', 9)]),
};
const worker: FamilyDump = {
  pid: 101,
  ppid: 100,
  argv: ['python3', '-u', '/app/pool.py', 'x'],
  dump: stacks(101, [thread('MainThread', 'stand_still', 12)]),
};
const sleeper: FamilyDump = {
  pid: 102,
  ppid: 100,
  argv: ['/bin/sleep', '600'],
  note: 'Process 102 is not a Python process:\n  /bin/sleep.',
  code: 'HOTPATH_NOT_PYTHON',
};
const grandchild: FamilyDump = {
  pid: 103,
  ppid: 101,
  argv: ['python3', '-c', 'import time; time.sleep(9)'],
  dump: stacks(103, [thread('MainThread', '<module>', 1)]),
};

function describeItem(item: StackItem): string {
  switch (item.kind) {
    case 'process':
      return `process ${item.process.pid}`;
    case 'thread':
      return `thread ${item.thread.name}`;
    case 'frame':
      return `frame ${item.frame.function}:${item.frame.line}`;
    case 'tasks':
      return `tasks ${item.count}`;
    case 'task':
      return `task ${item.task.name}`;
  }
}

describe('current stacks of a process family: the view', () => {
  it('one process alone shows its threads at the top, as without descendants', () => {
    const items = stackItems([parent]);
    assert.deepEqual(items.roots.map(describeItem), [
      'thread MainThread',
      'thread Thread-1 (_handle_workers)',
    ]);
    assert.deepEqual(items.children.get(items.roots[0])!.map(describeItem), ['frame main:30']);
  });

  it('several show one item per process, parents first, threads below; an unread one has no children', () => {
    const items = stackItems([parent, worker, sleeper]);
    assert.deepEqual(items.roots.map(describeItem), ['process 100', 'process 101', 'process 102']);
    const [first, second, third] = items.roots;
    assert.deepEqual(items.children.get(first)!.map(describeItem), [
      'thread MainThread',
      'thread Thread-1 (_handle_workers)',
    ]);
    const workerThread = items.children.get(second)![0];
    assert.deepEqual(items.children.get(workerThread)!.map(describeItem), ['frame stand_still:12']);
    assert.equal(items.parents.get(workerThread), second);
    assert.equal(items.parents.get(items.children.get(workerThread)![0]), workerThread);
    assert.equal(items.children.get(third), undefined);
  });

  it("puts a process's asyncio tasks item under it, beside its threads", () => {
    const asyncWorker: FamilyDump = {
      ...worker,
      dump: stacks(101, [thread('MainThread', 'run', 5)], {
        tasks: [{ id: '0x1', name: 'fetch', state: 'waiting', frames: [], awaitedBy: [] }],
      }),
    };
    const items = stackItems([parent, asyncWorker]);
    assert.deepEqual(items.children.get(items.roots[1])!.map(describeItem), ['thread MainThread', 'tasks 1']);
  });

  it('a process item says its pid, script, Python version and parent; an unread one its note', () => {
    assert.deepEqual(processText(parent, 100), {
      label: 'pid 100 (pool.py)',
      description: 'Python 3.12.1 · 2 threads',
      tooltip: 'Process 100 (parent 1): python3 -u /app/pool.py x',
    });
    assert.equal(processText(worker, 100).description, 'Python 3.12.1 · 1 thread · child of 100');
    const unread = processText(sleeper, 100);
    assert.equal(unread.label, 'pid 102 (sleep)');
    assert.equal(unread.description, 'Process 102 is not a Python process: /bin/sleep.');
    assert.equal(processText({ ...worker, goneAfter: '10:00:00' }, 100).description.split(' · ')[0], 'gone');
  });

  it("the view's message counts the processes and threads read, and what was not", () => {
    assert.equal(
      familyMessage([parent, worker, sleeper], '10:00:05'),
      'Process 100 and 2 descendants · 2 processes, 3 threads read at 10:00:05 · 1 not read',
    );
    const dropped: FamilyDump = { ...worker, dump: { ...worker.dump!, droppedThreads: 2 } };
    assert.equal(
      familyMessage([parent, dropped, { ...grandchild, goneAfter: '10:00:00' }], '10:00:05'),
      'Process 100 and 2 descendants · 2 processes, 3 threads read at 10:00:05 · 1 gone since the last read · 2 threads not shown (changing too fast)',
    );
  });
});

describe('current stacks of a process family: Refresh', () => {
  it("keeps a process that has gone with its last stacks, after its parent's, parents first", () => {
    const shown = keepGone([parent, worker, grandchild, sleeper], [parent, sleeper], '10:00:00');
    assert.deepEqual(
      shown.map((p) => [p.pid, p.goneAfter]),
      [
        [100, undefined],
        [102, undefined],
        [101, '10:00:00'],
        [103, '10:00:00'],
      ],
    );
    assert.equal(shown[2].dump, worker.dump);
  });

  it('counts a process that exited between the look at /proc and its read as gone', () => {
    const exited: FamilyDump = {
      ...worker,
      dump: undefined,
      note: 'Process 101 is gone.',
      code: 'HOTPATH_NO_PROCESS',
    };
    const shown = keepGone([parent, worker], [parent, exited], '10:00:00');
    assert.deepEqual(
      shown.map((p) => [p.pid, p.goneAfter, p.dump === worker.dump]),
      [
        [100, undefined, false],
        [101, '10:00:00', true],
      ],
    );
  });

  it('shows what is there now: new processes, a process now unreadable for another reason, gone ones once', () => {
    const execd: FamilyDump = { ...worker, dump: undefined, note: 'not Python', code: 'HOTPATH_NOT_PYTHON' };
    assert.deepEqual(
      keepGone([parent, worker], [parent, execd, grandchild], '10:00:00').map((p) => [p.pid, p.note]),
      [
        [100, undefined],
        [101, 'not Python'],
        [103, undefined],
      ],
    );
    // Kept gone at one Refresh, left out at the next.
    const once: ShownProcess[] = keepGone([parent, worker], [parent], '10:00:00');
    assert.deepEqual(
      keepGone(once, [parent], '10:00:05').map((p) => p.pid),
      [100],
    );
    // A process never read (no stacks to keep) is not kept.
    assert.deepEqual(
      keepGone([parent, sleeper], [parent], '10:00:00').map((p) => p.pid),
      [100],
    );
  });

  it('keeps gone processes only at a Refresh that looked for descendants', () => {
    const previous = [parent, worker];
    assert.deepEqual(
      shownAfterRead([parent], { previous, lastRead: '10:00:00', followed: true }).map((p) => [
        p.pid,
        p.goneAfter,
      ]),
      [
        [100, undefined],
        [101, '10:00:00'],
      ],
    );
    // hotpath.followSubprocesses turned off since: the worker was not read, it has not gone.
    assert.deepEqual(
      shownAfterRead([parent], { previous, lastRead: '10:00:00', followed: false }).map((p) => p.pid),
      [100],
    );
    // Another process picked: nothing of the last one is kept.
    assert.deepEqual(
      shownAfterRead([grandchild], undefined).map((p) => p.pid),
      [103],
    );
  });

  it('marks the threads of the processes read now, not of the gone or unread ones', () => {
    const shown = keepGone([parent, worker, sleeper], [parent, sleeper], '10:00:00');
    assert.deepEqual(
      markedDumps(shown).map((d) => d.pid),
      [100],
    );
  });
});
