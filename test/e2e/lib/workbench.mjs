// What a user does in the VS Code workbench, as Playwright steps: open a file, run a command
// from the palette, click an editor title button, read the inline time decorations.
// Selectors are VS Code's own DOM (stable across recent releases, see docs/e2e-vscode.md).
/* global document, getComputedStyle -- page.evaluate callbacks run in the browser */
import path from 'node:path';

const EDITOR = '.monaco-editor[data-uri]';

export class Workbench {
  /** @param {import('playwright-core').Page} page @param {string} artifacts */
  constructor(page, artifacts) {
    this.page = page;
    this.artifacts = artifacts;
    this.step = 0;
  }

  async open(url) {
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The explorer lists the workspace once the remote file system answers.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  }

  /** Saves a numbered screenshot into the artifacts folder. */
  async screenshot(name) {
    this.step += 1;
    const file = path.join(this.artifacts, `${String(this.step).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** The Quick Open / palette row whose label is exactly `label` (not one that only starts with it). */
  quickInputRow(label) {
    const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    return this.page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exact }) })
      .first();
  }

  /**
   * Quick Open (Ctrl+P) a workspace file and wait until its text shows. What is typed goes into
   * the quick input only once it has the keyboard; opened again (up to `attempts` times) when
   * something else took the focus and closed it.
   */
  async openFile(name, expectText, { attempts = 3 } = {}) {
    const input = this.page.locator('.quick-input-widget input');
    // The row of the file itself: Quick Open also lists open editors such as "Hotpath: name".
    const row = this.quickInputRow(name);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.page.keyboard.press('Control+P');
        await this.waitForFocus(input);
        await input.fill(name, { timeout: 5_000 });
        await row.waitFor({ timeout: 10_000 });
        await row.click({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt >= attempts) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
    await this.page.locator(`${EDITOR} .view-lines`, { hasText: expectText }).first().waitFor();
  }

  /** Waits until `locator` is visible and holds the keyboard focus. */
  async waitForFocus(locator, { timeout = 10_000 } = {}) {
    await locator.waitFor({ timeout });
    const handle = await locator.elementHandle({ timeout });
    await this.page.waitForFunction((element) => element === document.activeElement, handle, {
      timeout,
      polling: 50,
    });
  }

  /**
   * Where the keyboard is: the file name of the editor that has it, or a short description of
   * whatever else has it (a webview, the body).
   */
  async focusedEditor() {
    return this.page.evaluate((editor) => {
      const active = document.activeElement;
      const host = active?.closest(editor);
      if (host)
        return decodeURIComponent(host.getAttribute('data-uri') ?? '')
          .split('/')
          .pop();
      return `not an editor: ${active?.tagName ?? 'nothing'}.${String(active?.className ?? '')}`;
    }, EDITOR);
  }

  /**
   * What a run must not change: the editor groups (and which tabs each holds) and the height of
   * the panel area under them.
   */
  async layout() {
    return this.page.evaluate(() => {
      const groups = [...document.querySelectorAll('.editor-group-container')].map((group) =>
        [...group.querySelectorAll('.tabs-container .tab')].map((tab) =>
          (tab.getAttribute('aria-label') ?? tab.textContent ?? '').split(',')[0].trim(),
        ),
      );
      const panel = document.querySelector('.part.panel');
      const height = panel && panel.getBoundingClientRect().height;
      return { groups, panelHeight: height ? Math.round(height) : 0 };
    });
  }

  /**
   * Runs a command by its palette title (e.g. "Hotpath: Profile Current File"). The palette
   * closes when something else takes focus (a panel opening as a run ends); then it is opened
   * again, up to `attempts` times.
   */
  async runCommand(title, { attempts = 3 } = {}) {
    const input = this.page.locator('.quick-input-widget input');
    // Click the row labelled exactly `title`: "Profile Current File" must not pick
    // "Profile Current File with Arguments…", which also matches what was typed.
    const row = this.quickInputRow(title);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.page.keyboard.press('F1');
        await this.waitForFocus(input);
        await input.pressSequentially(title, { delay: 5 });
        // Keys typed while the palette was still taking focus can be lost; make the query exact.
        if ((await input.inputValue()) !== `>${title}`) await input.fill(`>${title}`, { timeout: 5_000 });
        await row.waitFor({ timeout: 10_000 });
        await row.click({ timeout: 5_000 });
        return;
      } catch (error) {
        if (attempt >= attempts) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** Clicks an action in the active editor group's title bar by its label. */
  async clickEditorTitleAction(label, { attempts = 3 } = {}) {
    const action = this.page
      .locator(`.editor-group-container.active .editor-actions .action-label[aria-label^="${label}"]`)
      .first();
    for (let attempt = 1; ; attempt++) {
      try {
        await action.waitFor({ timeout: 10_000 });
        // The title toolbar is rebuilt when the editor's context changes (focus, a new
        // document); a click aimed at a button that was just replaced waits for it in vain,
        // so it is aimed again at the current one.
        await action.click({ timeout: 10_000 });
        return;
      } catch (error) {
        if (attempt >= attempts) throw error;
      }
    }
  }

  /**
   * Go to a 1-based line (Ctrl+G), so it is rendered: the editor only renders visible lines.
   * Retried like runCommand when something takes the focus and closes the quick input.
   */
  async goToLine(line, { attempts = 3 } = {}) {
    const input = this.page.locator('.quick-input-widget input');
    for (let attempt = 1; ; attempt++) {
      try {
        // Go to Line works in the editor that has the keyboard: when nothing has it, a click on
        // the active tab of a source editor's group gives it to that editor.
        if ((await this.focusedEditor()).startsWith('not an editor'))
          await this.page
            .locator('.editor-group-container .tab.active')
            .filter({ hasNotText: 'Hotpath:' })
            .first()
            .click({ timeout: 5_000 });
        await this.page.keyboard.press('Control+G');
        await this.waitForFocus(input);
        await input.fill(`:${line}`, { timeout: 5_000 });
        await this.page.keyboard.press('Enter');
        await this.page
          .locator('[id="status.editor.selection"]', { hasText: `Ln ${line},` })
          .waitFor({ timeout: 10_000 });
        return;
      } catch (error) {
        if (attempt >= attempts) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /**
   * The `::after` decoration texts on rendered lines whose code contains `code`.
   * Inline decorations are CSS content, not text nodes, so they are read with getComputedStyle.
   */
  async afterTexts(code) {
    return this.page.evaluate(
      ({ code, editor }) => {
        const texts = [];
        for (const line of document.querySelectorAll(`${editor} .view-line`)) {
          // Monaco renders spaces as no-break spaces.
          const text = (line.textContent ?? '').replace(/\u00a0/g, ' ');
          if (!text.includes(code)) continue;
          for (const span of line.querySelectorAll('span')) {
            const content = getComputedStyle(span, '::after').content;
            if (content && content !== 'none' && content !== 'normal' && content !== '""') {
              texts.push(content.replace(/^"|"$/g, ''));
            }
          }
        }
        return texts;
      },
      { code, editor: EDITOR },
    );
  }

  /** Every rendered line that has an `::after` text: [{ code, after }]. */
  async annotatedLines() {
    return this.page.evaluate((editor) => {
      const found = [];
      for (const line of document.querySelectorAll(`${editor} .view-line`)) {
        for (const span of line.querySelectorAll('span')) {
          const content = getComputedStyle(span, '::after').content;
          if (content && content !== 'none' && content !== 'normal' && content !== '""') {
            const text = (line.textContent ?? '').replace(/\u00a0/g, ' ');
            found.push({ code: text.trim(), after: content.replace(/^"|"$/g, '') });
          }
        }
      }
      return found;
    }, EDITOR);
  }

  /** Waits until no rendered line containing `code` shows an inline time. */
  async waitForNoInlineTime(code, { timeoutMs = 20_000 } = {}) {
    await this.page.waitForFunction(
      ({ code, editor }) =>
        [...document.querySelectorAll(`${editor} .view-line`)]
          .filter((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ').includes(code))
          .every((line) =>
            [...line.querySelectorAll('span')].every(
              (span) => !/\d\s?(µs|ms|s)\b/.test(getComputedStyle(span, '::after').content),
            ),
          ),
      { code, editor: EDITOR },
      { timeout: timeoutMs, polling: 100 },
    );
  }

  /** Waits until the line containing `code` shows an inline time; returns its text. */
  async waitForInlineTime(code, { timeoutMs = 30_000 } = {}) {
    const handle = await this.page.waitForFunction(
      ({ code, editor }) => {
        for (const line of document.querySelectorAll(`${editor} .view-line`)) {
          // Monaco renders spaces as no-break spaces.
          const text = (line.textContent ?? '').replace(/\u00a0/g, ' ');
          if (!text.includes(code)) continue;
          for (const span of line.querySelectorAll('span')) {
            const content = getComputedStyle(span, '::after').content;
            if (/\d(\.\d+)?\s?(µs|ms|s)\b/.test(content)) return content.replace(/^"|"$/g, '');
          }
        }
        return false;
      },
      { code, editor: EDITOR },
      { timeout: timeoutMs, polling: 100 },
    );
    return handle.jsonValue();
  }
}
