/**
 * A process's descendants as /proc shows them at one moment (`hotpath dump --subprocesses`): every
 * process whose chain of parents leads to it, with its parent and command line. No `vscode`
 * import. Processes come and go while /proc is read; one that is gone is left out.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface FamilyMember {
  pid: number;
  ppid: number;
  /** Empty when it could not be read (a zombie, or it exited while we looked). */
  argv: string[];
}

/** The parent pid from /proc/PID/stat: the field after the command, which may hold ") ". */
export function parentOf(stat: string): number | undefined {
  const end = stat.lastIndexOf(')');
  if (end < 0) return undefined;
  const fields = stat.slice(end + 2).split(' ');
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** `pid`'s descendants, parents before their children, each level by pid. */
export async function descendants(pid: number, procDir = '/proc'): Promise<FamilyMember[]> {
  const entries = (await fs.readdir(procDir)).filter((name) => /^\d+$/.test(name));
  const parents = new Map<number, number>();
  await Promise.all(
    entries.map(async (name) => {
      const stat = await fs.readFile(path.join(procDir, name, 'stat'), 'utf8').catch(() => '');
      const ppid = parentOf(stat);
      if (ppid !== undefined) parents.set(Number(name), ppid);
    }),
  );
  const children = new Map<number, number[]>();
  for (const [child, parent] of parents) children.set(parent, [...(children.get(parent) ?? []), child]);
  const found: FamilyMember[] = [];
  let level = [pid];
  const seen = new Set(level);
  while (level.length > 0) {
    const next: number[] = [];
    for (const parent of level) {
      for (const child of (children.get(parent) ?? []).sort((a, b) => a - b)) {
        if (seen.has(child)) continue;
        seen.add(child);
        next.push(child);
        const argv = await fs
          .readFile(path.join(procDir, String(child), 'cmdline'), 'utf8')
          .then((text) => text.split('\0').filter(Boolean))
          .catch(() => []);
        found.push({ pid: child, ppid: parent, argv });
      }
    }
    level = next;
  }
  return found;
}
