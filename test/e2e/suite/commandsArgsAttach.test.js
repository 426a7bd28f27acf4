'use strict';
// Arguments given to "Profile Current File with Arguments…" reach the script and are remembered
// for that file; "Attach to Process…" samples a running interpreter for the given time and saves
// the profile without touching the process. Both commands take their answers as arguments too
// (keybindings, other extensions), which is how these tests skip the input boxes.
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { before, describe, it } = require('mocha');
const vscode = require('vscode');
const { activateHotpath, openFile, readProfile, savedProfiles, waitFor, workspaceDir } = require('./helpers');

const SCRIPT = 'argv_echo.py';
const SOURCE = `import json, os, sys, time
deadline = time.time() + 0.3
while time.time() < deadline:
    sum(i * i for i in range(1000))
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "argv_echo.out"), "w", encoding="utf-8") as out:
    json.dump(sys.argv[1:], out)
`;

describe('arguments and attaching', () => {
  let uri;
  let output;

  before(async () => {
    await activateHotpath();
    writeFileSync(path.join(workspaceDir(), SCRIPT), SOURCE);
    uri = vscode.Uri.file(path.join(workspaceDir(), SCRIPT));
    output = path.join(workspaceDir(), 'argv_echo.out');
  });

  it('passes the given arguments unchanged and remembers them for the file', async () => {
    const args = ['two words', 'naïve', '$HOME', "it's"];
    rmSync(output, { force: true });
    await vscode.commands.executeCommand('hotpath.profileFileWithArgs', uri, args);
    assert.deepEqual(JSON.parse(readFileSync(output, 'utf8')), args);

    rmSync(output, { force: true });
    await openFile(SCRIPT);
    await vscode.commands.executeCommand('hotpath.profileFile');
    assert.deepEqual(JSON.parse(readFileSync(output, 'utf8')), args, 'the next plain run reuses them');
  });

  it('attaches to a running interpreter for a given time and leaves it running', async () => {
    // `python3` may be a launcher (a pyenv shim) that execs the interpreter a moment later:
    // attach once the program runs, as a user picks a running Python process.
    const child = spawn(
      'python3',
      ['-c', 'print("READY", flush=True)\nwhile True:\n    sum(i * i for i in range(1000))'],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    try {
      await new Promise((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (chunk) => {
          out += chunk;
          if (out.includes('READY')) resolve();
        });
        child.once('error', reject).once('exit', () => reject(new Error('python3 exited before READY')));
      });
      const before = new Set(savedProfiles());
      await vscode.commands.executeCommand('hotpath.attach', { pid: child.pid, durationS: 1 });
      const saved = await waitFor(() => savedProfiles().find((file) => !before.has(file)), {
        what: 'the attached profile to be saved',
        timeoutMs: 10_000,
      });
      const profile = readProfile(saved);
      assert.equal(profile.meta.pid, child.pid);
      assert.ok(profile.samples.stack.length > 100, `only ${profile.samples.stack.length} samples`);
      assert.equal(child.exitCode, null, 'the process still runs');
      assert.equal(child.signalCode, null);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
