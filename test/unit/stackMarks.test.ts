import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { familyMarks } from '../../extension/stacks/stackMarks';
import type { DumpedThread, StackDump } from '../../extension/session/stackDump';

function thread(
  name: string,
  state: DumpedThread['state'],
  frames: [string, string, number][],
): DumpedThread {
  return {
    name,
    tid: name.length,
    ident: '1',
    main: name === 'MainThread',
    state,
    holdsGil: false,
    truncated: false,
    frames: frames.map(([fn, file, line]) => ({ function: fn, file, line, firstLine: 1 })),
  };
}

const dump: StackDump = {
  pid: 1,
  python: { version: '3.12.1', binary: '/lib/libpython3.12.so' },
  cwd: '/app',
  droppedThreads: 0,
  threads: [
    thread('MainThread', 'waiting', [
      ['Event.wait', '/lib/threading.py', 629],
      ['main', '/app/a.py', 20],
      ['<module>', '/app/a.py', 30],
    ]),
    thread('worker', 'running', [
      ['fib', '/app/a.py', 5],
      ['fib', '/app/a.py', 6],
      ['work', '/app/a.py', 20],
    ]),
    thread('', 'waiting', [
      ['work', '/app/a.py', 20],
      ['x', '<frozen importlib>', 0],
    ]),
  ],
};

describe('current stacks marks', () => {
  it("marks each thread's innermost frame per file, names every thread on a shared line", () => {
    const marks = familyMarks([dump]);
    assert.deepEqual([...marks.keys()].sort(), ['/app/a.py', '/lib/threading.py']);
    assert.deepEqual(
      marks.get('/app/a.py')!.map((m) => [m.line, m.state, m.label]),
      [
        [5, 'running', 'worker: running'],
        // Two threads on line 20: one waiting further in, one standing there.
        [20, 'waiting', 'MainThread: waiting in Event.wait · TID 0: waiting'],
      ],
    );
    assert.deepEqual(
      marks.get('/lib/threading.py')!.map((m) => m.label),
      ['MainThread: waiting'],
    );
  });

  it('a line where any thread runs is a running mark', () => {
    const shared: StackDump = {
      ...dump,
      threads: [thread('a', 'waiting', [['f', '/x.py', 3]]), thread('b', 'running', [['f', '/x.py', 3]])],
    };
    assert.deepEqual(familyMarks([shared]).get('/x.py'), [
      {
        line: 3,
        state: 'running',
        threads: [
          { thread: 'a', state: 'waiting' },
          { thread: 'b', state: 'running' },
        ],
        label: 'a: waiting · b: running',
      },
    ]);
  });

  it('marks where asyncio tasks wait, as `task NAME`', () => {
    const withTasks: StackDump = {
      ...dump,
      threads: [],
      tasks: [
        {
          id: '0x1',
          name: 'fetch',
          state: 'waiting',
          frames: [
            { function: 'Event.wait', file: '/lib/locks.py', line: 213, firstLine: 200 },
            { function: 'fetch', file: '/app/a.py', line: 9, firstLine: 7 },
          ],
          awaitedBy: [],
        },
      ],
    };
    assert.deepEqual(
      familyMarks([withTasks])
        .get('/app/a.py')!
        .map((m) => m.label),
      ['task fetch: waiting in Event.wait'],
    );
  });
});

describe('current stacks marks of a process family', () => {
  const child: StackDump = {
    ...dump,
    pid: 2,
    cwd: '/work',
    threads: [
      thread('MainThread', 'waiting', [
        ['stand_still', 'app/a.py', 20],
        ['worker', '/lib/pool.py', 125],
      ]),
    ],
  };

  it('names each thread with its process, one mark for two processes on a line', () => {
    const parent: StackDump = {
      ...dump,
      cwd: '/work',
      threads: [thread('MainThread', 'waiting', [['main', '/work/app/a.py', 20]])],
    };
    const marks = familyMarks([parent, child]);
    assert.deepEqual(
      marks.get('/work/app/a.py')!.map((m) => [m.line, m.label]),
      [[20, 'MainThread (pid 1): waiting · MainThread (pid 2): waiting']],
    );
    assert.deepEqual(
      marks.get('/lib/pool.py')!.map((m) => m.label),
      ['MainThread (pid 2): waiting in stand_still'],
    );
  });

  it("resolves each process's relative file names against its own working directory", () => {
    const marks = familyMarks([dump, child]);
    assert.ok(marks.has('/work/app/a.py'), [...marks.keys()].join(', '));
    assert.ok(!marks.has('app/a.py'));
    // The first process's own lines stay where they were, named with its pid.
    assert.equal(marks.get('/app/a.py')![0].label, 'worker (pid 1): running');
  });

  it('names the process when asked to, even with one dump (the others not read)', () => {
    assert.equal(
      familyMarks([child], true).get('/lib/pool.py')![0].label,
      'MainThread (pid 2): waiting in stand_still',
    );
    assert.equal(familyMarks([child]).get('/lib/pool.py')![0].label, 'MainThread: waiting in stand_still');
  });
});
