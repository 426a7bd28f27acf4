/**
 * The one refusal of an untrusted workspace: the run commands stay visible
 * (a flame button that vanishes explains nothing) and, when used, say why
 * they run nothing and offer the way to trust the workspace.
 */
import * as vscode from 'vscode';

const MANAGE_TRUST = 'Manage Workspace Trust';

/** True when the workspace is trusted; otherwise shows the HOTPATH_UNTRUSTED message and returns false. */
export function requireTrust(why: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showErrorMessage(
      `Hotpath: ${why}, so it is disabled in an untrusted workspace. Trust the workspace to use it. [HOTPATH_UNTRUSTED]`,
      MANAGE_TRUST,
    )
    .then((answer) => {
      if (answer === MANAGE_TRUST) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
