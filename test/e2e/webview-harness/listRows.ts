/**
 * The list views show exactly the rows of the current view: the shipped panel page in Chromium
 * at 1400×900, answered by the real host view model, and after every thread, mode (On CPU),
 * time-range and search change — also scrolled deep into a list longer than the screen and
 * then filtered — every row the page displays is compared with the view model's row at its
 * position, and the rows on screen with the rows that belong there. A row left over from an
 * earlier view (old values, shares adding up past 100%) fails it.
 *
 *   npm run build && node --import tsx test/e2e/webview-harness/listRows.ts [--out DIR]
 *
 * Prints `ok`/`FAIL` per check; any failure sets the exit code. The ui e2e step runs it.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { FilterState, SetProfileMessage } from '../../../extension/views/protocol';
import { buildProfileMessage } from '../../../extension/views/viewModel';
import type { RawProfile } from '../../../extension/model/rawProfile';
import { Checks, openFresh, outDir, runPageScript } from './harnessCommon';
import {
  ExpectedTree,
  ListSession,
  ROW_HEIGHT,
  brush,
  nextFrames,
  scrollList,
  showView,
} from './listCompare';
import { downloaderProfile, DOWNLOADER_SCRIPT } from './downloaderProfile';
import { syntheticProfile } from './syntheticProfile';

const OUT = outDir('webview-rows');

const checks = new Checks();
const check = (ok: boolean, what: string) => checks.check(ok, what);
const lists = new ListSession(checks);

// ── profiles ────────────────────────────────────────────────────────────────

const PROFILES: Record<string, { raw: RawProfile; title: string }> = {
  downloader: { raw: downloaderProfile(), title: `Hotpath: ${DOWNLOADER_SCRIPT}` },
  // A few thousand call paths: expanded, far more rows than fit on the screen.
  large: { raw: syntheticProfile({ nodes: 4_000, seed: 11 }), title: 'Hotpath: main.py' },
};
const INITIAL_FILTER: FilterState = { mode: 'wall', showAll: false };

function messageFor(filter: FilterState | undefined, profile: string): SetProfileMessage {
  const chosen = PROFILES[profile];
  if (!chosen) throw new Error(`no profile named ${JSON.stringify(profile)}`);
  const message = buildProfileMessage(chosen.raw, filter ?? INITIAL_FILTER, {
    profileId: profile,
    title: chosen.title,
  });
  return lists.record(message);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
}

async function open(page: Page, url: string, profile: string, expected: ExpectedTree): Promise<void> {
  await openFresh(page, `${url}?profile=${profile}`);
  await nextFrames(page);
  expected.shown(lists.lastMessage!);
}

/** examples/downloader.py's case: a thread, On CPU, a range and a search, each shortening the lists. */
async function downloaderChecks(page: Page, url: string): Promise<void> {
  console.log('\n── downloader.py: filters that shorten the lists ──');
  const expected = new ExpectedTree();
  await open(page, url, 'downloader', expected);
  await lists.expectTree(page, expected, 'of the whole run');
  await lists.refiltered(page, expected, () =>
    page.selectOption('select.threads', { label: 'downloader-1 (1002)' }).then(() => undefined),
  );
  await shot(page, 'downloader-1-thread');
  await lists.expectTree(page, expected, 'after picking thread downloader-1');
  await lists.refiltered(page, expected, () => page.click('.segment:has-text("On CPU")'));
  await lists.expectTree(page, expected, 'after On CPU');
  await showView(page, 'functions');
  await lists.expectFunctions(page, '', 'after switching to the tab');
  await lists.refiltered(page, expected, () =>
    page.selectOption('select.threads', 'all').then(() => undefined),
  );
  await lists.refiltered(page, expected, () => page.click('.segment:has-text("Wall clock")'));
  await lists.expectFunctions(page, '', 'of all threads, wall clock');
  await lists.refiltered(page, expected, () => brush(page, 0.75, 0.95));
  await shot(page, 'downloader-2-range-functions');
  await lists.expectFunctions(page, '', 'after a time range');
  await showView(page, 'tree');
  await lists.expectTree(page, expected, 'after a time range, back on its tab');
  await lists.search(page, expected, 'checksum');
  await lists.expectTree(page, expected, 'after a search');
  await showView(page, 'functions');
  await lists.expectFunctions(page, 'checksum', 'after a search');
  await lists.search(page, expected, '');
  await lists.expectFunctions(page, '', 'after the search is cleared');
}

/** More rows than fit: scrolled far down, then filtered to a thread, a mode, a range and a search. */
async function largeChecks(page: Page, url: string): Promise<void> {
  console.log('\n── a long list, scrolled, then filtered ──');
  const expected = new ExpectedTree();
  await open(page, url, 'large', expected);
  await page.locator('.tree-row').first().click();
  await page.keyboard.press('*');
  expected.expandAllBelow(0);
  await nextFrames(page);
  const rows = expected.rows().length;
  check(rows * ROW_HEIGHT > 3 * 900, `the expanded tree is longer than three screens (${rows} rows)`);
  await scrollList(page, '.tree-list', 0.6);
  await lists.expectTree(page, expected, 'expanded and scrolled');
  await lists.refiltered(page, expected, () =>
    page.selectOption('select.threads', { label: 'uploader (4250)' }).then(() => undefined),
  );
  await shot(page, 'large-1-scrolled-then-thread');
  await lists.expectTree(page, expected, 'scrolled, then filtered to a thread');
  await scrollList(page, '.tree-list', 1);
  await lists.refiltered(page, expected, () => page.click('.segment:has-text("On CPU")'));
  await lists.expectTree(page, expected, 'scrolled to the end, then On CPU');
  await lists.refiltered(page, expected, () => brush(page, 0.1, 0.2));
  await lists.expectTree(page, expected, 'then a time range');
  await lists.search(page, expected, 'render_rows');
  await lists.expectTree(page, expected, 'then a search');
  await showView(page, 'functions');
  await lists.search(page, expected, '');
  await scrollList(page, '.fn-list', 1);
  await lists.expectFunctions(page, '', 'scrolled to the end');
  await page.click('.timeline-clear');
  await lists.refiltered(page, expected, () =>
    page.selectOption('select.threads', 'all').then(() => undefined),
  );
  await lists.expectFunctions(page, '', 'scrolled, after the range is cleared');
  await scrollList(page, '.fn-list', 1);
  await lists.refiltered(page, expected, () =>
    page.selectOption('select.threads', { label: 'uploader (4250)' }).then(() => undefined),
  );
  await shot(page, 'large-2-functions-scrolled-then-thread');
  await lists.expectFunctions(page, '', 'scrolled to the end, then filtered to a thread');
  await lists.search(page, expected, 'tokens');
  await lists.expectFunctions(page, 'tokens', 'then a search');
  await showView(page, 'tree');
  await lists.expectTree(page, expected, 'back on its tab');
}

runPageScript(
  OUT,
  { width: 1400, height: 900 },
  messageFor,
  async (page, url) => {
    await downloaderChecks(page, url);
    await largeChecks(page, url);
  },
  checks,
);
