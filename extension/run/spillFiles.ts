/**
 * Names of spill files and how to tell an orphan from a live one. A spill is
 * named after the extension host process that writes it; once that process
 * is gone, nobody will finish the profile, so it is offered as recovered.
 * Another window's live run keeps its spill to itself. No `vscode` import.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export const SPILL_EXTENSION = '.hotspill';

/** Unique even for two runs started in the same millisecond: the sampler never reuses a file. */
export function spillFileName(hostPid: number, now: number): string {
  return `host${hostPid}-${now}-${randomBytes(4).toString('hex')}${SPILL_EXTENSION}`;
}

/** True for a spill file whose writer is gone (or whose name does not say who wrote it). */
export function isOrphanedSpill(name: string, isAlive: (pid: number) => boolean = isProcessAlive): boolean {
  if (!name.endsWith(SPILL_EXTENSION)) return false;
  const host = Number(/^host(\d+)-/.exec(name)?.[1]);
  return !Number.isInteger(host) || host <= 0 || !isAlive(host);
}

/** Orphaned spill files in a folder (none when the folder does not exist). */
export async function findOrphanedSpills(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  return names.filter((name) => isOrphanedSpill(name)).map((name) => path.join(dir, name));
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
