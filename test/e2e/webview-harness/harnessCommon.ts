/**
 * What the panel-page scripts of this folder share: the browser, the output folder, ok/FAIL
 * checks, and the stand-in for the extension — an HTTP server for index.html, the shipped bundle
 * and fakeHost.js, answering the page's `ready` and `filter` messages (fetched as
 * `/profile?filter=…&profile=…`) with view models built by the real host code. Each script
 * decides which profiles it serves.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { sanitizeFilter } from '../../../extension/views/viewModel';
import type { FilterState, SetProfileMessage } from '../../../extension/views/protocol';

const ROOT = path.resolve(__dirname, '../../..');
const HERE = __dirname;

/** Debian's Chromium (or HOTPATH_CHROMIUM), undefined when none is installed. */
export const CHROMIUM = [process.env.HOTPATH_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p) => p && existsSync(p),
);

/** `--out DIR` from the command line, else artifacts/<name>. */
export function outDir(name: string): string {
  const args = process.argv.slice(2);
  const i = args.indexOf('--out');
  return path.resolve(i >= 0 && args[i + 1] ? args[i + 1] : path.join(ROOT, 'artifacts', name));
}

/** Functional checks: printed as `ok`/`FAIL`; `finish` sets the exit code. */
export class Checks {
  readonly failures: string[] = [];

  check(ok: boolean, what: string): void {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) this.failures.push(what);
  }

  finish(): void {
    const n = this.failures.length;
    console.log(`\n${n === 0 ? 'all checks passed' : `${n} check(s) failed`}`);
    process.exitCode = n === 0 ? 0 : 1;
  }
}

/** Headless Chromium with a fresh profile and one page of the given size. */
export async function launchPage(viewport: {
  width: number;
  height: number;
}): Promise<{ context: BrowserContext; page: Page }> {
  if (!CHROMIUM)
    throw new Error('E_HARNESS_NO_CHROMIUM: Chromium is not installed: apt-get install -y chromium');
  const context = await chromium.launchPersistentContext(
    path.join(tmpdir(), `hotpath-harness-${process.pid}`),
    {
      executablePath: CHROMIUM,
      headless: true,
      viewport,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    },
  );
  return { context, page: context.pages()[0] ?? (await context.newPage()) };
}

/**
 * Opens `url` as a first visit, with no panel state left by an earlier page. The page saves its
 * state when its first profile arrives, after an async fetch, so the storage is cleared only once
 * that has happened: cleared right after `goto`, the late save brought the old page's tab back
 * on reload. Returns once the fresh page has shown its profile.
 */
export async function openFresh(page: Page, url: string, timeout?: number): Promise<void> {
  const shown = () =>
    page.waitForFunction(
      () => (window as unknown as { __hotpath: { profilesShown: number } }).__hotpath.profilesShown > 0,
      undefined,
      { timeout },
    );
  await page.goto(url);
  await shown();
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await shown();
}

/** Answers one `ready`/`filter` message: `filter` is undefined for a `ready` without saved state. */
export type MessageFor = (filter: FilterState | undefined, profile: string) => SetProfileMessage;

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' };

export function serveHarness(messageFor: MessageFor): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/profile') {
      const raw = url.searchParams.get('filter');
      const filter = raw ? sanitizeFilter(JSON.parse(raw) as Partial<FilterState>) : undefined;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(messageFor(filter, url.searchParams.get('profile') ?? '')));
      return;
    }
    const file = url.pathname.startsWith('/dist/')
      ? path.join(ROOT, 'dist', path.basename(url.pathname))
      : url.pathname === '/harness/themes.css'
        ? path.join(ROOT, 'webview', 'report', 'themes.css')
        : url.pathname.startsWith('/harness/')
          ? path.join(HERE, path.basename(url.pathname))
          : path.join(HERE, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    }),
  );
}

/**
 * Runs a page script: serves `messageFor`, opens the page at `viewport`, runs `body`, checks that
 * the page logged no error, prints the summary and sets the exit code (also when `body` throws).
 */
export function runPageScript(
  out: string,
  viewport: { width: number; height: number },
  messageFor: MessageFor,
  body: (page: Page, url: string, checks: Checks) => Promise<void>,
  checks = new Checks(),
): void {
  const run = async () => {
    if (!existsSync(path.join(ROOT, 'dist', 'webview.js')))
      throw new Error('E_HARNESS_NO_BUNDLE: dist/webview.js is missing: npm run build');
    mkdirSync(out, { recursive: true });
    const { server, url } = await serveHarness(messageFor);
    const { context, page } = await launchPage(viewport);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    try {
      await body(page, url, checks);
      checks.check(errors.length === 0, `no page errors${errors.length ? `: ${errors.join('; ')}` : ''}`);
    } finally {
      await context.close();
      server.close();
    }
    checks.finish();
  };
  run().catch((error: Error) => {
    console.error(error.stack ?? error.message);
    process.exitCode = 1;
  });
}
