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
import {
  formatCount,
  formatDuration,
  formatLocation,
  formatShare,
  visibleText,
} from '../../../webview/format';
import { DEFAULT_FUNCTION_SORT, sortFunctions } from '../../../webview/functionSort';
import { functionHotLines } from '../../../webview/hotLines';
import { TreeData } from '../../../webview/treeData';
import { Checks, openFresh, outDir, runPageScript } from './harnessCommon';
import { downloaderProfile, DOWNLOADER_SCRIPT } from './downloaderProfile';
import { syntheticProfile } from './syntheticProfile';

const OUT = outDir('webview-rows');
const ROW_HEIGHT = 22;
/** The page opens at most this many search matches (main.ts). */
const MAX_EXPANDED_MATCHES = 2_000;

const checks = new Checks();
const check = (ok: boolean, what: string) => checks.check(ok, what);

// ── profiles ────────────────────────────────────────────────────────────────

const PROFILES: Record<string, { raw: RawProfile; title: string }> = {
  downloader: { raw: downloaderProfile(), title: `Hotpath: ${DOWNLOADER_SCRIPT}` },
  // A few thousand call paths: expanded, far more rows than fit on the screen.
  large: { raw: syntheticProfile({ nodes: 4_000, seed: 11 }), title: 'Hotpath: main.py' },
};
const INITIAL_FILTER: FilterState = { mode: 'wall', showAll: false };

/** The last view model the server sent: what the page must be showing once it has handled it. */
let lastMessage: SetProfileMessage | undefined;

function messageFor(filter: FilterState | undefined, profile: string): SetProfileMessage {
  const chosen = PROFILES[profile];
  if (!chosen) throw new Error(`no profile named ${JSON.stringify(profile)}`);
  const message = buildProfileMessage(chosen.raw, filter ?? INITIAL_FILTER, {
    profileId: profile,
    title: chosen.title,
  });
  // What survives postMessage from the extension host.
  lastMessage = JSON.parse(JSON.stringify(message)) as SetProfileMessage;
  return lastMessage;
}

// ── what the page should show ──────────────────────────────────────────────

/**
 * The call tree's rows as the page computes them from the view model: the same TreeData, opened
 * by the same rules the page applies (hot path on a new profile, the user's open nodes kept
 * across a filter change, the selected node and the search matches revealed).
 */
class ExpectedTree {
  tree: TreeData | undefined;
  private profileId = '';
  private selectedKey = '';
  private query = '';

  shown(message: SetProfileMessage): void {
    const tree = new TreeData(message.view);
    tree.reopen(this.tree && this.profileId === message.profileId ? this.tree.openKeys() : undefined);
    const selected = tree.findByPathKey(this.selectedKey);
    if (selected > 0) tree.revealNode(selected);
    this.tree = tree;
    this.profileId = message.profileId;
    if (this.query) this.search(this.query);
  }

  search(query: string): void {
    this.query = query;
    if (this.tree) this.tree.revealMarked(this.tree.search(query), MAX_EXPANDED_MATCHES);
  }

  /** A click on row `row` selects its node, then `*` opens everything below it. */
  expandAllBelow(row: number): void {
    const tree = this.tree!;
    const node = tree.visibleRows()[row];
    this.selectedKey = tree.pathKey(node);
    tree.expandSubtree(node);
  }

  rows(): string[][] {
    const tree = this.tree!;
    const total = tree.view.totalUs;
    return Array.from(tree.visibleRows(), (node) => [
      formatDuration(tree.totalUs(node)),
      formatDuration(tree.selfUs(node)),
      formatShare(tree.totalUs(node), total),
      visibleText(tree.name(node)),
      formatLocation(tree.file(node), tree.line(node)),
    ]);
  }
}

const TREE_CELLS = ['.c-total', '.c-self', '.pct', '.fn', '.loc'];
const FUNCTION_CELLS = [
  '.c-self .time',
  '.c-self .pct',
  '.c-total .time',
  '.c-total .pct',
  '.c-samples',
  '.fn',
  '.loc',
];

function functionRows(message: SetProfileMessage, query: string): string[][] {
  const v = message.view;
  const f = v.functions;
  const hot = functionHotLines(v);
  return sortFunctions(v, DEFAULT_FUNCTION_SORT, query).map((i) => [
    formatDuration(f.selfUs[i]),
    formatShare(f.selfUs[i], v.totalUs),
    formatDuration(f.totalUs[i]),
    formatShare(f.totalUs[i], v.totalUs),
    formatCount(f.samples[i]),
    visibleText(v.strings[f.name[i]]),
    formatLocation(v.strings[f.file[i]], hot[i]),
  ]);
}

// ── what the page shows ────────────────────────────────────────────────────

interface RenderedRow {
  /** `data-row`, or null for a row element that claims no position. */
  index: number | null;
  /** Top edge in the list's content coordinates. */
  top: number;
  onScreen: boolean;
  texts: string[];
}

interface RenderedList {
  rows: RenderedRow[];
  scrollTop: number;
  clientHeight: number;
  spacerHeight: number;
}

/** Every row element of the list that the browser displays (whatever the page meant). */
function renderedRows(page: Page, list: string, cells: string[]): Promise<RenderedList> {
  return page.evaluate(
    ({ list, cells }) => {
      const viewport = document.querySelector(list) as HTMLElement;
      const box = viewport.getBoundingClientRect();
      const spacer = viewport.querySelector('.vlist-spacer') as HTMLElement;
      const rows = Array.from(viewport.children)
        .filter((e) => e !== spacer && getComputedStyle(e).display !== 'none')
        .map((e) => {
          const r = e.getBoundingClientRect();
          const index = (e as HTMLElement).dataset.row;
          return {
            index: index === undefined ? null : Number(index),
            top: r.top - box.top - viewport.clientTop + viewport.scrollTop,
            onScreen:
              r.height > 0 && r.bottom > box.top + 0.5 && r.top < box.top + viewport.clientHeight - 0.5,
            texts: cells.map((c) => e.querySelector(c)?.textContent ?? ''),
          };
        });
      return {
        rows,
        scrollTop: viewport.scrollTop,
        clientHeight: viewport.clientHeight,
        spacerHeight: spacer.offsetHeight,
      };
    },
    { list, cells },
  );
}

/** The rendered rows against the expected ones; returns the problems found (none when they agree). */
function compareRows(shown: RenderedList, expected: string[][]): string[] {
  const problems: string[] = [];
  if (shown.spacerHeight !== expected.length * ROW_HEIGHT)
    problems.push(
      `the list is ${shown.spacerHeight / ROW_HEIGHT} rows tall, the view has ${expected.length}`,
    );
  const onScreen = new Set<number>();
  for (const row of shown.rows) {
    const text = row.texts.join(' | ');
    if (row.index === null || row.index >= expected.length) {
      problems.push(`a row that is not in the view is displayed${row.onScreen ? ' on screen' : ''}: ${text}`);
      continue;
    }
    const want = expected[row.index].join(' | ');
    if (text !== want) problems.push(`row ${row.index} shows "${text}", the view has "${want}"`);
    if (Math.abs(row.top - row.index * ROW_HEIGHT) > 1)
      problems.push(`row ${row.index} is drawn at ${row.top}px, not ${row.index * ROW_HEIGHT}px`);
    if (row.onScreen) {
      if (onScreen.has(row.index)) problems.push(`row ${row.index} is drawn twice`);
      onScreen.add(row.index);
    }
  }
  const first = Math.floor(shown.scrollTop / ROW_HEIGHT);
  const last = Math.min(expected.length, Math.ceil((shown.scrollTop + shown.clientHeight) / ROW_HEIGHT));
  for (let i = first; i < last; i++) {
    // A row peeking in by less than a pixel does not count either way.
    const visiblePx =
      Math.min((i + 1) * ROW_HEIGHT, shown.scrollTop + shown.clientHeight) -
      Math.max(i * ROW_HEIGHT, shown.scrollTop);
    if (visiblePx > 0.5 && !onScreen.has(i)) problems.push(`row ${i} belongs on screen but is not drawn`);
  }
  return problems;
}

// ── driving the page ───────────────────────────────────────────────────────

interface HarnessWindow {
  __hotpath: { profilesShown: number };
}

/** Two animation frames: the lists redraw on the frame after a scroll or resize. */
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(undefined)))),
  );
}

/** Runs `action`, which makes the page ask for a new view, and waits until the page has shown it. */
async function refiltered(page: Page, expected: ExpectedTree, action: () => Promise<void>): Promise<void> {
  const before = await page.evaluate(() => (window as unknown as HarnessWindow).__hotpath.profilesShown);
  await action();
  await page.waitForFunction((n) => (window as unknown as HarnessWindow).__hotpath.profilesShown > n, before);
  await nextFrames(page);
  expected.shown(lastMessage!);
}

async function search(page: Page, expected: ExpectedTree, query: string): Promise<void> {
  await page.fill('.search', query);
  await page.waitForFunction(
    (q) => (document.querySelector('.match-count')?.textContent ?? '') !== '' || q === '',
    query,
  );
  if (!query)
    await page.waitForFunction(() => (document.querySelector('.match-count')?.textContent ?? '') === '');
  await nextFrames(page);
  expected.search(query);
}

async function showView(page: Page, view: 'tree' | 'functions'): Promise<void> {
  await page.click(`.tab[data-view="${view}"]`);
  await nextFrames(page);
}

async function scrollList(page: Page, list: string, fraction: number): Promise<void> {
  await page.evaluate(
    ({ list, fraction }) => {
      const viewport = document.querySelector(list) as HTMLElement;
      viewport.scrollTop = (viewport.scrollHeight - viewport.clientHeight) * fraction;
    },
    { list, fraction },
  );
  await nextFrames(page);
}

/** Drags the timeline brush over [from, to] of its width. */
async function brush(page: Page, from: number, to: number): Promise<void> {
  const lanes = (await page.locator('.timeline-canvas').boundingBox())!;
  await page.mouse.move(lanes.x + lanes.width * from, lanes.y + 20);
  await page.mouse.down();
  await page.mouse.move(lanes.x + lanes.width * to, lanes.y + 20, { steps: 5 });
  await page.mouse.up();
}

async function expectTree(page: Page, expected: ExpectedTree, what: string): Promise<void> {
  const problems = compareRows(await renderedRows(page, '.tree-list', TREE_CELLS), expected.rows());
  check(
    problems.length === 0,
    `call tree ${what}${problems.length ? `:\n       ${problems.slice(0, 6).join('\n       ')}` : ''}`,
  );
}

async function expectFunctions(page: Page, query: string, what: string): Promise<void> {
  const problems = compareRows(
    await renderedRows(page, '.fn-list', FUNCTION_CELLS),
    functionRows(lastMessage!, query),
  );
  check(
    problems.length === 0,
    `top functions ${what}${problems.length ? `:\n       ${problems.slice(0, 6).join('\n       ')}` : ''}`,
  );
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
}

async function open(page: Page, url: string, profile: string, expected: ExpectedTree): Promise<void> {
  await openFresh(page, `${url}?profile=${profile}`);
  await nextFrames(page);
  expected.shown(lastMessage!);
}

/** examples/downloader.py's case: a thread, On CPU, a range and a search, each shortening the lists. */
async function downloaderChecks(page: Page, url: string): Promise<void> {
  console.log('\n── downloader.py: filters that shorten the lists ──');
  const expected = new ExpectedTree();
  await open(page, url, 'downloader', expected);
  await expectTree(page, expected, 'of the whole run');
  await refiltered(page, expected, () =>
    page.selectOption('select.threads', { label: 'downloader-1 (1002)' }).then(() => undefined),
  );
  await shot(page, 'downloader-1-thread');
  await expectTree(page, expected, 'after picking thread downloader-1');
  await refiltered(page, expected, () => page.click('.segment:has-text("On CPU")'));
  await expectTree(page, expected, 'after On CPU');
  await showView(page, 'functions');
  await expectFunctions(page, '', 'after switching to the tab');
  await refiltered(page, expected, () => page.selectOption('select.threads', 'all').then(() => undefined));
  await refiltered(page, expected, () => page.click('.segment:has-text("Wall clock")'));
  await expectFunctions(page, '', 'of all threads, wall clock');
  await refiltered(page, expected, () => brush(page, 0.75, 0.95));
  await shot(page, 'downloader-2-range-functions');
  await expectFunctions(page, '', 'after a time range');
  await showView(page, 'tree');
  await expectTree(page, expected, 'after a time range, back on its tab');
  await search(page, expected, 'checksum');
  await expectTree(page, expected, 'after a search');
  await showView(page, 'functions');
  await expectFunctions(page, 'checksum', 'after a search');
  await search(page, expected, '');
  await expectFunctions(page, '', 'after the search is cleared');
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
  await expectTree(page, expected, 'expanded and scrolled');
  await refiltered(page, expected, () =>
    page.selectOption('select.threads', { label: 'uploader (4250)' }).then(() => undefined),
  );
  await shot(page, 'large-1-scrolled-then-thread');
  await expectTree(page, expected, 'scrolled, then filtered to a thread');
  await scrollList(page, '.tree-list', 1);
  await refiltered(page, expected, () => page.click('.segment:has-text("On CPU")'));
  await expectTree(page, expected, 'scrolled to the end, then On CPU');
  await refiltered(page, expected, () => brush(page, 0.1, 0.2));
  await expectTree(page, expected, 'then a time range');
  await search(page, expected, 'render_rows');
  await expectTree(page, expected, 'then a search');
  await showView(page, 'functions');
  await search(page, expected, '');
  await scrollList(page, '.fn-list', 1);
  await expectFunctions(page, '', 'scrolled to the end');
  await page.click('.timeline-clear');
  await refiltered(page, expected, () => page.selectOption('select.threads', 'all').then(() => undefined));
  await expectFunctions(page, '', 'scrolled, after the range is cleared');
  await scrollList(page, '.fn-list', 1);
  await refiltered(page, expected, () =>
    page.selectOption('select.threads', { label: 'uploader (4250)' }).then(() => undefined),
  );
  await shot(page, 'large-2-functions-scrolled-then-thread');
  await expectFunctions(page, '', 'scrolled to the end, then filtered to a thread');
  await search(page, expected, 'tokens');
  await expectFunctions(page, 'tokens', 'then a search');
  await showView(page, 'tree');
  await expectTree(page, expected, 'back on its tab');
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
