// Measures, in the real workbench, how long a user waits after their program ends until the
// editor shows the times: profile a script that runs for --seconds S (default 60) at 1 kHz with
// Profile Current File, wait for the inline times, then read what the extension logged
// ("run: program exit → annotations painted in N ms"). Used by `npm run bench` (section
// `editor`); prints `exit → annotations: N ms (S samples)` or `FAIL …`. Not a test: it asserts
// nothing about time.
//   npm run build && node test/e2e/editorLatency.mjs --seconds 60
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser } from './lib/browser.mjs';
import { BUSY_HOT_LINE, busyScript } from './lib/busyScript.mjs';
import { startCodeServer } from './lib/codeServer.mjs';
import { packageVsix } from './lib/packageVsix.mjs';
import { Workbench } from './lib/workbench.mjs';
import { makeWorkspace } from './lib/workspace.mjs';
import { logTexts } from './lib/serverLogs.mjs';

const at = process.argv.indexOf('--seconds');
const seconds = at > 0 ? Number(process.argv[at + 1]) : 60;
const SCRIPT = 'busy_for_a_while.py';
const SOURCE = busyScript('busy', seconds);

const scratch = mkdtempSync(path.join(tmpdir(), 'hotpath-editor-latency-'));
const workspace = makeWorkspace();
let server;
let browser;
let status = 1;
try {
  const vsix = path.join(scratch, 'hotpath.vsix');
  packageVsix(vsix, { quiet: true });
  writeFileSync(path.join(workspace.dir, SCRIPT), SOURCE);
  server = await startCodeServer({
    workspace: workspace.dir,
    vsix,
    keepState: true,
    logFile: path.join(scratch, 'code-server.log'),
  });
  browser = await launchBrowser();
  const bench = new Workbench(browser.page, scratch);
  await bench.open(server.workbenchUrl(workspace.dir));
  await bench.openFile(SCRIPT, 'def busy');
  await bench.goToLine(9);
  await bench.runCommand('Hotpath: Profile Current File');
  await bench.waitForInlineTime(BUSY_HOT_LINE, { timeoutMs: (seconds + 120) * 1000 });
  // The extension's log channel is written to a file under the server's user data.
  let found;
  for (let attempt = 0; attempt < 50 && !found; attempt++) {
    for (const text of logTexts(server.state.userData)) {
      const match = /program exit → annotations painted in (\d+) ms \((\d+) samples\)/.exec(text);
      if (match) found = match;
    }
    if (!found) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!found) throw new Error('the extension logged no "program exit → annotations" line');
  process.stdout.write(`exit → annotations: ${found[1]} ms (${found[2]} samples)\n`);
  status = 0;
} catch (error) {
  process.stdout.write(`FAIL ${error.message.split('\n')[0]}\n`);
} finally {
  await browser?.close();
  await server?.stop();
  if (server) rmSync(path.dirname(server.state.userData), { recursive: true, force: true });
  workspace.remove();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);
