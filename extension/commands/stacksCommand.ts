/**
 * Show Current Stacks…: pick a Python process of this user (as Attach to Process… does) and show
 * where each of its threads is now; Refresh reads it again, Close takes it away. Reading another
 * program's memory is refused in an untrusted workspace, as attaching is.
 */
import type { CurrentStacks } from '../stacks/currentStacks';
import { pickPythonProcess } from './processPick';
import { requireTrust } from './workspaceTrust';

export async function showCurrentStacks(stacks: CurrentStacks, pid?: number): Promise<void> {
  if (!requireTrust("showing a process's stacks reads another program")) return;
  const target =
    pid ??
    (await pickPythonProcess('Hotpath: show the current stacks of a Python process', 'Pick a process'));
  if (target !== undefined) await stacks.show(target);
}

export async function refreshCurrentStacks(stacks: CurrentStacks): Promise<void> {
  const pid = stacks.shownPid;
  if (pid === undefined) return showCurrentStacks(stacks);
  if (!requireTrust("showing a process's stacks reads another program")) return;
  await stacks.show(pid);
}
