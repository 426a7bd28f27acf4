// One UI scenario in its own fresh workbench: a new code-server with the VSIX installed, a new
// copy of the example workspace and a new Chromium profile, so scenarios never see each other's
// open editors, panels or annotations.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser } from './browser.mjs';
import { startCodeServer } from './codeServer.mjs';
import { Workbench } from './workbench.mjs';
import { makeWorkspace } from './workspace.mjs';

/**
 * Runs `body` against a fresh workbench. `check(name, fn)` records a result and leaves a
 * screenshot of the page when the step fails.
 * @param {{ name: string, vsix: string, artifacts: string,
 *           results: import('./results.mjs').Results, settings?: Record<string, unknown> }} options
 *   settings: user settings of the workbench (beside the quiet defaults)
 * @param {(session: { page: import('playwright-core').Page, bench: Workbench,
 *           check: (name: string, fn: () => Promise<void>) => Promise<boolean>,
 *           workspaceDir: string }) => Promise<void>} body
 */
export async function withWorkbench({ name, vsix, artifacts, results, settings }, body) {
  // HOTPATH_E2E_WORKBENCH=compare: only the workbench of that name (while working on its checks).
  const only = process.env.HOTPATH_E2E_WORKBENCH;
  if (only && only !== name) {
    results.skip(`${name}: the workbench`, `HOTPATH_E2E_WORKBENCH=${only}`);
    return;
  }
  const dir = path.join(artifacts, name);
  mkdirSync(dir, { recursive: true });
  const workspace = makeWorkspace();
  let server;
  let browser;
  try {
    server = await startCodeServer({
      workspace: workspace.dir,
      vsix,
      logFile: path.join(dir, 'code-server.log'),
      settings,
    });
    browser = await launchBrowser();
    const bench = new Workbench(browser.page, dir);
    const check = (title, fn) =>
      results.run(title, async () => {
        try {
          await fn();
        } catch (error) {
          await bench.screenshot('failed').catch(() => {});
          throw error;
        }
      });
    const opened = await check(`${name}: the workbench opens the example workspace`, async () => {
      await bench.open(server.workbenchUrl(workspace.dir));
      await bench.screenshot('workbench');
    });
    if (opened) await body({ page: browser.page, bench, check, workspaceDir: workspace.dir });
  } catch (error) {
    results.failed(`${name} (setup)`, error);
  } finally {
    await browser?.close();
    await server?.stop();
    workspace.remove();
  }
}
