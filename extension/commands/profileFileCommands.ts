/**
 * Profile Current File (and … with Arguments…): from the active editor, an
 * editor title button or the Explorer. Saves the file first, refuses what
 * cannot run (untrusted workspace, untitled, not Python, missing), checks the
 * interpreter, then hands the run to the RunController.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { chooseAndCheck } from './interpreterStep';
import { buildEnv, intervalForRate, joinArgs, resolveCwd, splitArgs } from '../run/launchSettings';
import type { Services } from './services';
import { requireTrust } from './workspaceTrust';
import { setting } from '../contributions/settings';

/** workspaceState key prefix for the last arguments given to a file. */
const ARGS_KEY = 'hotpath.args:';

/**
 * How the arguments are chosen: the remembered or configured ones, asked for
 * in an input box, or given by the caller (a keybinding or another extension
 * passing an array); asked-for and given arguments are remembered per file.
 */
export type ArgsSource =
  | { kind: 'remembered' }
  | { kind: 'ask' }
  /** `remember: false`: for this run only (an agent's tool call), the user's arguments stay. */
  | { kind: 'given'; args: string[]; remember?: boolean };

export async function profileFile(
  services: Services,
  target?: vscode.Uri,
  argsSource: ArgsSource = { kind: 'remembered' },
): Promise<void> {
  if (!requireTrust('profiling runs the program')) return;
  if (await refuseWhileRunning(services)) return;
  const uri = await savedPythonFile(target);
  if (!uri) return;

  let args = setting('args', uri).map(String);
  const remembered = services.context.workspaceState.get<string[]>(ARGS_KEY + uri.fsPath);
  if (argsSource.kind === 'given') {
    args = argsSource.args;
    if (argsSource.remember !== false)
      await services.context.workspaceState.update(ARGS_KEY + uri.fsPath, args);
  } else if (argsSource.kind === 'ask') {
    const line = await vscode.window.showInputBox({
      title: `Profile ${path.basename(uri.fsPath)} with arguments`,
      prompt: 'Arguments for the script, as in a shell (quotes group words; nothing is expanded)',
      value: joinArgs(remembered ?? args),
      validateInput: (value) => {
        try {
          splitArgs(value);
          return undefined;
        } catch (error) {
          return (error as Error).message;
        }
      },
    });
    if (line === undefined) return;
    args = splitArgs(line);
    await services.context.workspaceState.update(ARGS_KEY + uri.fsPath, args);
  } else if (remembered) {
    args = remembered;
  }

  const env = buildEnv(process.env, setting('env', uri));
  const interpreter = await chooseAndCheck(uri, env);
  if (!interpreter) return;
  const cwd = resolveCwd(setting('cwd', uri), {
    workspaceFolder: vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath,
    file: uri.fsPath,
  });
  if (!(await directoryExists(cwd, 'hotpath.cwd'))) return;

  await services.runs.run({
    kind: 'spawn',
    argv: [interpreter.path, uri.fsPath, ...args],
    cwd,
    env,
    interpreter: { path: interpreter.path, version: interpreter.info.version },
    intervalUs: intervalForRate(setting('samplingRate', uri)),
    followChildren: setting('followSubprocesses', uri),
    asyncTasks: setting('asyncTasks', uri),
    label: path.basename(uri.fsPath),
    resource: uri,
  });
}

/** One run at a time: offers to stop the one going on. True when a run is going on. */
export async function refuseWhileRunning(services: Services): Promise<boolean> {
  if (!services.runs.running) return false;
  const answer = await vscode.window.showWarningMessage(
    'Hotpath: a profile is already running. Stop it first.',
    'Stop Profiling',
  );
  if (answer) services.runs.stop();
  return true;
}

/** False (and says which setting to fix) when the working directory is not a folder. */
export async function directoryExists(cwd: string, settingName: string): Promise<boolean> {
  try {
    if ((await fs.stat(cwd)).isDirectory()) return true;
  } catch {
    // Reported below.
  }
  void vscode.window.showErrorMessage(
    `Hotpath: the working directory ${cwd} does not exist. Fix the ${settingName} setting. [HOTPATH_BAD_CWD]`,
  );
  return false;
}

/**
 * The file to profile, saved to disk: the Explorer's selection or the active
 * editor. Untitled files are offered Save As; non-Python files are refused.
 */
export async function savedPythonFile(target: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const editor = vscode.window.activeTextEditor;
  let document = target
    ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString())
    : editor?.document;
  let uri = target ?? document?.uri;
  if (!uri) {
    void vscode.window.showErrorMessage('Hotpath: open a Python file to profile it. [HOTPATH_NO_FILE]');
    return undefined;
  }
  if (document?.isUntitled) {
    if (document.languageId !== 'python') {
      void vscode.window.showErrorMessage(
        'Hotpath: only Python files can be profiled; this untitled editor is not Python. [HOTPATH_NOT_PYTHON_FILE]',
      );
      return undefined;
    }
    const answer = await vscode.window.showWarningMessage(
      'Hotpath: this file has never been saved. Save it to profile it.',
      'Save As…',
    );
    if (!answer) return undefined;
    const saved = await vscode.workspace.save(document.uri);
    if (!saved) return undefined;
    uri = saved;
    document = await vscode.workspace.openTextDocument(saved);
  }
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(
      `Hotpath: ${uri.toString()} is not a local file, so it cannot be run here. [HOTPATH_NOT_LOCAL_FILE]`,
    );
    return undefined;
  }
  const isPython = document ? document.languageId === 'python' : /\.pyw?$/i.test(uri.fsPath);
  if (!isPython) {
    const kind = document ? `a ${document.languageId} file` : 'not a .py file';
    void vscode.window.showErrorMessage(
      `Hotpath: ${path.basename(uri.fsPath)} is ${kind}; only Python files can be profiled. [HOTPATH_NOT_PYTHON_FILE]`,
    );
    return undefined;
  }
  if (document?.isDirty && !(await document.save())) {
    void vscode.window.showErrorMessage(
      `Hotpath: ${path.basename(uri.fsPath)} could not be saved, so it was not run. [HOTPATH_SAVE_FAILED]`,
    );
    return undefined;
  }
  try {
    await fs.access(uri.fsPath);
  } catch {
    void vscode.window.showErrorMessage(
      `Hotpath: ${uri.fsPath} does not exist on disk (deleted or moved?). [HOTPATH_NO_FILE]`,
    );
    return undefined;
  }
  return uri;
}
