/**
 * The processes Show Current Stacks shows: the one picked and, under `hotpath.followSubprocesses`,
 * its descendants (a program stuck in a Pool worker or a subprocess waits in its parent). What a
 * process item and the view's message say, and which processes keep their last stacks after a
 * Refresh finds them gone. No `vscode` import: unit-tested on literal dumps.
 */
import { processLabel } from '../model/rawProfile';
import type { FamilyDump, StackDump } from '../session/stackDump';

/** One process shown: as read now, or gone since and kept with the stacks of `goneAfter`. */
export interface ShownProcess extends FamilyDump {
  /** It was not there at the last read: `dump` is from this earlier one (hh:mm:ss). */
  goneAfter?: string;
}

/** What a process item reads: its label, its one-line description and its tooltip. */
export interface ProcessText {
  label: string;
  description: string;
  tooltip: string;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A note from the reader on one line (the item's description is one line). */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `pid 1234 (worker.py)`: an interpreter's script (processLabel), another program's own name. */
function label(process: ShownProcess): string {
  const program = process.argv[0]?.slice(process.argv[0].lastIndexOf('/') + 1) ?? '';
  if (process.dump || program.startsWith('python') || !program) return processLabel(process);
  return `pid ${process.pid} (${program})`;
}

export function processText(process: ShownProcess, root: number): ProcessText {
  const parent = process.pid === root ? '' : ` · child of ${process.ppid}`;
  const command = process.argv.length ? process.argv.join(' ') : '(command line not readable)';
  const tooltip = `Process ${process.pid} (parent ${process.ppid}): ${command}`;
  const { dump } = process;
  if (!dump) {
    const note = oneLine(process.note ?? 'not read');
    return { label: label(process), description: note, tooltip: `${tooltip}\n${note}` };
  }
  const read = `Python ${dump.python.version} · ${plural(dump.threads.length, 'thread')}`;
  const gone = process.goneAfter ? `gone · stacks from ${process.goneAfter} · ` : '';
  return { label: label(process), description: `${gone}${read}${parent}`, tooltip };
}

/**
 * The family read now, with each process that was shown with stacks at the last read and has
 * gone since (left the family, or exited between the look at /proc and its read) kept with those
 * stacks, after its parent and the processes below it; parents still come before children. A
 * process kept gone once is not kept again: the Refresh after shows only what is there (a Pool
 * that keeps replacing its workers does not pile them up).
 */
export function keepGone(
  previous: readonly ShownProcess[],
  now: readonly FamilyDump[],
  lastRead: string,
): ShownProcess[] {
  const present = new Map(now.map((p) => [p.pid, p]));
  const gone = previous.filter((p) => {
    if (!p.dump || p.goneAfter) return false;
    const current = present.get(p.pid);
    return current === undefined || (!current.dump && current.code === 'HOTPATH_NO_PROCESS');
  });
  const goneIds = new Set(gone.map((p) => p.pid));
  const shown: ShownProcess[] = now.filter((p) => !goneIds.has(p.pid));
  for (const process of gone) {
    const kept: ShownProcess = { ...process, goneAfter: lastRead };
    // After the parent's subtree as shown so far, or last when its parent is not shown.
    const parent = shown.findIndex((p) => p.pid === process.ppid);
    if (parent < 0) {
      shown.push(kept);
      continue;
    }
    const below = new Set([process.ppid]);
    let at = parent + 1;
    while (at < shown.length && below.has(shown[at].ppid)) below.add(shown[at++].pid);
    shown.splice(at, 0, kept);
  }
  return shown;
}

/**
 * What the view shows after a read of `family`: at a Refresh (`previous` shown, `lastRead` its
 * time) the gone descendants are kept (keepGone), but only when descendants were looked for (with
 * the setting off, they are not gone, only not read).
 */
export function shownAfterRead(
  family: readonly FamilyDump[],
  refresh: { previous: readonly ShownProcess[]; lastRead: string; followed: boolean } | undefined,
): ShownProcess[] {
  if (!refresh?.followed) return [...family];
  return keepGone(refresh.previous, family, refresh.lastRead);
}

/** The dumps whose threads are marked on the code: every process read now (not the gone ones). */
export function markedDumps(processes: readonly ShownProcess[]): StackDump[] {
  return processes.flatMap((p) => (p.dump && !p.goneAfter ? [p.dump] : []));
}

/** The view's message for several processes (one process keeps its own, see currentStacks.ts). */
export function familyMessage(processes: readonly ShownProcess[], readAt: string): string {
  const [root] = processes;
  const fresh = processes.filter((p) => p.dump && !p.goneAfter);
  const threads = fresh.reduce((n, p) => n + (p.dump?.threads.length ?? 0), 0);
  const parts = [
    `Process ${root.pid} and ${plural(processes.length - 1, 'descendant')}`,
    `${plural(fresh.length, 'process', 'processes')}, ${plural(threads, 'thread')} read at ${readAt}`,
  ];
  const unread = processes.filter((p) => !p.dump).length;
  if (unread) parts.push(`${unread} not read`);
  const gone = processes.filter((p) => p.goneAfter).length;
  if (gone) parts.push(`${gone} gone since the last read`);
  const dropped = fresh.reduce((n, p) => n + (p.dump?.droppedThreads ?? 0), 0);
  if (dropped) parts.push(`${dropped} ${dropped === 1 ? 'thread' : 'threads'} not shown (changing too fast)`);
  return parts.join(' · ');
}
