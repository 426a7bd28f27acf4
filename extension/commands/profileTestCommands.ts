/**
 * Profile test (a CodeLens above each test) and Profile Tests in File: runs
 * one test, a test class or every test of the file under the profiler with
 * the file's interpreter and the workspace's `python.testing.*` settings
 * (`python -m pytest file::Class::test`, `python -m unittest mod.Class.test`).
 * A failing test still shows its profile; the run says that it failed.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { setting } from '../contributions/settings';
import { buildEnv, intervalForRate } from '../run/launchSettings';
import { discoverTests, mentionsPytest, type DiscoveredTest } from '../testing/testDiscovery';
import { testLaunch, type TestSettings } from '../testing/testLaunch';
import { chooseAndCheck } from './interpreterStep';
import { directoryExists, refuseWhileRunning, savedPythonFile } from './profileFileCommands';
import type { Services } from './services';
import { requireTrust } from './workspaceTrust';

/**
 * Runs the test at `testPath` (names from the module down) of `target`, or
 * every test of the file when `testPath` is undefined. Resolves when the run
 * has ended and its profile is shown.
 */
export async function profileTests(
  services: Services,
  target: vscode.Uri | undefined,
  testPath: readonly string[] | undefined,
): Promise<void> {
  if (!requireTrust('profiling a test runs it')) return;
  if (await refuseWhileRunning(services)) return;
  const uri = await savedPythonFile(target);
  if (!uri) return;
  const source = (await vscode.workspace.openTextDocument(uri)).getText();
  const tests = discoverTests(source);
  const name = path.basename(uri.fsPath);
  let test: DiscoveredTest | undefined;
  if (testPath) {
    test = tests.find((t) => t.path.join('::') === testPath.join('::'));
    if (!test) {
      void vscode.window.showErrorMessage(
        `Hotpath: ${name} has no test ${testPath.join('::')} (renamed or deleted?). [HOTPATH_NO_TEST]`,
      );
      return;
    }
  } else if (tests.length === 0) {
    void vscode.window.showErrorMessage(
      `Hotpath: ${name} has no pytest or unittest tests (test* functions, Test* classes, TestCase subclasses). [HOTPATH_NO_TEST]`,
    );
    return;
  }

  const testing = vscode.workspace.getConfiguration('python.testing', uri);
  const settings: TestSettings = {
    pytestEnabled: testing.get<boolean>('pytestEnabled'),
    unittestEnabled: testing.get<boolean>('unittestEnabled'),
    pytestArgs: stringArray(testing.get('pytestArgs')),
    unittestArgs: stringArray(testing.get('unittestArgs')),
    cwd: testing.get<string>('cwd'),
  };
  let launch;
  try {
    launch = testLaunch(settings, {
      file: uri.fsPath,
      test,
      workspaceFolder: vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath,
      mentionsPytest: mentionsPytest(source),
      onlyUnittest: tests.every((t) => t.style === 'unittest'),
    });
  } catch (error) {
    void vscode.window.showErrorMessage(`Hotpath: ${(error as Error).message} [HOTPATH_TEST_SETTINGS]`);
    return;
  }

  const env = buildEnv(process.env, setting('env', uri));
  if (launch.pythonPath.length > 0) {
    env.PYTHONPATH = [...launch.pythonPath, env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  }
  const interpreter = await chooseAndCheck(uri, env);
  if (!interpreter) return;
  if (!(await directoryExists(launch.cwd, 'python.testing.cwd'))) return;
  if (launch.framework === 'pytest' && !(await canImport(interpreter.path, 'pytest', launch.cwd, env))) {
    void vscode.window.showErrorMessage(
      `Hotpath: pytest is not installed for ${interpreter.path}. Install it (\`${interpreter.path} -m pip install pytest\`) or choose the environment that has it. [HOTPATH_NO_PYTEST]`,
    );
    return;
  }

  await services.runs.run({
    kind: 'spawn',
    argv: [interpreter.path, ...launch.args],
    cwd: launch.cwd,
    env,
    interpreter: { path: interpreter.path, version: interpreter.info.version },
    intervalUs: intervalForRate(setting('samplingRate', uri)),
    followChildren: setting('followSubprocesses', uri),
    asyncTasks: setting('asyncTasks', uri),
    label: launch.label,
    resource: uri,
    test: { framework: launch.framework },
  });
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** True when `python -c "import module"` succeeds (asynchronously: the extension host never waits). */
function canImport(python: string, module: string, cwd: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(python, ['-c', `import ${module}`], { cwd, env, timeout: 30_000 }, (error) => resolve(!error));
  });
}
