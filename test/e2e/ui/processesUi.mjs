// A program of several processes in the workbench, as a person reads it: a multiprocessing Pool
// recorded by the CLI, opened with Hotpath: Open Profile…. The workers' hot line shows its time
// in the editor beside the panel, whose process selector and timeline groups show the processes
// (the README's picture); choosing the parent process in the panel takes the workers' time off
// the code, and all processes again puts it back.
/* global document -- page.waitForFunction callbacks run in the browser */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { panelFrame } from './panelUi.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FILE = 'pool_workers.py';
const WORKER_LINE = 'total += i * i % 7';
const PARENT_LINE = 'results = pool.map(crunch';

/** @param {{ page: import('playwright-core').Page, bench: import('../lib/workbench.mjs').Workbench,
 *           check: (name: string, fn: () => Promise<void>) => Promise<boolean>, workspaceDir: string }} session */
export async function runProcessesUiChecks({ page, bench, check, workspaceDir }) {
  const panel = panelFrame(page);
  const saved = path.join(workspaceDir, '.hotpath', 'pool_workers.hotpath.json');
  let profile;

  const opened = await check(
    'ui processes: a Pool profile opens with its workers’ line painted',
    async () => {
      copyFileSync(path.join(ROOT, 'test', 'e2e', 'fixtures', FILE), path.join(workspaceDir, FILE));
      mkdirSync(path.dirname(saved), { recursive: true });
      const run = spawnSync(
        process.execPath,
        [path.join(ROOT, 'dist', 'cli.js'), 'run', '--format', 'json', '-o', saved, FILE],
        { cwd: workspaceDir, encoding: 'utf8', timeout: 120_000 },
      );
      if (run.status !== 0) throw new Error(`hotpath run exited ${run.status}: ${run.stderr}`);
      profile = JSON.parse(readFileSync(saved, 'utf8'));
      await bench.openFile(FILE, 'def crunch');
      await bench.runCommand('Hotpath: Open Profile…');
      // The workbench's own file dialog: a path typed into its box opens that file.
      const input = page.locator('.quick-input-widget input');
      await bench.waitForFocus(input);
      // The dialog writes its starting folder into the box once it has listed it: type after that,
      // and again should the box not hold exactly the path.
      await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 10_000 });
      const deadline = Date.now() + 10_000;
      while ((await input.inputValue()) !== saved) {
        if (Date.now() > deadline) throw new Error(`the file dialog's box reads ${await input.inputValue()}`);
        await input.fill(saved);
      }
      await page.keyboard.press('Enter');
      await bench.waitForInlineTime(WORKER_LINE);
      await bench.waitForInlineTime(PARENT_LINE);
      const processes = panel.locator('select.processes');
      await processes.waitFor({ timeout: 30_000 });
      await panel.locator('.process-label').first().waitFor();
      await bench.screenshot('processes-merged');
    },
  );
  if (!opened) return;

  await check(
    'ui processes: the parent process in the panel takes the workers’ time off the code',
    async () => {
      const parent = profile.processes.findIndex((p) => p.pid === profile.meta.pid);
      await panel.locator('select.processes').selectOption(String(parent));
      await bench.waitForNoInlineTime(WORKER_LINE);
      await bench.waitForInlineTime(PARENT_LINE);
      // The workers' function loses its CodeLens too (VS Code asks for lenses again a moment later).
      await page.waitForFunction(
        () =>
          ![...document.querySelectorAll('.codelens-decoration')].some((lens) =>
            (lens.textContent ?? '').includes('crunch:'),
          ),
        undefined,
        { timeout: 10_000, polling: 100 },
      );
      const threads = await panel.locator('select.threads option').allTextContents();
      if (threads.some((t) => t.includes('·') && !t.startsWith(`pid ${profile.meta.pid} `)))
        throw new Error(`the thread selector lists another process's threads: ${threads.join(' | ')}`);
      await bench.screenshot('processes-parent');
      await panel.locator('select.processes').selectOption('all');
      await bench.waitForInlineTime(WORKER_LINE);
    },
  );

  await check('ui processes: Show Process… picks a worker; the editor and the panel show it', async () => {
    const worker = profile.processes.findIndex(
      (p, i) => p.pid !== profile.meta.pid && profile.threads.some((t) => (t.process ?? 0) === i),
    );
    const pid = profile.processes[worker].pid;
    await bench.runCommand('Hotpath: Show Process…');
    const row = bench.quickInputRow(`pid ${pid} (${FILE})`);
    await row.waitFor({ timeout: 10_000 });
    await bench.screenshot('processes-pick');
    await row.click();
    // The worker ran crunch; it never reached the line where the parent waits.
    await bench.waitForNoInlineTime(PARENT_LINE);
    await bench.waitForInlineTime(WORKER_LINE);
    // The module's CodeLens reads the worker's own total: all of its time (VS Code asks for
    // lenses again a moment after a change; merged, the module had about half of the time).
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('.codelens-decoration')].some((lens) =>
          /module: .* · 100%$/.test((lens.textContent ?? '').trim()),
        ),
      undefined,
      { timeout: 10_000, polling: 100 },
    );
    // The page follows the host's filter by a message of its own: wait for it, not for a time.
    const selector = panel.locator('select.processes');
    const deadline = Date.now() + 10_000;
    while ((await selector.inputValue()) !== String(worker)) {
      if (Date.now() > deadline)
        throw new Error(`the panel's process selector shows ${await selector.inputValue()}, not ${worker}`);
      await page.waitForTimeout(100);
    }
    await bench.screenshot('processes-worker');
  });
}
