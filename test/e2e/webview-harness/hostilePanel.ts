/**
 * The shipped panel page (dist/webview.js) in Debian's Chromium, fed a valid
 * profile whose strings are hostile (hostileProfile.ts). Checks that nothing
 * in it runs, that it shows as plain text, and that the page still works: a
 * click on a node posts `reveal` with the exact hostile path.
 *
 * It runs twice: in the HTML shell the extension serves (panelHtml.ts, with
 * its Content-Security-Policy), and in the same shell without the policy, so
 * the page's own escaping is tested on its own too and a CSP cannot hide a
 * regression there.
 *
 *   npm run build && node --import tsx test/e2e/webview-harness/hostilePanel.ts [--out DIR]
 *
 * Prints `ok`/`FAIL` per check; any failure sets the exit code. The ui e2e step runs it.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { panelHtml } from '../../../extension/panel/panelHtml';
import type { SetProfileMessage } from '../../../extension/views/protocol';
import { buildProfileMessage } from '../../../extension/views/viewModel';
import { loadProfile, saveProfile } from '../../../extension/format/profileFile';
import {
  HOSTILE_FUNCTIONS,
  IMG_ONERROR,
  RTL,
  SCRIPT_BREAKOUT,
  SVG_ONLOAD,
  hostileProfile,
} from './hostileProfile';
import { CHROMIUM, Checks, outDir } from './harnessCommon';

const ROOT = path.resolve(__dirname, '../../..');
const OUT = outDir('webview-hostile');
const NONCE = 'hostileTestNonce0123456789';
const TITLE = `Hotpath: ${IMG_ONERROR}`;

const checks = new Checks();
const check = (ok: boolean, what: string) => checks.check(ok, what);

/** The message the extension would post: the profile saved and loaded by the real format first. */
function profileMessage(): SetProfileMessage {
  const raw = loadProfile(saveProfile(hostileProfile()));
  const message = buildProfileMessage(
    raw,
    { mode: 'wall', showAll: true },
    { profileId: 'hostile', title: TITLE },
  );
  // postMessage from the extension host is JSON: send exactly what survives that.
  return JSON.parse(JSON.stringify(message)) as SetProfileMessage;
}

/** `/` is panelHtml's page as the extension serves it; `/?csp=off` is the same without its policy. */
function serve(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/dist/')) {
      const file = path.join(ROOT, 'dist', path.basename(url.pathname));
      if (!existsSync(file)) return void res.writeHead(404).end();
      const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
      res.writeHead(200, { 'content-type': type });
      return void res.end(readFileSync(file));
    }
    const origin = `http://${req.headers.host}`;
    let html = panelHtml({
      cspSource: origin,
      scriptUri: `${origin}/dist/webview.js`,
      styleUri: `${origin}/dist/webview.css`,
      nonce: NONCE,
    });
    if (url.searchParams.get('csp') === 'off') {
      const withoutPolicy = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n/, '');
      if (withoutPolicy === html)
        throw new Error('panelHtml no longer has the policy meta this test removes');
      html = withoutPolicy;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(html);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    }),
  );
}

/**
 * Runs before the page's own scripts (CDP, so the page's policy does not apply to it): stands in
 * for VS Code's acquireVsCodeApi and records policy violations. A string, not a function: the
 * TypeScript loader would wrap a function's source in helpers the page does not have.
 */
const FAKE_VSCODE_HOST = `
  (() => {
    const posted = [];
    const violations = [];
    let state;
    window.__host = { posted, violations };
    window.acquireVsCodeApi = () => ({
      postMessage: (message) => posted.push(message),
      getState: () => state,
      setState: (next) => (state = next),
    });
    document.addEventListener('securitypolicyviolation', (e) =>
      violations.push(e.violatedDirective + ': ' + e.blockedURI + ' ' + e.sample),
    );
  })();
`;

interface Injection {
  pwned: unknown;
  scripts: number;
  foreignElements: string[];
  handlerAttributes: string[];
  links: number;
  violations: string[];
}

/** Everything a successful injection would leave behind. */
function injectionTraces(page: Page): Promise<Injection> {
  return page.evaluate(() => {
    const w = window as unknown as { __pwned?: unknown; __host: { violations: string[] } };
    const all = Array.from(document.querySelectorAll('*'));
    return {
      pwned: w.__pwned,
      scripts: document.querySelectorAll('script').length,
      foreignElements: all
        .filter((e) => /^(img|svg|iframe|object|embed|image|video|audio|form|base|meta)$/i.test(e.tagName))
        .filter((e) => !(e.tagName === 'META' && e.parentElement === document.head))
        .map((e) => e.tagName.toLowerCase()),
      handlerAttributes: all.flatMap((e) =>
        Array.from(e.attributes)
          .filter((a) => /^on/i.test(a.name))
          .map((a) => `${e.tagName}[${a.name}]`),
      ),
      links: document.querySelectorAll('a[href], [src], [srcdoc]').length - 1, // the bundle's <script src>
      violations: w.__host.violations,
    };
  });
}

function assertNothingRan(trace: Injection, dialogs: string[], where: string): void {
  check(
    trace.pwned === undefined && dialogs.length === 0,
    `${where}: no payload ran (no __pwned, no dialog)`,
  );
  check(trace.scripts === 1, `${where}: the bundle is the only <script> (${trace.scripts})`);
  check(
    trace.foreignElements.length === 0,
    `${where}: no element made from profile markup (${trace.foreignElements.join(', ') || 'none'})`,
  );
  check(
    trace.handlerAttributes.length === 0,
    `${where}: no event-handler attribute (${trace.handlerAttributes.join(', ') || 'none'})`,
  );
  check(trace.links === 0, `${where}: no link or URL attribute made from profile data (${trace.links})`);
  check(
    trace.violations.length === 0,
    `${where}: nothing tried to break the policy (${trace.violations.join('; ') || 'none'})`,
  );
}

async function lastReveal(page: Page): Promise<{ file?: string; line?: number } | undefined> {
  return page.evaluate(() => {
    const posted = (window as unknown as { __host: { posted: { type: string }[] } }).__host.posted;
    return posted.filter((m) => m.type === 'reveal').pop() as { file?: string; line?: number } | undefined;
  });
}

async function runShell(context: BrowserContext, url: string, where: string): Promise<void> {
  console.log(`\n── ${where} ──`);
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(url);
    await page.waitForFunction(() =>
      (window as unknown as { __host: { posted: { type: string }[] } }).__host.posted.some(
        (m) => m.type === 'ready',
      ),
    );
    await page.evaluate((message) => window.postMessage(message, '*'), profileMessage());
    await page.waitForFunction(() => document.body.classList.contains('has-profile'));
    await page.screenshot({ path: path.join(OUT, `${where}-1-tree.png`) });
    assertNothingRan(await injectionTraces(page), dialogs, `${where}, first paint`);

    // Shown as text: the header and the rows hold the markup literally.
    check(
      (await page.locator('.run-title').textContent()) === TITLE,
      `${where}: the title shows the markup as text`,
    );
    const rowText = async (needle: string) =>
      page.locator('.tree-row:not([hidden])', { hasText: needle }).first();
    for (const name of [SCRIPT_BREAKOUT, IMG_ONERROR, SVG_ONLOAD]) {
      const row = await rowText(name);
      const shown = (await row.count()) > 0 && ((await row.textContent()) ?? '').includes(name);
      check(shown, `${where}: the tree shows ${JSON.stringify(name)} as text`);
    }
    // A right-to-left override would reorder the name and the location beside it (the file would
    // read as another, the line number reversed): it shows as a visible escape instead.
    const rtlShown = RTL.replace('\u202E', '\\u202E');
    const rtlRow = await rowText(rtlShown);
    const rtlText = (await rtlRow.count()) > 0 ? ((await rtlRow.textContent()) ?? '') : '';
    check(
      rtlText.includes(rtlShown) && !rtlText.includes('\u202E'),
      `${where}: the tree shows ${JSON.stringify(RTL)} with its override escaped as ${rtlShown}`,
    );
    const long = HOSTILE_FUNCTIONS[HOSTILE_FUNCTIONS.length - 1];
    check(
      (await (await rowText(long.name.slice(0, 200))).count()) > 0,
      `${where}: a ${long.name.length}-character name is shown`,
    );

    // Still works: a click reveals the exact path (markup, a javascript: URL, ../), with the line.
    for (const fn of HOSTILE_FUNCTIONS.filter((f) =>
      [IMG_ONERROR, SVG_ONLOAD, 'read_secrets'].includes(f.name),
    )) {
      await (await rowText(fn.name)).click({ timeout: 5_000 }).catch(() => undefined);
      const reveal = await lastReveal(page);
      check(
        reveal?.file === fn.file && reveal.line === fn.line + 1,
        `${where}: a click on ${JSON.stringify(fn.name)} reveals exactly ${JSON.stringify(fn.file)}:${fn.line + 1} ` +
          `(got ${JSON.stringify(reveal)})`,
      );
    }
    // The other views draw the same strings: flame graph (tooltip) and top functions.
    await page.click('.tab[data-view="flame"]');
    const canvas = page.locator('.flame-canvas');
    const box = await canvas.boundingBox();
    if (box) {
      await page.mouse.move(box.x + 30, box.y + 30);
      await page.mouse.move(box.x + 40, box.y + 30);
    }
    await page.screenshot({ path: path.join(OUT, `${where}-2-flame.png`) });
    await page.click('.tab[data-view="functions"]');
    const functionsText = (await page.locator('body').textContent()) ?? '';
    check(functionsText.includes(IMG_ONERROR), `${where}: top functions shows the markup as text`);
    await page.screenshot({ path: path.join(OUT, `${where}-3-functions.png`) });

    assertNothingRan(await injectionTraces(page), dialogs, `${where}, after every view`);
    check(errors.length === 0, `${where}: no page errors (${errors.join('; ') || 'none'})`);
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'dist', 'webview.js')))
    throw new Error('E_HARNESS_NO_BUNDLE: dist/webview.js is missing: npm run build');
  if (!CHROMIUM)
    throw new Error('E_HARNESS_NO_CHROMIUM: Chromium is not installed: apt-get install -y chromium');
  mkdirSync(OUT, { recursive: true });
  const { server, origin } = await serve();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.addInitScript(FAKE_VSCODE_HOST);
    for (const [query, where] of [
      ['', 'with-csp'],
      ['?csp=off', 'without-csp'],
    ]) {
      // One shell failing to load must not hide what the other shows.
      await runShell(context, `${origin}/${query}`, where).catch((error: Error) =>
        check(false, `${where}: ${error.message.split('\n')[0]}`),
      );
    }
  } finally {
    await browser.close();
    server.close();
  }
  checks.finish();
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exitCode = 1;
});
