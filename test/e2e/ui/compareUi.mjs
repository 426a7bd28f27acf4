// Compare with… as a person uses it: word_frequency.py profiled, then edited in the editor with
// the keyboard (a comment line added above `unique_words`, which moves its lines; its slow list
// made a set; `count_words` given twenty times the work), saved, profiled again, and compared
// with the previous run from the quick pick. The fixed line must read faster and the loaded one
// slower, in the editor and in the panel's tree and flame graph; every step leaves a screenshot
// (the README's picture is one of them).
/* global document, getComputedStyle -- page.waitForFunction callbacks run in the browser */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { lineOf, savedProfiles } from '../lib/workspaceFiles.mjs';
import { panelFrame } from './panelUi.mjs';

const FILE = 'word_frequency.py';
const HOT = 'if word not in vocabulary:';
const EDITOR = '.editor-group-container.active .monaco-editor[data-uri]';
/** A change as the editor writes it after a line: `+120 ms · +35%`, `−35.0 ms · −60%`. */
const CHANGE = /^[+\u2212]\S+ (µs|ms|s) · ([+\u2212]\d+%|×\d+(\.\d)?|new|gone)$/;

/** @param {{ page: import('playwright-core').Page, bench: import('../lib/workbench.mjs').Workbench,
 *           check: (name: string, fn: () => Promise<void>) => Promise<boolean>, workspaceDir: string }} session */
export async function runCompareUiChecks({ page, bench, check, workspaceDir }) {
  const file = path.join(workspaceDir, FILE);
  /** Profiles the file and waits for the time after `hot`, a hot line of that run. */
  const profiled = async (what, hot) => {
    const before = savedProfiles(workspaceDir).length;
    await bench.runCommand('Hotpath: Profile Current File');
    const deadline = Date.now() + 90_000;
    while (savedProfiles(workspaceDir).length <= before) {
      if (Date.now() > deadline) throw new Error(`${what}: no profile was saved`);
      await page.waitForTimeout(100);
    }
    await bench.goToLine(lineOf(file, hot));
    await bench.waitForInlineTime(hot);
  };

  const ran = await check('ui: a run, the code edited in the editor, a second run', async () => {
    await bench.openFile(FILE, 'def unique_words');
    await profiled('the first run', HOT);
    await bench.screenshot('compare-baseline');
    await typeEdits(page, bench, file);
    await page.keyboard.press('Control+S');
    const expected = (text) => readFileSync(file, 'utf8').includes(text);
    const deadline = Date.now() + 10_000;
    while (!expected('Counter(words * 20)')) {
      if (Date.now() > deadline) throw new Error('the edited file was not saved');
      await page.waitForTimeout(100);
    }
    const text = readFileSync(file, 'utf8');
    for (const line of [
      '# a set: one hash lookup per word',
      'def unique_words(words):',
      '    vocabulary = set()',
      '            vocabulary.add(word)',
      '        if word not in vocabulary:  # one hash lookup',
      '    return Counter(words * 20)',
    ])
      if (!text.split('\n').includes(line))
        throw new Error(`the edited file lacks ${JSON.stringify(line)}:\n${text}`);
    // The fixed line is no longer hot: counting is.
    await profiled('the second run', 'Counter(words * 20)');
  });
  if (!ran) return;

  await check(
    'ui: Compare with… the previous run paints faster lines cool and slower lines warm',
    async () => {
      await bench.runCommand('Hotpath: Compare with…');
      const previous = page.locator('.quick-input-list .monaco-list-row', {
        hasText: `Previous run of ${FILE}`,
      });
      await previous.first().waitFor({ timeout: 10_000 });
      await bench.screenshot('compare-pick');
      await previous.first().click();
      await bench.goToLine(lineOf(file, HOT));
      const faster = await waitForChange(page, HOT);
      if (!faster.startsWith('\u2212')) throw new Error(`the fixed line reads ${JSON.stringify(faster)}`);
      const slowerCode = 'return Counter(words * 20)';
      const slower = await waitForChange(page, slowerCode);
      if (!slower.startsWith('+')) throw new Error(`the loaded line reads ${JSON.stringify(slower)}`);
      await bench.goToLine(lineOf(file, 'def unique_words') - 1);
      await bench.screenshot('compare-editor');
    },
  );

  await check('ui: the panel colours its tree and flame graph by the change', async () => {
    const panel = panelFrame(page);
    const changed = panel.locator('.tree-row .change:not(:empty)').first();
    await changed.waitFor({ timeout: 30_000 });
    const text = (await changed.textContent()) ?? '';
    if (!CHANGE.test(text)) throw new Error(`a tree row's change reads ${JSON.stringify(text)}`);
    const fasterRow = panel.locator('.tree-row[data-change^="-"]', { hasText: 'unique_words' }).first();
    await fasterRow.waitFor({ timeout: 10_000 });
    await bench.screenshot('compare-panel-tree');
    await panel.locator('.tab', { hasText: 'Flame graph' }).first().click();
    await panel.locator('.flame-legend', { hasText: 'slower' }).waitFor({ timeout: 10_000 });
    await bench.screenshot('compare-panel-flame');
    await panel.locator('.tab', { hasText: 'Call tree' }).first().click();
  });

  await check('ui: Stop Comparing shows the profile’s own times again', async () => {
    await bench.runCommand('Hotpath: Stop Comparing');
    // The line hot in the second run shows its time and share again, no change.
    const hot = 'return Counter(words * 20)';
    await bench.goToLine(lineOf(file, hot));
    await page.waitForFunction(
      ({ code, editor }) => {
        for (const line of document.querySelectorAll(`${editor} .view-line`)) {
          if (!(line.textContent ?? '').replace(/\u00a0/g, ' ').includes(code)) continue;
          for (const span of line.querySelectorAll('span')) {
            const content = getComputedStyle(span, '::after').content;
            if (/%/.test(content) && !/[+\u2212×]/.test(content)) return true;
          }
        }
        return false;
      },
      { code: hot, editor: EDITOR },
      { timeout: 15_000, polling: 100 },
    );
    await bench.screenshot('compare-stopped');
  });
}

/**
 * The edit between the runs, made in the editor: each changed line selected from its first
 * character and its new text put in (as a paste or an input method does: no completion or bracket
 * closing gets in the way), from the bottom up so the lines above keep their numbers on disk; then
 * a comment line above `unique_words`, which moves its lines down.
 */
async function typeEdits(page, bench, file) {
  // Keys go to the editor only once Go to Line's input has closed.
  const goTo = async (code) => {
    await bench.goToLine(lineOf(file, code));
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  };
  const retype = async (code, text) => {
    await goTo(code);
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.insertText(text);
  };
  await retype('return Counter(words)', 'return Counter(words * 20)');
  await retype('vocabulary.append(word)', 'vocabulary.add(word)');
  // Typed inside the line (after its indent): the line keeps its annotation, and its comment goes.
  await retype(HOT, 'if word not in vocabulary:  # one hash lookup');
  await retype('vocabulary = []', 'vocabulary = set()');
  // Up to the `def` line just above, and a comment line put in before it.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Home');
  await page.keyboard.insertText('# a set: one hash lookup per word');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
}

/** Waits until the line containing `code` shows a change after it; returns the text. */
async function waitForChange(page, code) {
  const handle = await page.waitForFunction(
    ({ code, editor, pattern }) => {
      const change = new RegExp(pattern);
      for (const line of document.querySelectorAll(`${editor} .view-line`)) {
        if (!(line.textContent ?? '').replace(/\u00a0/g, ' ').includes(code)) continue;
        for (const span of line.querySelectorAll('span')) {
          const content = getComputedStyle(span, '::after').content.replace(/^"|"$/g, '');
          if (change.test(content)) return content;
        }
      }
      return false;
    },
    { code, editor: EDITOR, pattern: CHANGE.source },
    { timeout: 30_000, polling: 100 },
  );
  return handle.jsonValue();
}
