// What the UI checks read from the workspace on disk: where a line of code is, which profiles
// the runs saved.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** 1-based line of the first line containing `code` in a workspace file. */
export function lineOf(file, code) {
  const index = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(code));
  if (index < 0) throw new Error(`${path.basename(file)} has no line containing ${JSON.stringify(code)}`);
  return index + 1;
}

/** Profiles saved in the workspace's .hotpath folder. */
export function savedProfiles(workspaceDir) {
  const dir = path.join(workspaceDir, '.hotpath');
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.hotpath.json')) : [];
}
