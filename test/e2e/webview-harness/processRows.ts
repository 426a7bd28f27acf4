/**
 * The panel on a program of several processes (a Pool, its workers, a shell that runs a tool):
 * the shipped page in Chromium at 1400×900, answered by the real host view model. The process
 * selector lists each process under its parent, as text (a helper that ran no Python is left
 * out); choosing one shrinks every list to that
 * process, and every row the page displays must then be the view model's row (no row left over
 * from the merged view); the thread selector lists only that process's threads; a click still
 * opens the code; the timeline groups lanes under their process, nested, with each process's
 * start and end drawn where they are.
 *
 *   npm run build && node --import tsx test/e2e/webview-harness/processRows.ts [--out DIR]
 *
 * Prints `ok`/`FAIL` per check; any failure sets the exit code. The ui e2e step runs it.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { FilterState, ProcessSummary, SetProfileMessage } from '../../../extension/views/protocol';
import { buildProfileMessage } from '../../../extension/views/viewModel';
import { visibleText } from '../../../webview/format';
import {
  groupLanes,
  processesWithPython,
  processOptionText,
  processSpan,
  processTreeOrder,
} from '../../../webview/processTree';
import { orderLanes } from '../../../webview/timelineLayout';
import { Checks, openFresh, outDir, runPageScript } from './harnessCommon';
import { ExpectedTree, ListSession, nextFrames, scrollList, showView } from './listCompare';
import { POOL_SCRIPT, poolProfile } from './poolProfile';

const OUT = outDir('webview-processes');
const checks = new Checks();
const check = (ok: boolean, what: string) => checks.check(ok, what);
const lists = new ListSession(checks);
const RAW = poolProfile();

function messageFor(filter: FilterState | undefined): SetProfileMessage {
  return lists.record(
    buildProfileMessage(RAW, filter ?? { mode: 'wall', showAll: false }, {
      profileId: 'pool',
      title: 'Hotpath: pool_main.py',
    }),
  );
}

interface HarnessWindow {
  __hotpath: { posted: { type: string; file?: string; line?: number }[] };
  __pwned?: unknown;
}

const processes = (): ProcessSummary[] => lists.lastMessage!.header.processes ?? [];

async function options(
  page: Page,
  select: string,
): Promise<{ text: string; value: string; disabled: boolean }[]> {
  return page.$$eval(`${select} option`, (os) =>
    os.map((o) => ({
      text: o.textContent ?? '',
      value: (o as HTMLOptionElement).value,
      disabled: (o as HTMLOptionElement).disabled,
    })),
  );
}

async function chooseProcess(page: Page, expected: ExpectedTree, value: string): Promise<void> {
  await lists.refiltered(page, expected, () =>
    page.selectOption('select.processes', value).then(() => undefined),
  );
}

async function selectorChecks(page: Page): Promise<void> {
  const shown = await options(page, 'select.processes');
  const want = [
    `All processes (${processes().filter((p) => p.samples > 0).length})`,
    ...processTreeOrder(processesWithPython(processes())).map((n) => visibleText(processOptionText(n))),
  ];
  check(
    JSON.stringify(shown.map((o) => o.text)) === JSON.stringify(want),
    `the process selector lists every process under its parent, as text:\n       ${shown.map((o) => o.text).join('\n       ')}`,
  );
  check(
    shown
      .filter((o) => o.disabled)
      .map((o) => o.text.trim())
      .join() === 'pid 4103 (sh -c) — not CPython (/bin/sh)',
    'the shell, which ran no Python, cannot be chosen',
  );
  check((await page.inputValue('select.processes')) === 'all', 'all processes are shown merged by default');
  const injected = await page.evaluate(
    () => document.querySelectorAll('img').length + ((window as unknown as HarnessWindow).__pwned ? 1 : 0),
  );
  check(injected === 0, 'a script name that is markup made no element and ran nothing');
}

async function threadsListed(page: Page, process: number | undefined): Promise<void> {
  const header = lists.lastMessage!.header;
  const threads = header.threads.filter((t) => process === undefined || t.process === process);
  const shown = await options(page, 'select.threads');
  const ok =
    shown.length === threads.length + 1 &&
    shown[0].text === `All threads (${threads.length})` &&
    shown
      .slice(1)
      .map((o) => Number(o.value))
      .sort()
      .join() ===
      threads
        .map((t) => t.index)
        .sort()
        .join();
  check(
    ok,
    `the thread selector lists ${process === undefined ? 'every' : `process ${process}'s`} thread: ${shown.map((o) => o.text).join(' | ')}`,
  );
}

/** The timeline's labels against groupLanes, and each process's start and end on the canvas. */
async function timelineChecks(page: Page): Promise<void> {
  const message = lists.lastMessage!;
  const lanes = orderLanes(message.timeline.lanes, message.header.threads);
  const rows = groupLanes(lanes, message.header.threads, processes());
  const want = rows.map((r) => `${r.depth}:${r.kind === 'process' ? r.process.label : r.label}`);
  const labels = await page.$$eval('.timeline-labels > .lane-label', (ls) =>
    ls.map((l) => ({
      text: l.textContent ?? '',
      depth: (l as HTMLElement).dataset.depth ?? '',
      process: (l as HTMLElement).dataset.process,
      indent: parseFloat(getComputedStyle(l).paddingLeft),
      top: l.getBoundingClientRect().top,
      height: l.getBoundingClientRect().height,
    })),
  );
  const got = labels.map((l) => `${l.depth}:${l.text}`);
  check(
    JSON.stringify(got) === JSON.stringify(want.map((w) => visibleText(w))),
    `the timeline groups lanes under their process, nested:\n       ${got.join('\n       ')}`,
  );
  check(
    labels.every((l, i) => i === 0 || Number(l.depth) === 0 || l.indent > 0) &&
      labels.every((l) => l.indent === Number(l.depth) * 10),
    'each level of the process tree is indented',
  );
  const canvas = (await page.locator('.timeline-canvas').boundingBox())!;
  // The page draws in whole CSS pixels of the canvas's client width.
  canvas.width = await page.$eval('.timeline-canvas', (c) => (c as HTMLCanvasElement).clientWidth);
  const duration = message.timeline.durationUs;
  for (const row of labels.filter((l) => l.process !== undefined)) {
    const process = processes()[Number(row.process)];
    const span = processSpan(process, duration);
    const y = row.top - canvas.y + row.height / 2;
    const x = (us: number) => Math.floor((us / duration) * canvas.width);
    const painted = await page.evaluate(
      ({ points }) => {
        const c = document.querySelector('.timeline-canvas') as HTMLCanvasElement;
        const ctx = c.getContext('2d')!;
        const dpr = c.width / c.clientWidth;
        return points.map(
          ([px, py]) => ctx.getImageData(Math.round(px * dpr), Math.round(py * dpr), 1, 1).data[3] > 0,
        );
      },
      {
        points: [
          [x(span.start) + 1, y],
          [x(span.start) - 6, y],
          [Math.min(canvas.width - 2, x(span.end) - 1), y],
          [x(span.end) + 6, y],
          [x(span.start), y - 4],
        ],
      },
    );
    const [atStart, beforeStart, atEnd, afterEnd, startTick] = painted;
    const ended = process.endUs !== null && x(span.end) + 6 < canvas.width;
    check(
      atStart && atEnd && startTick && (span.start === 0 || !beforeStart) && (!ended || !afterEnd),
      `${process.label}: drawn from its start to its end (${Math.round(span.start / 1000)}–${Math.round(span.end / 1000)} ms), nothing outside: ${painted.join(',')}`,
    );
  }
}

async function revealChecks(page: Page, what: string): Promise<void> {
  const row = page.locator('.tree-row', { hasText: 'crunch' }).first();
  const before = await page.evaluate(() => (window as unknown as HarnessWindow).__hotpath.posted.length);
  await row.click();
  const posted = await page.evaluate(
    (n) => (window as unknown as HarnessWindow).__hotpath.posted.slice(n),
    before,
  );
  const reveal = posted.find((m) => m.type === 'reveal');
  check(
    reveal?.file === POOL_SCRIPT && reveal.line === 14,
    `${what}: a click on crunch opens ${POOL_SCRIPT}:14 (${JSON.stringify(reveal)})`,
  );
}

async function processChecks(page: Page, url: string): Promise<void> {
  const expected = new ExpectedTree();
  await openFresh(page, `${url}?profile=pool`);
  await nextFrames(page);
  expected.shown(lists.lastMessage!);
  await selectorChecks(page);
  await threadsListed(page, undefined);
  await timelineChecks(page);
  await page.screenshot({ path: path.join(OUT, 'processes-1-merged.png') });
  // Everything open and scrolled to the end of the merged lists, then one process: shorter lists.
  await page.locator('.tree-row').first().click();
  await page.keyboard.press('*');
  expected.expandAllBelow(0);
  await nextFrames(page);
  const merged = expected.rows().length;
  await scrollList(page, '.tree-list', 1);
  await lists.expectTree(page, expected, 'of every process, expanded, scrolled to the end');
  await chooseProcess(page, expected, '0');
  check(
    expected.rows().length < merged / 4,
    `the parent alone has far fewer rows (${expected.rows().length} of ${merged})`,
  );
  await page.screenshot({ path: path.join(OUT, 'processes-2-parent.png') });
  await lists.expectTree(page, expected, 'after choosing the parent process, scrolled');
  const names = lists.lastMessage!.view.functions.name.map((n) => lists.lastMessage!.view.strings[n]);
  check(!names.includes('crunch'), 'the parent process shows none of the workers’ functions');
  await threadsListed(page, 0);
  await showView(page, 'functions');
  await lists.expectFunctions(page, '', 'of the parent process');
  await chooseProcess(page, expected, 'all');
  await scrollList(page, '.fn-list', 1);
  await lists.expectFunctions(page, '', 'of every process, scrolled to the end');
  await chooseProcess(page, expected, '1');
  await lists.expectFunctions(page, '', 'scrolled, then one worker');
  await threadsListed(page, 1);
  await showView(page, 'tree');
  await lists.expectTree(page, expected, 'of one worker');
  await revealChecks(page, 'one worker');
  // A thread of the worker, then a process header in the timeline: the thread choice goes.
  await lists.refiltered(page, expected, () =>
    page
      .selectOption('select.threads', { label: 'pid 4101 (python3 -c) · MainThread (4101)' })
      .then(() => undefined),
  );
  await lists.expectTree(page, expected, 'of the worker’s main thread');
  await lists.refiltered(page, expected, () => page.click('.process-label[data-process="2"]'));
  check(
    (await page.inputValue('select.processes')) === '2' && lists.lastMessage!.filter.threads === undefined,
    'a process’s label in the timeline chooses that process and clears the thread',
  );
  await lists.expectTree(page, expected, 'after the timeline chose the other worker');
  await page.screenshot({ path: path.join(OUT, 'processes-3-worker.png') });
  await lists.refiltered(page, expected, () => page.click('.process-label[data-process="2"]'));
  check((await page.inputValue('select.processes')) === 'all', 'its label again shows every process');
  await lists.expectTree(page, expected, 'of every process again');
  await revealChecks(page, 'every process');
}

runPageScript(OUT, { width: 1400, height: 900 }, messageFor, (page, url) => processChecks(page, url), checks);
