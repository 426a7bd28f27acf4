/**
 * Which interpreter runs a file: the Python extension's active environment for
 * the file's folder when that extension is installed, else the
 * `hotpath.pythonPath` setting, else `python3` on PATH. The choice is then
 * vetted by the session core (version, implementation, build) before anything
 * runs; when it fails, the user gets a button to choose another.
 */
import { PythonExtension } from '@vscode/python-extension';
import * as vscode from 'vscode';
import type { HotpathError } from '../session/errors';
import type { InterpreterInfo } from '../session/interpreter';
import { checkInterpreterVersion, resolveInterpreter } from '../session/interpreter';
import { toHotpathError } from '../session/errors';
import { setting } from '../contributions/settings';

const PYTHON_EXTENSION_ID = 'ms-python.python';

export type InterpreterSource = 'python-extension' | 'setting' | 'default';

export interface InterpreterChoice {
  /** What was configured: a path or a bare name. */
  configured: string;
  source: InterpreterSource;
}

/** The interpreter configured for a file, without checking it. */
export async function chooseInterpreter(resource: vscode.Uri | undefined): Promise<InterpreterChoice> {
  const fromExtension = await activeEnvironment(resource);
  if (fromExtension) return { configured: fromExtension, source: 'python-extension' };
  const configured = setting('pythonPath', resource).trim();
  if (configured) return { configured, source: 'setting' };
  return { configured: 'python3', source: 'default' };
}

async function activeEnvironment(resource: vscode.Uri | undefined): Promise<string | undefined> {
  if (!vscode.extensions.getExtension(PYTHON_EXTENSION_ID)) return undefined;
  try {
    const api = await PythonExtension.api();
    const environments = api.environments;
    const active = environments.getActiveEnvironmentPath(resource);
    const resolved = await environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? active.path;
  } catch {
    // The Python extension failed to activate: fall back to our own setting.
    return undefined;
  }
}

export type CheckedInterpreter =
  | { ok: true; path: string; info: InterpreterInfo; choice: InterpreterChoice }
  | { ok: false; error: HotpathError; choice: InterpreterChoice };

/** Resolves and checks the configured interpreter (PATH lookup, version, build). */
export async function checkInterpreter(
  resource: vscode.Uri | undefined,
  env: NodeJS.ProcessEnv,
): Promise<CheckedInterpreter> {
  const choice = await chooseInterpreter(resource);
  try {
    const path = await resolveInterpreter(choice.configured, env);
    const info = await checkInterpreterVersion(path, { env });
    return { ok: true, path, info, choice };
  } catch (error) {
    return { ok: false, error: toHotpathError(error), choice };
  }
}

/**
 * Shows why the interpreter cannot be used, with a button that leads to where
 * it is chosen: the Python extension's picker when it chose, else the setting.
 */
export async function reportInterpreterProblem(
  problem: Extract<CheckedInterpreter, { ok: false }>,
): Promise<void> {
  const fromExtension = problem.choice.source === 'python-extension';
  const button = fromExtension ? 'Select Interpreter' : 'Open Setting';
  const where =
    problem.choice.source === 'python-extension'
      ? ' (chosen by the Python extension)'
      : problem.choice.source === 'setting'
        ? ' (from hotpath.pythonPath)'
        : ' (python3 on PATH; set hotpath.pythonPath to use another)';
  const answer = await vscode.window.showErrorMessage(
    `Hotpath cannot profile with this interpreter${where}: ${problem.error.message} [${problem.error.code}]`,
    button,
  );
  if (answer !== button) return;
  if (fromExtension) await vscode.commands.executeCommand('python.setInterpreter');
  else await vscode.commands.executeCommand('workbench.action.openSettings', 'hotpath.pythonPath');
}
