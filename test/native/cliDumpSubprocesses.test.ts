/**
 * `hotpath dump PID --subprocesses` against a real multiprocessing Pool of every CPython: the
 * parent and each worker (and the resource tracker the spawn start method starts) are read once,
 * grouped by process, parents first; each worker stands at the line the script marks. The
 * program runs on.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { StackDump } from '../../extension/session/stackDump';
import { lineOf, SCRIPTS_DIR } from './groundTruth-helpers';
import { cliWorkspace } from './helpers/cli';
import { startTarget } from './helpers/processes';
import { installedPythons, pythonVersions } from './helpers/pythons';

const SCRIPT = join(SCRIPTS_DIR, 'pool_stuck.py');
const workspace = cliWorkspace('dump-subprocesses');

type Member =
  | (StackDump & { ppid: number; argv: string[] })
  | { pid: number; ppid: number; argv: string[]; note: string };

async function withPool(
  python: string,
  body: (pid: number, workers: number[]) => Promise<void>,
): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'hotpath-pool-'));
  const target = startTarget(python, [SCRIPT, folder]);
  let workers: number[] = [];
  try {
    await target.waitFor('READY');
    workers = (JSON.parse(target.stdout().split('\n')[0]) as { workers: number[] }).workers;
    await body(target.pid, workers);
    assert.equal(target.child.exitCode, null, 'the program runs on');
  } finally {
    // The workers sleep for an hour: they go first (the resource tracker exits when they and the
    // parent have closed its pipe).
    for (const worker of workers) {
      try {
        process.kill(worker, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    target.kill('SIGKILL');
    await target.exited;
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('hotpath dump PID --subprocesses', () => {
  for (const python of pythonVersions()) {
    test(
      `a Pool's parent and workers, by process: ${python.label}`,
      { skip: python.missingReason ?? false },
      async () => {
        await withPool(python.path, async (pid, workers) => {
          const run = await workspace.run(['dump', '--subprocesses', '--json', String(pid)]);
          assert.equal(run.status, 0, run.stderr);
          const dump = JSON.parse(run.stdout) as { format: string; version: number; processes: Member[] };
          assert.equal(dump.format, 'hotpath-stacks');
          const pids = dump.processes.map((p) => p.pid);
          assert.equal(pids[0], pid, 'the process asked for first');
          for (const worker of workers)
            assert.ok(pids.includes(worker), `worker ${worker} in ${pids.join(', ')}`);
          const stuckLine = lineOf('pool_stuck.py', '# stuck here');
          for (const worker of workers) {
            const member = dump.processes.find((p) => p.pid === worker)!;
            assert.ok(!('note' in member), `worker read: ${JSON.stringify(member)}`);
            assert.equal(member.ppid, pid);
            assert.equal(member.python.version, python.version);
            const frame = member.threads[0].frames.find((f) => f.file === SCRIPT);
            assert.deepEqual(
              [frame?.function, frame?.line],
              ['stuck_task', stuckLine],
              JSON.stringify(member.threads),
            );
          }
          const parent = dump.processes[0] as StackDump;
          assert.ok(
            parent.threads.some(
              (t) => t.main && t.frames.some((f) => f.function === 'main' && f.file === SCRIPT),
            ),
            'the parent waits in main()',
          );
        });
      },
    );
  }

  const python = installedPythons().find((p) => p.minor === '3.12') ?? installedPythons()[0];
  test(
    'text: one section per process, headed by its pid, parent and command line',
    { skip: python ? false : 'no supported CPython installed' },
    async () => {
      await withPool(python!.path, async (pid, workers) => {
        const run = await workspace.run(['dump', '--subprocesses', String(pid)]);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /^\d+ processes: the one asked for and its descendants, parents first\n/);
        assert.match(
          run.stdout,
          new RegExp(`\\n=== Process ${pid} \\(parent \\d+\\): \\S*python3? ${SCRIPT}`),
        );
        for (const worker of workers) {
          const section = run.stdout.split('\n=== ').find((s) => s.startsWith(`Process ${worker} `));
          assert.ok(section, `a section for worker ${worker}`);
          assert.match(section, new RegExp(`\\(parent ${pid}\\): .*spawn_main`));
          assert.match(
            section,
            new RegExp(`\\n    stuck_task \\(${SCRIPT}:${lineOf('pool_stuck.py', '# stuck here')}\\)\\n`),
          );
        }
      });
    },
  );
});
