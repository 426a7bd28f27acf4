/**
 * The shipped `hotpath` command (bin/hotpath.js → dist/cli.js, rebuilt before
 * the suite) on real programs: output separation, exit codes, Ctrl-C, a
 * killed program, every output format, report and the errors a user
 * meets (bad usage, missing or unsupported interpreter, a sampler failure).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadProfile } from '../../extension/format/profileFile';
import { SCRIPTS_DIR } from './groundTruth-helpers';
import { cliWorkspace, sampleCount } from './helpers/cli';
import { installedPythons } from './helpers/pythons';

const TARGET = join(SCRIPTS_DIR, 'cli_target.py');
const python = installedPythons().find((p) => !p.staticBuild && p.minor === '3.12') ?? installedPythons()[0];
const skip = python ? false : 'no supported CPython installed';
/** An interpreter the sampler refuses (too old), for the error paths. */
const OLD_PYTHON = '/root/.pyenv/versions/3.7.16/bin/python3';
const skipOld = existsSync(OLD_PYTHON) ? false : `${OLD_PYTHON} (CPython 3.7) is not installed`;

const workspace = cliWorkspace('cli');
const hotpath = workspace.run;

describe('hotpath CLI', { skip }, () => {
  test('--help and --version', async () => {
    const help = await hotpath(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /hotpath run \[options\] script\.py/);
    const runHelp = await hotpath(['run', '--help']);
    assert.match(runHelp.stdout, /--python PATH/);
    const version = await hotpath(['--version']);
    assert.equal(version.status, 0);
    assert.match(version.stdout, /^hotpath \d+\.\d+\.\d+/);
  });

  test('usage errors exit 2 and point to --help', async () => {
    for (const args of [
      ['run'],
      ['run', '--rate', '0', 'x.py'],
      ['frobnicate'],
      ['attach', 'abc'],
      ['run', '--nope', 'x.py'],
    ]) {
      const run = await hotpath(args);
      assert.equal(run.status, 2, `hotpath ${args.join(' ')}`);
      assert.match(run.stderr, /hotpath --help/);
    }
  });

  test('interpreter problems are named before anything runs', async () => {
    const missing = await hotpath(['run', '--python', '/nonexistent/python3', TARGET, 'busy', '0']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /HOTPATH_PYTHON_NOT_FOUND/);
  });

  test('an interpreter that is too old is refused before the program starts', { skip: skipOld }, async () => {
    const tooOld = await hotpath(['run', '--python', OLD_PYTHON, TARGET, 'busy', '0']);
    assert.equal(tooOld.status, 2);
    assert.match(tooOld.stderr, /too old.*HOTPATH_UNSUPPORTED_VERSION/s);
    assert.doesNotMatch(tooOld.stdout, /hello from the program/);
  });

  test('run: the program owns stdout, the text report goes to stderr, the exit code passes through', async () => {
    const run = await hotpath(['run', '--python', python!.path, TARGET, 'busy', '3']);
    assert.equal(run.stdout, 'hello from the program\n');
    assert.equal(run.status, 3, run.stderr);
    assert.match(run.stderr, /work/, 'the report names the busy function');
  });

  test('run --format json -o: a loadable profile with the run recorded', async () => {
    const out = join(workspace.dir, 'busy.hotpath.json');
    const run = await hotpath([
      'run',
      '--python',
      python!.path,
      '--format',
      'json',
      '-o',
      out,
      TARGET,
      'busy',
      '0',
    ]);
    assert.equal(run.status, 0, run.stderr);
    const profile = loadProfile(readFileSync(out, 'utf8'));
    assert.ok(sampleCount(profile, 'work') > 50, 'samples in work()');
    assert.deepEqual(profile.meta.argv, [python!.path, TARGET, 'busy', '0']);
    assert.equal(profile.meta.exitCode, 0);
    assert.equal(profile.meta.pythonVersion, python!.version);
  });

  test('run -- COMMAND, default file name for json, rate option', async () => {
    const run = await hotpath([
      'run',
      '--format',
      'json',
      '--rate',
      '500',
      '--',
      python!.path,
      TARGET,
      'busy',
      '0',
    ]);
    assert.equal(run.status, 0, run.stderr);
    const written = /written to (.+\.hotpath\.json)/.exec(run.stderr)?.[1];
    assert.ok(written && written.startsWith(workspace.dir), run.stderr);
    const profile = loadProfile(readFileSync(written, 'utf8'));
    assert.equal(profile.meta.intervalUs, 2000);
    assert.ok(sampleCount(profile, 'work') > 10);
  });

  test('text to -o FILE keeps stderr free of the report; collapsed goes to a default file', async () => {
    const report = join(workspace.dir, 'report.txt');
    const text = await hotpath(['run', '--python', python!.path, '-o', report, TARGET, 'busy', '0']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(readFileSync(report, 'utf8'), /work/);
    assert.doesNotMatch(text.stderr, /cli_target\.py:\d+/);
    const collapsed = await hotpath([
      'run',
      '--python',
      python!.path,
      '--format',
      'collapsed',
      TARGET,
      'busy',
      '0',
    ]);
    assert.equal(collapsed.status, 0, collapsed.stderr);
    const written = /written to (.+\.collapsed\.txt)/.exec(collapsed.stderr)?.[1];
    assert.ok(written && existsSync(written), collapsed.stderr);
    assert.match(readFileSync(written, 'utf8'), /^\S.*;.* \d+$/m);
  });

  test('Ctrl-C stops the program and still writes the profile', async () => {
    const out = join(workspace.dir, 'interrupted.hotpath.json');
    let sent = false;
    const run = await hotpath(
      ['run', '--python', python!.path, '--format', 'json', '-o', out, TARGET, 'until-signal'],
      {
        onStdout: (text, pid) => {
          if (!sent && text.includes('READY')) {
            sent = true;
            process.kill(-pid, 'SIGINT'); // what a terminal does: the whole foreground group
          }
        },
      },
    );
    assert.match(run.stdout, /interrupted/, `status ${run.status}, stderr: ${run.stderr}`);
    assert.equal(run.status, 130, run.stderr);
    const profile = loadProfile(readFileSync(out, 'utf8'));
    assert.equal(profile.meta.exitSignal, 'SIGINT');
    assert.ok(sampleCount(profile, 'work') > 0);
  });

  test('a program killed by SIGKILL: exit 137, the samples up to the kill are written', async () => {
    const out = join(workspace.dir, 'killed.hotpath.json');
    let killed = false;
    const run = await hotpath(
      ['run', '--python', python!.path, '--format', 'json', '-o', out, TARGET, 'until-signal'],
      {
        onStdout: (text) => {
          const pid = /READY (\d+)/.exec(text)?.[1];
          if (!killed && pid) {
            killed = true;
            process.kill(Number(pid), 'SIGKILL');
          }
        },
      },
    );
    assert.equal(run.status, 137, run.stderr);
    const profile = loadProfile(readFileSync(out, 'utf8'));
    assert.equal(profile.meta.exitSignal, 'SIGKILL');
    assert.ok(profile.sampleTime.length > 0);
  });

  test('report renders and converts a saved profile', async () => {
    const saved = join(workspace.dir, 'report.hotpath.json');
    const run = await hotpath([
      'run',
      '--python',
      python!.path,
      '--format',
      'json',
      '-o',
      saved,
      TARGET,
      'busy',
      '0',
    ]);
    assert.equal(run.status, 0, run.stderr);
    const text = await hotpath(['report', saved]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /work/);
    const collapsed = await hotpath(['report', '--format', 'collapsed', '--show-all', saved]);
    assert.equal(collapsed.status, 0, collapsed.stderr);
    assert.ok(collapsed.stdout.split('\n').some((line) => /;work \(.*cli_target\.py:\d+\) \d+$/.test(line)));
    const speedscope = await hotpath(['report', '--format', 'speedscope', saved]);
    assert.equal(JSON.parse(speedscope.stdout).$schema, 'https://www.speedscope.app/file-format-schema.json');
    const broken = join(workspace.dir, 'broken.hotpath.json');
    execFileSync('sh', ['-c', `head -c 100 ${JSON.stringify(saved)} > ${JSON.stringify(broken)}`]);
    const bad = await hotpath(['report', broken]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /not a usable Hotpath profile.*HOTPATH_PROFILE_/s);
  });

  test(
    'a sampler failure lets the program finish, says why and keeps its exit code',
    { skip: skipOld },
    async () => {
      // After `--` there is no interpreter check: the sampler itself refuses CPython 3.7.
      const run = await hotpath(['run', '--no-subprocesses', '--', OLD_PYTHON, TARGET, 'busy', '3']);
      assert.equal(run.stdout, 'hello from the program\n', 'the program ran to its end');
      assert.equal(run.status, 3, run.stderr);
      assert.match(run.stderr, /too old.*HOTPATH_UNSUPPORTED_VERSION/s);
      assert.match(run.stderr, /the program keeps running, without profiling/);
    },
  );

  test('a program under which no Python ran: said on stderr once, exit 2', async () => {
    for (const argv of [
      ['/bin/sleep', '0.5'],
      ['sh', '-c', 'sleep 0.5; exit 7'],
    ]) {
      const run = await hotpath(['run', '--', ...argv]);
      const label = `${argv.join(' ')}: ${run.stderr}`;
      assert.equal(run.status, 2, label);
      assert.match(run.stderr, /no Python process ran: process \d+ \(\S+\) and the \d+ process/, label);
      assert.match(run.stderr, /\[HOTPATH_NOT_PYTHON\]/, label);
      assert.equal(run.stderr.match(/HOTPATH_NOT_PYTHON/g)?.length, 1, `said once: ${label}`);
      assert.doesNotMatch(run.stderr, /keeps running|No samples/, label);
    }
    // Without following children, the process itself is all there is.
    const alone = await hotpath(['run', '--no-subprocesses', '--', 'sh', '-c', 'sleep 0.5; exit 7']);
    assert.equal(alone.status, 2, alone.stderr);
    assert.match(alone.stderr, /no Python process was found: process \d+ \(\S+\) ended without loading/);
    // A Python program that ends before its interpreter can be read is not called "not Python".
    const quick = await hotpath(['run', '--', python!.path, '-c', 'pass']);
    assert.equal(quick.status, 0, quick.stderr);
    assert.doesNotMatch(quick.stderr, /HOTPATH_NOT_PYTHON/);
  });
});
