'use strict';
// Profile test: the CodeLens above each test of examples/test_primes.py, and Profile Tests in
// File, run real pytest and unittest under the profiler with the workspace's test settings; the
// time lands in the test and in primes.py, the code under test. pytest comes from the virtual
// environment scripts/pytest-venv.mjs makes (run.mjs passes its interpreter in
// HOTPATH_E2E_PYTEST_PYTHON); without it these tests are skipped and say why.
const assert = require('node:assert/strict');
const { mkdirSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { after, before, describe, it } = require('mocha');
const vscode = require('vscode');
const {
  activateHotpath,
  codeLenses,
  lineOf,
  openFile,
  readProfile,
  savedProfiles,
  waitFor,
  workspaceDir,
} = require('./helpers');
const { log } = require('./lineReporter');

const PYTHON = process.env.HOTPATH_E2E_PYTEST_PYTHON;
const HOT_CODE = 'if n % divisor == 0';
const PYTEST_ARGS = ['-p', 'no:cacheprovider', '-q'];

async function profileLenses(uri) {
  return (await codeLenses(uri)).filter(
    (lens) => lens.command && lens.command.command === 'hotpath.profileTest',
  );
}

/** Runs a command and waits for the profile it saves. */
async function newProfile(run) {
  const before = new Set(savedProfiles());
  await run();
  return readProfile(
    await waitFor(() => savedProfiles().find((file) => !before.has(file)), {
      timeoutMs: 60_000,
      what: 'a saved profile in .hotpath/',
    }),
  );
}

/** The 1-based lines of a file that carry annotations. */
function annotatedLines(api, uri) {
  return (api.annotations(uri) || []).map((line) => line.line);
}

describe('Profile test (pytest and unittest)', () => {
  let api;
  const settingsFile = () => path.join(workspaceDir(), '.vscode', 'settings.json');

  before(async function () {
    if (!PYTHON) {
      log(`      skipped: ${process.env.HOTPATH_E2E_PYTEST_MISSING || 'no Python with pytest was given'}`);
      this.skip();
    }
    api = await activateHotpath();
    // python.testing.* belong to the Python extension, which is not installed here: VS Code
    // cannot write them, but reads them from the workspace's settings file like the extension.
    mkdirSync(path.dirname(settingsFile()), { recursive: true });
    writeFileSync(
      settingsFile(),
      JSON.stringify({ 'hotpath.pythonPath': PYTHON, 'python.testing.pytestArgs': ['.', ...PYTEST_ARGS] }),
    );
    await waitFor(() => vscode.workspace.getConfiguration('hotpath').get('pythonPath') === PYTHON, {
      what: 'the workspace settings to be read',
    });
  });

  after(() => rmSync(path.dirname(settingsFile()), { recursive: true, force: true }));

  it('shows Profile test above each test and test class, on the first decorator line', async () => {
    const { uri, document } = await openFile('test_primes.py');
    const lenses = await waitFor(async () => {
      const found = await profileLenses(uri);
      return found.length > 0 && found;
    });
    const lines = lenses.map((lens) => lens.range.start.line).sort((a, b) => a - b);
    const expected = [
      lineOf(document, '@pytest.mark.parametrize'),
      lineOf(document, 'class TestIsPrime'),
      lineOf(document, 'def test_small_primes'),
      lineOf(document, 'def test_large_prime'),
    ];
    assert.deepEqual(lines, expected);
    const parametrised = lenses.find((lens) => lens.range.start.line === expected[0]);
    assert.deepEqual(parametrised.command.arguments[1], ['test_both_methods_agree']);
    // Not a test file: no lens.
    const primes = await openFile('primes.py');
    assert.deepEqual(await profileLenses(primes.uri), []);
  });

  it('runs the test under its lens with pytest and paints the test and the code under test', async () => {
    const test = await openFile('test_primes.py');
    const lens = (await profileLenses(test.uri)).find((candidate) =>
      candidate.command.arguments[1].includes('test_both_methods_agree'),
    );
    const profile = await newProfile(() =>
      vscode.commands.executeCommand(lens.command.command, ...lens.command.arguments),
    );
    // The workspace's pytestArgs without the folder it names (that would collect every test).
    assert.deepEqual(profile.meta.argv.slice(1), [
      '-m',
      'pytest',
      ...PYTEST_ARGS,
      'test_primes.py::test_both_methods_agree',
    ]);
    assert.equal(profile.meta.exitCode, 0);
    const primes = await openFile('primes.py');
    const hot = lineOf(primes.document, HOT_CODE) + 1;
    await waitFor(() => annotatedLines(api, primes.uri).includes(hot), { what: `primes.py:${hot} painted` });
    const testLine = lineOf(test.document, 'assert primes_by_trial_division(limit)') + 1;
    assert.ok(
      annotatedLines(api, test.uri).includes(testLine),
      `the test's line ${testLine} is not painted: ${annotatedLines(api, test.uri)}`,
    );
  });

  it('a failing test still shows its profile', async () => {
    const failing = await openFile('test_failing.py');
    const [lens] = await profileLenses(failing.uri);
    assert.ok(lens, 'no Profile test lens in test_failing.py');
    const profile = await newProfile(() =>
      vscode.commands.executeCommand(lens.command.command, ...lens.command.arguments),
    );
    assert.equal(profile.meta.exitCode, 1, 'pytest says the test failed');
    const primes = await openFile('primes.py');
    const hot = lineOf(primes.document, HOT_CODE) + 1;
    await waitFor(() => annotatedLines(api, primes.uri).includes(hot), { what: `primes.py:${hot} painted` });
  });

  it('Profile Tests in File runs a file of TestCases with unittest', async () => {
    const unit = await openFile('test_primes_unittest.py');
    const profile = await newProfile(() => vscode.commands.executeCommand('hotpath.profileTestsInFile'));
    assert.deepEqual(profile.meta.argv.slice(1), ['-m', 'unittest', 'test_primes_unittest']);
    assert.equal(profile.meta.exitCode, 0);
    const testLine = lineOf(unit.document, 'self.assertEqual(primes_by_trial_division') + 1;
    await waitFor(() => annotatedLines(api, unit.uri).includes(testLine), {
      what: `test_primes_unittest.py:${testLine} painted`,
    });
  });
});
