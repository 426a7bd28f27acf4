/**
 * Following the processes a program starts, against what each of them records about itself
 * (test/native/scripts/family.py): every process that runs `child_main` writes the seconds it
 * spent busy in `child_busy`, and the share of its samples there must match. On every installed
 * interpreter a mixed run (a fork pool, subprocess.run, a bare fork); on one interpreter the
 * other shapes: spawn and forkserver pools, os.execv, a late child, twenty 100 ms children, a
 * shell launcher, children that crash or are killed (by a signal), a parent that leaves before
 * its children, double forks (orphans found by their process group), a zombie, sixteen and
 * sixty-four at once, and a process of the program's group that is none of its own.
 * Real applications (Django, gunicorn, pytest-xdist) are in realPrograms.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { describe, test } from 'node:test';
import { processesOf } from '../../extension/model/rawProfile';
import { ProfileSession } from '../../extension/session/profileSession';
import { samplesIn } from './groundTruth-helpers';
import {
  assertChildren,
  FAMILY_SCRIPT as SCRIPT,
  runFamily,
  samplesOfPid,
  withTruthDir,
} from './helpers/family';
import { pythonVersions } from './helpers/pythons';

interface Stranger {
  /** The Python process's pid, once the shell has said it. */
  pid: Promise<number>;
  running(): boolean;
  stop(): void;
}

/**
 * A long-lived Python process none of the program's, started after it by this process through
 * a shell, so that it shares the program's process group and session with a living parent: what
 * the editor's own processes are to a program it runs (a terminal host started with the first
 * terminal, `ps` run to find ports).
 */
function startStranger(python: string): Stranger {
  const shell = spawn('bash', ['-c', `"${python}" -c "import time; time.sleep(20)" & echo $!; wait`], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const pid = new Promise<number>((resolve, reject) => {
    shell.stdout.setEncoding('utf8');
    shell.stdout.once('data', (line: string) => resolve(Number(line.trim())));
    shell.once('exit', () => reject(new Error('the stranger shell exited before saying its pid')));
  });
  return {
    pid,
    running: () => shell.exitCode === null && shell.signalCode === null,
    stop: () => void pid.then((p) => process.kill(p, 'SIGKILL')).catch(() => undefined),
  };
}

const interpreters = pythonVersions();
const usable = interpreters.filter((p) => p.missingReason === null);

describe('following child processes, every installed CPython', () => {
  for (const python of interpreters) {
    test(
      `${python.label}: fork pool workers, subprocess.run and a bare fork, each with its share`,
      { skip: python.missingReason ?? false, timeout: 60_000 },
      () =>
        withTruthDir(async (dir) => {
          const run = await runFamily([python.path, SCRIPT, dir, 'mixed'], dir);
          assertChildren(run, 4, python.label);
          const versions = new Set(
            processesOf(run.profile)
              .map((p) => p.pythonVersion)
              .filter(Boolean),
          );
          assert.deepEqual([...versions], [python.version], 'every process read as its own version');
        }),
    );
  }
});

const one = usable[usable.length - 1];

describe(
  'following child processes: the shapes programs take',
  { skip: one ? false : 'no CPython installed' },
  () => {
    const python = one!;
    for (const method of ['spawn', 'forkserver']) {
      test(`a ${method} pool: its workers' shares`, { timeout: 60_000 }, () =>
        withTruthDir(async (dir) =>
          assertChildren(await runFamily([python.path, SCRIPT, dir, `pool-${method}`], dir), 2, method),
        ),
      );
    }

    test(
      'os.execv: the new program is sampled under the same pid, as a process of its own',
      { timeout: 60_000 },
      () =>
        withTruthDir(async (dir) => {
          const run = await runFamily([python.path, SCRIPT, dir, 'execv'], dir);
          assertChildren(run, 1, 'execv');
          const images = processesOf(run.profile).filter((p) => p.pid === run.truths[0].pid);
          assert.ok(images.length >= 1, 'the pid is recorded');
          assert.ok(
            images.every((p, i) => i === images.length - 1 || p.execed),
            'earlier images ended by exec',
          );
        }),
    );

    test('a child that starts after a second', { timeout: 60_000 }, () =>
      withTruthDir(async (dir) =>
        assertChildren(await runFamily([python.path, SCRIPT, dir, 'late'], dir), 1, 'late'),
      ),
    );

    test('twenty children of about 100 ms, one after the other: every one sampled', { timeout: 90_000 }, () =>
      withTruthDir(async (dir) => {
        const run = await runFamily([python.path, SCRIPT, dir, 'short'], dir);
        const { profile, truths } = run;
        assert.equal(truths.length, 20);
        const quiet = loadavg()[0] <= cpus().length;
        const pids = new Set(processesOf(profile).map((p) => p.pid));
        for (const truth of truths) {
          const own = samplesOfPid(profile, truth.pid);
          assert.ok(pids.has(truth.pid), `pid ${truth.pid}: found`);
          // Every core taken (load 15 on 2 cores while building) can hold a 100 ms child off
          // the CPU, and the sampler with it, for its whole life: samples asserted when quiet.
          if (quiet) {
            assert.ok(samplesIn(profile, 'child_main', own).length > 0, `pid ${truth.pid}: sampled`);
            assert.ok(
              samplesIn(profile, 'child_busy', own).length > 0,
              `pid ${truth.pid}: child_busy sampled`,
            );
          }
        }
      }),
    );

    test('a shell launcher: bash -c "python3 …" profiles the Python it runs', { timeout: 60_000 }, () =>
      withTruthDir(async (dir) => {
        const command = `${python.path} ${SCRIPT} ${dir} run; true`;
        const run = await runFamily(['bash', '-c', command], dir);
        assertChildren(run, 1, 'bash');
        const shell = processesOf(run.profile)[0];
        assert.equal(shell.pythonVersion, '', 'the shell is not Python');
        assert.match(shell.note ?? '', /not CPython/);
      }),
    );

    test(
      'children that crash or are killed: sampled, with their exit code or signal',
      { timeout: 60_000 },
      () =>
        withTruthDir(async (dir) => {
          const run = await runFamily([python.path, SCRIPT, dir, 'exit-codes'], dir);
          assertChildren(run, 2, 'exit codes');
          const ends = run.truths.map((t) => {
            const images = processesOf(run.profile).filter((p) => p.pid === t.pid && p.pythonVersion);
            const last = images[images.length - 1];
            return `${last.exitCode}/${last.exitSignal}`;
          });
          assert.deepEqual(ends.sort(), ['3/null', 'null/SIGKILL']);
        }),
    );

    test('a parent that exits before its children: they are sampled to their end', { timeout: 60_000 }, () =>
      withTruthDir(async (dir) => {
        const run = await runFamily([python.path, SCRIPT, dir, 'orphans'], dir);
        assertChildren(run, 2, 'orphans');
        assert.equal(run.result.exitCode, 0);
      }),
    );

    test(
      'children whose parent leaves at once (double forks) are found as orphans',
      { timeout: 60_000 },
      () =>
        withTruthDir(async (dir) =>
          assertChildren(await runFamily([python.path, SCRIPT, dir, 'double-fork'], dir), 3, 'double fork'),
        ),
    );

    test(
      "a process of the program's group and session started later by another parent is not followed",
      { timeout: 60_000 },
      () =>
        withTruthDir(async (dir) => {
          let stranger: Stranger | undefined;
          try {
            const run = await runFamily([python.path, SCRIPT, dir, 'late'], dir, {
              alongside: () => {
                stranger = startStranger(python.path);
              },
            });
            const strangerPid = await stranger!.pid;
            assert.ok(stranger!.running(), 'the run ended while the stranger still ran');
            assert.ok(
              !processesOf(run.profile).some((p) => p.pid === strangerPid),
              `the stranger (pid ${strangerPid}) is not among the processes followed`,
            );
            assertChildren(run, 1, 'late, beside a stranger');
          } finally {
            stranger?.stop();
          }
        }),
    );

    test(
      'a zombie: its end and exit status are those of its exit, not of its reaping',
      { timeout: 60_000 },
      () =>
        withTruthDir(async (dir) => {
          const run = await runFamily([python.path, SCRIPT, dir, 'zombie'], dir);
          assertChildren(run, 1, 'zombie');
          const processes = processesOf(run.profile);
          const child = processes.find((p) => p.pid === run.truths[0].pid && p.pythonVersion);
          assert.ok(child, 'the zombie is recorded');
          assert.equal(child.exitCode, 5, 'its exit code, read while it was a zombie');
          assert.equal(child.exitSignal, null);
          // The parent lives on for a second after it: the child ended when it exited.
          assert.ok(
            child.endUs !== null && child.endUs < (processes[0].endUs ?? Infinity),
            'ended before its parent',
          );
          const late = samplesOfPid(run.profile, child.pid).filter(
            (i) => run.profile.sampleTime[i] > child.endUs!,
          );
          assert.equal(late.length, 0, 'no sample of the zombie after its end');
        }),
    );

    test(
      'sixty-four processes at once, each sampled in its known function (shares not asserted: a few dozen samples each are too few to judge one)',
      { timeout: 90_000 },
      () =>
        withTruthDir(async (dir) =>
          assertChildren(
            await runFamily([python.path, SCRIPT, dir, 'many-64'], dir),
            64,
            'sixty-four',
            false,
          ),
        ),
    );

    test(
      'sixteen processes at once (their shares not asserted: sixteen busy processes leave two cores anything but quiet)',
      { timeout: 90_000 },
      () =>
        withTruthDir(async (dir) =>
          assertChildren(await runFamily([python.path, SCRIPT, dir, 'many'], dir), 16, 'many', false),
        ),
    );

    test(
      'no Python at all: HOTPATH_NOT_PYTHON once every process has ended',
      { timeout: 30_000 },
      async () => {
        const session = ProfileSession.spawn({
          argv: ['sh', '-c', 'sleep 0.2; true'],
          stdio: 'ignore',
          followChildren: true,
        });
        const result = await session.result;
        assert.equal(result.samplerError?.code, 'HOTPATH_NOT_PYTHON');
        assert.match(result.samplerError?.message ?? '', /no Python process ran/);
        assert.equal(result.profile.sampleTime.length, 0);
      },
    );
  },
);
