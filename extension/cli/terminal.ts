/**
 * Is the CLI in the foreground of its terminal? Then a Ctrl-C (and a hang-up)
 * reaches the whole foreground process group, the program included, and the
 * program must stay in that group to read the terminal. Elsewhere (a
 * supervisor, an IDE, CI, `timeout`, the background) a signal reaches only
 * the processes it was sent to, so the CLI passes it on to the program.
 */
import { readFileSync } from 'node:fs';

export function inTerminalForeground(): boolean {
  let stat: string;
  try {
    stat = readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return true; // no /proc: keep the program in our group, as a shell would
  }
  // After the command name (which may hold spaces and parentheses): state ppid pgrp session tty_nr tpgid …
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const pgrp = Number(fields[2]);
  const ttyNr = Number(fields[4]);
  const foregroundGroup = Number(fields[5]);
  return ttyNr !== 0 && foregroundGroup === pgrp;
}
