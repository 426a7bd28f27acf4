import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../extension/cli/args';
import { stackDumpJson, stackDumpText } from '../../extension/cli/stackDumpText';
import type { StackDump } from '../../extension/session/stackDump';

const dump: StackDump = {
  pid: 42,
  python: { version: '3.12.1', binary: '/usr/lib/libpython3.12.so' },
  cwd: '/app',
  threads: [
    {
      name: 'MainThread',
      tid: 42,
      ident: '140000000000000001',
      main: true,
      state: 'waiting',
      holdsGil: false,
      truncated: false,
      frames: [
        { function: 'wait', file: '/app/main.py', line: 7, firstLine: 5 },
        { function: '<module>', file: '/app/main.py', line: 12, firstLine: 1 },
      ],
    },
    {
      name: 'evil\u001b[31m',
      tid: 0,
      ident: '2',
      main: false,
      state: 'running',
      holdsGil: true,
      truncated: true,
      frames: [{ function: 'f', file: '/app/x.py', line: 0, firstLine: 3 }],
    },
    {
      name: '',
      tid: 44,
      ident: '3',
      main: false,
      state: 'running',
      holdsGil: false,
      truncated: false,
      frames: [],
    },
  ],
  droppedThreads: 1,
};

describe('hotpath dump output', () => {
  it('text: a block per thread, innermost first, controls escaped, cuts and drops said', () => {
    assert.equal(
      stackDumpText(dump),
      [
        'Process 42: Python 3.12.1 (/usr/lib/libpython3.12.so), 3 threads, innermost frame first',
        '',
        'Thread "MainThread" (TID 42, main) — waiting',
        '    wait (/app/main.py:7)',
        '    <module> (/app/main.py:12)',
        '',
        'Thread "evil\\x1b[31m" (TID unknown) — running, holds the GIL',
        '    f (/app/x.py)',
        '    … outer frames not shown (deeper than 1)',
        '',
        'Thread (TID 44) — running',
        '    (no Python frames)',
        '',
        '1 more thread not shown: the stack kept changing while it was read. Run the dump again.',
        '',
      ].join('\n'),
    );
  });

  it('json: the dump with its format and version, idents exact as text', () => {
    const parsed = JSON.parse(stackDumpJson(dump)) as Record<string, unknown>;
    assert.deepEqual(parsed, { format: 'hotpath-stacks', version: 1, ...dump });
  });

  it('tasks: each under every task awaiting it, the running one with its thread', () => {
    const frame = (fn: string, line: number) => ({ function: fn, file: '/app/a.py', line, firstLine: 1 });
    const text = stackDumpText({
      ...dump,
      threads: [],
      droppedThreads: 0,
      tasks: [
        { id: '0x1', name: 'main', state: 'waiting', frames: [frame('main', 9)], awaitedBy: [] },
        {
          id: '0x2',
          name: 'worker',
          state: 'running',
          thread: { name: 'MainThread', tid: 42 },
          frames: [frame('compute', 3), frame('work', 5)],
          awaitedBy: ['0x1'],
        },
        { id: '0x3', name: 'child', state: 'waiting', frames: [], awaitedBy: ['0x2', '0x1'] },
      ],
    });
    assert.equal(
      text.slice(text.indexOf('\n\n') + 1),
      [
        '',
        '3 asyncio tasks, each under the task awaiting it, innermost frame first:',
        '',
        'Task "main" — waiting',
        '    main (/app/a.py:9)',
        '',
        '  Task "worker" — running in thread "MainThread" (TID 42)',
        '      compute (/app/a.py:3)',
        '      work (/app/a.py:5)',
        '',
        '    Task "child" — waiting',
        '',
        '  Task "child" — waiting',
        '',
      ].join('\n'),
    );
    const none = stackDumpText({
      ...dump,
      threads: [],
      droppedThreads: 0,
      tasks: [],
      tasksNote: 'not imported',
    });
    assert.match(none, /\nAsyncio tasks: none to read: not imported\.\n$/);
  });

  it('parses `dump PID` and `dump --json PID`, options on either side', () => {
    assert.deepEqual(parseArgs(['dump', '12']), {
      kind: 'dump',
      pid: 12,
      json: false,
      async: false,
      subprocesses: false,
    });
    assert.deepEqual(parseArgs(['dump', '12', '--json', '--async']), {
      kind: 'dump',
      pid: 12,
      json: true,
      async: true,
      subprocesses: false,
    });
    assert.throws(() => parseArgs(['dump', 'x']), /"x" is not a process id/);
    assert.throws(() => parseArgs(['dump', '1', '2']), /exactly one process id/);
    assert.throws(() => parseArgs(['dump', '--rate', '5', '1']), /unknown option --rate/);
    assert.deepEqual(parseArgs(['help', 'dump']), { kind: 'help', topic: 'dump' });
  });
});
