// Runs only the panel's UI checks against a fresh code-server, with a VSIX packaged into a
// temporary folder from the current dist/ (so it never touches the shared VSIX):
//   npm run build && node test/e2e/ui/panelRun.mjs
// `npm run test:e2e` runs the same checks as part of the UI suite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Results } from '../lib/results.mjs';
import { packageVsix } from '../lib/packageVsix.mjs';
import { withWorkbench } from '../lib/workbenchSession.mjs';
import { ROOT } from '../lib/workspace.mjs';
import { runPanelRowsCheck } from './panelRowsUi.mjs';
import { runPanelUiChecks } from './panelUi.mjs';
import { runRecoveryCheck } from './recoveryUi.mjs';

const artifacts = path.join(ROOT, 'artifacts', 'e2e-panel');
rmSync(artifacts, { recursive: true, force: true });

const out = mkdtempSync(path.join(tmpdir(), 'hotpath-panel-vsix-'));
const vsix = path.join(out, 'hotpath.vsix');
try {
  packageVsix(vsix);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const results = new Results();
try {
  await withWorkbench({ name: 'panel', vsix, artifacts, results }, async (session) => {
    await runPanelUiChecks(session);
    await runRecoveryCheck(session);
    await runPanelRowsCheck(session);
  });
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.stdout.write(`ℹ pass ${results.pass}\nℹ fail ${results.fail}\n`);
process.exit(results.fail ? 1 : 0);
