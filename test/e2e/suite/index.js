// Entry point of the extension-host tests. VS Code loads this module inside the real extension
// host (the `extensionTestsPath` entry of the workbench payload in code-server, or
// `extensionTestsPath` of @vscode/test-electron) and awaits `run()`; a rejection is a failed run.
//
// Output goes through console.log, which the extension host forwards to the workbench
// (code-server: to `codeAutomationLog`; Electron: to the launching process's stdout). The last
// line is a machine-readable summary the launcher counts.
'use strict';
const path = require('node:path');
const { readdirSync } = require('node:fs');
const Mocha = require('mocha');
const vscode = require('vscode');
const { LINE_PREFIX, SUMMARY_PREFIX, LineReporter, log } = require('./lineReporter');

/** Files to load: every *.test.js here, or those whose name contains HOTPATH_E2E_ONLY. */
function testFiles() {
  const only = process.env.HOTPATH_E2E_ONLY;
  return readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .filter((name) => !only || name.includes(only))
    .sort()
    .map((name) => path.join(__dirname, name));
}

/**
 * A test that failed or timed out mid-run would leave its program profiling, and every later
 * test would then be refused with "a profile is already running": stop it and wait for the end.
 */
async function stopLeftoverRun() {
  const extension = vscode.extensions.getExtension('hotpath.hotpath');
  const api = extension && extension.isActive ? extension.exports : undefined;
  if (!api || !api.running) return;
  log('  (stopping a profile run the test left behind)');
  await vscode.commands.executeCommand('hotpath.stop');
  const deadline = Date.now() + 10_000;
  while (api.running && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (api.running) throw new Error('A profile run left behind by the test did not stop within 10 s.');
}

module.exports.run = function run() {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: LineReporter,
    color: false,
    // A profile run starts a real interpreter; the slowest test waits for one to finish.
    timeout: 60_000,
    grep: process.env.HOTPATH_E2E_GREP || undefined,
  });
  mocha.rootHooks({ afterEach: [stopLeftoverRun] });
  for (const file of testFiles()) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed.`));
      else resolve();
    });
  });
};

module.exports.LINE_PREFIX = LINE_PREFIX;
module.exports.SUMMARY_PREFIX = SUMMARY_PREFIX;
