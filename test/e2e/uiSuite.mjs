// Playwright UI tests: the packaged VSIX installed into a fresh code-server, used the way a
// person would in Chromium: open an example, run Profile Current File from the command palette
// and from the editor-title flame button, and read the times painted after the hot lines; then
// the profile panel's own checks in a workbench of their own. Every step leaves a screenshot.
/* global document -- page.waitForFunction callbacks run in the browser */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { busyScript } from './lib/busyScript.mjs';
import { withWorkbench } from './lib/workbenchSession.mjs';
import { lineOf, savedProfiles } from './lib/workspaceFiles.mjs';
import { panelFrame, runPanelUiChecks } from './ui/panelUi.mjs';
import { runRecoveryCheck } from './ui/recoveryUi.mjs';
import { runTestLensCheck } from './ui/testLensUi.mjs';
import { runPanelRowsCheck } from './ui/panelRowsUi.mjs';
import { runLiveCheck } from './ui/liveUi.mjs';
import { runStacksUiChecks } from './ui/stacksUi.mjs';
import { runCompareUiChecks } from './ui/compareUi.mjs';
import { runProcessesUiChecks } from './ui/processesUi.mjs';
import { runHarnessScript } from './webview-harness/runHarnessScript.mjs';

const INLINE_TIME = /\d(\.\d+)?\s?(µs|ms|s)\b.*%/;

function assertInlineTime(text, where) {
  if (!INLINE_TIME.test(text))
    throw new Error(`${where}: inline text ${JSON.stringify(text)} is not "time · share%"`);
}

/** The profile panel opens just after the annotations are painted, beside the editor. */
async function waitForPanelTab(page, file) {
  await page
    .locator('.tab', { hasText: `Hotpath: ${file}` })
    .first()
    .waitFor({ timeout: 15_000 });
}

/** Waits until the panel page of `file` has drawn its call tree. */
async function waitForPanelPage(page, file) {
  const panel = panelFrame(page);
  await panel.locator('.run-title', { hasText: `Hotpath: ${file}` }).waitFor({ timeout: 30_000 });
  await panel.locator('.tree-row:not([hidden])').first().waitFor({ timeout: 30_000 });
}

/** Runs `body` at another window size, then goes back to the usual one. */
async function withViewport(page, size, body) {
  await page.setViewportSize(size);
  try {
    await body();
  } finally {
    await page.setViewportSize({ width: 1600, height: 1000 });
  }
}

/**
 * The hot line's CodeLens shows its time, all of it inside the editor beside the panel, however
 * long the line and its comment (the inline time after such a line is scrolled out of view).
 */
async function assertHotLineLens(bench, file, hot) {
  const page = bench.page;
  await bench.goToLine(lineOf(file, hot));
  const editor = page.locator('.editor-group-container.active .monaco-editor[data-uri]').first();
  // Visible ones only: the lens of another hot line outside the scrolled view is in the page but
  // hidden, and which comes first depends on the order the lenses were last refreshed in (a
  // running program's live updates refresh them every second).
  const lenses = editor.locator('.codelens-decoration:visible', { hasText: 'hot line:' });
  await lenses.first().waitFor({ timeout: 15_000 });
  await bench.screenshot(`${path.basename(file, '.py')}-hot-line-lens`);
  // The lens of this line is the one just above it (a file can have several hot lines).
  const spaced = new RegExp(
    hot
      .split(' ')
      .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\s+'),
  );
  const line = await editor.locator('.view-line', { hasText: spaced }).first().boundingBox();
  let box;
  let text = '';
  for (const lens of await lenses.all()) {
    const candidate = await lens.boundingBox();
    if (line && candidate && candidate.y < line.y && line.y - candidate.y < 2 * line.height) {
      box = candidate;
      text = (await lens.textContent()) ?? '';
    }
  }
  if (!/\d(\.\d+)?\s?(ms|s)\b.*%/.test(text))
    throw new Error(`${path.basename(file)}: the hot line's CodeLens reads ${JSON.stringify(text)}`);
  const area = await editor.boundingBox();
  if (!box || !area || box.x + box.width > area.x + area.width)
    throw new Error(
      `${path.basename(file)}: the CodeLens ${JSON.stringify(box)} runs past the editor ${JSON.stringify(area)}`,
    );
}

async function assertKeyboardIn(bench, file, when) {
  const focused = await bench.focusedEditor();
  if (focused !== file) throw new Error(`${when}: the keyboard is in ${focused}, not in the ${file} editor`);
}

/**
 * The window's first run, of a program whose work is done in multiprocessing workers: it ends by
 * itself when the program does (the editor's own processes started meanwhile, such as the
 * terminal host, are none of the program's), and the workers' line is painted.
 */
async function poolCheck({ page, bench, check, workspaceDir }) {
  await check(
    "ui: a Pool program, the window's first run, ends by itself and paints its workers' line",
    async () => {
      const file = path.join(workspaceDir, 'collatz_pool.py');
      const hot = 'n = n // 2 if n % 2 == 0 else 3 * n + 1';
      await bench.openFile('collatz_pool.py', 'def chain_length');
      await bench.goToLine(lineOf(file, hot));
      await bench.runCommand('Hotpath: Profile Current File');
      // The program takes about two seconds; the run's profile is saved when the run ends.
      const deadline = Date.now() + 60_000;
      while (savedProfiles(workspaceDir).length === 0) {
        if (Date.now() > deadline) throw new Error('the run of collatz_pool.py did not end within a minute');
        await page.waitForTimeout(100);
      }
      const saved = path.join(workspaceDir, '.hotpath', savedProfiles(workspaceDir)[0]);
      // The file is there from its first byte: read it once it parses.
      let profile;
      while (!profile) {
        try {
          profile = JSON.parse(readFileSync(saved, 'utf8'));
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await page.waitForTimeout(100);
        }
      }
      const programs = (profile.processes ?? []).filter((p) => p.pythonVersion);
      // The program and its 2 workers (and the server where forkserver is the start method).
      if (programs.length < 3)
        throw new Error(`the workers were not followed: ${JSON.stringify(profile.processes)}`);
      await waitForPanelPage(page, 'collatz_pool.py');
      assertInlineTime(await bench.waitForInlineTime(hot), "collatz_pool.py workers' line");
      await bench.screenshot('collatz-pool-annotated');
      await assertHotLineLens(bench, file, hot);
    },
  );
}

async function editorChecks({ page, bench, check, workspaceDir }) {
  await check('ui: Profile Current File from the palette paints the hot line', async () => {
    const file = path.join(workspaceDir, 'word_frequency.py');
    const hot = 'if word not in vocabulary:';
    await bench.openFile('word_frequency.py', 'def make_corpus');
    // Bring the hot line into view first: nothing may take the keyboard while the run is going,
    // because the panel that opens when it ends takes the focus and closes any quick input.
    await bench.goToLine(lineOf(file, hot));
    await bench.screenshot('word-frequency-open');
    await bench.runCommand('Hotpath: Profile Current File');
    await bench.screenshot('word-frequency-command-run');
    const text = await bench.waitForInlineTime(hot);
    await waitForPanelTab(page, 'word_frequency.py');
    await bench.screenshot('word-frequency-annotated');
    assertInlineTime(text, 'word_frequency.py hot line');
    // The docstring never runs: no time may be painted on it.
    await bench.goToLine(lineOf(file, 'The slow part is deliberate'));
    await bench.screenshot('word-frequency-top');
    await page.locator('.monaco-editor[data-uri] .view-line', { hasText: 'deliberate:' }).first().waitFor();
    const painted = await bench.annotatedLines();
    const wrong = painted.filter((line) => line.code.startsWith('The slow part is deliberate'));
    if (wrong.length) throw new Error(`time painted on a line that never ran: ${JSON.stringify(wrong)}`);
  });

  await check("ui: the hot line's time stays visible above it at 1400×900 beside the panel", async () => {
    await withViewport(page, { width: 1400, height: 900 }, () =>
      assertHotLineLens(bench, path.join(workspaceDir, 'word_frequency.py'), 'if word not in vocabulary:'),
    );
  });

  await check('ui: the flame button in the editor title profiles the file', async () => {
    const file = path.join(workspaceDir, 'primes.py');
    const hot = 'if n % divisor == 0';
    await bench.openFile('primes.py', 'def is_prime');
    await bench.goToLine(lineOf(file, hot));
    await bench.clickEditorTitleAction('Profile Current File');
    await bench.screenshot('primes-flame-clicked');
    const text = await bench.waitForInlineTime(hot);
    await waitForPanelTab(page, 'primes.py');
    await bench.screenshot('primes-annotated');
    assertInlineTime(text, 'primes.py hot line');
  });

  await check('ui: a run leaves the keyboard in the editor and the layout as it was', async () => {
    // After the flame button's run of primes.py: its panel has drawn, and the editor that was run
    // still has the keyboard, so Ctrl+P pressed next opens Quick Open at once.
    await waitForPanelPage(page, 'primes.py');
    await assertKeyboardIn(bench, 'primes.py', 'after the first run');
    const before = await bench.layout();
    const saved = savedProfiles(workspaceDir).length;
    await bench.runCommand('Hotpath: Profile Current File');
    const deadline = Date.now() + 60_000;
    while (savedProfiles(workspaceDir).length <= saved) {
      if (Date.now() > deadline) throw new Error('the second run of primes.py saved no profile');
      await page.waitForTimeout(100);
    }
    await waitForPanelPage(page, 'primes.py');
    await bench.screenshot('primes-second-run');
    await assertKeyboardIn(bench, 'primes.py', 'after the second run');
    const after = await bench.layout();
    if (JSON.stringify(after) !== JSON.stringify(before))
      throw new Error(`the run changed the layout: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    const panels = after.groups.flat().filter((tab) => tab.startsWith('Hotpath: primes.py')).length;
    if (panels !== 1)
      throw new Error(`${panels} panels for primes.py after two runs: ${JSON.stringify(after)}`);
    // No retry here: the first Ctrl+P must open Quick Open, and the file opens in the editor's group.
    await page.keyboard.press('Control+P');
    await bench.waitForFocus(page.locator('.quick-input-widget input'), { timeout: 5_000 });
    await page.keyboard.press('Escape');
    await bench.openFile('csv_pipeline.py', 'def ');
    const opened = await bench.layout();
    const group = opened.groups.find((tabs) => tabs.some((tab) => tab.startsWith('csv_pipeline.py')));
    if (opened.groups.length !== before.groups.length || !group?.some((tab) => tab.startsWith('primes.py')))
      throw new Error(`csv_pipeline.py did not open beside primes.py: ${JSON.stringify(opened)}`);
    await bench.screenshot('csv-pipeline-opened');
    await bench.openFile('primes.py', 'def is_prime');
  });

  await check('ui: long and commented hot lines keep their time visible at 1400×900', async () => {
    await withViewport(page, { width: 1400, height: 900 }, async () => {
      await assertHotLineLens(bench, path.join(workspaceDir, 'primes.py'), 'if n % divisor == 0');
      for (const [name, hot, expect] of [
        ['csv_pipeline.py', 'return pattern.match(address) is not None', 'def '],
        ['downloader.py', 'time.sleep(latency)', 'def fetch'],
      ]) {
        await bench.openFile(name, expect);
        await bench.runCommand('Hotpath: Profile Current File');
        await waitForPanelPage(page, name);
        await assertHotLineLens(bench, path.join(workspaceDir, name), hot);
      }
      await bench.openFile('primes.py', 'def is_prime');
    });
  });

  await check('ui: Clear Annotations removes the inline times', async () => {
    const hot = 'if n % divisor == 0';
    await bench.runCommand('Hotpath: Clear Annotations');
    await bench.waitForNoInlineTime(hot, { timeoutMs: 10_000 });
    await bench.screenshot('primes-cleared');
  });
}

/** After the runs above: bringing the other file's panel to the front paints that file. */
async function frontPanelCheck({ page, bench, check, workspaceDir }) {
  await check('ui: the panel brought to the front paints its file, and says which panel paints', async () => {
    const tab = (name) => page.locator('.tab', { hasText: `Hotpath: ${name}` }).first();
    await tab('word_frequency.py').click();
    // Its title loses the "(not in editor)" note; the other panels keep it.
    await page.waitForFunction(
      () => {
        const titles = [...document.querySelectorAll('.tab')].map((t) => t.textContent ?? '');
        const mine = titles.find((t) => t.includes('Hotpath: word_frequency.py'));
        const primes = titles.find((t) => t.includes('Hotpath: primes.py'));
        return mine && !mine.includes('(not in editor)') && primes?.includes('(not in editor)');
      },
      undefined,
      { timeout: 15_000, polling: 100 },
    );
    // The keyboard is in the panel now (its page took it as it loaded): a click on the source
    // editor's tab gives it back before anything is typed.
    await waitForPanelPage(page, 'word_frequency.py');
    await page
      .locator('.tab', { hasText: /^word_frequency\.py/ })
      .first()
      .click();
    const hot = 'if word not in vocabulary:';
    await bench.goToLine(lineOf(path.join(workspaceDir, 'word_frequency.py'), hot));
    assertInlineTime(await bench.waitForInlineTime(hot), 'word_frequency.py hot line painted from its panel');
    await bench.screenshot('front-panel-paints');
  });
}

/** The progress notification stops the run with a Stop link (VS Code's "Cancel" would read as "discard"). */
async function stopCheck({ page, bench, check, workspaceDir }) {
  const file = path.join(workspaceDir, 'stop_me.py');
  writeFileSync(file, busyScript('spin_until_stopped', 60));
  try {
    await check('ui: Stop in the progress notification ends the run and keeps the profile', async () => {
      await bench.openFile('stop_me.py', 'def spin_until_stopped');
      const saved = savedProfiles(workspaceDir).length;
      await bench.runCommand('Hotpath: Profile Current File');
      const toast = page.locator('.notification-toast', { hasText: 'Profiling stop_me.py' });
      const stop = toast.locator('a', { hasText: /^Stop$/ });
      await stop.waitFor({ timeout: 30_000 });
      // Stopped once Python is being sampled (stopped before, a program leaves nothing to keep).
      await toast.filter({ hasText: /[1-9][\d,]* samples/ }).waitFor({ timeout: 30_000 });
      await bench.screenshot('stop-link');
      const cancel = await toast.getByRole('button', { name: 'Cancel' }).count();
      if (cancel > 0) throw new Error('the progress notification still offers "Cancel"');
      await stop.click();
      const deadline = Date.now() + 30_000;
      while (savedProfiles(workspaceDir).length <= saved) {
        if (Date.now() > deadline) throw new Error('Stop kept no profile');
        await page.waitForTimeout(100);
      }
      await waitForPanelPage(page, 'stop_me.py');
      await bench.screenshot('stop-kept-profile');
    });
  } finally {
    spawnSync('pkill', ['-f', file]);
  }
}

/**
 * @param {{ vsix: string, artifacts: string, results: import('./lib/results.mjs').Results }} options
 */
export async function runUiSuite({ vsix, artifacts, results }) {
  // Profile test runs pytest: the workbench's interpreter is one that has it, when there is one.
  const pytestPython = process.env.HOTPATH_E2E_PYTEST_PYTHON;
  const settings = pytestPython ? { 'hotpath.pythonPath': pytestPython } : {};
  await withWorkbench({ name: 'editor', vsix, artifacts, results, settings }, async (session) => {
    await poolCheck(session);
    await editorChecks(session);
    await frontPanelCheck(session);
    await stopCheck(session);
    await runLiveCheck(session);
    if (pytestPython) await runTestLensCheck(session);
    else
      results.skip(
        'ui: the Profile test CodeLens runs that test and paints the code under test',
        process.env.HOTPATH_E2E_PYTEST_MISSING ?? 'no Python with pytest',
      );
  });
  await withWorkbench({ name: 'panel', vsix, artifacts, results }, async (session) => {
    await runPanelUiChecks(session);
    // It restarts the extension host, and it must come before a new file (its script) was
    // searched for in Quick Open: the workbench's file cache would not find it.
    await runRecoveryCheck(session);
    await runPanelRowsCheck(session);
  });
  // Show Current Stacks… on a program whose threads stand still at known lines.
  await withWorkbench({ name: 'stacks', vsix, artifacts, results }, runStacksUiChecks);
  // Compare with… on two runs with an edit typed between them.
  await withWorkbench({ name: 'compare', vsix, artifacts, results }, runCompareUiChecks);
  // A Pool's profile: its processes in the panel, one process's time on the code.
  await withWorkbench({ name: 'processes', vsix, artifacts, results }, runProcessesUiChecks);
  // The panel page on its own in Chromium, fed a profile of hostile strings (no workbench needed).
  await results.run('ui: a hostile profile shows as text in the panel page and runs nothing', () =>
    runHarnessScript(
      'hostilePanel.ts',
      path.join(artifacts, 'hostile-panel'),
      'E_E2E_HOSTILE_PANEL: the panel page failed with a hostile profile',
    ),
  );
  await results.run('ui: the panel page answers the mouse and the keyboard as documented', () =>
    runHarnessScript(
      'interactions.ts',
      path.join(artifacts, 'interactions'),
      'E_E2E_PANEL_INTERACTIONS: the panel page does not behave as documented',
    ),
  );
  // The standalone HTML report from file://: every view, the source pane, no network, its policy.
  await results.run('ui: the HTML report works from a file with every view and its source, offline', () =>
    runHarnessScript(
      'htmlReport.ts',
      path.join(artifacts, 'html-report'),
      'E_E2E_HTML_REPORT: the standalone HTML report does not work from a file',
    ),
  );
  // The lists compared row by row with the view model after every kind of filter.
  await results.run('ui: the panel lists show exactly the rows of the current view', () =>
    runHarnessScript(
      'listRows.ts',
      path.join(artifacts, 'list-rows'),
      'E_E2E_LIST_ROWS: a panel list shows rows that are not the view model’s',
    ),
  );
  // A program of several processes: the process selector, its lists and the timeline's groups.
  await results.run('ui: a program’s processes: selector, lists per process, timeline groups', () =>
    runHarnessScript(
      'processRows.ts',
      path.join(artifacts, 'process-rows'),
      'E_E2E_PROCESS_ROWS: the panel shows a process other than the view model says',
    ),
  );
  // asyncio tasks: each a lane, their nodes nested, a click on a task node opening its def.
  await results.run('ui: asyncio task lanes: nested task nodes, a click opens the coroutine', () =>
    runHarnessScript(
      'taskRows.ts',
      path.join(artifacts, 'task-rows'),
      'E_E2E_TASK_ROWS: the panel shows asyncio tasks other than the view model says',
    ),
  );
  // GIL mode: opens in the mode a run was taken in, the GIL band, Hide GC, an older profile.
  await results.run('ui: GIL mode, the holds-the-GIL band and Hide GC', () =>
    runHarnessScript(
      'gilPanel.ts',
      path.join(artifacts, 'gil-panel'),
      'E_E2E_GIL_PANEL: the panel shows GIL or GC data other than the view model says',
    ),
  );
}
