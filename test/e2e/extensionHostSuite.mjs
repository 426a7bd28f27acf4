// The extension-host suite (test/e2e/suite/) inside code-server: the packaged VSIX is installed
// into a fresh server, and the workbench is opened with VS Code's test payload, which makes the
// extension host load suite/index.js and run it with the real `vscode` API and the shipped
// native addon. A headless Chromium must be connected: the extension host only starts for a
// workbench client. Results come back through the smoke-test driver's hooks,
// codeAutomationLog (console output) and codeAutomationExit (the exit code).
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser } from './lib/browser.mjs';
import { startCodeServer } from './lib/codeServer.mjs';
import { makeWorkspace, ROOT } from './lib/workspace.mjs';

const SUITE_INDEX = path.join(ROOT, 'test', 'e2e', 'suite', 'index.js');
const LINE_PREFIX = '[hotpath-e2e] ';
const SUMMARY_PREFIX = `${LINE_PREFIX}summary `;
// Only reached when something hangs: the suite normally takes about a minute.
const SUITE_TIMEOUT_MS = 5 * 60_000;

/**
 * A test that asks for a picture of the workbench (`screenshot NAME ANSWER`, helpers.js
 * `screenshot`) gets it in the artifacts as NAME.png; the path, or why not, is written to ANSWER,
 * which the test waits for.
 */
async function takeScreenshot(page, artifacts, name, answer) {
  const file = path.join(artifacts, `${name}.png`);
  let outcome;
  try {
    await page.screenshot({ path: file });
    outcome = { file };
  } catch (error) {
    outcome = { error: String(error).split('\n')[0] };
  }
  // Whole or not at all: the test reads the answer as soon as it exists.
  writeFileSync(`${answer}.part`, JSON.stringify(outcome));
  renameSync(`${answer}.part`, answer);
}

/** The folder code-server unpacked the VSIX into. */
function installedExtensionDir(extensionsDir) {
  const name = readdirSync(extensionsDir).find((entry) => entry.startsWith('hotpath.hotpath-'));
  if (!name) throw new Error(`E_E2E_NOT_INSTALLED: the VSIX did not install into ${extensionsDir}.`);
  return path.join(extensionsDir, name);
}

/**
 * @param {{ vsix: string, artifacts: string, results: import('./lib/results.mjs').Results,
 *           name?: string, server?: object,
 *           afterSuite?: (page: import('playwright-core').Page) => Promise<void>,
 *           onLine?: (line: string, page: import('playwright-core').Page) => void }} options
 *   name: the step's name in results and artifacts; server: more startCodeServer options (trust,
 *   env); afterSuite: checks of the workbench page once the suite has finished; onLine: each line
 *   the suite logs, while it runs (for checks of the page that the suite waits on).
 */
export async function runExtensionHostSuite({
  vsix,
  artifacts,
  results,
  name = 'extension-host',
  server: serverOptions = {},
  afterSuite,
  onLine,
}) {
  const workspace = makeWorkspace({ fixtures: true });
  let server;
  let browser;
  try {
    server = await startCodeServer({
      workspace: workspace.dir,
      vsix,
      logFile: path.join(artifacts, `${name}.code-server.log`),
      testDriver: true,
      ...serverOptions,
    });
    browser = await launchBrowser();
    const { page } = browser;

    let summary;
    // Counted as lines stream in, for when the suite hangs before its closing summary.
    const streamed = { pass: 0, fail: 0, skipped: 0 };
    let finish;
    const exited = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const text = (Array.isArray(args) ? args : [args]).map(String).join(' ');
      for (const line of text.split('\n')) {
        if (line.startsWith(SUMMARY_PREFIX)) summary = JSON.parse(line.slice(SUMMARY_PREFIX.length));
        else if (line.startsWith(LINE_PREFIX)) {
          const shown = line.slice(LINE_PREFIX.length);
          const asked = /^\s*screenshot ([\w-]+) (\/.+)$/.exec(shown);
          if (asked) void takeScreenshot(page, artifacts, asked[1], asked[2]);
          onLine?.(shown, page);
          if (/^\s*✔ /.test(shown)) streamed.pass += 1;
          else if (/^\s*✖ /.test(shown)) streamed.fail += 1;
          else if (/^\s*﹣ /.test(shown)) streamed.skipped += 1;
          process.stdout.write(`${shown}\n`);
        }
      }
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));

    // The installed extension is also named as the development extension: that is what makes
    // the workbench honour extensionTestsPath, and it runs exactly the files the VSIX shipped.
    await page.goto(
      server.workbenchUrl(workspace.dir, {
        extensionDevelopmentPath: installedExtensionDir(server.state.extensions),
        extensionTestsPath: SUITE_INDEX,
      }),
    );
    let timer;
    const code = await Promise.race([
      exited,
      new Promise((resolve) => (timer = setTimeout(resolve, SUITE_TIMEOUT_MS, 'timeout'))),
    ]);
    clearTimeout(timer);
    await page.screenshot({ path: path.join(artifacts, `${name}-end.png`) }).catch(() => {});

    results.add(summary ?? streamed);
    if (code === 'timeout') {
      results.failed(`${name} suite`, new Error(`no result within ${SUITE_TIMEOUT_MS / 1000} s`));
    } else if (!summary) {
      results.failed(
        `${name} suite`,
        new Error(`the suite exited with ${code} without reporting; see ${server.logFile}`),
      );
    } else if (code !== 0 && summary.fail === 0) {
      results.failed(`${name} suite`, new Error(`the extension host exited with ${code}`));
    }
    if (afterSuite && code !== 'timeout') await afterSuite(page);
  } finally {
    await browser?.close();
    await server?.stop();
    workspace.remove();
  }
}
