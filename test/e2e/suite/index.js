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
const { LINE_PREFIX, SUMMARY_PREFIX, LineReporter } = require('./lineReporter');

/** Files to load: every *.test.js here, or those whose name contains HOTPATH_E2E_ONLY. */
function testFiles() {
  const only = process.env.HOTPATH_E2E_ONLY;
  return readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .filter((name) => !only || name.includes(only))
    .sort()
    .map((name) => path.join(__dirname, name));
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
