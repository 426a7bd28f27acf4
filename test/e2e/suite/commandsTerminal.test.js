'use strict';
// The program's terminal: what the user types reaches the program's stdin, its output shows, and
// Ctrl-C typed in the terminal stops it. Terminal.sendText feeds the pseudoterminal exactly the
// way keystrokes do.
const assert = require('node:assert/strict');
const { existsSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { before, describe, it } = require('mocha');
const vscode = require('vscode');
const { activateHotpath, openFile, savedProfiles, waitFor, workspaceDir } = require('./helpers');

const SCRIPT = 'echo_input.py';
// Announces it is waiting (by a marker file, since a pipe has no prompt to watch), reads one
// line, burns a little CPU so there is something to sample, then writes what it read.
const SOURCE = `import os, sys, time
here = os.path.dirname(os.path.abspath(__file__))
open(os.path.join(here, "echo_input.ready"), "w").write(str(os.getpid()))
line = sys.stdin.readline().strip()
deadline = time.time() + 0.3
while time.time() < deadline:
    sum(i * i for i in range(1000))
open(os.path.join(here, "echo_input.out"), "w").write("got:" + line)
print("got:", line)
if len(sys.argv) > 1 and sys.argv[1] == "forever":
    while True:
        sum(i * i for i in range(1000))
`;

function scriptUri() {
  return vscode.Uri.file(path.join(workspaceDir(), SCRIPT));
}

/** The program terminal: one serves every run. */
const TERMINAL = 'Hotpath';

function hotpathTerminal() {
  return vscode.window.terminals.filter((t) => t.name === TERMINAL).pop();
}

describe('the program terminal', () => {
  let api;
  let ready;
  let output;

  before(async () => {
    api = await activateHotpath();
    writeFileSync(path.join(workspaceDir(), SCRIPT), SOURCE);
    ready = path.join(workspaceDir(), 'echo_input.ready');
    output = path.join(workspaceDir(), 'echo_input.out');
  });

  it('passes a typed line to the program and keeps the profile', async () => {
    rmSync(ready, { force: true });
    rmSync(output, { force: true });
    const before = new Set(savedProfiles());
    await openFile(SCRIPT);
    // The file is passed as the Explorer menu does: the previous run's panel may still be
    // taking the focus from the editor when the command starts.
    const run = vscode.commands.executeCommand('hotpath.profileFile', scriptUri());
    await waitFor(() => existsSync(ready), { what: 'the script to wait for input', timeoutMs: 30_000 });
    const terminal = await waitFor(hotpathTerminal, { what: 'the Hotpath terminal' });
    terminal.sendText('naïve input', true);
    await run;
    assert.equal(readFileSync(output, 'utf8'), 'got:naïve input');
    assert.ok(
      savedProfiles().some((file) => !before.has(file)),
      'the run was saved',
    );
  });

  it('stops the program on Ctrl-C typed in the terminal', async () => {
    rmSync(ready, { force: true });
    rmSync(output, { force: true });
    await openFile(SCRIPT);
    const uri = scriptUri();
    await vscode.workspace.getConfiguration('hotpath', uri).update('args', ['forever']);
    try {
      const run = vscode.commands.executeCommand('hotpath.profileFile', uri);
      const pid = await waitFor(() => existsSync(ready) && Number(readFileSync(ready, 'utf8')), {
        what: 'the script to start',
        timeoutMs: 30_000,
      }).catch((error) => {
        const terminals = vscode.window.terminals.map((t) => t.name).join(', ');
        throw new Error(`${error.message} running=${api.running}; terminals: ${terminals}`);
      });
      const terminal = await waitFor(hotpathTerminal, { what: 'the Hotpath terminal' });
      terminal.sendText('go', true);
      await waitFor(() => existsSync(output), { what: 'the script to read its line' });
      terminal.sendText('\x03', false);
      await run;
      assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the program is gone');
      // The second run wrote into the first run's terminal: replacing it would close and reopen
      // the panel area, losing the height the user gave it.
      assert.equal(vscode.window.terminals.filter((t) => t.name === TERMINAL).length, 1);
    } finally {
      await vscode.workspace.getConfiguration('hotpath', uri).update('args', undefined);
    }
  });
});
