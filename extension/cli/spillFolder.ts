/**
 * Where the CLI's spill file goes while a run lasts: a folder of its own in the temporary folder,
 * created by mkdtemp (mode 0700, a fresh unguessable name), so that on a shared machine no other
 * user can read the profiled program's paths and names or plant a link where the file will be.
 * The sampler creates the file itself with O_EXCL | O_NOFOLLOW and mode 0600.
 *
 *   const spill = privateSpill();  // spill.path for the sampler
 *   spill.remove();                // the folder and everything in it, once the profile is written
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface PrivateSpill {
  readonly path: string;
  remove(): void;
}

export function privateSpill(parent = tmpdir()): PrivateSpill {
  const dir = mkdtempSync(path.join(parent, 'hotpath-'));
  return {
    path: path.join(dir, 'run.spill'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
