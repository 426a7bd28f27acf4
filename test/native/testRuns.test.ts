/**
 * Profiling tests for real: a small project (test/native/scripts/test_project: code under test,
 * a pytest file with a fixture, a parametrised test, a class and a failing test, a unittest
 * file) run by real pytest and unittest under the sampler, with the command lines that the
 * editor's "Profile test" builds from the parsed file and the test settings. The code under test
 * marks the line it spins on, so where the time must land is known.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FILE_KIND_USER } from '../../extension/model/fileKinds';
import type { RawProfile } from '../../extension/model/rawProfile';
import { createView, visibleAncestors } from '../../extension/model/processors';
import { ProfileSession, type SessionResult } from '../../extension/session/profileSession';
import { discoverTests, mentionsPytest } from '../../extension/testing/testDiscovery';
import { testLaunch, testOutcome, type TestSettings } from '../../extension/testing/testLaunch';
import {
  SCRIPTS_DIR,
  frameFile,
  frameName,
  lineOf,
  selfLines,
  stackFrames,
  topLine,
} from './groundTruth-helpers';

const PROJECT = join(SCRIPTS_DIR, 'test_project');
const CODE = join(PROJECT, 'inventory.py');
const PYTEST_FILE = join(PROJECT, 'tests', 'test_inventory.py');
const UNITTEST_FILE = join(PROJECT, 'tests', 'test_inventory_unittest.py');
const SPIN_LINE = lineOf(join('test_project', 'inventory.py'), '# SPIN');
/** Nothing written into the repository: no cache folder, no bytecode. */
const SETTINGS: TestSettings = { pytestArgs: ['tests', '-p', 'no:cacheprovider', '-q'] };

function pytestPython(): { python: string } | { missing: string } {
  try {
    const out = execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'pytest-venv.mjs')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { python: out.trim() };
  } catch (error) {
    return { missing: String((error as { stderr?: string }).stderr ?? error).trim() };
  }
}

const env = pytestPython();
const skip = 'missing' in env ? `no Python with pytest: ${env.missing}` : false;
const work = mkdtempSync(join(tmpdir(), 'hotpath-testruns-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs one test (by its path in the file) or the whole file as the editor's lens would. */
async function profileTest(
  file: string,
  testPath?: string[],
): Promise<SessionResult & { framework: string }> {
  const source = readFileSync(file, 'utf8');
  const tests = discoverTests(source);
  const test = testPath && tests.find((t) => t.path.join('::') === testPath.join('::'));
  if (testPath)
    assert.ok(test, `${testPath.join('::')} is not found in ${file}: ${tests.map((t) => t.path)}`);
  const launch = testLaunch(SETTINGS, {
    file,
    test,
    workspaceFolder: PROJECT,
    mentionsPytest: mentionsPytest(source),
    onlyUnittest: tests.every((t) => t.style === 'unittest'),
  });
  const python = (env as { python: string }).python;
  const session = ProfileSession.spawn({
    argv: [python, ...launch.args],
    cwd: launch.cwd,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'ignore', 'ignore'],
    intervalUs: 1000,
    spillPath: join(work, `${launch.label.replace(/\W+/g, '_')}.spill`),
  });
  return { ...(await session.result), framework: launch.framework };
}

/**
 * Who ran the code under test's spin loop, in time order: the test or fixture of `file` under each
 * sample spinning in inventory.py, repeats merged. Each test and fixture spins for 0.1 s or more
 * in one stretch, so each call is one entry however many ticks a busy machine delays: the order
 * says which tests ran, how often (a parametrised test once per case) and that the time landed
 * in the code under test below them.
 */
function spinCallers(profile: RawProfile, file: string): string[] {
  const callers: string[] = [];
  for (const stack of profile.sampleStack) {
    if (stack < 0) continue;
    const frames = stackFrames(profile, stack);
    const inner = frames[frames.length - 1];
    if (frameFile(profile, inner) !== CODE || frameName(profile, inner) !== 'spin') continue;
    const caller = frames.find((f) => frameFile(profile, f) === file);
    const name = caller === undefined ? '(elsewhere)' : frameName(profile, caller);
    if (callers[callers.length - 1] !== name) callers.push(name);
  }
  return callers;
}

/** The outermost frames the editor shows (library and start-up hidden): the test runner's are not among them. */
function visibleRoots(profile: RawProfile): Set<string> {
  const view = createView(profile, { mode: 'wall', hideLibrary: true, hideStartup: true });
  const visible = visibleAncestors(view);
  const roots = new Set<string>();
  for (let s = 0; s < profile.stackParent.length; s++) {
    if (visible[s] !== s) continue;
    let parent = profile.stackParent[s];
    while (parent >= 0 && visible[parent] !== parent) parent = profile.stackParent[parent];
    if (parent < 0)
      roots.add(`${frameFile(profile, profile.stackFrame[s])}:${frameName(profile, profile.stackFrame[s])}`);
  }
  const index = view.index;
  for (let f = 0; f < profile.frameFile.length; f++) {
    const file = frameFile(profile, f);
    if (/[\\/](_pytest|pluggy)[\\/]|[\\/]unittest[\\/]/.test(file))
      assert.notEqual(index.frameKind[f], FILE_KIND_USER, `${file} counts as the user's code`);
  }
  return roots;
}

/** A root the editor may show: the test project's code, or the collector run under hidden frames. */
const USER_ROOT = /test_project[\\/]|^<interpreter>:<GC>$/;

describe('profiling tests with real pytest and unittest', { skip }, () => {
  test('a parametrised pytest test runs every case; fixture and code under test are sampled', async () => {
    const result = await profileTest(PYTEST_FILE, ['test_total_weight']);
    assert.equal(result.framework, 'pytest');
    assert.equal(result.exitCode, 0, 'both cases pass');
    const { profile } = result;
    // Two cases of 0.25 s in total_weight, each after the fixture's 0.1 s.
    assert.deepEqual(spinCallers(profile, PYTEST_FILE), [
      'items',
      'test_total_weight',
      'items',
      'test_total_weight',
    ]);
    assert.equal(topLine(selfLines(profile, 'spin')), SPIN_LINE, 'the hot line of the code under test');
    // What the editor shows starts at the test file or the code it imports, never in pytest (or at
    // the collector's `<GC>`, when it ran under hidden start-up frames).
    const roots = [...visibleRoots(profile)];
    assert.ok(roots.length > 0);
    for (const root of roots) assert.match(root, USER_ROOT, `visible root ${root}`);
    assert.ok(
      roots.some((root) => root.endsWith('test_inventory.py:test_total_weight')),
      roots.join(', '),
    );
  });

  test('a failing test still gives its profile, and its exit code says it failed', async () => {
    const result = await profileTest(PYTEST_FILE, ['TestHeaviest', 'test_wrong']);
    assert.equal(result.exitCode, 1);
    assert.equal(testOutcome('pytest', result.exitCode), 'failed');
    // Only that test ran (with its fixture): none of its neighbours' time is there.
    assert.deepEqual(spinCallers(result.profile, PYTEST_FILE), ['items', 'TestHeaviest.test_wrong']);
  });

  test('unittest runs a TestCase method by its dotted name', async () => {
    const result = await profileTest(UNITTEST_FILE, ['InventoryCase', 'test_total']);
    assert.equal(result.framework, 'unittest');
    assert.equal(result.exitCode, 0);
    assert.deepEqual(spinCallers(result.profile, UNITTEST_FILE), ['InventoryCase.test_total']);
    for (const root of visibleRoots(result.profile)) assert.match(root, USER_ROOT, `visible root ${root}`);
  });

  test('every test of a file: all of them run, the failing one too', async () => {
    const result = await profileTest(PYTEST_FILE);
    assert.equal(result.exitCode, 1);
    assert.deepEqual(spinCallers(result.profile, PYTEST_FILE), [
      'items',
      'test_total_weight',
      'items',
      'test_total_weight',
      'items',
      'TestHeaviest.test_anvil',
      'items',
      'TestHeaviest.test_wrong',
    ]);
  });
});
