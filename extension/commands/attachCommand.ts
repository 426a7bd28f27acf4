/**
 * Attach to Process…: pick a Python process of this user, then sample it for
 * a number of seconds or until Stop. The process itself is never signalled.
 */
import * as vscode from 'vscode';
import { listPythonProcesses } from '../run/processList';
import { intervalForRate } from '../run/launchSettings';
import type { Services } from './services';
import { requireTrust } from './workspaceTrust';
import { setting } from '../contributions/settings';

const UNTIL_STOP = 'until Stop';

/** A process and how long to sample it (undefined: until Stop or until it exits). */
export interface AttachTarget {
  pid: number;
  durationS: number | undefined;
}

export async function attachToProcess(services: Services, given?: AttachTarget): Promise<void> {
  if (!requireTrust('attaching reads another program')) return;
  if (services.runs.running) {
    void vscode.window.showWarningMessage('Hotpath: a profile is already running. Stop it first.');
    return;
  }
  const target = given ?? (await pickTarget());
  if (!target) return;
  await services.runs.run({
    kind: 'attach',
    pid: target.pid,
    durationS: target.durationS,
    intervalUs: intervalForRate(setting('samplingRate')),
    label: `process ${target.pid}`,
  });
}

/** Asks which process, and for how long. */
async function pickTarget(): Promise<AttachTarget | undefined> {
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
    {
      title: 'Hotpath: attach to a Python process',
      matchOnDetail: true,
      placeHolder: 'Pick a process to sample',
    },
  );
  if (!picked) return undefined;
  const duration = await vscode.window.showInputBox({
    title: `Hotpath: sample process ${picked.pid} for how long?`,
    prompt: `Seconds, or leave empty to sample ${UNTIL_STOP} (or until the process exits)`,
    value: '10',
    validateInput: (value) =>
      value.trim() === '' || (Number(value) > 0 && Number.isFinite(Number(value)))
        ? undefined
        : 'A positive number of seconds, or empty',
  });
  if (duration === undefined) return undefined;
  return { pid: picked.pid, durationS: duration.trim() === '' ? undefined : Number(duration) };
}
