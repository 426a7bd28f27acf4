// The extension host dies while a program is being profiled: the samples spilled until then come
// back. A long-running script is profiled, the extension host is killed mid-run (SIGKILL, as a
// crash would; the profiled program is its child), and the new host offers the interrupted run;
// opening it shows its call tree in the panel.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { busyScript } from '../lib/busyScript.mjs';
import { panelFrame } from './panelUi.mjs';

const SCRIPT = 'long_run.py';
// Busy for at most 60 s, then it ends by itself (a host that dies may leave it running).
const SOURCE = busyScript('spin_until_stopped', 60);

/** SIGKILLs the extension host that runs the profile of `script` (the parent of its Python). */
function killExtensionHostOf(script) {
  const found = spawnSync('pgrep', ['-f', script], { encoding: 'utf8' });
  const pids = found.stdout.split(/\s+/).filter(Boolean);
  if (pids.length === 0) throw new Error(`no process runs ${script}`);
  const stat = readFileSync(`/proc/${pids[0]}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) in parentheses: state, ppid, …
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  const cmdline = readFileSync(`/proc/${ppid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  if (!/extensionHost|bootstrap-fork/.test(cmdline)) {
    throw new Error(`the parent of ${script} is not an extension host: ${cmdline}`);
  }
  process.kill(ppid, 'SIGKILL');
}

/**
 * @param {{ page: import('playwright-core').Page, bench: import('../lib/workbench.mjs').Workbench,
 *           check: (name: string, fn: () => Promise<void>) => Promise<boolean>, workspaceDir: string }} options
 */
export async function runRecoveryCheck({ page, bench, check, workspaceDir }) {
  const file = path.join(workspaceDir, SCRIPT);
  writeFileSync(file, SOURCE);
  try {
    await check('ui recovery: a run cut off by an extension host restart is offered and opens', async () => {
      await bench.openFile(SCRIPT, 'def spin_until_stopped');
      await bench.runCommand('Hotpath: Profile Current File');
      // Several spill flushes (every 100 ms) have happened once a few hundred samples are counted.
      await page
        .locator('.statusbar-item', { hasText: /Hotpath: long_run\.py · .*\b[1-9][\d,]{3,} samples/ })
        .first()
        .waitFor({ timeout: 60_000 });
      await bench.screenshot('recovery-running');
      killExtensionHostOf(file);
      const offer = page.locator('.notification-toast', { hasText: 'a profile run was interrupted' });
      await offer.waitFor({ timeout: 60_000 });
      await bench.screenshot('recovery-offered');
      await offer.getByRole('button', { name: 'Open' }).click();
      const panel = panelFrame(page);
      await panel.locator('.run-title', { hasText: 'recovered profile' }).waitFor({ timeout: 30_000 });
      // How the program ended is not known: the header says so instead of a made-up exit.
      await panel.getByText('unknown: recovered after VS Code stopped mid-run').waitFor();
      await panel
        .locator('.tree-row:not([hidden])', { hasText: 'spin_until_stopped' })
        .first()
        .waitFor({ timeout: 30_000 });
      await bench.screenshot('recovery-opened');
    });
  } finally {
    // The host that died may have left the program running: it must not outlive the test.
    spawnSync('pkill', ['-f', file]);
  }
}
