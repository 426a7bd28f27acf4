/**
 * Heavy runs pause while /tmp/hotpath-quiet exists: other work on this machine
 * (builds, timing-sensitive tests) asks for quiet by creating that file.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export const QUIET_FILE = '/tmp/hotpath-quiet';

/** Resolves once the quiet file is gone; says once that it is waiting. */
export async function waitWhileQuiet(log: (line: string) => void): Promise<void> {
  if (!existsSync(QUIET_FILE)) return;
  log(`  paused: ${QUIET_FILE} exists (quiet requested); waiting for it to go…`);
  while (existsSync(QUIET_FILE)) await sleep(5000);
  log('  resumed');
}
