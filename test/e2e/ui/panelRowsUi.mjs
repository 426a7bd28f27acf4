// The panel's lists after filters that shorten them, in the real workbench: examples/downloader.py
// profiled, then thread `downloader-1`, On CPU, a time range in Top functions and a search. After
// each, every row the panel displays must be a row of the current view: each claims its own
// position, no two share one, the rows on screen are the list's first rows with none missing, no
// share is above 100% and the top level adds up to at most 100%. Rows left over from the previous
// view (MainThread's `<module>` under a worker thread, the whole run's numbers after a range) fail
// it. The harness test (webview-harness/listRows.ts) compares every value with the view model.
/* global getComputedStyle -- locator.evaluate callbacks run in the browser */
import { panelFrame } from './panelUi.mjs';

const ROW_HEIGHT = 22;

/** What the list displays, as the browser lays it out (not what the page meant to show). */
function displayedRows(list, shareCell) {
  return list.evaluate(
    (viewport, { shareCell, rowHeight }) => {
      const box = viewport.getBoundingClientRect();
      const spacer = viewport.querySelector('.vlist-spacer');
      const rows = Array.from(viewport.children)
        .filter((e) => e !== spacer && getComputedStyle(e).display !== 'none')
        .map((e) => {
          const r = e.getBoundingClientRect();
          return {
            index: e.dataset.row === undefined ? null : Number(e.dataset.row),
            top: Math.round(r.top - box.top - viewport.clientTop + viewport.scrollTop),
            onScreen: r.bottom > box.top + 0.5 && r.top < box.top + viewport.clientHeight - 0.5,
            level: Number(e.getAttribute('aria-level') ?? 0),
            share: e.querySelector(shareCell)?.textContent ?? '',
            name: e.querySelector('.fn')?.textContent ?? '',
            text: Array.from(e.querySelectorAll('span:not(:has(span))'), (c) => c.textContent)
              .filter(Boolean)
              .join(' '),
          };
        });
      return {
        rows,
        count: Math.round(spacer.offsetHeight / rowHeight),
        fit: Math.floor(viewport.clientHeight / rowHeight),
        scrolled: viewport.scrollTop,
      };
    },
    { shareCell, rowHeight: ROW_HEIGHT },
  );
}

function percent(text) {
  if (text.startsWith('<')) return 0;
  const value = Number.parseFloat(text);
  return Number.isFinite(value) ? value : 0;
}

/** Throws with every problem found in what the list displays. */
function assertRowsOfOneView(shown, what, { forbidden } = {}) {
  const problems = [];
  const onScreen = new Set();
  for (const row of shown.rows) {
    if (row.index === null || row.index >= shown.count) {
      problems.push(`a row that is not in the list is displayed: ${row.text}`);
      continue;
    }
    if (row.top !== row.index * ROW_HEIGHT) problems.push(`row ${row.index} is drawn at ${row.top}px`);
    if (row.onScreen) {
      if (onScreen.has(row.index)) problems.push(`two rows are drawn at position ${row.index}`);
      onScreen.add(row.index);
    }
    if (percent(row.share) > 100) problems.push(`row ${row.index} has a share above 100%: ${row.text}`);
    if (forbidden?.includes(row.name) && row.onScreen)
      problems.push(`row ${row.index} does not belong to this view: ${row.text}`);
  }
  if (shown.scrolled === 0) {
    for (let i = 0; i < Math.min(shown.count, shown.fit); i++)
      if (!onScreen.has(i)) problems.push(`row ${i} of ${shown.count} is not drawn`);
  }
  const topLevel = shown.rows
    .filter((row) => row.onScreen && row.level === 1)
    .reduce((sum, row) => sum + percent(row.share), 0);
  if (topLevel > 100.2) problems.push(`the top-level shares add up to ${topLevel.toFixed(1)}%`);
  if (problems.length) throw new Error(`${what}:\n  ${problems.join('\n  ')}`);
}

/**
 * @param {{ page: import('playwright-core').Page, bench: import('../lib/workbench.mjs').Workbench,
 *           check: (name: string, fn: () => Promise<void>) => Promise<boolean> }} options
 */
export async function runPanelRowsCheck({ page, bench, check }) {
  const panel = panelFrame(page);
  const tree = panel.locator('.tree-list');
  const functions = panel.locator('.fn-list');
  /** Runs a panel control that asks for a new view and waits until the view has arrived. */
  const refilter = async (action) => {
    await action();
    await panel.locator('.busy').waitFor({ state: 'hidden', timeout: 30_000 });
  };

  await check('ui panel: filters that shorten the lists leave no rows of the previous view', async () => {
    const size = page.viewportSize();
    await page.setViewportSize({ width: 1400, height: 900 });
    try {
      // One panel at a time: the frame locator must find exactly this run's page.
      await bench.runCommand('View: Close All Editors');
      await bench.openFile('downloader.py', 'def fetch');
      await bench.runCommand('Hotpath: Profile Current File');
      await panel.locator('.run-title', { hasText: 'Hotpath: downloader.py' }).waitFor({ timeout: 120_000 });
      await panel.locator('.tree-row', { hasText: 'main' }).first().waitFor();
      assertRowsOfOneView(await displayedRows(tree, '.pct'), 'call tree of the whole run');

      const threads = panel.locator('select.threads');
      const label = (await threads.locator('option', { hasText: 'downloader-1' }).textContent())?.trim();
      if (!label) throw new Error('the thread list has no downloader-1');
      await refilter(() => threads.selectOption({ label }));
      await bench.screenshot('rows-thread-downloader-1');
      // MainThread's frames have no place in a worker thread's tree.
      const mainOnly = ['<module>', 'main'];
      assertRowsOfOneView(await displayedRows(tree, '.pct'), 'call tree of thread downloader-1', {
        forbidden: mainOnly,
      });

      await refilter(() => panel.locator('.segment', { hasText: 'On CPU' }).click());
      await bench.screenshot('rows-thread-on-cpu');
      assertRowsOfOneView(await displayedRows(tree, '.pct'), 'call tree, downloader-1 on CPU', {
        forbidden: mainOnly,
      });

      await panel.locator('.tab[data-view="functions"]').click();
      assertRowsOfOneView(
        await displayedRows(functions, '.c-total .pct'),
        'top functions, downloader-1 on CPU',
      );
      await refilter(() => threads.selectOption('all'));
      await refilter(() => panel.locator('.segment', { hasText: 'Wall clock' }).click());
      const lanes = panel.locator('.timeline-canvas');
      const box = await lanes.boundingBox();
      if (!box) throw new Error('timeline has no size');
      await refilter(async () => {
        await lanes.hover({ position: { x: box.width * 0.7, y: 20 } });
        await page.mouse.down();
        await lanes.hover({ position: { x: box.width * 0.95, y: 20 } });
        await page.mouse.up();
      });
      await bench.screenshot('rows-functions-range');
      assertRowsOfOneView(await displayedRows(functions, '.c-total .pct'), 'top functions of a time range');

      await panel.locator('.tab[data-view="tree"]').click();
      assertRowsOfOneView(await displayedRows(tree, '.pct'), 'call tree of a time range');
      await panel.locator('.search').fill('checksum');
      await panel.locator('.match-count', { hasText: 'match' }).waitFor();
      assertRowsOfOneView(await displayedRows(tree, '.pct'), 'call tree searched');
      await bench.screenshot('rows-tree-searched');
      await panel.locator('.search').fill('');
      await panel.locator('.timeline-clear').click();
      await panel.locator('.busy').waitFor({ state: 'hidden', timeout: 30_000 });

      // The flame chart's data comes from the extension host (its view worker) when the tab opens.
      await panel.locator('.tab[data-view="chart"]').click();
      await panel.locator('.chart-status').waitFor({ state: 'hidden', timeout: 30_000 });
      const chart = (await panel.locator('.chart-canvas').getAttribute('aria-label')) ?? '';
      if (!/^Flame chart: 0 – \d/.test(chart)) throw new Error(`the flame chart shows "${chart}"`);
      await bench.screenshot('rows-flame-chart');
      await panel.locator('.tab[data-view="tree"]').click();
    } finally {
      if (size) await page.setViewportSize(size);
    }
  });
}
