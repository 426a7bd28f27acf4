/**
 * Loads the shipped panel page (dist/webview.js + dist/webview.css) in
 * Debian's Chromium with a fake VS Code host, posts a generated profile with
 * about 100,000 call-tree nodes, exercises every view, takes light and dark
 * screenshots and prints timings. A benchmark and a visual check, not a unit
 * test: timings are printed, never asserted; functional checks fail the run.
 *
 *   npm run build && node --import tsx test/e2e/webview-harness/harness.ts [--nodes 100000] [--out DIR]
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { buildProfileMessage } from '../../../extension/views/viewModel';
import type { FilterState, SetProfileMessage } from '../../../extension/views/protocol';
import { Checks, openFresh, outDir, runPageScript } from './harnessCommon';
import { syntheticProfile } from './syntheticProfile';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const NODES = Number(option('--nodes', '100000'));
const OUT = outDir('webview-harness');
/** The harness shows everything: the benchmark is about the full-size tree. */
const INITIAL_FILTER: FilterState = { mode: 'wall', showAll: true };

const checks = new Checks();
const check = (ok: boolean, what: string) => checks.check(ok, what);

function buildMessages() {
  const started = Date.now();
  const raw = syntheticProfile({ nodes: NODES });
  const generated = Date.now();
  const ids = { profileId: 'harness', title: 'Hotpath: main.py' };
  let base: SetProfileMessage | undefined;
  const messageFor = (filter: FilterState): SetProfileMessage => {
    const t0 = Date.now();
    const message = buildProfileMessage(raw, filter, ids, base);
    base ??= message;
    console.log(
      `host: view model for ${JSON.stringify(filter)}: ${message.view.tree.parent.length} nodes in ${Date.now() - t0} ms`,
    );
    return message;
  };
  const first = messageFor(INITIAL_FILTER);
  console.log(
    `harness: ${raw.sampleTime.length} samples, ${raw.stackParent.length} stacks generated in ${generated - started} ms; ` +
      `payload ${(JSON.stringify(first).length / 1e6).toFixed(1)} MB as JSON`,
  );
  return messageFor;
}

async function waitForProfile(page: Page, previous = ''): Promise<{ renderMs: number; paintMs: number }> {
  await page.waitForFunction(
    (prev) => document.body.classList.contains('has-profile') && document.body.dataset.paintMs !== prev,
    previous,
  );
  return page.evaluate(() => ({
    renderMs: Number(document.body.dataset.renderMs),
    paintMs: Number(document.body.dataset.paintMs),
  }));
}

/** Two animation frames: the views draw on the frame after a change. */
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(undefined)))),
  );
}

async function shot(page: Page, theme: string, name: string): Promise<void> {
  await nextFrames(page);
  const file = path.join(OUT, `${theme}-${name}.png`);
  await page.screenshot({ path: file });
  console.log(`screenshot: ${file}`);
}

/** Frame times while scrolling the tree from top to bottom in steps. */
async function scrollFrames(page: Page): Promise<{ frames: number; worstMs: number; medianMs: number }> {
  return page.evaluate(async () => {
    const list = document.querySelector('.tree-list') as HTMLElement;
    const times: number[] = [];
    let last = performance.now();
    const steps = 120;
    for (let i = 1; i <= steps; i++) {
      list.scrollTop = (list.scrollHeight * i) / steps;
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    times.sort((a, b) => a - b);
    return { frames: times.length, worstMs: times[times.length - 1], medianMs: times[times.length >> 1] };
  });
}

async function runTheme(page: Page, baseUrl: string, theme: string): Promise<void> {
  console.log(`\n── ${theme} theme ──`);
  const navStart = Date.now();
  await openFresh(page, `${baseUrl}?theme=${theme}`);
  const first = await waitForProfile(page);
  const sinceNavigation = Date.now() - navStart;
  console.log(
    `page: first paint of the profile ${first.paintMs.toFixed(0)} ms after it arrived ` +
      `(build ${first.renderMs.toFixed(0)} ms); ${sinceNavigation} ms from navigation incl. fetch and reload`,
  );
  const rows = await page.locator('.tree-row:not([hidden])').count();
  check(rows > 0 && rows < 120, `only the visible tree rows are in the DOM (${rows})`);
  const header = await page.locator('.run-title').textContent();
  check(header === 'Hotpath: main.py', 'header shows the run title');
  await shot(page, theme, '1-call-tree');

  // Expand everything below the first row and scroll through it.
  await page.locator('.tree-row:not([hidden])').first().click();
  const expandStart = Date.now();
  await page.keyboard.press('*');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(undefined))));
  const visible = await page.evaluate(
    () => (document.querySelector('.tree-list .vlist-spacer') as HTMLElement).offsetHeight / 22,
  );
  console.log(`tree: expanded ${visible} rows in ${Date.now() - expandStart} ms`);
  check(visible > 10_000, `expanding all makes a long list (${visible} rows)`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () =>
    Object.fromEntries(
      (
        (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }
      ).metrics.map((m) => [m.name, m.value]),
    );
  const m0 = await metrics();
  const scroll = await scrollFrames(page);
  const m1 = await metrics();
  for (const k of ['ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration', 'TaskDuration'])
    console.log(`  ${k}: ${((m1[k] - m0[k]) * 1000).toFixed(0)} ms`);
  console.log(
    `tree: scrolled ${visible} rows in ${scroll.frames} steps: median frame ${scroll.medianMs.toFixed(1)} ms, ` +
      `worst ${scroll.worstMs.toFixed(1)} ms`,
  );
  const rowsAfter = await page.locator('.tree-row:not([hidden])').count();
  check(rowsAfter < 120, `still only visible rows in the DOM after scrolling (${rowsAfter})`);
  await page.evaluate(() => ((document.querySelector('.tree-list') as HTMLElement).scrollTop = 0));

  // Keyboard: down, right, enter → a reveal message.
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const reveal = await page.evaluate(() =>
    (window as unknown as { __hotpath: { posted: { type: string }[] } }).__hotpath.posted.filter(
      (m) => m.type === 'reveal',
    ),
  );
  check(
    reveal.length > 0 && (reveal[reveal.length - 1] as { preserveFocus?: boolean }).preserveFocus === false,
    'Enter on a row asks the host to reveal its source and move the keyboard there',
  );
  const clicks = reveal.filter((m) => (m as { preserveFocus?: boolean }).preserveFocus === true);
  check(clicks.length > 0, 'a click on a row reveals its source and keeps the keyboard in the panel');

  // The editor's cursor on a profiled line highlights the nodes that ran it.
  const target = await page.evaluate(() => {
    const row = document.querySelector('.tree-row:not([hidden])') as HTMLElement;
    // The title reads "file:line · Alt+click: …".
    const [file, line] = (row.title ?? '').split(' · ')[0].split(/:(?=\d+$)/);
    window.postMessage({ type: 'highlight', location: { file, line: Number(line) } }, '*');
    return { file, line };
  });
  await page.locator('.tree-row.highlight').first().waitFor();
  check(true, `an editor cursor on ${target.file}:${target.line} highlights its node`);
  await page.evaluate(() => window.postMessage({ type: 'highlight' }, '*'));

  // Search highlights and expands.
  await page.fill('.search', 'render_rows');
  await page.waitForFunction(() => /match/.test(document.querySelector('.match-count')?.textContent ?? ''));
  const matches = await page.locator('.match-count').textContent();
  const visibleMatches = await page.locator('.tree-row.match:not([hidden])').count();
  check(visibleMatches > 0, `search marks matching rows (${matches}, ${visibleMatches} in view)`);
  await page.press('.search', 'Enter');
  await page.locator('.tree-row.selected.match').first().waitFor();
  check(true, 'Enter in the search box selects the next match');
  await shot(page, theme, '2-search');

  // Flame graph: zoom by click, breadcrumb, hover.
  await page.click('.tab[data-view="flame"]');
  await nextFrames(page);
  await shot(page, theme, '3-flame');
  await page.fill('.search', '');
  await page.waitForFunction(() => (document.querySelector('.match-count')?.textContent ?? '') === '');
  const canvas = page.locator('.flame-canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.click(box.x + 40, box.y + 30); // depth 1, the widest frame at the left
  const crumbs = await page.locator('.crumb').count();
  check(crumbs >= 2, `clicking a frame zooms (breadcrumb has ${crumbs} entries)`);
  await page.mouse.move(box.x + 60, box.y + 50);
  const tooltip = await page
    .locator('.flame .tooltip')
    .waitFor({ state: 'visible', timeout: 5_000 })
    .then(() => true)
    .catch(() => false);
  check(tooltip, 'hovering a frame shows its details');
  await shot(page, theme, '4-flame-zoomed');
  await canvas.focus();
  await page.keyboard.press('Escape');
  check(
    (await page.locator('.crumb').count()) === crumbs - 1,
    'Escape in the flame graph zooms out one level',
  );
  await page.locator('.crumb').first().click();

  // Top functions: sortable.
  await page.click('.tab[data-view="functions"]');
  await page.click('.fn-head .c-total');
  const sorted = await page.locator('.fn-head .c-total').getAttribute('aria-sort');
  check(sorted === 'descending', 'functions sort by total');
  await shot(page, theme, '5-functions');

  // Timeline brush: drag a range, the host recomputes, the tree shrinks.
  await page.click('.tab[data-view="tree"]');
  const before = await page.evaluate(() => document.body.dataset.paintMs ?? '');
  const lanes = (await page.locator('.timeline-canvas').boundingBox())!;
  await page.mouse.move(lanes.x + lanes.width * 0.3, lanes.y + 25);
  await page.mouse.down();
  await page.mouse.move(lanes.x + lanes.width * 0.45, lanes.y + 25, { steps: 5 });
  await page.mouse.up();
  const filtered = await waitForProfile(page, before);
  await page.mouse.move(lanes.x + lanes.width * 0.7, lanes.y + 25);
  const filter = await page.evaluate(() => {
    const posted = (window as unknown as { __hotpath: { posted: { type: string }[] } }).__hotpath.posted;
    return posted.filter((m) => m.type === 'filter').pop() as
      { range?: { start: number; end: number } } | undefined;
  });
  check(
    !!filter?.range && filter.range.end > filter.range.start,
    'brushing posts a filter with a time range',
  );
  console.log(`page: re-render after brushing ${filtered.paintMs.toFixed(0)} ms`);
  await shot(page, theme, '6-brushed');

  // State survives a reload (VS Code restores getState() the same way).
  await page.reload();
  await waitForProfile(page);
  const label = await page.locator('.timeline-range').textContent();
  check(/–/.test(label ?? ''), `the brushed range is restored after a reload (${label})`);
  const selectedRows = await page.locator('.tree-row.selected:not([hidden])').count();
  check(selectedRows === 1, 'the selected node is restored after a reload');
  await page.click('.timeline-clear');

  // A lane label filters to its thread; clicking it again shows all threads.
  const lastFilter = () =>
    page.evaluate(() => {
      const posted = (window as unknown as { __hotpath: { posted: { type: string }[] } }).__hotpath.posted;
      return posted.filter((m) => m.type === 'filter').pop() as { threads?: number[] } | undefined;
    });
  await page.locator('.lane-label').nth(1).click();
  const only = await lastFilter();
  check(
    JSON.stringify(only?.threads) === '[1]',
    `a lane label filters to its thread (${JSON.stringify(only?.threads)})`,
  );
  await page.locator('.lane-label').nth(1).click();
  const all = await lastFilter();
  check(all !== undefined && all.threads === undefined, 'clicking it again shows all threads');
}

/** High contrast: the views as they look, without repeating the checks. */
async function screenshotsOnly(page: Page, baseUrl: string, theme: string): Promise<void> {
  console.log(`\n── ${theme} theme (screenshots) ──`);
  await openFresh(page, `${baseUrl}?theme=${theme}`);
  await waitForProfile(page);
  await page.locator('.tree-row:not([hidden])').nth(2).click();
  await shot(page, theme, '1-call-tree');
  await page.click('.tab[data-view="flame"]');
  await shot(page, theme, '3-flame');
  await page.click('.tab[data-view="functions"]');
  await shot(page, theme, '5-functions');
}

const messageFor = buildMessages();
runPageScript(
  OUT,
  { width: 1280, height: 860 },
  (filter) => messageFor(filter ?? INITIAL_FILTER),
  async (page, url) => {
    await runTheme(page, url, 'light');
    await runTheme(page, url, 'dark');
    await screenshotsOnly(page, url, 'hc');
  },
  checks,
);
