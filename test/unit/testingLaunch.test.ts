import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chooseFramework,
  pytestOptions,
  testLaunch,
  testOutcome,
  unittestOptions,
  type TestTarget,
} from '../../extension/testing/testLaunch';

const WS = '/ws';
const pytestTarget: TestTarget = {
  file: '/ws/tests/test_calc.py',
  test: { path: ['TestAdd', 'test_small'], style: 'pytest' },
  workspaceFolder: WS,
  mentionsPytest: true,
  onlyUnittest: false,
};
const unittestTarget: TestTarget = {
  file: '/ws/tests/test_calc.py',
  test: { path: ['CalcCase', 'test_add'], style: 'unittest' },
  workspaceFolder: WS,
  mentionsPytest: false,
  onlyUnittest: true,
};

test('pytest: a node id relative to the cwd, the options of pytestArgs without its paths', () => {
  const launch = testLaunch(
    { pytestArgs: ['tests', '-x', '--rootdir', '.', '-k', 'small or big'] },
    pytestTarget,
  );
  assert.deepEqual(launch, {
    framework: 'pytest',
    args: [
      '-m',
      'pytest',
      '-x',
      '--rootdir',
      '.',
      '-k',
      'small or big',
      'tests/test_calc.py::TestAdd::test_small',
    ],
    cwd: WS,
    pythonPath: [],
    label: 'test_calc.py::TestAdd::test_small',
  });
  // The whole file; a file outside the cwd by its absolute path.
  const whole = testLaunch({ cwd: '${workspaceFolder}/sub' }, { ...pytestTarget, test: undefined });
  assert.equal(whole.cwd, '/ws/sub');
  assert.deepEqual(whole.args, ['-m', 'pytest', '/ws/tests/test_calc.py']);
  assert.equal(whole.label, 'test_calc.py');
});

test('pytest options: xdist workers are dropped (their processes are not sampled)', () => {
  assert.deepEqual(pytestOptions(['-n', '4', '-q', '-n4', '--numprocesses=2', 'src/', '--tb=short']), [
    '-q',
    '--tb=short',
  ]);
});

test('unittest: a dotted name from the top-level folder, which goes on PYTHONPATH', () => {
  const plain = testLaunch({ unittestArgs: ['-v', '-s', '.', '-p', 'test_*.py'] }, unittestTarget);
  assert.deepEqual(plain, {
    framework: 'unittest',
    args: ['-m', 'unittest', '-v', 'tests.test_calc.CalcCase.test_add'],
    cwd: WS,
    pythonPath: [],
    label: 'test_calc.py::CalcCase::test_add',
  });
  const fromTests = testLaunch({ unittestArgs: ['-s', './tests', '-p', '*_test.py'] }, unittestTarget);
  assert.deepEqual(fromTests.args, ['-m', 'unittest', 'test_calc.CalcCase.test_add']);
  assert.deepEqual(fromTests.pythonPath, ['/ws/tests']);
  assert.deepEqual(unittestOptions(['-t', 'src', '-s', 'src/tests', '-f', '-k', 'add'], WS), {
    options: ['-f', '-k', 'add'],
    topLevel: '/ws/src',
  });
  assert.throws(
    () => testLaunch({ unittestArgs: ['-s', 'other'] }, unittestTarget),
    /outside \/ws\/other.*unittestArgs/,
  );
});

test('the framework: the settings first, then what the file says', () => {
  assert.equal(chooseFramework({}, unittestTarget), 'unittest');
  assert.equal(chooseFramework({ pytestEnabled: true }, unittestTarget), 'pytest');
  assert.equal(chooseFramework({}, { ...unittestTarget, mentionsPytest: true }), 'pytest');
  assert.equal(
    chooseFramework({ unittestEnabled: true }, { ...unittestTarget, mentionsPytest: true }),
    'unittest',
  );
  // A plain test function needs pytest whatever the settings say.
  assert.equal(chooseFramework({ unittestEnabled: true }, pytestTarget), 'pytest');
  // The whole file: unittest only when all of its tests are TestCases.
  assert.equal(chooseFramework({}, { ...unittestTarget, test: undefined }), 'unittest');
  assert.equal(chooseFramework({}, { ...pytestTarget, test: undefined }), 'pytest');
});

test('exit codes say what happened to the tests', () => {
  assert.equal(testOutcome('pytest', 0), undefined);
  assert.equal(testOutcome('pytest', 1), 'failed');
  assert.equal(testOutcome('unittest', 1), 'failed');
  assert.equal(testOutcome('pytest', 5), 'found no test to run');
  assert.match(testOutcome('pytest', 4)!, /usage error/);
  assert.equal(testOutcome('unittest', 2), 'exited with code 2');
  assert.equal(testOutcome('pytest', null), 'did not finish');
});
