/**
 * Is the CLI in the foreground of its terminal? Then a Ctrl-C (and a hang-up)
 * reaches the whole foreground process group, the program included, and the
 * program must stay in that group to read the terminal. Elsewhere (a
 * supervisor, an IDE, CI, `timeout`, the background) a signal reaches only
 * the processes it was sent to, so the CLI passes it on to the program.
 *
 *   inTerminalForeground()     — share the terminal (same group) or get a session of its own
 *   reachedProgramToo(origin)  — in the foreground: did a SIGINT reach the program directly?
 */
import { readFileSync } from 'node:fs';
import type { SignalOrigin } from '../native/nativeApi';

/** Fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number | 'self'): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp session tty_nr tpgid …
  } catch {
    return undefined;
  }
}

export function inTerminalForeground(): boolean {
  const fields = statFields('self');
  if (!fields) return true; // no /proc: keep the program in our group, as a shell would
  const pgrp = Number(fields[2]);
  const ttyNr = Number(fields[4]);
  const foregroundGroup = Number(fields[5]);
  return ttyNr !== 0 && foregroundGroup === pgrp;
}

/** si_code of a signal the kernel generated (a terminal's Ctrl-C, a hang-up). */
const SI_KERNEL = 0x80;

/**
 * In a terminal's foreground: did this signal reach the program too? Yes when the terminal sent
 * it (to the whole foreground group) or a process of our own group did (the program itself, or
 * a kill of the group from inside it). No when another process sent it to the CLI alone (`kill
 * -INT`, an IDE's stop button). Unknown origins count as "reached it": passing a signal on twice
 * is worse than asking for a second Ctrl-C.
 */
export function reachedProgramToo(origin: SignalOrigin | undefined): boolean {
  if (!origin || origin.count === 0 || origin.pid <= 0 || origin.code === SI_KERNEL) return true;
  const ours = statFields('self')?.[2];
  const senders = statFields(origin.pid)?.[2];
  return senders !== undefined && senders === ours;
}
