/**
 * `hotpath dump --async PID` against real asyncio programs: on CPython 3.14+ every task's name,
 * await chain (its coroutines with their lines; the running task's down to the executing frame)
 * and who awaits it (gather, TaskGroup) are compared with what the program recorded itself; a
 * program that has not imported asyncio says so; on 3.8–3.13 `--async` says it needs 3.14+.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { DumpedTask, StackDump } from '../../extension/session/stackDump';
import { SCRIPTS_DIR } from './groundTruth-helpers';
import { cliWorkspace } from './helpers/cli';
import { startTarget } from './helpers/processes';
import { pythonVersions, type PythonInterpreter } from './helpers/pythons';

const SCRIPT = join(SCRIPTS_DIR, 'async_tasks.py');

/** Per task: its coroutines outermost first, [function, line or the lines it may be at]. */
interface Truth {
  chains: Record<string, [string, number | number[]][]>;
  awaitedBy: Record<string, string[]>;
}

const workspace = cliWorkspace('dump-async');

function readsTasks(python: PythonInterpreter): boolean {
  const [major, minor] = python.minor.split('.').map(Number);
  return major > 3 || minor >= 14;
}

async function withTarget(python: string, script: string, body: (pid: number, out: string) => Promise<void>) {
  const target = startTarget(python, [script]);
  try {
    await target.waitFor('READY');
    await body(target.pid, target.stdout());
    assert.equal(target.child.exitCode, null, 'the program runs on');
  } finally {
    target.kill('SIGKILL');
    await target.exited;
  }
}

describe('hotpath dump --async PID', () => {
  for (const python of pythonVersions()) {
    if (python.missingReason || !readsTasks(python)) continue;
    test(`tasks, await chains and awaiters against the program's own record: ${python.label}`, async () => {
      await withTarget(python.path, SCRIPT, async (pid, out) => {
        const truth = JSON.parse(out.split('\n')[0]) as Truth;
        const run = await workspace.run(['dump', '--async', '--json', String(pid)]);
        assert.equal(run.status, 0, run.stderr);
        const dump = JSON.parse(run.stdout) as StackDump;
        const tasks = dump.tasks ?? [];
        const byName = new Map(tasks.map((t) => [t.name, t]));
        const nameOf = new Map(tasks.map((t) => [t.id, t.name]));
        assert.deepEqual([...byName.keys()].sort(), Object.keys(truth.chains).sort(), JSON.stringify(tasks));
        for (const [name, chain] of Object.entries(truth.chains)) {
          const task = byName.get(name) as DumpedTask;
          const label = `${name}: ${JSON.stringify(task)}`;
          // The program's own coroutines, outermost first, at the lines they recorded.
          const mine = task.frames.filter((f) => f.file === SCRIPT).reverse();
          assert.deepEqual(
            mine.map((f) => f.function),
            chain.map(([fn]) => fn),
            label,
          );
          chain.forEach(([, lines], i) => assert.ok([lines].flat().includes(mine[i].line), label));
          assert.deepEqual(
            task.awaitedBy.map((id) => nameOf.get(id)).sort(),
            (truth.awaitedBy[name] ?? []).sort(),
            label,
          );
          assert.equal(task.state, name === 'spinner-task' ? 'running' : 'waiting', label);
        }
        // The running task down to the executing frame, in the thread running the loop.
        const spinner = byName.get('spinner-task')!;
        assert.equal(spinner.frames[0].function, 'compute');
        assert.equal(spinner.thread?.name, 'MainThread');
        assert.equal(spinner.thread?.tid, pid);
        // A waiting task's chain goes on into asyncio's own coroutines.
        for (const name of ['await-orders', 'child-1']) {
          assert.equal(byName.get(name)!.frames[0].function, 'Event.wait', name);
          assert.match(byName.get(name)!.frames[0].file, /asyncio\/locks\.py$/, name);
        }
        assert.match(byName.get('group-parent')!.frames[0].file, /asyncio\/taskgroups\.py$/);
      });
    });
  }

  const current = pythonVersions().find((p) => !p.missingReason && readsTasks(p));
  test(
    'text: each task under the task awaiting it',
    { skip: current ? false : 'no CPython 3.14+ installed' },
    async () => {
      await withTarget(current!.path, SCRIPT, async (pid) => {
        const run = await workspace.run(['dump', '--async', String(pid)]);
        assert.equal(run.status, 0, run.stderr);
        const lines = run.stdout.split('\n');
        const at = (heading: string) => lines.findIndex((l) => l.trimStart().startsWith(heading));
        assert.match(
          run.stdout,
          /\n6 asyncio tasks, each under the task awaiting it, innermost frame first:\n/,
        );
        assert.equal(lines[at('Task "main"')], 'Task "main" — waiting');
        assert.equal(lines[at('Task "group-parent"')], '  Task "group-parent" — waiting');
        assert.equal(lines[at('Task "child-1"')], '    Task "child-1" — waiting');
        assert.equal(
          lines[at('Task "spinner-task"')],
          `  Task "spinner-task" — running in thread "MainThread" (TID ${pid})`,
        );
        assert.match(lines[at('Task "child-1"') + 2], /^ {8}child_wait \(.*async_tasks\.py:\d+\)$/);
      });
    },
  );

  test(
    'a program that has not imported asyncio: said, and its threads shown',
    {
      skip: current ? false : 'no CPython 3.14+ installed',
    },
    async () => {
      await withTarget(current!.path, join(SCRIPTS_DIR, 'stuck_threads.py'), async (pid) => {
        const run = await workspace.run(['dump', '--async', String(pid)]);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /Thread "spinner"/);
        assert.match(run.stdout, /\nAsyncio tasks: none to read: the program has not imported asyncio/);
      });
    },
  );

  const older = pythonVersions().filter((p) => !p.missingReason && !readsTasks(p));
  for (const python of older) {
    test(`--async on ${python.label} says it needs CPython 3.14+`, async () => {
      await withTarget(python.path, join(SCRIPTS_DIR, 'stuck_threads.py'), async (pid) => {
        const run = await workspace.run(['dump', '--async', String(pid)]);
        assert.equal(run.status, 2);
        assert.match(
          run.stderr,
          /needs CPython 3\.14 or newer.*runs Python 3\.\d+\.\d+.*\[HOTPATH_UNSUPPORTED_VERSION\]/s,
        );
        assert.equal(run.stdout, '');
      });
    });
  }
});
