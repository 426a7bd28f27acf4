/**
 * The interpreter step of a run: choose, check, and on failure explain with a
 * button to pick another. Returns undefined when the run cannot go ahead.
 */
import * as vscode from 'vscode';
import type { CheckedInterpreter } from '../run/interpreterChoice';
import { checkInterpreter, reportInterpreterProblem } from '../run/interpreterChoice';

export async function chooseAndCheck(
  uri: vscode.Uri,
  env: NodeJS.ProcessEnv,
): Promise<Extract<CheckedInterpreter, { ok: true }> | undefined> {
  const checked = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Hotpath: checking the Python interpreter' },
    () => checkInterpreter(uri, env),
  );
  if (checked.ok) return checked;
  void reportInterpreterProblem(checked);
  return undefined;
}
