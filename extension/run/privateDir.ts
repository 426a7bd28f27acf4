/**
 * Folders outside the workspace that hold a program's paths and names (spill files, profiles in
 * the extension's storage) are readable by their owner only. No `vscode` import.
 */
import { promises as fs } from 'node:fs';

/** Creates `dir` (and its parents) with mode 0700; a folder created earlier with the default mode is narrowed too. */
export async function makePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.chmod(dir, 0o700);
}
