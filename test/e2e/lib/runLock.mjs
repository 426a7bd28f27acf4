// One e2e run at a time on a machine: each run starts servers, a browser and packages the shared
// VSIX, and two at once would race on the VSIX and the artifacts folder and double the ~2 GB peak
// memory. The lock is a directory (mkdir is atomic) holding the owner's pid; a lock whose owner
// died is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TOOLS_DIR } from '../../../scripts/ensure-code-server.mjs';

const LOCK_DIR = path.join(TOOLS_DIR, 'e2e-run.lock');
const OWNER = path.join(LOCK_DIR, 'pid');

function ownerPid() {
  try {
    return Number(readFileSync(OWNER, 'utf8'));
  } catch {
    return 0;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Waits until no other e2e run holds the lock, then takes it. Released on exit.
 * @param {(message: string) => void} say
 */
export async function acquireRunLock(say, { timeoutMs = 15 * 60_000 } = {}) {
  mkdirSync(TOOLS_DIR, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(OWNER, String(process.pid));
      process.on('exit', () => {
        if (ownerPid() === process.pid) rmSync(LOCK_DIR, { recursive: true, force: true });
      });
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const pid = ownerPid();
    if (pid && !isAlive(pid)) {
      rmSync(LOCK_DIR, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `E_E2E_LOCKED: another e2e run (pid ${pid || 'unknown'}) has held ${LOCK_DIR} for ` +
          `${timeoutMs / 60_000} min. Stop it, or remove the folder if that process is gone.`,
      );
    }
    if (!announced) {
      say(`Waiting for another e2e run (pid ${pid || 'starting'}) to finish…\n`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
