// Debian's Chromium driven by playwright-core (no browser download: the system one is used).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const CANDIDATES = [process.env.HOTPATH_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium binary to drive, or undefined when none is installed. */
export function findChromium() {
  return CANDIDATES.find((candidate) => candidate && existsSync(candidate));
}

/**
 * A headless Chromium with a fresh profile dir; `close()` removes it.
 * @param {{ viewport?: { width: number, height: number } }} [options]
 */
export async function launchBrowser(options = {}) {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('E_E2E_NO_CHROMIUM: Chromium is not installed.');
  const profile = mkdtempSync(path.join(tmpdir(), 'hotpath-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: options.viewport ?? { width: 1600, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
