// Live annotations in the workbench: a program that runs until told to stop (live_server.py from
// test/e2e/fixtures, steered by files this check creates) shows the time on its hot line, its
// panel and the status bar while it runs; Hotpath: Reset then counts from that moment on, and the
// profile kept when the program ends says so. The screenshots are the README's picture.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { panelFrame } from './panelUi.mjs';
import { ROOT } from '../lib/workspace.mjs';

const SCRIPT = 'live_server.py';
const PHASE_ONE = 'phase one hot line';
const PHASE_TWO = 'phase two hot line';

/** Waits (polling the disk, not sleeping) until the program has created `file`. */
async function waitForFile(page, file, what) {
  const deadline = Date.now() + 30_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(50);
  }
}

export async function runLiveCheck({ page, bench, check, workspaceDir }) {
  const file = path.join(workspaceDir, SCRIPT);
  copyFileSync(path.join(ROOT, 'test', 'e2e', 'fixtures', SCRIPT), file);
  const marker = (name) => path.join(workspaceDir, `live_server.${name}`);
  const hotLine = (code) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((line) => line.includes(code)) + 1;
  const status = (pattern) => page.locator('.statusbar-item', { hasText: pattern }).first();
  try {
    await check('ui: a running program is painted live, and Reset counts from then on', async () => {
      await bench.openFile(SCRIPT, 'def phase_one');
      await bench.goToLine(hotLine(PHASE_ONE));
      await bench.runCommand('Hotpath: Profile Current File');
      await waitForFile(page, marker('pid'), `${SCRIPT} to start`);
      await bench.waitForInlineTime(PHASE_ONE);
      if (existsSync(marker('stop'))) throw new Error('the program was told to stop before it was painted');
      // The status bar counts the time and the samples of the run.
      await status(/Hotpath: live_server\.py · .*\b[1-9][\d,]* samples/).waitFor({ timeout: 10_000 });
      // The panel opened during the run shows the samples so far, and says the program runs.
      await bench.runCommand('Hotpath: Show Profile Panel');
      const panel = panelFrame(page);
      await panel.locator('.run-facts', { hasText: 'running' }).waitFor({ timeout: 30_000 });
      await panel.locator('.tree-row:not([hidden])').first().waitFor({ timeout: 30_000 });
      await bench.openFile(SCRIPT, 'def phase_one');
      await bench.goToLine(hotLine(PHASE_ONE));
      await bench.waitForInlineTime(PHASE_ONE);
      await bench.screenshot('live-annotations');

      writeFileSync(marker('next'), '');
      await waitForFile(page, marker('phase2'), 'phase two');
      await bench.goToLine(hotLine(PHASE_TWO));
      await bench.waitForInlineTime(PHASE_TWO);
      await bench.runCommand('Hotpath: Reset');
      await status(/since Reset/).waitFor({ timeout: 10_000 });
      await bench.waitForNoInlineTime(PHASE_ONE);
      await bench.waitForInlineTime(PHASE_TWO);
      await bench.screenshot('live-after-reset');

      writeFileSync(marker('stop'), '');
      await status(/live_server\.py \(since Reset\)/).waitFor({ timeout: 30_000 });
      await panel.locator('.run-facts', { hasText: 'from the Reset at' }).waitFor({ timeout: 30_000 });
      await bench.waitForInlineTime(PHASE_TWO);
      await bench.screenshot('live-ended-since-reset');
    });
  } finally {
    writeFileSync(marker('stop'), '');
  }
}
