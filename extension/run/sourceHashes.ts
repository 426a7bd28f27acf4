/**
 * The identity of the user's sources when a profile is taken: sha256 per
 * file, read right after the run, so the editor can tell later whether a file
 * still matches the profile. No `vscode` import.
 */
import { promises as fs } from 'node:fs';
import { contentHash, resolveProfilePath } from '../model/sourceFiles';
import { classifyFile } from '../model/fileKinds';
import type { RawProfile } from '../model/rawProfile';

/** sha256 of each of the user's own source files in the profile, read now (right after the run). */
export async function hashUserSources(profile: RawProfile): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  const files = new Set<string>();
  for (const index of new Set(profile.frameFile)) {
    const recorded = profile.strings[index];
    if (classifyFile(recorded) !== 'user') continue;
    const resolved = resolveProfilePath(recorded, profile.meta.cwd);
    if (resolved !== undefined) files.add(resolved);
  }
  await Promise.all(
    [...files].map(async (file) => {
      try {
        hashes.set(file, contentHash(await fs.readFile(file, 'utf8')));
      } catch {
        // Deleted or unreadable since: nothing to compare against later.
      }
    }),
  );
  return hashes;
}
