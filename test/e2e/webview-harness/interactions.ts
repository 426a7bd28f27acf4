/**
 * How the panel page answers the mouse and the keyboard, in Chromium at 1400×900 with the real
 * host view model (a profile shaped like examples/downloader.py): in the flame graph a click
 * selects and zooms and only a double-click or Ctrl+click goes to the code, the arrow keys move
 * between frames and Enter opens the source; Enter in the search box goes through the matches
 * of the view on screen and leaves the keyboard in the box; tree, flame graph and Top functions
 * open the same line for the same function (its hottest line, Alt: the `def` line); one root per
 * thread; the header keeps the sampler's statistics in a details pop-over; no time reads as zero;
 * the timeline's lanes start with the main thread; the flame chart opens code, zooms, sets the
 * timeline's range and follows it. Screenshots go to the output folder.
 *
 *   npm run build && node --import tsx test/e2e/webview-harness/interactions.ts [--out DIR]
 *
 * Prints `ok`/`FAIL` per check; any failure sets the exit code. The ui e2e step runs it.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { FilterState, SetProfileMessage } from '../../../extension/views/protocol';
import { buildProfileMessage } from '../../../extension/views/viewModel';
import { layoutIcicle } from '../../../webview/flameLayout';
import { TreeData } from '../../../webview/treeData';
import { DOWNLOADER_SCRIPT, downloaderProfile } from './downloaderProfile';
import { Checks, openFresh, outDir, runPageScript } from './harnessCommon';

const OUT = outDir('webview-interactions');
const FLAME_ROW_PX = 20;
const checks = new Checks();
const check = (ok: boolean, what: string) => checks.check(ok, what);

const RAW = downloaderProfile();
let lastMessage: SetProfileMessage | undefined;
function messageFor(filter: FilterState | undefined): SetProfileMessage {
  const message = buildProfileMessage(RAW, filter ?? { mode: 'wall', showAll: false }, {
    profileId: 'downloader',
    title: `Hotpath: ${DOWNLOADER_SCRIPT}`,
  });
  lastMessage = JSON.parse(JSON.stringify(message)) as SetProfileMessage;
  return lastMessage;
}

interface Posted {
  type: string;
  file?: string;
  line?: number;
  name?: string;
  preserveFocus?: boolean;
}
interface HarnessWindow {
  __hotpath: { posted: Posted[]; profilesShown: number };
}

/** What the page posts to the host while `action` runs. */
async function postedDuring(page: Page, action: () => Promise<void>): Promise<Posted[]> {
  const before = await page.evaluate(() => (window as unknown as HarnessWindow).__hotpath.posted.length);
  await action();
  await nextFrames(page);
  return page.evaluate((n) => (window as unknown as HarnessWindow).__hotpath.posted.slice(n), before);
}

const reveals = (posted: Posted[]) => posted.filter((m) => m.type === 'reveal');
const selects = (posted: Posted[]) => posted.filter((m) => m.type === 'select');
const describe = (m: Posted | undefined) =>
  m
    ? `${m.type} ${m.name ?? ''} ${m.file ?? ''}:${m.line ?? ''}${m.preserveFocus ? ' (keeps focus)' : ''}`
    : 'nothing';

async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(undefined)))),
  );
}

async function refiltered(page: Page, action: () => Promise<void>): Promise<void> {
  const before = await page.evaluate(() => (window as unknown as HarnessWindow).__hotpath.profilesShown);
  await action();
  await page.waitForFunction((n) => (window as unknown as HarnessWindow).__hotpath.profilesShown > n, before);
  await nextFrames(page);
}

/** The page position of a flame graph frame, found by laying out the model as the page does. */
async function framePoint(page: Page, zoomName: string, name: string): Promise<{ x: number; y: number }> {
  const tree = new TreeData(lastMessage!.view);
  const box = (await page.locator('.flame-canvas').boundingBox())!;
  const find = (n: string) => {
    for (let i = 1; i < tree.count; i++) if (tree.name(i) === n) return i;
    throw new Error(`no node named ${n}`);
  };
  const zoom = zoomName ? find(zoomName) : 0;
  const layout = layoutIcicle(tree, zoom, box.width);
  for (const row of layout.rows)
    for (const r of row)
      if (tree.name(r.node) === name)
        return { x: box.x + r.x + r.width / 2, y: box.y + r.depth * FLAME_ROW_PX + FLAME_ROW_PX / 2 };
  throw new Error(`${name} is not laid out under ${zoomName || 'all'}`);
}

const currentCrumb = (page: Page) => page.locator('.crumb[aria-current="true"]').textContent();
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`) });

async function flameChecks(page: Page): Promise<void> {
  console.log('\n── flame graph: mouse and keyboard ──');
  await page.click('.tab[data-view="flame"]');
  await nextFrames(page);
  const legend = await page.locator('.flame-legend').innerText();
  check(
    /your code/.test(legend) && /library/.test(legend) && /search match/.test(legend),
    `the flame graph has a colour legend (${legend.replace(/\s+/g, ' ')})`,
  );
  await shot(page, '1-flame');

  const worker = await framePoint(page, '', 'worker');
  let posted = await postedDuring(page, () => page.mouse.click(worker.x, worker.y));
  check(
    reveals(posted).length === 0 &&
      selects(posted)[0]?.name === 'worker' &&
      (await currentCrumb(page)) === 'worker',
    `a click selects and zooms, and does not go to the code (${posted.map(describe).join('; ')})`,
  );

  const fetch = await framePoint(page, 'worker', 'fetch');
  posted = await postedDuring(page, () => page.mouse.dblclick(fetch.x, fetch.y));
  const opened = reveals(posted);
  check(
    opened.length === 1 && opened[0].line === 20 && opened[0].preserveFocus === false,
    `a double-click goes to the frame's hottest line, downloader.py:20 (${opened.map(describe).join('; ')})`,
  );
  await page.keyboard.press('Escape');
  check((await currentCrumb(page)) === 'worker', 'Escape zooms out one level');

  const checksum = await framePoint(page, 'worker', 'checksum');
  posted = await postedDuring(page, async () => {
    await page.keyboard.down('Control');
    await page.mouse.click(checksum.x, checksum.y);
    await page.keyboard.up('Control');
  });
  check(
    reveals(posted).length === 1 && reveals(posted)[0].line === 27 && (await currentCrumb(page)) === 'worker',
    `Ctrl+click goes to the code without zooming (${posted.map(describe).join('; ')})`,
  );

  const keys = async (key: string) => postedDuring(page, () => page.keyboard.press(key));
  const up = selects(await keys('ArrowUp'))[0];
  const down = selects(await keys('ArrowDown'))[0];
  const right = selects(await keys('ArrowRight'))[0];
  check(
    up?.name === 'worker' && down?.name === 'fetch' && right?.name === 'checksum',
    `arrow keys move between frames: up ${describe(up)}, down ${describe(down)}, right ${describe(right)}`,
  );
  const spoken = (await page.locator('.flame-canvas').getAttribute('aria-label')) ?? '';
  check(/^Flame graph: checksum, /.test(spoken), `the canvas names the selected frame ("${spoken}")`);
  const enter = reveals(await keys('Enter'))[0];
  const altEnter = reveals(await keys('Alt+Enter'))[0];
  check(
    enter?.line === 27 && enter.preserveFocus === false && altEnter?.line === 24,
    `Enter opens the hottest line, Alt+Enter the def line (${describe(enter)}; ${describe(altEnter)})`,
  );

  await page.fill('.search', 'checksum');
  await page.locator('.match-count', { hasText: 'match' }).waitFor();
  await page.locator('.crumb').first().click();
  posted = await postedDuring(page, () => page.press('.search', 'Enter'));
  const focus = await page.evaluate(() => document.activeElement?.className ?? '');
  const tab = await page.locator('.tab[aria-selected="true"]').getAttribute('data-view');
  check(
    selects(posted)[0]?.name === 'checksum' && focus === 'search' && tab === 'flame',
    `Enter in the search box selects the next match in the flame graph and keeps the keyboard there ` +
      `(${describe(selects(posted)[0])}, focus on .${focus}, view ${tab})`,
  );
  await shot(page, '2-flame-search');
}

/** The data-row of the selected tree row, or -1. */
const selectedTreeRow = (page: Page) =>
  page.evaluate(() =>
    Number((document.querySelector('.tree-row.selected') as HTMLElement | null)?.dataset.row ?? -1),
  );

async function threadRootChecks(page: Page): Promise<void> {
  console.log('\n── one root per thread ──');
  await page.click('.tab[data-view="tree"]');
  await refiltered(page, () => page.locator('label', { hasText: 'Split by thread' }).click());
  const top = await page.locator('.tree-row[aria-level="1"] .fn').allTextContents();
  const labels = lastMessage!.header.threads.map((t) => t.label);
  check(
    top.length === labels.length && top.every((t) => labels.includes(t)) && top[0] === 'MainThread (1000)',
    `the call tree's top level is one row per thread (${top.join(', ')})`,
  );
  // The search for "checksum" is still on: four threads, four matches to go through.
  const seen: number[] = [];
  for (let i = 0; i < 5; i++) {
    await page.press('.search', 'Enter');
    await nextFrames(page);
    seen.push(await selectedTreeRow(page));
  }
  check(
    new Set(seen.slice(0, 4)).size === 4 && seen[4] === seen[0],
    `Enter in the search box goes through every match in the tree and wraps (rows ${seen.join(', ')})`,
  );
  await shot(page, '3-tree-thread-roots');
  await page.fill('.search', '');
  await page.locator('.match-count').filter({ hasText: /^$/ }).waitFor({ state: 'attached' });
  await refiltered(page, () => page.locator('label', { hasText: 'Split by thread' }).click());
}

async function clickRuleChecks(page: Page): Promise<void> {
  console.log('\n── one rule for where a click goes ──');
  const fetchRow = page.locator('.tree-row', { has: page.locator('.fn', { hasText: /^fetch$/ }) }).first();
  const click = reveals(await postedDuring(page, () => fetchRow.click()))[0];
  const alt = reveals(await postedDuring(page, () => fetchRow.click({ modifiers: ['Alt'] })))[0];
  check(
    click?.line === 20 && alt?.line === 18,
    `call tree: a click opens the hottest line, Alt+click the def line (${describe(click)}; ${describe(alt)})`,
  );
  await page.click('.tab[data-view="functions"]');
  await nextFrames(page);
  const fnRow = page.locator('.fn-row', { has: page.locator('.fn', { hasText: /^fetch$/ }) }).first();
  const fnClick = reveals(await postedDuring(page, () => fnRow.click()))[0];
  const fnAlt = reveals(await postedDuring(page, () => fnRow.click({ modifiers: ['Alt'] })))[0];
  const loc = await fnRow.locator('.loc').textContent();
  check(
    fnClick?.line === 20 && fnAlt?.line === 18 && loc === 'downloader.py:20',
    `Top functions: the same lines, and the row shows where a click goes (${describe(fnClick)}; ${describe(fnAlt)}; ${loc})`,
  );
  await shot(page, '4-functions');
}

async function headerAndFormatChecks(page: Page): Promise<void> {
  console.log('\n── header, zeros, lanes ──');
  const facts = await page.locator('.run-facts > .fact dt').allTextContents();
  check(
    ['Python', 'Duration', 'Samples', 'Threads', 'Exit'].every((f) => facts.includes(f)) &&
      !facts.some((f) => /Tick|Late|Dropped/.test(f)),
    `the header keeps duration, samples, interpreter and exit, not the tick statistics (${facts.join(', ')})`,
  );
  const details = page.locator('.run-details > summary');
  const tip = (await details.getAttribute('title')) ?? '';
  await details.click();
  const body = await page.locator('.run-details-body').innerText();
  check(
    /Tick cost/.test(tip) && /Late ticks/.test(body) && /Dropped/.test(body),
    'the tick statistics are in the Sampling details (tooltip and pop-over)',
  );
  await shot(page, '5-sampling-details');
  await details.click();

  await page.click('.tab[data-view="tree"]');
  const cells = [
    ...(await page.locator('.tree-row .c-total, .tree-row .c-self, .tree-row .pct').allTextContents()),
  ];
  await page.click('.tab[data-view="functions"]');
  cells.push(...(await page.locator('.fn-row .time, .fn-row .pct').allTextContents()));
  const zeros = cells.filter((c) => /^0( ms| s|%|$)/.test(c.trim()));
  check(
    zeros.length === 0 && cells.includes('—'),
    `no time or share reads as zero ("—" instead): ${zeros.join(', ')}`,
  );

  const lanes = await page.locator('.lane-label').allTextContents();
  const options = (await page.locator('select.threads option').allTextContents()).slice(1);
  const expected = ['MainThread', 'downloader-3', 'downloader-2', 'downloader-1', 'downloader-0'];
  check(
    lanes.every((l, i) => l.startsWith(expected[i])) && options.every((o, i) => o.startsWith(expected[i])),
    `lanes and the thread list: main first, then by start (${lanes.join(', ')})`,
  );
  await page.click('.tab[data-view="tree"]');
  await shot(page, '6-tree');
}

/** The window the flame chart shows, as its canvas says it ("Flame chart: a – b"). */
const chartWindow = async (page: Page) =>
  ((await page.locator('.chart-canvas').getAttribute('aria-label')) ?? '').replace(/^Flame chart: /, '');
/** The timeline's range as its label says it, without the length ("a – b"). */
const timelineRange = async (page: Page) =>
  ((await page.locator('.timeline-range').textContent()) ?? '').replace(/ \(.*\)$/, '');

async function chartChecks(page: Page): Promise<void> {
  console.log('\n── flame chart ──');
  let posted = await postedDuring(page, async () => {
    await refiltered(page, () => page.click('.tab[data-view="chart"]'));
  });
  const asked = posted.filter((m) => m.type === 'filter').pop() as { chart?: boolean } | undefined;
  await page.locator('.chart-status').waitFor({ state: 'hidden' });
  check(
    asked?.chart === true && (await chartWindow(page)).startsWith('0 – '),
    `showing the chart asks the host for its data, and it shows the whole run (${await chartWindow(page)})`,
  );
  await shot(page, '7-flame-chart');

  // MainThread's band comes first: its label row, then <module>, then main across the run.
  const box = (await page.locator('.chart-canvas').boundingBox())!;
  posted = await postedDuring(page, () => page.mouse.click(box.x + box.width / 2, box.y + 18 + 18 + 9));
  check(
    selects(posted)[0]?.name === 'main' &&
      reveals(posted)[0]?.line === 52 &&
      reveals(posted)[0]?.preserveFocus === true,
    `a click on a frame opens its code beside the panel (${posted.map(describe).join('; ')})`,
  );

  await refiltered(page, async () => {
    await page.mouse.move(box.x + box.width / 2, box.y + 60);
    await page.keyboard.down('Control');
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -150);
    await page.keyboard.up('Control');
  });
  const zoomed = await chartWindow(page);
  const brushed = await timelineRange(page);
  check(
    zoomed === brushed && !(await page.locator('.timeline-clear').isDisabled()),
    `Ctrl+wheel zooms the chart and, once it rests, sets the timeline's range (chart ${zoomed}, timeline ${brushed})`,
  );
  await shot(page, '8-flame-chart-zoomed');

  const lanes = (await page.locator('.timeline-canvas').boundingBox())!;
  await refiltered(page, async () => {
    await page.mouse.move(lanes.x + lanes.width * 0.1, lanes.y + 20);
    await page.mouse.down();
    await page.mouse.move(lanes.x + lanes.width * 0.3, lanes.y + 20, { steps: 4 });
    await page.mouse.up();
  });
  const followed = await chartWindow(page);
  check(followed === (await timelineRange(page)), `the chart follows the timeline's brush (${followed})`);

  await page.focus('.chart-canvas');
  await refiltered(page, () => page.keyboard.press('0'));
  check(
    (await page.locator('.timeline-clear').isDisabled()) && (await chartWindow(page)).startsWith('0 – '),
    `0 shows the whole run and clears the range (${await chartWindow(page)})`,
  );
}

runPageScript(
  OUT,
  { width: 1400, height: 900 },
  (filter) => messageFor(filter),
  async (page, url) => {
    await openFresh(page, url);
    await nextFrames(page);
    await flameChecks(page);
    await threadRootChecks(page);
    await clickRuleChecks(page);
    await headerAndFormatChecks(page);
    await chartChecks(page);
  },
  checks,
);
