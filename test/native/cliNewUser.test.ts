/**
 * The shipped `hotpath` command as a new user meets it: a misspelt script, a script that does not
 * compile, a program with threads, start-up work from `.pth` files, and the private folder of the
 * run's spill file.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SCRIPTS_DIR } from './groundTruth-helpers';
import { cliWorkspace } from './helpers/cli';
import { installedPythons } from './helpers/pythons';

const TARGET = join(SCRIPTS_DIR, 'cli_target.py');
const python = installedPythons().find((p) => !p.staticBuild && p.minor === '3.12') ?? installedPythons()[0];
const skip = python ? false : 'no supported CPython installed';

const workspace = cliWorkspace('cli-new-user');
const hotpath = workspace.run;

const THREADS = `import threading, time
def spin(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
def worker():
    spin(0.4)
t = threading.Thread(target=worker, name="worker")
t.start()
spin(0.4)
t.join()
`;

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('hotpath CLI for a new user', { skip }, () => {
  test('run missing.py: "no such file", exit 2, before anything starts', async () => {
    const run = await hotpath(['run', '--python', python!.path, 'missing.py', '--flag']);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /no such file: missing\.py \(looked in .+\).*\[HOTPATH_SCRIPT_NOT_FOUND\]/s);
    assert.doesNotMatch(run.stderr, /can't open file|Hotpath {2}|Shown|No samples/, 'Python was not started');
    assert.equal(run.stdout, '');
  });

  test('a script with a syntax error: its own traceback, said plainly, no profile of nothing', async () => {
    const broken = join(workspace.dir, 'broken.py');
    writeFileSync(broken, 'print("never")\ndef f(:\n    pass\n');
    const run = await hotpath(['run', '--python', python!.path, 'broken.py']);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /File ".*broken\.py", line 2.*SyntaxError/s, "Python's own message");
    assert.match(
      run.stderr,
      /hotpath: broken\.py has a syntax error \(Python's message is above\): it never ran/,
    );
    assert.doesNotMatch(run.stderr, /Hotpath {2}|Shown| · \d/, 'no report');
    // A file asked for is not written either: it would hold the interpreter's start-up only.
    const out = join(workspace.dir, 'broken.hotpath.json');
    const json = await hotpath(['run', '--python', python!.path, '--format', 'json', '-o', out, 'broken.py']);
    assert.equal(json.status, 1, json.stderr);
    assert.equal(existsSync(out), false);
    // A script that compiles and fails keeps its report.
    const failing = await hotpath(['run', '--python', python!.path, TARGET, 'busy', '1']);
    assert.equal(failing.status, 1, failing.stderr);
    assert.match(failing.stderr, /Shown [\d.]+ m?s of wall-clock time/);
    assert.doesNotMatch(failing.stderr, /syntax error/);
  });

  test('several threads: one tree per thread, named with its TID, and the sum explained', async () => {
    writeFileSync(join(workspace.dir, 'threads.py'), THREADS);
    const run = await hotpath(['run', '--python', python!.path, 'threads.py']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stderr,
      /^Shown [\d.]+ m?s of wall-clock time, summed over 2 threads \(percentages are of this sum\)$/m,
    );
    // One section per thread, each holding its own code only.
    const sections = run.stderr.split(/^(?=Thread )/m).slice(1);
    assert.equal(sections.length, 2, run.stderr);
    const main = sections.find((section) => section.startsWith('Thread MainThread'));
    const worker = sections.find((section) => section.startsWith('Thread worker'));
    const tid = (section = '') => /^Thread \S+ \(TID (\d+)\) {2}[\d.]+ m?s · /.exec(section)?.[1];
    assert.ok(tid(main) && tid(worker) && tid(main) !== tid(worker), run.stderr);
    assert.match(main!, /<module> {2}threads\.py:10/);
    assert.doesNotMatch(main!, /worker {2}threads/);
    assert.match(worker!, /worker {2}threads\.py:7/);
    assert.doesNotMatch(worker!, /<module>/);
  });

  test('start-up work run by site (.pth files) is left out of the tree unless --show-all', async () => {
    // A user site with a .pth file whose import line keeps the interpreter busy at start-up.
    const userBase = join(workspace.dir, 'userbase');
    const env = { PYTHONUSERBASE: userBase };
    const siteDir = execFileSync(python!.path, ['-c', 'import site; print(site.getusersitepackages())'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    }).trim();
    mkdirSync(siteDir, { recursive: true });
    writeFileSync(
      join(siteDir, 'slow_start.pth'),
      'import time; exec("end = time.perf_counter() + 0.3\\nwhile time.perf_counter() < end: pass")\n',
    );
    const run = await hotpath(['run', '--python', python!.path, TARGET, 'busy', '0'], { env });
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stderr,
      /^Start-up work left out: [1-9]\d\d ms in site \(\.pth files\); --show-all keeps it$/m,
    );
    assert.doesNotMatch(run.stderr, /<string>/);
    assert.match(run.stderr, /work {2}\S*cli_target\.py:\d+/);
    const all = await hotpath(['run', '--python', python!.path, '--show-all', TARGET, 'busy', '0'], { env });
    assert.equal(all.status, 0, all.stderr);
    assert.match(all.stderr, /<module> {2}<string>:\d+/);
    assert.doesNotMatch(all.stderr, /left out/);
  });

  test('the spill file lives in a private folder (0700) as a 0600 file, removed after the run', async () => {
    const tmp = join(workspace.dir, 'tmp');
    mkdirSync(tmp);
    let seen: { dir: string; dirMode: string; files: string[]; fileMode: string } | undefined;
    const run = await hotpath(['run', '--python', python!.path, TARGET, 'until-signal'], {
      env: { TMPDIR: tmp },
      onStdout: (text, pid) => {
        if (seen || !text.includes('READY')) return;
        const [dir] = readdirSync(tmp);
        const files = readdirSync(join(tmp, dir));
        seen = { dir, dirMode: mode(join(tmp, dir)), files, fileMode: mode(join(tmp, dir, files[0])) };
        process.kill(-pid, 'SIGINT');
      },
    });
    assert.equal(run.status, 130, run.stderr);
    assert.ok(seen, run.stderr);
    assert.match(seen.dir, /^hotpath-\w{6}$/, 'a fresh, unguessable name');
    assert.equal(seen.dirMode, '700');
    assert.deepEqual(seen.files, ['run.spill']);
    assert.equal(seen.fileMode, '600');
    assert.deepEqual(readdirSync(tmp), [], 'the folder is removed with the spill');
  });
});
