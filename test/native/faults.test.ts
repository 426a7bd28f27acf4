/**
 * Programs that misbehave, profiled through the shipped CLI: each must end
 * with its own exit status and the samples taken until then written to the
 * profile file. Targets live in scripts/faults/; a run that stalls fails on
 * the test's timeout rather than hanging the suite.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadProfile } from '../../extension/format/profileFile';
import { ProfileSession } from '../../extension/session/profileSession';
import {
  FAULTS_DIR,
  hotpath,
  isRunning,
  prepareCli,
  profileScript,
  samplesIn,
  suitePythons,
} from './scripts/faults/hotpathCli';
import { pythonVersions } from './helpers/pythons';

const { newest, pre311 } = suitePythons();
const skip = newest ? false : 'no CPython with a shared libpython installed';
const TIMEOUT = { timeout: 60_000 };

let scratch: { dir: string; cleanup(): void };
before(() => (scratch = prepareCli()));
after(() => scratch?.cleanup());

/** Kills a process the test left running on purpose, if it still runs. */
function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

describe(`faults through the CLI on CPython ${newest?.label ?? '(none)'}`, { skip }, () => {
  test('os._exit(3) mid-run: exit status 3, the samples before it kept', TIMEOUT, async () => {
    const { run, profile } = await profileScript(scratch.dir, newest!, 'exit_abruptly.py');
    assert.equal(run.status, 3, run.stderr);
    assert.ok(profile, `no profile written; stderr: ${run.stderr}`);
    assert.equal(profile.meta.exitCode, 3);
    assert.ok(samplesIn(profile, 'before_exit') > 20, `${samplesIn(profile, 'before_exit')} samples`);
  });

  test('an uncaught exception: exit 1, the traceback on stderr, the profile kept', TIMEOUT, async () => {
    const { run, profile } = await profileScript(scratch.dir, newest!, 'uncaught.py');
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /Traceback \(most recent call last\):[\s\S]*failing_work/);
    assert.match(run.stderr, /RuntimeError: uncaught on purpose/);
    assert.ok(profile, 'no profile written');
    assert.equal(profile.meta.exitCode, 1);
    assert.ok(samplesIn(profile, 'failing_work') > 20);
  });

  // A child that stays in the program's session is followed by default, and the run lasts until
  // the last process followed exits (README): with --no-subprocesses the CLI ends with the
  // program. A daemon leaves the session and is not followed either way.
  for (const [script, what, extra] of [
    ['fork_orphan.py', 'a forked child that outlives its parent, --no-subprocesses', ['--no-subprocesses']],
    ['daemonize.py', 'a daemon (double fork, new session)', []],
  ] as const) {
    test(`${what}: the CLI ends with the parent and leaves the child running`, TIMEOUT, async () => {
      const pidFile = join(scratch.dir, `${script}.pid`);
      let orphan = 0;
      try {
        const { run, profile } = await profileScript(scratch.dir, newest!, script, [pidFile], {
          extra: [...extra],
        });
        orphan = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0;
        assert.equal(run.status, 0, run.stderr);
        assert.ok(orphan > 0, `the program recorded no child; stderr: ${run.stderr}`);
        assert.ok(isRunning(orphan), `the child ${orphan} no longer runs: it was signalled or waited for`);
        assert.ok(profile, 'no profile written');
        assert.notEqual(profile.meta.pid, orphan, 'the profile is of the parent');
        assert.ok(samplesIn(profile, 'parent_work') > 20, `${samplesIn(profile, 'parent_work')} samples`);
      } finally {
        if (orphan > 0) killQuietly(orphan);
      }
    });
  }

  test('stdout closed by the program mid-run: exit 0, sampling goes on after it', TIMEOUT, async () => {
    const { run, profile } = await profileScript(scratch.dir, newest!, 'close_stdout.py');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'closing stdout\n');
    assert.ok(profile, 'no profile written');
    assert.ok(samplesIn(profile, 'after_close') > 20, `${samplesIn(profile, 'after_close')} samples`);
  });

  test('50 MiB flooded to stdout: every byte arrives, the profile is written', TIMEOUT, async () => {
    const megabytes = 50;
    const { run, profile } = await profileScript(
      scratch.dir,
      newest!,
      'flood_stdout.py',
      [String(megabytes)],
      {
        stdout: 'drain',
      },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdoutBytes, megabytes * 2 ** 20);
    assert.ok(profile, 'no profile written');
    assert.ok(samplesIn(profile, 'flood') > 0, 'the flood itself was sampled');
    assert.ok(samplesIn(profile, 'after_flood') > 20, `${samplesIn(profile, 'after_flood')} samples`);
  });

  test('two profiles at once: each gets its own program and only its samples', TIMEOUT, async () => {
    const [alpha, beta] = await Promise.all([
      profileScript(scratch.dir, newest!, 'parallel_alpha.py'),
      profileScript(scratch.dir, newest!, 'parallel_beta.py'),
    ]);
    for (const { run, profile } of [alpha, beta]) {
      assert.equal(run.status, 0, run.stderr);
      assert.ok(profile, `no profile written; stderr: ${run.stderr}`);
    }
    assert.notEqual(alpha.profile!.meta.pid, beta.profile!.meta.pid);
    assert.ok(samplesIn(alpha.profile!, 'alpha_work') > 50, 'alpha sampled');
    assert.ok(samplesIn(beta.profile!, 'beta_work') > 50, 'beta sampled');
    assert.equal(samplesIn(alpha.profile!, 'beta_work'), 0, "beta's samples in alpha's profile");
    assert.equal(samplesIn(beta.profile!, 'alpha_work'), 0, "alpha's samples in beta's profile");
  });
});

/**
 * A program that ends while the sampler is still starting. The runs spread the exit over the
 * whole start-up: before the runtime exists (a bad command-line option), while the interpreter
 * initialises (PYTHONHOME pointing nowhere: a fatal error with no Python frame), at the first
 * line of Python (-S -I -c), and a script counting a little longer each run. None may crash the
 * CLI, turn into a sampler error or change the exit status; the requested file is always written.
 */
const STARTUP_EXITS: {
  what: string;
  code: number;
  args(python: string, i: number): string[];
  env?: NodeJS.ProcessEnv;
}[] = [
  { what: 'bad option', code: 2, args: (python) => ['--', python, '--no-such-option'] },
  {
    what: 'failed initialisation',
    code: 1,
    args: (python) => ['--', python, '-c', 'pass'],
    env: { PYTHONHOME: '/nonexistent' },
  },
  {
    what: 'os._exit on the first line',
    code: 9,
    args: (python) => ['--', python, '-S', '-I', '-c', 'import os; os._exit(9)'],
  },
  {
    what: 'a short script',
    code: 17,
    args: (python, i) => [
      '--python',
      python,
      join(FAULTS_DIR, 'quick_exit.py'),
      '17',
      String(i * 25_000),
      i % 2 === 0 ? 'exit' : '_exit',
    ],
  },
];

for (const python of [newest, pre311]) {
  describe(`exit during sampler start-up on CPython ${python?.label ?? '(none)'}`, () => {
    test(
      '20 programs ending at every stage of start-up: exit status kept, never a crash or an error',
      { ...TIMEOUT, skip: python ? false : 'no such CPython installed' },
      async (t) => {
        let empty = 0;
        let pythonFrames = 0;
        for (let i = 0; i < 20; i++) {
          const kind = STARTUP_EXITS[i % STARTUP_EXITS.length];
          const out = join(scratch.dir, `startup-${i}.hotpath.json`);
          const run = await hotpath(
            scratch.dir,
            ['run', '--format', 'json', '-o', out, ...kind.args(python!.path, i)],
            { env: kind.env },
          );
          const where = `run ${i} (${kind.what}): ${run.stderr}`;
          assert.equal(run.signal, null, where);
          assert.equal(run.status, kind.code, where);
          assert.doesNotMatch(run.stderr, /HOTPATH_[A-Z_]+/, where);
          assert.ok(existsSync(out), `the requested profile file is written even when empty; ${where}`);
          const profile = loadProfile(readFileSync(out, 'utf8'));
          assert.equal(profile.meta.exitCode, kind.code, where);
          if (profile.sampleTime.length === 0) empty++;
          if (profile.sampleStack.some((stack) => stack >= 0)) pythonFrames++;
        }
        // Where the exits landed (timing-dependent, so reported rather than asserted).
        t.diagnostic(
          `${empty} runs ended before the first sample, ${pythonFrames} had Python frames sampled`,
        );
      },
    );
  });
}

/**
 * The same race without the CLI around it, many times on every interpreter: a program that never
 * starts its interpreter ends the session as "exited before sampling", whichever of the process
 * check or finish() stops the sampler's wait first — never as a sampler error. Attaching this
 * early also meets a libpython the dynamic loader is still mapping segment by segment, where
 * `_PyRuntime`'s address shows other bytes of the file: that is "not loaded yet", not "not a
 * CPython Hotpath can read".
 */
describe('a spawned program that ends before its interpreter starts', () => {
  for (const python of pythonVersions()) {
    test(
      `${python.label}: 40 sessions, no sampler error, marked as ended before sampling`,
      { ...TIMEOUT, skip: python.missingReason ?? false },
      async () => {
        for (let i = 0; i < 40; i++) {
          const session = ProfileSession.spawn({ argv: [python.path, '--no-such-option'], stdio: 'ignore' });
          const result = await session.result;
          assert.equal(result.samplerError, null, `run ${i}: ${result.samplerError?.message}`);
          assert.equal(result.exitedBeforeSampling, true, `run ${i}`);
          assert.equal(result.exitCode, 2);
        }
      },
    );
  }
});
