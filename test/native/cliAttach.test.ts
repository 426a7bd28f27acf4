/**
 * The shipped `hotpath attach` on real processes: a Python process is sampled
 * and left running; a process that is not Python is refused with
 * HOTPATH_NOT_PYTHON at once, exit 2 and no report, every time; a process
 * that is on its way to Python (named like an interpreter, or just started) is
 * waited for.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadProfile } from '../../extension/format/profileFile';
import { ProfileSession } from '../../extension/session/profileSession';
import { SCRIPTS_DIR } from './groundTruth-helpers';
import { cliWorkspace, sampleCount } from './helpers/cli';
import { startTarget } from './helpers/processes';
import { installedPythons } from './helpers/pythons';

const python = installedPythons().find((p) => !p.staticBuild && p.minor === '3.12') ?? installedPythons()[0];

const workspace = cliWorkspace('cli-attach');

const hotpath = workspace.run;

describe('hotpath attach', { skip: python ? false : 'no supported CPython installed' }, () => {
  test('samples a running process for --duration (options after the PID) and leaves it running', async () => {
    const target = startTarget(python!.path, [join(SCRIPTS_DIR, 'idle.py')]);
    try {
      await target.waitFor('READY');
      const out = join(workspace.dir, 'attached.hotpath.json');
      // As a new user types it: the PID first, then the options.
      const run = await hotpath([
        'attach',
        String(target.pid),
        '--duration',
        '0.5',
        '--format',
        'json',
        '-o',
        out,
      ]);
      assert.equal(run.status, 0, run.stderr);
      const profile = loadProfile(readFileSync(out, 'utf8'));
      assert.equal(profile.threads.length, 2, JSON.stringify(profile.threads));
      assert.ok(sampleCount(profile, 'work') > 50);
      assert.equal(target.child.exitCode, null, 'the attached process still runs');
    } finally {
      target.kill('SIGKILL');
      await target.exited;
    }
  });

  test('a process that is not Python: HOTPATH_NOT_PYTHON, exit 2, no report, 20 times out of 20', async () => {
    const sleeper = spawn('/bin/sleep', ['60'], { stdio: 'ignore' });
    try {
      for (let attempt = 0; attempt < 20; attempt++) {
        // With a duration shorter than any wait (the case that raced into an empty report) and without.
        const duration = attempt % 2 === 0 ? ['--duration', '0.01'] : [];
        const run = await hotpath(['attach', ...duration, String(sleeper.pid)]);
        const label = `attempt ${attempt + 1} ${duration.join(' ')}: ${run.stderr}`;
        assert.equal(run.status, 2, label);
        assert.match(run.stderr, /is not a Python program.*\[HOTPATH_NOT_PYTHON\]/s, label);
        assert.match(run.stderr, /\/sleep\)/, label);
        assert.doesNotMatch(run.stderr, /Samples|No samples|HOTPATH_TIMEOUT/, label);
        assert.equal(run.stdout, '', label);
      }
      assert.equal(sleeper.exitCode, null, 'the process is left alone');
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});

describe('attach decides "not Python" from what the process has loaded', () => {
  test('a process named like an interpreter that has not loaded one yet is waited for', async () => {
    // What a process looks like just after it exec'd python3.X: the name, no interpreter yet.
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-not-yet-'));
    const fake = join(dir, 'python3.12');
    copyFileSync('/bin/sleep', fake);
    const notYet = spawn(fake, ['60'], { stdio: 'ignore' });
    try {
      const session = ProfileSession.attach({ pid: notYet.pid!, startTimeoutMs: 300 });
      const result = await session.result;
      assert.equal(result.samplerError?.code, 'HOTPATH_NOT_PYTHON');
      assert.match(result.samplerError.message, /still not Python after 300 ms/);
    } finally {
      notYet.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(
    'a Python process attached to the moment it starts is sampled, not refused',
    { skip: python ? false : 'no supported CPython installed' },
    async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const target = startTarget(python!.path, [join(SCRIPTS_DIR, 'idle.py')]);
        try {
          const session = ProfileSession.attach({ pid: target.pid });
          session.once('ready', () => session.stop());
          const result = await session.result;
          assert.equal(result.samplerError, null, `attempt ${attempt + 1}: ${result.samplerError?.message}`);
          assert.equal(result.target?.pythonVersion, python!.version);
        } finally {
          target.kill('SIGKILL');
          await target.exited;
        }
      }
    },
  );
});
