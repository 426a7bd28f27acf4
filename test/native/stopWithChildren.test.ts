/**
 * Stop ends the run with the program, even when a process it started runs on (a server's worker,
 * a daemon it left behind): the run does not wait for it, and it is left running. Without a stop,
 * a followed child keeps the run open until it exits (subprocesses.test.ts).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ProfileSession } from '../../extension/session/profileSession';
import { pythonVersions } from './helpers/pythons';

/** Starts a child that sleeps a minute, writes its pid to argv[1], then spins until stopped. */
const PROGRAM = `
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(child.pid))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
n = 0
while True:
    n += 1
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const python = pythonVersions().find((p) => p.missingReason === null);

test(
  'stop() ends the run when the program ends, leaving a child it started running',
  { skip: python ? false : 'no CPython installed', timeout: 30_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-stop-children-'));
    const marker = join(dir, 'child.pid');
    let child = 0;
    try {
      const session = ProfileSession.spawn({
        argv: [python!.path, '-c', PROGRAM, marker],
        stdio: ['ignore', 'ignore', 'inherit'],
        spillPath: join(dir, 'run.spill'),
        followChildren: true,
      });
      // The program says when its child runs (a file renamed into place, read once it exists).
      while (!existsSync(marker)) await new Promise((r) => setTimeout(r, 20));
      child = Number(readFileSync(marker, 'utf8'));
      assert.ok(alive(child), 'the child runs');
      session.stop();
      // Would wait the child's whole minute (beyond the test's timeout) if the run followed it on.
      const result = await session.result;
      assert.equal(result.samplerError, null);
      assert.ok(result.profile.sampleStack.length > 0, 'the program was sampled');
      assert.ok(alive(child), 'the child is left running: Stop asks the program, not its children');
    } finally {
      if (child && alive(child)) process.kill(child, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
