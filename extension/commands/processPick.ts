/**
 * The one way to pick a running Python process of this user (Attach to Process…, Show Current
 * Stacks…): a quick pick of the processes /proc shows, by pid, executable and command line.
 */
import * as vscode from 'vscode';
import { listPythonProcesses } from '../run/processList';

/** The pid picked, or undefined when there is none or the pick was dismissed. */
export async function pickPythonProcess(title: string, placeHolder: string): Promise<number | undefined> {
  const processes = await listPythonProcesses().catch(() => []);
  if (processes.length === 0) {
    void vscode.window.showInformationMessage('Hotpath: no Python process of yours is running.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    processes.map((p) => ({
      label: `$(terminal) ${p.pid}`,
      description: p.executable,
      detail: p.command,
      pid: p.pid,
    })),
    { title, matchOnDetail: true, placeHolder },
  );
  return picked?.pid;
}
