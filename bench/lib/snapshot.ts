/**
 * The benchmark measures one build of Hotpath from start to end: it copies the
 * CLI bundle and the native addon into its temporary directory before the
 * first run, so that a rebuild in the working tree during a run (which deletes
 * build/ for a while) neither fails cases nor mixes two builds in one table.
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_DIR, scratchPath } from './paths';

const FILES = ['bin/hotpath.js', 'dist/cli.js', 'build/Release/hotpath.node'];
/** How long to wait for a build in progress to produce the files. */
const WAIT_MS = 600_000;
/** The files must be unchanged this long before they are copied (a build may be writing them). */
const SETTLE_MS = 3000;

export interface HotpathSnapshot {
  /** bin/hotpath.js inside the copy. */
  bin: string;
  /** The native addon inside the copy. */
  addon: string;
  /** Modification times of the copied files, for RESULTS.md. */
  builtAt: Record<string, string>;
}

function mtimes(): number[] | undefined {
  const paths = FILES.map((f) => join(REPO_DIR, f));
  if (!paths.every((p) => existsSync(p))) return undefined;
  return paths.map((p) => statSync(p).mtimeMs);
}

export async function snapshotHotpath(log: (line: string) => void): Promise<HotpathSnapshot> {
  const deadline = Date.now() + WAIT_MS;
  let said = false;
  for (;;) {
    const before = mtimes();
    if (before) {
      await sleep(SETTLE_MS);
      const after = mtimes();
      if (after && after.every((t, i) => t === before[i])) break;
    } else {
      await sleep(SETTLE_MS);
    }
    if (!said) {
      log(`  waiting for a complete build (${FILES.join(', ')}) …`);
      said = true;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no complete, settled build of Hotpath after ${WAIT_MS / 60000} min: ` +
          `run \`npm install\` (or \`npm run build:native && npm run build\`)`,
      );
    }
  }
  const root = scratchPath('hotpath');
  const builtAt: Record<string, string> = {};
  for (const file of FILES) {
    const target = join(root, file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(REPO_DIR, file), target);
    builtAt[file] = statSync(join(REPO_DIR, file)).mtime.toISOString();
  }
  return {
    bin: join(root, 'bin', 'hotpath.js'),
    addon: join(root, 'build', 'Release', 'hotpath.node'),
    builtAt,
  };
}
