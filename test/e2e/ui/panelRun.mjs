// Runs only the panel's UI checks against a fresh code-server, with a VSIX packaged into a
// temporary folder from the current dist/ (so it never touches the shared VSIX):
//   npm run build && node test/e2e/ui/panelRun.mjs
// `npm run test:e2e` runs the same checks as part of the UI suite.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../lib/browser.mjs';
import { startCodeServer } from '../lib/codeServer.mjs';
import { Results } from '../lib/results.mjs';
import { Workbench } from '../lib/workbench.mjs';
import { packageVsix } from '../lib/packageVsix.mjs';
import { makeWorkspace, ROOT } from '../lib/workspace.mjs';
import { runPanelRowsCheck } from './panelRowsUi.mjs';
import { runPanelUiChecks } from './panelUi.mjs';
import { runRecoveryCheck } from './recoveryUi.mjs';

const artifacts = path.join(ROOT, 'artifacts', 'e2e-panel');
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

const out = mkdtempSync(path.join(tmpdir(), 'hotpath-panel-vsix-'));
const vsix = path.join(out, 'hotpath.vsix');
try {
  packageVsix(vsix);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const results = new Results();
const workspace = makeWorkspace();
let server;
let browser;
try {
  server = await startCodeServer({
    workspace: workspace.dir,
    vsix,
    logFile: path.join(artifacts, 'code-server.log'),
  });
  browser = await launchBrowser();
  const bench = new Workbench(browser.page, artifacts);
  await bench.open(server.workbenchUrl(workspace.dir));
  const check = (name, fn) =>
    results.run(name, async () => {
      try {
        await fn();
      } catch (error) {
        await bench.screenshot('failed').catch(() => {});
        throw error;
      }
    });
  await runPanelUiChecks({ page: browser.page, bench, check, workspaceDir: workspace.dir });
  await runRecoveryCheck({ page: browser.page, bench, check, workspaceDir: workspace.dir });
  await runPanelRowsCheck({ page: browser.page, bench, check });
} catch (error) {
  results.failed('panel ui', error);
} finally {
  await browser?.close();
  await server?.stop();
  workspace.remove();
  rmSync(out, { recursive: true, force: true });
}
process.stdout.write(`ℹ pass ${results.pass}\nℹ fail ${results.fail}\n`);
process.exit(results.fail ? 1 : 0);
