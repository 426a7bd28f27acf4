/**
 * The shipped `hotpath dump PID` against real processes of every CPython: a program whose named
 * threads stand still at lines it records (Event.wait, time.sleep, a busy loop, signal.pause in
 * the main thread) is dumped once, and each thread's name, OS thread id, line and running/waiting
 * state is compared with what the program wrote; the program runs on. Errors: a process that has
 * gone, one that is not Python.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { StackDump } from '../../extension/session/stackDump';
import { SCRIPTS_DIR } from './groundTruth-helpers';
import { cliWorkspace } from './helpers/cli';
import { startTarget, type Target } from './helpers/processes';
import { installedPythons, pythonVersions } from './helpers/pythons';

const SCRIPT = join(SCRIPTS_DIR, 'stuck_threads.py');

interface Truth {
  tid: number;
  function: string;
  lines: number[];
}

const workspace = cliWorkspace('dump');

async function stuckProgram(python: string): Promise<{ target: Target; truth: Record<string, Truth> }> {
  const target = startTarget(python, [SCRIPT]);
  await target.waitFor('READY');
  const truth = JSON.parse(target.stdout().split('\n')[0]) as Record<string, Truth>;
  return { target, truth };
}

/** The innermost frame of the thread in the script: where the program itself stands. */
function scriptFrame(dump: StackDump, name: string) {
  const thread = dump.threads.find((t) => t.name === name);
  assert.ok(thread, `no thread "${name}" in ${dump.threads.map((t) => t.name).join(', ')}`);
  const frame = thread.frames.find((f) => f.file === SCRIPT);
  assert.ok(frame, `thread ${name} has no frame in the script: ${JSON.stringify(thread.frames)}`);
  return { thread, frame };
}

describe('hotpath dump PID', () => {
  for (const python of pythonVersions()) {
    test(
      `threads, lines and states against the program's own record: ${python.label}`,
      {
        skip: python.missingReason ?? false,
      },
      async () => {
        const { target, truth } = await stuckProgram(python.path);
        try {
          const run = await workspace.run(['dump', '--json', String(target.pid)]);
          assert.equal(run.status, 0, run.stderr);
          const dump = JSON.parse(run.stdout) as StackDump & { format: string; version: number };
          assert.equal(dump.format, 'hotpath-stacks');
          assert.equal(dump.pid, target.pid);
          assert.equal(dump.python.version, python.version);
          assert.equal(dump.droppedThreads, 0);
          assert.deepEqual(
            dump.threads.map((t) => t.name),
            [
              'MainThread',
              ...['event-waiter', 'sleeper', 'spinner'].sort((a, b) => truth[a].tid - truth[b].tid),
            ],
            'the main thread first, then by OS thread id',
          );
          for (const [name, expected] of Object.entries(truth)) {
            const { thread, frame } = scriptFrame(dump, name);
            const label = `${name}: ${JSON.stringify(thread)}`;
            assert.equal(thread.tid, expected.tid, label);
            assert.equal(thread.main, name === 'MainThread', label);
            assert.equal(frame.function, expected.function, label);
            assert.ok(expected.lines.includes(frame.line), `${label} not at ${expected.lines.join('/')}`);
            // The whole stack down to where the thread began.
            assert.match(
              thread.frames.at(-1)!.function,
              name === 'MainThread' ? /^<module>$/ : /_bootstrap$/,
              label,
            );
            // The busy loop holds the GIL (nothing else wants it); the others sleep in the kernel.
            assert.equal(thread.state, name === 'spinner' ? 'running' : 'waiting', label);
            assert.equal(thread.holdsGil, name === 'spinner', label);
          }
          // Event.wait is Python code in threading.py: it shows above the line that called it.
          const waiter = scriptFrame(dump, 'event-waiter').thread;
          assert.match(waiter.frames[0].function, /wait$/);
          assert.match(waiter.frames[0].file, /threading\.py$/);
          assert.equal(target.child.exitCode, null, 'the program runs on');
        } finally {
          target.kill('SIGKILL');
          await target.exited;
        }
      },
    );
  }

  const python = installedPythons().find((p) => p.minor === '3.12') ?? installedPythons()[0];
  test(
    'text: one block per thread, innermost frame first, running or waiting',
    {
      skip: python ? false : 'no supported CPython installed',
    },
    async () => {
      const { target, truth } = await stuckProgram(python!.path);
      try {
        const run = await workspace.run(['dump', String(target.pid)]);
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stderr, '');
        const blocks = run.stdout.split('\n\n');
        assert.match(
          blocks[0],
          new RegExp(`^Process ${target.pid}: Python ${python!.version} \\(.+\\), 4 threads`),
        );
        const spinner = blocks.find((b) => b.startsWith('Thread "spinner"'));
        assert.equal(
          spinner?.split('\n')[0],
          `Thread "spinner" (TID ${truth.spinner.tid}) — running, holds the GIL`,
        );
        assert.match(
          spinner!.split('\n')[1],
          new RegExp(`^    spin \\(${SCRIPT}:(${truth.spinner.lines.join('|')})\\)$`),
        );
        const main = blocks.find((b) => b.startsWith('Thread "MainThread"'))!.split('\n');
        assert.equal(main[0], `Thread "MainThread" (TID ${target.pid}, main) — waiting`);
        assert.match(main[1], new RegExp(`^    main \\(${SCRIPT}:(${truth.MainThread.lines.join('|')})\\)$`));
        assert.match(main[2], /^ {4}<module> \(/);
      } finally {
        target.kill('SIGKILL');
        await target.exited;
      }
    },
  );

  test('a process that has gone: HOTPATH_NO_PROCESS, exit 2, nothing on stdout', async () => {
    const child = spawn('/bin/true');
    const pid = child.pid!;
    await new Promise((resolve) => child.on('exit', resolve));
    const run = await workspace.run(['dump', String(pid)]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, new RegExp(`Process ${pid} .*\\[HOTPATH_NO_PROCESS\\]`));
    assert.equal(run.stdout, '');
  });

  test('a process that is not Python: HOTPATH_NOT_PYTHON, and it is left alone', async () => {
    const sleeper = spawn('/bin/sleep', ['60'], { stdio: 'ignore' });
    try {
      const run = await workspace.run(['dump', '--json', String(sleeper.pid)]);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /no CPython interpreter loaded.*\[HOTPATH_NOT_PYTHON\]/s);
      assert.equal(run.stdout, '');
      assert.equal(sleeper.exitCode, null);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  test('usage: one process id', async () => {
    const run = await workspace.run(['dump']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /dump takes exactly one process id \(got none\)/);
  });
});
