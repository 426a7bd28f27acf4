// Show Current Stacks… in the workbench, as a user does it: a program whose named threads stand
// still at lines it records (test/native/scripts/stuck_threads.py) is picked from the process
// list; the Current Stacks view lists its threads with running/waiting, the editor marks each
// thread's line with its name, a frame opens its line, and Refresh after the program has gone
// takes the marks away and says so. Screenshots of each step.
/* global document, getComputedStyle -- page.waitForFunction callbacks run in the browser */
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/workspace.mjs';

const STUCK = path.join(ROOT, 'test', 'native', 'scripts', 'stuck_threads.py');

/** Starts the program; resolves with it and the lines it says each thread stands on. */
function startStuckProgram(script) {
  const child = spawn('python3', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (out.includes('READY')) resolve({ child, truth: JSON.parse(out.split('\n')[0]) });
    });
    child.on('exit', (code) => reject(new Error(`stuck_threads.py exited (${code}) before READY`)));
  });
}

/**
 * Waits until a rendered line holding one of `codes` (exactly, trimmed) shows an `::after` text
 * matching `pattern` (or, with present: false, until none of them does).
 */
async function waitForMark(page, codes, pattern, { present = true } = {}) {
  await page.waitForFunction(
    ({ codes, source, present }) => {
      const re = new RegExp(source);
      const lines = [...document.querySelectorAll('.monaco-editor[data-uri] .view-line')].filter((line) =>
        codes.includes((line.textContent ?? '').replace(/\u00a0/g, ' ').trim()),
      );
      if (lines.length === 0) return false;
      const marked = lines.some((line) =>
        [...line.querySelectorAll('span')].some((span) => re.test(getComputedStyle(span, '::after').content)),
      );
      return marked === present;
    },
    { codes: [codes].flat(), source: pattern.source, present },
    { timeout: 15_000, polling: 100 },
  );
}

export async function runStacksUiChecks({ page, bench, check, workspaceDir }) {
  const script = path.join(workspaceDir, 'stuck_threads.py');
  copyFileSync(STUCK, script);
  const { child, truth } = await startStuckProgram(script);
  // The view is alone in the Hotpath container of the panel (under the editor, beside the terminal).
  const view = page.locator('.part.panel');
  const row = (text) => view.locator('.monaco-list-row', { hasText: text }).first();
  try {
    await check(
      'ui: Show Current Stacks… shows every thread of the picked process and marks its lines',
      async () => {
        await bench.openFile('stuck_threads.py', 'def wait_for_event');
        await bench.goToLine(truth['event-waiter'].lines[0]);
        await bench.runCommand('Hotpath: Show Current Stacks…');
        const input = page.locator('.quick-input-widget input');
        await bench.waitForFocus(input);
        await input.fill(String(child.pid));
        await page
          .locator('.quick-input-list .monaco-list-row', { hasText: String(child.pid) })
          .first()
          .click();
        await row('MainThread').waitFor({ timeout: 30_000 });
        // Every thread's row in view: the panel at its full height for a moment.
        await bench.runCommand('View: Toggle Maximized Panel');
        await row('spinner').waitFor({ timeout: 10_000 });
        await bench.screenshot('stacks-view');
        for (const [name, state] of [
          ['MainThread', 'waiting'],
          ['event-waiter', 'waiting'],
          ['sleeper', 'waiting'],
          ['spinner', 'running, holds the GIL'],
        ]) {
          const text = (await row(name).textContent()) ?? '';
          if (!text.includes(`${state} · TID ${truth[name].tid}`))
            throw new Error(
              `the ${name} row reads ${JSON.stringify(text)}, not "${state} · TID ${truth[name].tid}"`,
            );
        }
        await view
          .getByText(new RegExp(`Process ${child.pid} · Python 3\\.\\d+\\.\\d+ · 4 threads at`))
          .waitFor();
        await bench.runCommand('View: Toggle Maximized Panel');
        // Where each thread stands in this file: its name and state after the line.
        await waitForMark(page, 'EVENT.wait()', /event-waiter: waiting in .*wait/);
        await bench.screenshot('stacks-marks');
        await bench.goToLine(truth.MainThread.lines[0]);
        await waitForMark(page, 'signal.pause()', /MainThread: waiting/);
        await bench.goToLine(truth.spinner.lines[0]);
        // The busy loop is at one of its lines, whichever the read caught.
        const source = readFileSync(script, 'utf8').split('\n');
        const loop = truth.spinner.lines.map((line) => source[line - 1].trim());
        await waitForMark(page, loop, /spinner: running/);
        await bench.screenshot('stacks-spinner-marked');
      },
    );

    await check('ui: a frame in Current Stacks opens its line', async () => {
      await row('sleep_long').click();
      await page
        .locator('[id="status.editor.selection"]', { hasText: `Ln ${truth.sleeper.lines[0]},` })
        .waitFor({ timeout: 10_000 });
      await waitForMark(page, 'time.sleep(3600)', /sleeper: waiting/);
      await bench.screenshot('stacks-frame-opened');
    });

    await check(
      'ui: Refresh once the process has gone says so and takes the marks off the code',
      async () => {
        child.kill('SIGKILL');
        await new Promise((resolve) =>
          child.exitCode !== null || child.signalCode ? resolve() : child.on('exit', resolve),
        );
        await view.locator('.action-label[aria-label^="Refresh Current Stacks"]').first().click();
        await page
          .locator('.notification-toast', { hasText: `could not read the stacks of process ${child.pid}` })
          .filter({ hasText: 'HOTPATH_NO_PROCESS' })
          .waitFor({ timeout: 15_000 });
        await view
          .getByText(/could not be read again \(HOTPATH_NO_PROCESS\): these stacks are from/)
          .waitFor();
        await waitForMark(page, 'time.sleep(3600)', /sleeper: waiting/, { present: false });
        await bench.screenshot('stacks-process-gone');
      },
    );
  } finally {
    child.kill('SIGKILL');
  }
}
