/**
 * Real applications of several processes, followed as a user runs them: Django's `runserver`
 * (its autoreloader serves from a child), gunicorn's workers and pytest-xdist's workers. Their
 * work calls family.py's `child_main`, which measures itself, so each serving process must show
 * the request's (or test's) function and `child_busy` with its measured share. The packages come
 * from the wheel mirror (scripts/app-packages.mjs), one folder on PYTHONPATH for CPython 3.11+.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { processesOf } from '../../extension/model/rawProfile';
import type { ProfileSession } from '../../extension/session/profileSession';
import { SCRIPTS_DIR, samplesIn } from './groundTruth-helpers';
import { assertChildren, runFamily, samplesOfPid, withTruthDir, type FamilyRun } from './helpers/family';
import { pythonVersions, type PythonInterpreter } from './helpers/pythons';

const APPS = join(SCRIPTS_DIR, 'apps');
const REQUESTS = 4;

function appPackages(): { dir: string } | { missing: string } {
  try {
    const out = execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'app-packages.mjs')], {
      encoding: 'utf8',
      timeout: 320_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { dir: out.trim() };
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    return { missing: stderr.split('\n').pop() || (error as Error).message };
  }
}

const packages = appPackages();
const noPackages =
  'missing' in packages ? `Django, gunicorn and pytest-xdist not installed: ${packages.missing}` : null;

/** Why `python` cannot run the apps here, or null. */
function skipReason(python: PythonInterpreter): string | null {
  if (python.missingReason) return python.missingReason;
  if (noPackages) return noPackages;
  const [major, minor] = python.minor.split('.').map(Number);
  if (major === 3 && minor < 11)
    return `the shared package folder serves CPython 3.11+ (pytest needs a tomli wheel the mirror has for 3.11 only; Django 5.2 needs 3.10+)`;
  return null;
}

const interpreters = pythonVersions();
const usable = interpreters.filter((p) => skipReason(p) === null);
/** The heavier apps run on the oldest and the newest interpreter that runs them (CI time). */
const ends = [...new Set([usable[0], usable[usable.length - 1]])].filter(Boolean);

/** A TCP port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** GET `url` once the server answers (it is starting: connections are refused until then). */
async function getWhenUp(url: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return await response.text();
      throw new Error(`${url}: HTTP ${response.status}`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * Runs a server under the sampler: once it answers, `drive` sends it requests and ends it; a
 * failure stops the program instead, so that the run ends and the failure is reported.
 */
async function runServer(
  argv: string[],
  dir: string,
  drive: (session: ProfileSession) => Promise<void>,
): Promise<FamilyRun> {
  let driving: Promise<void> = Promise.resolve();
  const run = await runFamily(argv, dir, {
    env: { PYTHONPATH: (packages as { dir: string }).dir, HOTPATH_TRUTH_DIR: dir },
    alongside: (session) => {
      driving = drive(session).catch((error: unknown) => {
        session.stop();
        throw error;
      });
    },
  });
  await driving;
  return run;
}

/** Each truth came from a process other than the program itself, which ran `fn` around its work. */
function assertServedBy(run: FamilyRun, fn: string, label: string): void {
  const processes = processesOf(run.profile);
  const program = processes[0].pid;
  for (const pid of new Set(run.truths.map((t) => t.pid))) {
    assert.notEqual(pid, program, `${label}: the work ran in a process the program started`);
    const own = samplesOfPid(run.profile, pid);
    assert.ok(samplesIn(run.profile, fn, own).length > 0, `${label}, pid ${pid}: ${fn} in its samples`);
  }
  assert.equal(
    samplesIn(run.profile, fn, samplesOfPid(run.profile, program)).length,
    0,
    `${label}: not in the program`,
  );
}

describe('real applications of several processes', () => {
  for (const python of interpreters) {
    test(
      `${python.label}: Django runserver with its autoreloader: the view's requests in the serving child`,
      { skip: skipReason(python) ?? false, timeout: 90_000 },
      () =>
        withTruthDir(async (dir) => {
          const port = await freePort();
          const base = `http://127.0.0.1:${port}`;
          const run = await runServer(
            [python.path, join(APPS, 'manage.py'), 'runserver', `127.0.0.1:${port}`],
            dir,
            async () => {
              const server = Number(await getWhenUp(`${base}/ping`));
              for (let i = 0; i < REQUESTS; i++) await getWhenUp(`${base}/work`);
              // The reloader exits with its child's status: the run ends with both.
              process.kill(server, 'SIGTERM');
            },
          );
          assertChildren(run, REQUESTS, `${python.label} Django`);
          assertServedBy(run, 'work', `${python.label} Django`);
          const server = processesOf(run.profile).find((p) => p.pid === run.truths[0].pid);
          assert.equal(server?.parent, 0, 'the serving process is the reloader’s child');
        }),
    );
  }

  for (const python of ends) {
    test(
      `${python.label} (oldest and newest only): gunicorn's two workers serve the requests`,
      { timeout: 90_000 },
      () =>
        withTruthDir(async (dir) => {
          const port = await freePort();
          const url = `http://127.0.0.1:${port}/work`;
          const run = await runServer(
            [
              python.path,
              '-m',
              'gunicorn',
              '--chdir',
              APPS,
              '--workers',
              '2',
              '--bind',
              `127.0.0.1:${port}`,
              'wsgi_app:app',
            ],
            dir,
            async (session) => {
              await getWhenUp(`http://127.0.0.1:${port}/ping`);
              // At once, so that both workers take some.
              await Promise.all(Array.from({ length: REQUESTS }, () => getWhenUp(url)));
              session.stop(); // SIGINT: the master stops its workers and exits
            },
          );
          assertChildren(run, REQUESTS, `${python.label} gunicorn`);
          assertServedBy(run, 'app', `${python.label} gunicorn`);
        }),
    );

    test(
      `${python.label} (oldest and newest only): pytest-xdist's two workers run the tests`,
      { timeout: 90_000 },
      () =>
        withTruthDir(async (dir) => {
          const run = await runFamily(
            [
              python.path,
              '-m',
              'pytest',
              '-n',
              '2',
              '-p',
              'no:cacheprovider',
              '-q',
              join(APPS, 'test_xdist_work.py'),
            ],
            dir,
            { env: { PYTHONPATH: (packages as { dir: string }).dir, HOTPATH_TRUTH_DIR: dir } },
          );
          assert.equal(run.result.exitCode, 0, 'the tests passed');
          assertChildren(run, REQUESTS, `${python.label} xdist`);
          assertServedBy(run, 'test_work', `${python.label} xdist`);
        }),
    );
  }
});
