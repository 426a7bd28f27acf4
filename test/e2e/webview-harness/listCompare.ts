/**
 * What the panel's lists must show and what they do show: the rows the page computes from a view
 * model (the same TreeData, opened by the page's rules), the rows the browser displays, and the
 * steps that change the view and wait for the page to show it. Shared by listRows.ts and
 * processRows.ts.
 */
import type { Page } from 'playwright-core';
import type { SetProfileMessage } from '../../../extension/views/protocol';
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
import type { Checks } from './harnessCommon';

export const ROW_HEIGHT = 22;
/** The page opens at most this many search matches (main.ts). */
const MAX_EXPANDED_MATCHES = 2_000;

// ── what the page should show ──────────────────────────────────────────────

/**
 * The call tree's rows as the page computes them from the view model: the same TreeData, opened
 * by the same rules the page applies (hot path on a new profile, the user's open nodes kept
 * across a filter change, the selected node and the search matches revealed).
 */
export class ExpectedTree {
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
export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(undefined)))),
  );
}

export async function showView(page: Page, view: 'tree' | 'functions'): Promise<void> {
  await page.click(`.tab[data-view="${view}"]`);
  await nextFrames(page);
}

export async function scrollList(page: Page, list: string, fraction: number): Promise<void> {
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
export async function brush(page: Page, from: number, to: number): Promise<void> {
  const lanes = (await page.locator('.timeline-canvas').boundingBox())!;
  await page.mouse.move(lanes.x + lanes.width * from, lanes.y + 20);
  await page.mouse.down();
  await page.mouse.move(lanes.x + lanes.width * to, lanes.y + 20, { steps: 5 });
  await page.mouse.up();
}

/** One page's lists against the view model the server sent it last. */
export class ListSession {
  /** The last view model the server sent: what the page must be showing once it has handled it. */
  lastMessage: SetProfileMessage | undefined;

  constructor(private readonly checks: Checks) {}

  /** Keeps what survives postMessage from the extension host of `message`, and returns it. */
  record(message: SetProfileMessage): SetProfileMessage {
    this.lastMessage = JSON.parse(JSON.stringify(message)) as SetProfileMessage;
    return this.lastMessage;
  }

  /** Runs `action`, which makes the page ask for a new view, and waits until the page has shown it. */
  async refiltered(page: Page, expected: ExpectedTree, action: () => Promise<void>): Promise<void> {
    const before = await page.evaluate(() => (window as unknown as HarnessWindow).__hotpath.profilesShown);
    await action();
    await page.waitForFunction(
      (n) => (window as unknown as HarnessWindow).__hotpath.profilesShown > n,
      before,
    );
    await nextFrames(page);
    expected.shown(this.lastMessage!);
  }

  async search(page: Page, expected: ExpectedTree, query: string): Promise<void> {
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

  async expectTree(page: Page, expected: ExpectedTree, what: string): Promise<void> {
    const problems = compareRows(await renderedRows(page, '.tree-list', TREE_CELLS), expected.rows());
    this.checks.check(
      problems.length === 0,
      `call tree ${what}${problems.length ? `:\n       ${problems.slice(0, 6).join('\n       ')}` : ''}`,
    );
  }

  async expectFunctions(page: Page, query: string, what: string): Promise<void> {
    const problems = compareRows(
      await renderedRows(page, '.fn-list', FUNCTION_CELLS),
      functionRows(this.lastMessage!, query),
    );
    this.checks.check(
      problems.length === 0,
      `top functions ${what}${problems.length ? `:\n       ${problems.slice(0, 6).join('\n       ')}` : ''}`,
    );
  }
}
