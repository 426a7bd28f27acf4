/**
 * Programs that misbehave, profiled through the shipped CLI: each must end
 * with its own exit status and the samples taken until then written to the
 * profile file. Targets live in scripts/faults/; a run that stalls fails on
 * the test's timeout rather than hanging the suite.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isRunning, prepareCli, profileScript, samplesIn, suitePythons } from './scripts/faults/hotpathCli';

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

  for (const [script, what] of [
    ['fork_orphan.py', 'a forked child that outlives its parent'],
    ['daemonize.py', 'a daemon (double fork, new session)'],
  ] as const) {
    test(`${what}: the CLI ends with the parent and leaves the child running`, TIMEOUT, async () => {
      const pidFile = join(scratch.dir, `${script}.pid`);
      let orphan = 0;
      try {
        const { run, profile } = await profileScript(scratch.dir, newest!, script, [pidFile]);
        orphan = Number(readFileSync(pidFile, 'utf8'));
        assert.equal(run.status, 0, run.stderr);
        assert.ok(orphan > 0, 'the program recorded its child');
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
 * A program that ends while the sampler is still starting (waiting for the interpreter,
 * reading its first thread states). Each run ends a little later than the one before, so the
 * exit lands at every stage of the start-up. None may crash the CLI or change the exit status.
 */
for (const python of [newest, pre311]) {
  describe(`exit during sampler start-up on CPython ${python?.label ?? '(none)'}`, () => {
    test(
      '24 quick programs: exit status kept, never a crash or a sampler error',
      { ...TIMEOUT, skip: python ? false : 'no such CPython installed' },
      async () => {
        for (let i = 0; i < 24; i++) {
          const code = 10 + i;
          const how = i % 2 === 0 ? 'exit' : '_exit';
          const loops = String(i * 20_000);
          const { run, profile } = await profileScript(scratch.dir, python!, 'quick_exit.py', [
            String(code),
            loops,
            how,
          ]);
          const where = `run ${i} (${how}, ${loops} loops): ${run.stderr}`;
          assert.equal(run.signal, null, where);
          assert.equal(run.status, code, where);
          assert.doesNotMatch(run.stderr, /HOTPATH_[A-Z_]+/, where);
          assert.ok(profile, `the requested profile file is written even when empty; ${where}`);
          assert.equal(profile.meta.exitCode, code, where);
        }
      },
    );
  });
}
