/**
 * The standalone HTML report (`hotpath report --format html`) opened from `file://` in Debian's
 * Chromium. A real run of a small program (the real CLI, sampler and CPython) is saved as
 * .hotpath.json, one of its source files is deleted, and the report is written from the saved
 * profile. Then, against the view model built from the profile the report embeds:
 * - the call tree's rows, Top functions' rows and the timeline's lanes are the model's;
 * - the flame graph and the flame chart draw (a click at a frame's laid-out place selects it);
 * - a click on a node in the tree or the flame graph shows its hottest line in the source pane,
 *   whose lines carry the line table's times, and a click on a line there highlights the nodes
 *   that ran it; the deleted file is said to be missing;
 * - Enter on a node moves the keyboard to the source pane;
 * - the On CPU filter is answered inside the page, and a reload keeps it;
 * - no request leaves the file, no policy violation or console error is reported, and the
 *   policy is enforced (an injected inline script and eval are refused).
 * A report of the hostile profile (hostileProfile.ts) with hostile source text must show every
 * string as text and run nothing (in the dark theme, which a browser preferring dark gets).
 * Screenshots go to --out.
 *
 *   npm run build && node --import tsx test/e2e/webview-harness/htmlReport.ts [--out DIR]
 *
 * Prints `ok`/`FAIL` per check; any failure sets the exit code. The ui e2e step runs it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { MISSING_TEXT, REPORT_PROFILE_ID } from '../../../extension/format/htmlReportData';
import { readReportAssets, renderHtmlReport } from '../../../extension/format/htmlReport';
import { loadProfile, saveProfile } from '../../../extension/format/profileFile';
import { buildLineTable } from '../../../extension/model/lineTable';
import { createView } from '../../../extension/model/processors';
import type { RawProfile } from '../../../extension/model/rawProfile';
import { DEFAULT_FILTER, type FilterState, type SetProfileMessage } from '../../../extension/views/protocol';
import { buildProfileMessage, scriptLabel, viewOptionsFor } from '../../../extension/views/viewModel';
import { layoutIcicle } from '../../../webview/flameLayout';
import { formatDuration, formatLocation, formatShare, visibleText } from '../../../webview/format';
import { DEFAULT_FUNCTION_SORT, sortFunctions } from '../../../webview/functionSort';
import { orderLanes } from '../../../webview/timelineLayout';
import { groupLanes, processesWithPython } from '../../../webview/processTree';
import { TreeData } from '../../../webview/treeData';
import { Checks, launchPage, outDir } from './harnessCommon';
import { HOSTILE_FUNCTIONS, IMG_ONERROR, SCRIPT_BREAKOUT, hostileProfile } from './hostileProfile';

const ROOT = path.resolve(__dirname, '../../..');
const OUT = outDir('html-report');
const FLAME_ROW_PX = 20;
const checks = new Checks();
const check = (ok: boolean, what: string) => checks.check(ok, what);

// Much heavier than the loop's own line, so that it is the hottest line however the samples fall.
const HOT_CODE = 'total += (i * i * i) % 7 + (i * 3) % 5 + (i ^ 5)  # the hot line';
const PROGRAM = `import time
import helper


def spin(n):
    total = 0
    for i in range(n):
        ${HOT_CODE}
    return total


def main():
    deadline = time.monotonic() + 0.8
    while time.monotonic() < deadline:
        spin(20_000)
        helper.pause()


main()
`;
const HELPER = `import time


def pause():
    time.sleep(0.002)
`;

// ── the report under test ───────────────────────────────────────────────────

function hotpath(args: string[], cwd: string): string {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'hotpath.js'), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0)
    throw new Error(`hotpath ${args.join(' ')} exited with ${run.status}: ${run.stderr}${run.stdout}`);
  return run.stderr;
}

/** Profiles PROGRAM, deletes helper.py, writes the report from the saved profile. */
function makeReport(dir: string): { html: string; program: string; helper: string } {
  const program = path.join(dir, 'work.py');
  const helper = path.join(dir, 'helper.py');
  writeFileSync(program, PROGRAM);
  writeFileSync(helper, HELPER);
  hotpath(['run', '--format', 'json', '-o', 'work.hotpath.json', 'work.py'], dir);
  unlinkSync(helper);
  const note = hotpath(['report', '--format', 'html', '-o', 'work.html', 'work.hotpath.json'], dir);
  check(
    /HTML report .* written to .*work\.html/.test(note),
    `the CLI says where the report is (${note.trim()})`,
  );
  return { html: path.join(dir, 'work.html'), program, helper };
}

/** The profile a report embeds, read back through the validating loader. */
function embeddedProfile(html: string): RawProfile {
  const match = new RegExp(`<script type="application/json" id="${REPORT_PROFILE_ID}">([^<]*)</script>`).exec(
    html,
  );
  if (!match) throw new Error('the report has no embedded profile block');
  return loadProfile(match[1]);
}

// ── watching the page ───────────────────────────────────────────────────────

/**
 * Runs before the page's scripts (from outside its policy): records policy violations and counts
 * the views the page receives, so a filter change can be waited for.
 */
const WATCH = `
  window.__report = { violations: [], shown: 0 };
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__report.violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample));
  window.addEventListener('message', (e) => {
    if (e.data && e.data.type === 'setProfile') setTimeout(() => window.__report.shown++);
  });
`;

interface ReportWindow {
  __report: { violations: string[]; shown: number };
  __pwned?: unknown;
}

interface Opened {
  page: Page;
  requests: string[];
  errors: string[];
  dialogs: string[];
  close(): Promise<void>;
}

async function openReport(file: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Opened> {
  const { context, page } = await launchPage({ width: 1400, height: 900 });
  await page.emulateMedia({ colorScheme });
  // Only a hang should reach this: on a loaded 2-core machine the whole script took 87 s once.
  page.setDefaultTimeout(120_000);
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const errors: string[] = [];
  const dialogs: string[] = [];
  context.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(WATCH);
  await page.goto(url);
  await page.waitForFunction(() => document.body.classList.contains('has-profile'));
  return { page, requests, errors, dialogs, close: () => context.close() };
}

/** Nothing left the file, nothing was refused by the policy, nothing was logged as an error. */
async function checkQuiet(opened: Opened): Promise<void> {
  const violations = await opened.page.evaluate(
    () => (window as unknown as ReportWindow).__report.violations,
  );
  check(opened.requests.length === 0, `no request leaves the file (${opened.requests.join(', ') || 'none'})`);
  check(violations.length === 0, `no policy violation (${violations.join('; ') || 'none'})`);
  check(opened.errors.length === 0, `no console error or warning (${opened.errors.join('; ') || 'none'})`);
}

async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(undefined)))),
  );
}

async function refiltered(page: Page, action: () => Promise<void>): Promise<void> {
  const before = await page.evaluate(() => (window as unknown as ReportWindow).__report.shown);
  await action();
  await page.waitForFunction((n) => (window as unknown as ReportWindow).__report.shown > n, before);
  await nextFrames(page);
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`) });

/** What the source pane shows: its file, its marked line and that line's text. */
function sourceShown(page: Page): Promise<{ file: string; line: number; code: string; status: string }> {
  return page.evaluate(() => {
    const pane = document.querySelector('.report-source') as HTMLElement;
    return {
      file: pane.dataset.file ?? '',
      line: Number(pane.dataset.line ?? 0),
      code: pane.querySelector('.src-line.current .src-code')?.textContent ?? '',
      status: pane.querySelector('.report-source-status')?.textContent ?? '',
    };
  });
}

// ── what the page should show ───────────────────────────────────────────────

function expectedMessage(raw: RawProfile, filter: FilterState): SetProfileMessage {
  return buildProfileMessage(raw, filter, {
    profileId: 'report',
    title: `Hotpath: ${scriptLabel(raw.meta.argv)}`,
  });
}

function treeRows(tree: TreeData): string[] {
  const total = tree.view.totalUs;
  return Array.from(tree.visibleRows(), (node) =>
    [
      formatDuration(tree.totalUs(node)),
      formatDuration(tree.selfUs(node)),
      formatShare(tree.totalUs(node), total),
      visibleText(tree.name(node)),
      formatLocation(tree.file(node), tree.line(node)),
    ].join(' | '),
  );
}

function shownTreeRows(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.tree-row'))
      .filter((row) => getComputedStyle(row).display !== 'none')
      .sort((a, b) => Number(a.dataset.row) - Number(b.dataset.row))
      .map((row) =>
        ['.c-total', '.c-self', '.pct', '.fn', '.loc']
          .map((c) => row.querySelector(c)?.textContent ?? '')
          .join(' | '),
      ),
  );
}

function findNode(tree: TreeData, name: string): number {
  for (let i = 1; i < tree.count; i++) if (tree.name(i) === name) return i;
  throw new Error(`the profile has no node named ${name}`);
}

// ── the real report ─────────────────────────────────────────────────────────

async function realReport(dir: string): Promise<void> {
  console.log('── a real run, saved, its report written by `hotpath report --format html` ──');
  const { html: file, program, helper } = makeReport(dir);
  const html = readFileSync(file, 'utf8');
  const raw = embeddedProfile(html);
  const saved = readFileSync(path.join(dir, 'work.hotpath.json'), 'utf8');
  check(
    saveProfile(raw) === saveProfile(loadProfile(saved)),
    'the report embeds the saved profile unchanged',
  );
  const policy = (/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
  check(
    /default-src 'none'/.test(policy) && /script-src 'sha256-/.test(policy) && !/unsafe|http|\*/.test(policy),
    `the policy allows no network, no eval, no inline code but the page's own (${policy.slice(0, 80)}…)`,
  );

  const opened = await openReport(file);
  const { page } = opened;
  try {
    const message = expectedMessage(raw, DEFAULT_FILTER);
    const tree = new TreeData(message.view);
    tree.reopen(undefined);
    await nextFrames(page);
    await shot(page, '1-report-tree');

    const title = await page.locator('.run-title').textContent();
    check(
      title === 'Hotpath: work.py' && (await page.title()) === 'Hotpath: work.py',
      `the title names the program (${title})`,
    );
    const wantRows = treeRows(tree);
    const rows = await shownTreeRows(page);
    check(
      rows.length > 2 && rows.length === wantRows.length && rows.every((r, i) => r === wantRows[i]),
      `the call tree shows the model's ${wantRows.length} rows (${rows.length} shown${
        rows.find((r, i) => r !== wantRows[i])
          ? `; first difference: "${rows.find((r, i) => r !== wantRows[i])}"`
          : ''
      })`,
    );

    // A click on spin's row: its hottest line, the hot line of the program, in the source pane.
    const spin = findNode(tree, 'spin');
    const hotLine = PROGRAM.split('\n').findIndex((l) => l.includes(HOT_CODE)) + 1;
    await page.click(`.tree-row[data-row="${tree.visibleRows().indexOf(spin)}"]`);
    await nextFrames(page);
    let shown = await sourceShown(page);
    check(
      shown.file === program &&
        shown.line === tree.line(spin) &&
        tree.line(spin) === hotLine &&
        shown.code.includes(HOT_CODE),
      `a click on spin in the tree shows work.py:${hotLine} in the source pane (${shown.file}:${shown.line} "${shown.code.trim()}")`,
    );
    await shot(page, '2-tree-click-shows-source');

    // Enter on the selected node moves the keyboard to its code, as it moves to the editor.
    const before = await page.evaluate(() => document.activeElement?.className ?? '');
    await page.keyboard.press('Enter');
    await nextFrames(page);
    const after = await page.evaluate(() => document.activeElement?.className ?? '');
    check(
      after === 'report-source-lines' && before !== after,
      `Enter on a node moves the keyboard to the source pane (from "${before}" to "${after}")`,
    );

    // The other way: a click on the hot line in the source pane highlights the nodes that ran it.
    await page.click(`.report-source .src-line[data-line="${hotLine}"]`);
    await page.waitForFunction(() => document.querySelector('.tree-row.highlight') !== null);
    const highlighted = await page.locator('.tree-row.highlight .fn').allTextContents();
    check(
      highlighted.join(', ') === 'spin',
      `a click on work.py:${hotLine} in the source pane highlights the nodes that ran it (${highlighted.join(', ')})`,
    );

    // Every line of the file shown with the line table's time and a heat mark.
    const table = buildLineTable(createView(raw, viewOptionsFor(DEFAULT_FILTER)));
    const lines = table.files.get(program) ?? new Map();
    const painted = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.report-source .src-line[data-heat]')).map((row) => [
        Number(row.dataset.line),
        row.querySelector('.src-total')?.textContent ?? '',
      ]),
    );
    const wantPainted = [...lines.values()]
      .filter((s) => s.totalUs > 0)
      .sort((a, b) => a.line - b.line)
      .map((s) => `${s.line} ${formatDuration(s.totalUs)}`);
    const gotPainted = painted.map(([line, time]) => `${line} ${time}`);
    check(
      wantPainted.length > 2 && gotPainted.join(', ') === wantPainted.join(', '),
      `the source pane paints work.py's sampled lines with their times (${gotPainted.join(', ')})`,
    );

    // The deleted file: said to be missing.
    const helperIndex = await page.evaluate(
      (f) =>
        Array.from(document.querySelectorAll('.report-file-picker option')).findIndex((o) =>
          o.textContent?.startsWith(f),
        ),
      helper,
    );
    await page.selectOption('.report-file-picker', String(helperIndex));
    shown = await sourceShown(page);
    check(
      helperIndex >= 0 && shown.file === helper && shown.status === MISSING_TEXT.missing,
      `the deleted helper.py is listed and said to be missing ("${shown.status}")`,
    );
    await shot(page, '3-missing-file');

    // Flame graph: a click where the model lays spin out selects it and shows its line.
    await page.click('.tab[data-view="flame"]');
    await nextFrames(page);
    const box = (await page.locator('.flame-canvas').boundingBox())!;
    const layout = layoutIcicle(tree, 0, box.width);
    const frame = layout.rows.flat().find((r) => r.node === spin)!;
    await page.mouse.click(
      box.x + frame.x + frame.width / 2,
      box.y + frame.depth * FLAME_ROW_PX + FLAME_ROW_PX / 2,
    );
    await nextFrames(page);
    const spoken = (await page.locator('.flame-canvas').getAttribute('aria-label')) ?? '';
    shown = await sourceShown(page);
    check(
      spoken ===
        `Flame graph: spin, ${formatDuration(tree.totalUs(spin))}, ${formatShare(tree.totalUs(spin), tree.view.totalUs)}` &&
        shown.file === program &&
        shown.line === hotLine,
      `a click on spin in the flame graph selects it ("${spoken}") and shows work.py:${shown.line}`,
    );
    await shot(page, '4-flame-graph');

    // Top functions: the model's rows in the page's default order.
    await page.click('.tab[data-view="functions"]');
    await nextFrames(page);
    const v = message.view;
    const wantFunctions = sortFunctions(v, DEFAULT_FUNCTION_SORT, '').map(
      (i) => `${visibleText(v.strings[v.functions.name[i]])} ${formatDuration(v.functions.selfUs[i])}`,
    );
    const gotFunctions = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.fn-row'))
        .filter((row) => getComputedStyle(row).display !== 'none')
        .sort((a, b) => Number(a.dataset.row) - Number(b.dataset.row))
        .map(
          (row) =>
            `${row.querySelector('.fn')?.textContent} ${row.querySelector('.c-self .time')?.textContent}`,
        ),
    );
    check(
      wantFunctions.length > 1 && gotFunctions.join(', ') === wantFunctions.join(', '),
      `Top functions shows the model's rows (${gotFunctions.join(', ')})`,
    );
    await shot(page, '5-top-functions');

    // Timeline: one lane per thread, in the page's order.
    // With several processes that ran Python, each process's row, then its lanes (processTree.ts).
    const ordered = orderLanes(message.timeline.lanes, message.header.threads);
    const processes = message.header.processes ?? [];
    const wantLanes =
      processesWithPython(processes).length > 1
        ? groupLanes(ordered, message.header.threads, processes).map((r) =>
            r.kind === 'process' ? r.process.label : r.label,
          )
        : ordered.map((l) => l.label);
    const gotLanes = await page.locator('.lane-label').allTextContents();
    check(
      gotLanes.join(', ') === wantLanes.join(', '),
      `the timeline has the model's lanes (${gotLanes.join(', ')})`,
    );

    // Flame chart: its data is asked for with a filter and answered inside the page.
    await refiltered(page, () => page.click('.tab[data-view="chart"]'));
    await page.locator('.chart-status').waitFor({ state: 'hidden' });
    const chartLabel = (await page.locator('.chart-canvas').getAttribute('aria-label')) ?? '';
    check(/^Flame chart: 0 – /.test(chartLabel), `the flame chart draws the whole run ("${chartLabel}")`);
    await shot(page, '6-flame-chart');

    // On CPU: the tree becomes the on-CPU model's (spin runs; the sleeping helper does not).
    await page.click('.tab[data-view="tree"]');
    await refiltered(page, () => page.click('.segment:has-text("On CPU")'));
    const cpu = new TreeData(expectedMessage(raw, { mode: 'cpu', showAll: false }).view);
    cpu.reopen(tree.openKeys());
    const cpuRows = await shownTreeRows(page);
    const wantCpu = treeRows(cpu);
    check(
      cpuRows.length === wantCpu.length && cpuRows.every((r, i) => r === wantCpu[i]),
      `On CPU is answered inside the page with the model's tree (${cpuRows.length} rows)`,
    );
    await shot(page, '7-on-cpu');

    // A reload keeps the filter and the view, as VS Code keeps a panel's state.
    await page.reload();
    await page.waitForFunction(() => document.body.classList.contains('has-profile'));
    await nextFrames(page);
    const restored = {
      mode: await page.locator('.segment[aria-checked="true"]').textContent(),
      rows: await shownTreeRows(page),
    };
    check(
      restored.mode === 'On CPU' && restored.rows.length === wantCpu.length,
      `a reload keeps On CPU and the tree (${restored.mode}, ${restored.rows.length} rows)`,
    );

    await checkQuiet(opened);

    // The policy is in force: an inline script added now is refused. (eval is refused by the
    // policy's text above: code evaluated from outside the page, as here, is exempt from it.)
    const refused = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__pwned = 1';
      document.body.appendChild(script);
      return new Promise<{ pwned: unknown; violations: string[] }>((resolve) =>
        setTimeout(() =>
          resolve({
            pwned: (window as unknown as ReportWindow).__pwned,
            violations: (window as unknown as ReportWindow).__report.violations,
          }),
        ),
      );
    });
    check(
      refused.pwned === undefined && refused.violations.some((v) => v.startsWith('script-src')),
      `the policy refuses an inline script added to the page (${refused.violations.join('; ')})`,
    );
  } finally {
    await opened.close();
  }
}

// ── the hostile report ──────────────────────────────────────────────────────

async function hostileReport(dir: string): Promise<void> {
  console.log('\n── a hostile profile and hostile source text ──');
  const raw = loadProfile(saveProfile(hostileProfile()));
  const target = HOSTILE_FUNCTIONS[0];
  const codeLines = Array.from(
    { length: target.line + 3 },
    (_, i) => `x${i} = "${SCRIPT_BREAKOUT}" ${IMG_ONERROR} ]]> <!--`,
  );
  const html = renderHtmlReport(
    raw,
    {
      writtenAt: Date.now(),
      files: [
        { file: target.file, text: `${codeLines.join('\n')}\n` },
        ...HOSTILE_FUNCTIONS.slice(1).map((f) => ({ file: f.file, missing: 'missing' as const })),
      ],
    },
    await readReportAssets(path.join(ROOT, 'dist')),
  );
  const file = path.join(dir, 'hostile.html');
  writeFileSync(file, html);
  const opened = await openReport(file, 'dark');
  const { page } = opened;
  try {
    await nextFrames(page);
    await shot(page, '8-hostile');
    const look = await page.evaluate(() => ({
      theme: document.documentElement.dataset.theme,
      background: getComputedStyle(document.body).backgroundColor,
    }));
    check(
      look.theme === 'dark' && look.background === 'rgb(31, 31, 31)',
      `a browser that prefers dark gets the dark theme (${look.theme}, ${look.background})`,
    );
    const traces = await page.evaluate(() => ({
      pwned: (window as unknown as ReportWindow).__pwned,
      scripts: document.querySelectorAll('script').length,
      foreign: Array.from(document.querySelectorAll('img, svg, iframe, object, embed, form, base, a[href]'))
        .length,
      handlers: Array.from(document.querySelectorAll('*')).filter((e) =>
        Array.from(e.attributes).some((a) => /^on/i.test(a.name)),
      ).length,
      title: document.title,
      names: Array.from(document.querySelectorAll('.tree-row .fn')).map((e) => e.textContent ?? ''),
    }));
    check(
      traces.pwned === undefined && opened.dialogs.length === 0,
      'no payload ran (no __pwned, no dialog)',
    );
    check(traces.scripts === 3, `the page has its own 3 script elements only (${traces.scripts})`);
    check(
      traces.foreign === 0 && traces.handlers === 0,
      `no element or handler made from the data (${traces.foreign}, ${traces.handlers})`,
    );
    check(
      traces.title === `Hotpath: ${scriptLabel(raw.meta.argv)}`,
      `the document title is the text (${traces.title})`,
    );
    check(
      traces.names.includes(SCRIPT_BREAKOUT),
      'a function named with a script breakout shows as text in the tree',
    );

    const message = expectedMessage(raw, DEFAULT_FILTER);
    const tree = new TreeData(message.view);
    tree.reopen(undefined);
    const row = tree
      .visibleRows()
      .findIndex((n) => tree.name(n) === target.name && tree.file(n) === target.file);
    await page.click(`.tree-row[data-row="${row}"]`);
    await nextFrames(page);
    const shown = await sourceShown(page);
    const node = tree.visibleRows()[row];
    check(
      row > 0 &&
        shown.file === target.file &&
        shown.line === tree.line(node) &&
        shown.code === codeLines[tree.line(node) - 1],
      `a click on it shows its hostile source line as text (${shown.line}: ${shown.code.slice(0, 60)}…)`,
    );
    await shot(page, '9-hostile-source');
    await checkQuiet(opened);
  } finally {
    await opened.close();
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'hotpath-html-report-'));
  try {
    await realReport(dir);
    await hostileReport(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  checks.finish();
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exitCode = 1;
});
