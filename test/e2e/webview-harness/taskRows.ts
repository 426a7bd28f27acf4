/**
 * The panel on an asyncio program recorded with `--async`: the shipped page in Chromium at
 * 1400×900, answered by the real host view model, fed a profile that went through the profile
 * file (saved and loaded again, format 3). Each task is a thread of the thread selector, named
 * after the task and its loop thread; the tree shows the task nodes nested (`task main` → `task
 * fetch` → fetch → slow_call), each row the view model's; a click on a task node opens its
 * coroutine's `async def`, a click on a frame under it the awaited line.
 *
 *   npm run build && node --import tsx test/e2e/webview-harness/taskRows.ts [--out DIR]
 *
 * Prints `ok`/`FAIL` per check; any failure sets the exit code. The ui e2e step runs it.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { loadProfile, saveProfile } from '../../../extension/format/profileFile';
import type { FilterState, SetProfileMessage } from '../../../extension/views/protocol';
import { buildProfileMessage } from '../../../extension/views/viewModel';
import { buildProfile } from '../../unit/helpers/profileBuilder';
import { Checks, openFresh, outDir, runPageScript } from './harnessCommon';
import { ExpectedTree, ListSession, nextFrames } from './listCompare';

const OUT = outDir('webview-tasks');
const APP = '/work/app/orders.py';
const checks = new Checks();
const check = (ok: boolean, what: string) => checks.check(ok, what);
const lists = new ListSession(checks);

/** The loop thread, the task "main" awaiting "fetch" (gather), "fetch" awaiting slow_call. */
const RAW = loadProfile(
  saveProfile(
    buildProfile({
      threads: [
        { name: 'MainThread', tid: 4242, isMain: true },
        { name: 'main', tid: 4242, loopThread: 0 },
        { name: 'fetch', tid: 4242, loopThread: 0 },
      ],
      firstLines: {
        [`task main@${APP}`]: 30,
        [`main@${APP}`]: 30,
        [`task fetch@${APP}`]: 12,
        [`fetch@${APP}`]: 12,
        [`slow_call@${APP}`]: 5,
      },
      samples: [
        {
          stack: [`<module>@${APP}:40`, 'run_forever@/usr/lib/python3.14/asyncio/base_events.py:678'],
          repeat: 20,
        },
        { stack: [`task main@${APP}:0`, `main@${APP}:33`], thread: 1, onCpu: false, repeat: 20 },
        {
          stack: [`task main@${APP}:0`, `task fetch@${APP}:0`, `fetch@${APP}:14`, `slow_call@${APP}:7`],
          thread: 2,
          onCpu: false,
          repeat: 16,
        },
        { stack: [`task main@${APP}:0`, `task fetch@${APP}:0`, `fetch@${APP}:15`], thread: 2, repeat: 4 },
      ],
    }),
  ),
);

function messageFor(filter: FilterState | undefined): SetProfileMessage {
  return lists.record(
    buildProfileMessage(RAW, filter ?? { mode: 'wall', showAll: true }, {
      profileId: 'tasks',
      title: 'Hotpath: orders.py',
    }),
  );
}

interface HarnessWindow {
  __hotpath: { posted: { type: string; file?: string; line?: number }[] };
}

/** Clicks the first tree row holding `text` and returns the `reveal` it posted. */
async function clickRow(page: Page, text: string): Promise<{ file?: string; line?: number } | undefined> {
  const before = await page.evaluate(() => (window as unknown as HarnessWindow).__hotpath.posted.length);
  await page.locator('.tree-row', { hasText: text }).first().click();
  const posted = await page.evaluate(
    (n) => (window as unknown as HarnessWindow).__hotpath.posted.slice(n),
    before,
  );
  return posted.find((m) => m.type === 'reveal');
}

async function taskChecks(page: Page, url: string): Promise<void> {
  const expected = new ExpectedTree();
  await openFresh(page, `${url}?profile=tasks`);
  await nextFrames(page);
  expected.shown(lists.lastMessage!);
  const threads = await page.$$eval('select.threads option', (os) => os.map((o) => o.textContent ?? ''));
  check(
    threads.includes('task fetch · MainThread (4242)') && threads.includes('task main · MainThread (4242)'),
    `each task is a lane of the thread selector, named after it and its loop: ${JSON.stringify(threads)}`,
  );
  // Everything open: the task nodes nest, and every row is the view model's.
  await page.locator('.tree-row').first().click();
  await page.keyboard.press('*');
  expected.expandAllBelow(0);
  await nextFrames(page);
  await lists.expectTree(page, expected, 'of every lane, expanded');
  const rows = await page.$$eval('.tree-row', (rs) => rs.map((r) => r.textContent ?? ''));
  const at = (name: string) => rows.findIndex((r) => r.includes(name));
  check(
    at('task main') >= 0 && at('task main') < at('task fetch') && at('task fetch') < at('slow_call'),
    `task fetch nests under task main, its await chain under it: ${JSON.stringify(rows)}`,
  );
  await page.screenshot({ path: path.join(OUT, 'tasks-1-expanded.png') });
  const node = await clickRow(page, 'task fetch');
  check(
    node?.file === APP && node.line === 12,
    `a click on the task node opens its coroutine's def, ${APP}:12 (${JSON.stringify(node)})`,
  );
  const awaited = await clickRow(page, 'slow_call');
  check(
    awaited?.file === APP && awaited.line === 7,
    `a click on the awaited frame opens ${APP}:7 (${JSON.stringify(awaited)})`,
  );
}

runPageScript(OUT, { width: 1400, height: 900 }, messageFor, (page, url) => taskChecks(page, url), checks);
