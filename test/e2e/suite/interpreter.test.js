'use strict';
const assert = require('node:assert/strict');
const { realpathSync } = require('node:fs');
const { after, describe, it } = require('mocha');
const vscode = require('vscode');
const { log } = require('./lineReporter');
const {
  activateHotpath,
  awaitHotpathLenses,
  currentPythons,
  defaultPython,
  lineOf,
  openFile,
  profileActiveFile,
  pyenvPythons,
  readProfile,
} = require('./helpers');

// Without the Python extension (code-server here has none), the hotpath.pythonPath setting
// chooses the interpreter; empty means python3 on PATH.
describe('interpreter choice', () => {
  after(async () => {
    await vscode.workspace
      .getConfiguration('hotpath')
      .update('pythonPath', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('profiles with the interpreter named by hotpath.pythonPath', async function () {
    const fallback = defaultPython();
    const candidates = pyenvPythons().filter((python) => !fallback || python.version !== fallback.version);
    if (candidates.length === 0) {
      log('      skipped: needs a pyenv interpreter other than python3 on PATH to tell them apart');
      this.skip();
    }
    const chosen = candidates[candidates.length - 1];
    await activateHotpath();
    await vscode.workspace
      .getConfiguration('hotpath')
      .update('pythonPath', chosen.path, vscode.ConfigurationTarget.Workspace);
    await openFile('csv_pipeline.py');
    const profile = readProfile(await profileActiveFile());
    assert.equal(profile.meta.pythonVersion, chosen.version);
    assert.equal(realpathSync(profile.meta.pythonPath), realpathSync(chosen.path));
  });

  // CPython 3.14 and 3.15 in both layouts: the right interpreter ran, and its profile gives the
  // tree and the annotations (the hot function's lens) as on older releases.
  for (const python of currentPythons()) {
    it(`profiles word_frequency.py with CPython ${python.label}`, async function () {
      if (python.missing) {
        log(`      skipped: ${python.missing}`);
        this.skip();
      }
      await activateHotpath();
      await vscode.workspace
        .getConfiguration('hotpath')
        .update('pythonPath', python.path, vscode.ConfigurationTarget.Workspace);
      const opened = await openFile('word_frequency.py');
      const profile = readProfile(await profileActiveFile());
      assert.ok(profile.meta.pythonVersion.startsWith(`${python.minor}.`), profile.meta.pythonVersion);
      assert.equal(realpathSync(profile.meta.pythonPath), realpathSync(python.path));
      const lenses = await awaitHotpathLenses(opened.uri);
      const defLine = lineOf(opened.document, 'def unique_words');
      const lens = lenses.find((candidate) => candidate.range.start.line === defLine);
      assert.ok(lens, `no lens on def unique_words; lenses on ${lenses.map((l) => l.range.start.line + 1)}`);
      assert.match(lens.command.title, /%/);
    });
  }

  it('falls back to python3 on PATH when the setting is empty', async function () {
    const fallback = defaultPython();
    if (!fallback) {
      log('      skipped: there is no python3 on PATH to fall back to');
      this.skip();
    }
    await activateHotpath();
    await vscode.workspace
      .getConfiguration('hotpath')
      .update('pythonPath', undefined, vscode.ConfigurationTarget.Workspace);
    await openFile('csv_pipeline.py');
    const profile = readProfile(await profileActiveFile());
    assert.equal(profile.meta.pythonVersion, fallback.version);
  });
});
