/**
 * Attach to Process…: pick a Python process of this user, then sample it for
 * a number of seconds or until Stop. The process itself is never signalled.
 */
import * as vscode from 'vscode';
import { intervalForRate } from '../run/launchSettings';
import { pickPythonProcess } from './processPick';
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
    asyncTasks: setting('asyncTasks'),
    label: `process ${target.pid}`,
  });
}

/** Asks which process, and for how long. */
async function pickTarget(): Promise<AttachTarget | undefined> {
  const pid = await pickPythonProcess('Hotpath: attach to a Python process', 'Pick a process to sample');
  if (pid === undefined) return undefined;
  const duration = await vscode.window.showInputBox({
    title: `Hotpath: sample process ${pid} for how long?`,
    prompt: `Seconds, or leave empty to sample ${UNTIL_STOP} (or until the process exits)`,
    value: '10',
    validateInput: (value) =>
      value.trim() === '' || (Number(value) > 0 && Number.isFinite(Number(value)))
        ? undefined
        : 'A positive number of seconds, or empty',
  });
  if (duration === undefined) return undefined;
  return { pid, durationS: duration.trim() === '' ? undefined : Number(duration) };
}
