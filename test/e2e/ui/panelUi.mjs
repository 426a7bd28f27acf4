// Playwright checks of the profile panel in the real workbench: profile an example, find the
// panel, expand a node, click it and see the editor move to its line, zoom the flame graph,
// brush the timeline and see the editor annotations change, clear it and see them return.
// Screenshots of every view in the light and the dark theme go to the artifacts folder.
/* global document, getComputedStyle -- page.waitForFunction callbacks run in the browser */
import path from 'node:path';
import { lineOf } from '../lib/workspaceFiles.mjs';

const HOT = 'if n % divisor == 0';

/** The panel page: webviews are two iframes deep; narrow to ours by the extension id. */
export function panelFrame(page) {
  return page
    .frameLocator('iframe.webview.ready[src*="extensionId=hotpath.hotpath"]')
    .frameLocator('iframe#active-frame');
}

/** The editor's cursor line from the status bar ("Ln 19, Col 9"). */
async function cursorLine(page) {
  const text = await page.locator('[id="status.editor.selection"]').textContent();
  const match = /Ln (\d+)/.exec(text ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Puts the keyboard back in the source editor (the panel keeps it after a click). */
async function focusSourceEditor(bench) {
  await bench.runCommand('View: Focus First Editor Group');
}

async function waitForCursorLine(page, line) {
  await page
    .locator('[id="status.editor.selection"]', { hasText: `Ln ${line},` })
    .waitFor({ timeout: 15_000 });
}

/** Screenshots of each panel view in the current theme. */
async function screenshotViews(bench, panel, theme) {
  await panel.locator('.tab[data-view="tree"]').click();
  await bench.screenshot(`panel-${theme}-call-tree`);
  await panel.locator('.tab[data-view="flame"]').click();
  await bench.screenshot(`panel-${theme}-flame-graph`);
  await panel.locator('.tab[data-view="functions"]').click();
  await bench.screenshot(`panel-${theme}-top-functions`);
  await panel.locator('.tab[data-view="tree"]').click();
}

/**
 * @param {{ page: import('playwright-core').Page, bench: import('../lib/workbench.mjs').Workbench,
 *           check: (name: string, fn: () => Promise<void>) => Promise<boolean>, workspaceDir: string }} options
 */
export async function runPanelUiChecks({ page, bench, check, workspaceDir }) {
  const file = path.join(workspaceDir, 'primes.py');
  const hotLine = lineOf(file, HOT);
  const panel = panelFrame(page);

  const opened = await check('ui panel: a profile opens the panel beside the editor', async () => {
    await bench.openFile('primes.py', 'def is_prime');
    await bench.runCommand('Hotpath: Profile Current File');
    await panel.locator('.run-title', { hasText: 'Hotpath: primes.py' }).waitFor({ timeout: 120_000 });
    await panel.locator('.tree-row:not([hidden])').first().waitFor();
    const tab = page.locator('.tab', { hasText: 'Hotpath: primes.py' });
    if ((await tab.count()) === 0) throw new Error('no editor tab titled "Hotpath: primes.py"');
    await bench.screenshot('panel-opened');
  });
  if (!opened) return;

  await check('ui panel: expanding a node shows its callees', async () => {
    const row = panel.locator('.tree-row:not([hidden])', { hasText: 'primes_by_trial_division' }).first();
    await row.waitFor();
    const before = await panel.locator('.tree-row:not([hidden])').count();
    // Hot paths open by themselves: close this one first so opening it is observable.
    if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.twisty').click();
    await panel
      .locator('.tree-row:not([hidden])[aria-expanded="false"]', { hasText: 'primes_by_trial_division' })
      .waitFor();
    const collapsed = await panel.locator('.tree-row:not([hidden])').count();
    await row.locator('.twisty').click();
    await panel.locator('.tree-row:not([hidden])', { hasText: 'is_prime' }).first().waitFor();
    const expanded = await panel.locator('.tree-row:not([hidden])').count();
    if (!(expanded > collapsed))
      throw new Error(`rows ${before} → ${collapsed} → ${expanded}: expanding added none`);
    await bench.screenshot('panel-expanded');
  });

  await check('ui panel: clicking a node opens its file at the sampled line', async () => {
    await focusSourceEditor(bench);
    await bench.goToLine(1);
    await panel.locator('.tree-row:not([hidden])', { hasText: 'is_prime' }).first().locator('.fn').click();
    // A click keeps the keyboard in the panel; the editor beside it moved to the line.
    await focusSourceEditor(bench);
    await waitForCursorLine(page, hotLine);
    const line = await cursorLine(page);
    if (line !== hotLine) throw new Error(`cursor on line ${line}, expected ${hotLine}`);
    await bench.screenshot('panel-revealed-line');
  });

  await check('ui panel: clicking a flame graph frame zooms into it', async () => {
    await panel.locator('.tab[data-view="flame"]').click();
    const canvas = panel.locator('.flame-canvas');
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    if (!box) throw new Error('flame graph canvas has no size');
    // Depth 1 at the far left is the outermost frame under "all".
    await canvas.click({ position: { x: 30, y: 30 } });
    await panel.locator('.crumb').nth(1).waitFor();
    const crumbs = await panel.locator('.crumb').count();
    if (crumbs < 2) throw new Error(`breadcrumb has ${crumbs} entries after a zoom`);
    await bench.screenshot('panel-flame-zoomed');
    await panel.locator('.crumb').first().click();
    await panel.locator('.tab[data-view="tree"]').click();
  });

  await check(
    'ui panel: brushing the timeline changes the editor annotations, clearing restores them',
    async () => {
      await focusSourceEditor(bench);
      await bench.goToLine(hotLine);
      const full = await bench.waitForInlineTime(HOT);
      const lanes = panel.locator('.timeline-canvas');
      const box = await lanes.boundingBox();
      if (!box) throw new Error('timeline has no size');
      // The sieve runs at the end: the last 15% of the run holds little trial division.
      await lanes.hover({ position: { x: box.width * 0.85, y: 24 } });
      await page.mouse.down();
      await lanes.hover({ position: { x: box.width - 2, y: 24 } });
      await page.mouse.up();
      await panel.locator('.timeline-clear:not([disabled])').waitFor();
      await focusSourceEditor(bench);
      await bench.goToLine(hotLine);
      const brushed = await page.waitForFunction(
        ({ code, before }) => {
          for (const line of document.querySelectorAll('.monaco-editor[data-uri] .view-line')) {
            if (!(line.textContent ?? '').replace(/\u00a0/g, ' ').includes(code)) continue;
            for (const span of line.querySelectorAll('span')) {
              const content = getComputedStyle(span, '::after').content;
              if (/\d/.test(content) && content.replace(/^"|"$/g, '') !== before) return content;
            }
            // No annotation at all on the hot line also counts as a change.
            const any = [...line.querySelectorAll('span')].some((s) =>
              /\d/.test(getComputedStyle(s, '::after').content),
            );
            if (!any) return 'none';
          }
          return false;
        },
        { code: HOT, before: full },
        { timeout: 20_000, polling: 100 },
      );
      await bench.screenshot('panel-brushed');
      const after = await brushed.jsonValue();
      if (after === full) throw new Error(`annotation unchanged by the brush: ${full}`);
      await panel.locator('.timeline-clear').click();
      await focusSourceEditor(bench);
      await bench.goToLine(hotLine);
      await page.waitForFunction(
        ({ code, expected }) =>
          [...document.querySelectorAll('.monaco-editor[data-uri] .view-line')].some(
            (line) =>
              (line.textContent ?? '').replace(/\u00a0/g, ' ').includes(code) &&
              [...line.querySelectorAll('span')].some(
                (s) => getComputedStyle(s, '::after').content.replace(/^"|"$/g, '') === expected,
              ),
          ),
        { code: HOT, expected: full },
        { timeout: 20_000, polling: 100 },
      );
    },
  );

  await check('ui panel: every view in the light and the dark theme', async () => {
    const themeOf = async () =>
      (await page.locator('.monaco-workbench.vs-dark').count()) > 0 ? 'dark' : 'light';
    const first = await themeOf();
    await screenshotViews(bench, panel, first);
    await bench.runCommand('Preferences: Toggle between Light/Dark Themes');
    const second = first === 'dark' ? 'light' : 'dark';
    await page.locator(second === 'dark' ? '.monaco-workbench.vs-dark' : '.monaco-workbench.vs').waitFor();
    await panel.locator('.tree-row:not([hidden])').first().waitFor();
    await screenshotViews(bench, panel, second);
    await bench.runCommand('Preferences: Toggle between Light/Dark Themes');
  });

  await runPanelReloadCheck({ page, bench, check, workspaceDir });
}

/**
 * After the other checks: the window reloads and the panel comes back by itself (its
 * serializer reloads the saved profile), with the same title and a drawn call tree, and the
 * editor is painted again.
 */
export async function runPanelReloadCheck({ page, bench, check, workspaceDir }) {
  const panel = panelFrame(page);
  await check('ui panel: the panel comes back after a window reload', async () => {
    await panel.locator('.run-title', { hasText: 'Hotpath: primes.py' }).waitFor({ timeout: 15_000 });
    // The old page goes away: wait for the new one to load, then for the restored panel in it.
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await bench.runCommand('Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await panel.locator('.run-title', { hasText: 'Hotpath: primes.py' }).waitFor({ timeout: 60_000 });
    await panel
      .locator('.tree-row:not([hidden])', { hasText: 'primes_by_trial_division' })
      .first()
      .waitFor({ timeout: 30_000 });
    await bench.screenshot('panel-restored-after-reload');
    // The restored panel paints the editor again: the hot line has its time.
    await bench.openFile('primes.py', 'def is_prime');
    await bench.goToLine(lineOf(path.join(workspaceDir, 'primes.py'), HOT));
    const text = await bench.waitForInlineTime(HOT);
    await bench.screenshot('panel-restored-paint');
    if (!/%/.test(text)) throw new Error(`hot line after the reload reads ${JSON.stringify(text)}`);
  });
}
