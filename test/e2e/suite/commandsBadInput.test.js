'use strict';
// Profile Current File on input it cannot profile ends with a message and nothing half-made:
// no run for a file that is not Python, no profile (and no empty panel) for a script that fails
// before any of its code runs.
const assert = require('node:assert/strict');
const { writeFileSync } = require('node:fs');
const path = require('node:path');
const { before, describe, it } = require('mocha');
const vscode = require('vscode');
const { activateHotpath, openFile, savedProfiles, workspaceDir } = require('./helpers');

/** The program terminals: one serves every run. */
function hotpathTerminals() {
  return vscode.window.terminals.filter((t) => t.name === 'Hotpath').length;
}

describe('Profile Current File on bad input', () => {
  let api;

  before(async () => {
    api = await activateHotpath();
  });

  it('does not run a file that is not Python', async () => {
    writeFileSync(path.join(workspaceDir(), 'notes.txt'), 'print("not python")\n');
    await openFile('notes.txt');
    const before = savedProfiles().length;
    const terminals = hotpathTerminals();
    await vscode.commands.executeCommand('hotpath.profileFile');
    assert.equal(hotpathTerminals(), terminals, 'no terminal was opened');
    assert.equal(savedProfiles().length, before);
    assert.equal(api.running, false);
  });

  it('saves no profile for a script with a syntax error; the error goes to its terminal', async () => {
    const name = 'broken syntax ü.py'; // a space and non-ASCII in the path, too
    writeFileSync(path.join(workspaceDir(), name), 'import json\n\ndef f(:\n    pass\n');
    const opened = await openFile(name);
    const before = savedProfiles().length;
    await vscode.commands.executeCommand('hotpath.profileFile');
    assert.equal(hotpathTerminals(), 1, 'the program ran in the one program terminal');
    assert.equal(savedProfiles().length, before, 'no profile was saved');
    assert.equal(api.annotations(opened.uri), undefined);
    assert.equal(api.running, false);
  });

  it('refuses a corrupt or hostile profile file and keeps what is shown', async () => {
    const shownBefore = api.annotations(vscode.Uri.file(path.join(workspaceDir(), 'primes.py')));
    const hostile = {
      format: 'hotpath-profile',
      version: 1,
      meta: { cwd: '../../etc' },
      strings: ['</script><script>alert(1)</script>'],
      frames: { file: [99], name: [0], line: [-1], firstLine: [1e300] },
    };
    for (const [name, text] of [
      ['truncated.hotpath.json', '{"format":"hotpath-profile","version":1,"meta":{'],
      ['hostile.hotpath.json', JSON.stringify(hostile)],
      ['future.hotpath.json', JSON.stringify({ format: 'hotpath-profile', version: 999 })],
    ]) {
      const file = path.join(workspaceDir(), name);
      writeFileSync(file, text);
      await vscode.commands.executeCommand('hotpath.openProfile', vscode.Uri.file(file));
      assert.deepEqual(
        api.annotations(vscode.Uri.file(path.join(workspaceDir(), 'primes.py'))),
        shownBefore,
        `${name} changed what is shown`,
      );
    }
  });

  it('runs nothing when the configured interpreter is missing or not Python', async () => {
    const opened = await openFile('primes.py');
    const config = vscode.workspace.getConfiguration('hotpath', opened.uri);
    const notPython = path.join(workspaceDir(), 'not-python.sh');
    writeFileSync(notPython, '#!/bin/sh\necho "definitely not python"\n', { mode: 0o755 });
    try {
      for (const pythonPath of [path.join(workspaceDir(), 'no-such-python'), notPython]) {
        await config.update('pythonPath', pythonPath);
        const before = savedProfiles().length;
        await vscode.commands.executeCommand('hotpath.profileFile');
        assert.equal(savedProfiles().length, before, `a profile was saved with ${pythonPath}`);
        assert.equal(api.running, false);
      }
    } finally {
      await config.update('pythonPath', undefined);
    }
  });
});
