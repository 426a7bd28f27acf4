'use strict';
// Show Current Stacks with the real addon in the extension host: a program whose threads stand
// still at known lines, and on CPython 3.14+ an asyncio program whose tasks do, are read through
// the command (given the pid, as a keybinding or another extension would) and what the view shows
// (the extension's API) is compared with what each program recorded itself. The view and the
// marks on the code are checked in the UI suite (ui/stacksUi.mjs).
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { after, before, describe, it } = require('mocha');
const vscode = require('vscode');
const { activateHotpath, currentPythons } = require('./helpers');

const SCRIPTS = path.resolve(__dirname, '..', '..', 'native', 'scripts');
const started = [];

/** Starts `script`; resolves with its pid and the JSON line it printed before READY. */
function startProgram(python, script) {
  const child = spawn(python, [path.join(SCRIPTS, script)], { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (out.includes('READY')) resolve({ pid: child.pid, truth: JSON.parse(out.split('\n')[0]) });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}) before READY`)));
  });
}

describe('Show Current Stacks', function () {
  let api;

  before(async () => {
    api = await activateHotpath();
  });

  after(async () => {
    for (const child of started) child.kill('SIGKILL');
    await vscode.commands.executeCommand('hotpath.closeStacks');
  });

  it('shows every thread of the process, where the program says it is', async () => {
    const { pid, truth } = await startProgram('python3', 'stuck_threads.py');
    await vscode.commands.executeCommand('hotpath.showStacks', { pid });
    const dump = api.stacks();
    assert.ok(dump, 'no stacks shown');
    assert.equal(dump.pid, pid);
    for (const [name, expected] of Object.entries(truth)) {
      const thread = dump.threads.find((t) => t.name === name);
      assert.ok(thread, `no thread ${name}: ${JSON.stringify(dump.threads.map((t) => t.name))}`);
      const frame = thread.frames.find((f) => f.file.endsWith('stuck_threads.py'));
      assert.ok(expected.lines.includes(frame.line), `${name} at ${frame.line}, not ${expected.lines}`);
      assert.equal(thread.state, name === 'spinner' ? 'running' : 'waiting', name);
    }
    // python3 here is older than 3.14: the view says why it shows no tasks.
    if (!/^3\.1[4-9]/.test(dump.python.version)) assert.match(dump.tasksNote, /needs CPython 3\.14/);
  });

  const python = currentPythons().find((p) => !p.missing);
  it('on CPython 3.14+ shows the asyncio tasks and what each awaits', async function () {
    if (!python) {
      this.skip(); // CPython 3.14+ is not installed: scripts/install-cpython.sh installs it
    }
    const { pid, truth } = await startProgram(python.path, 'async_tasks.py');
    await vscode.commands.executeCommand('hotpath.showStacks', { pid });
    const dump = api.stacks();
    const tasks = dump.tasks || [];
    assert.deepEqual(tasks.map((t) => t.name).sort(), Object.keys(truth.chains).sort());
    const orders = tasks.find((t) => t.name === 'await-orders');
    assert.deepEqual(
      orders.frames.filter((f) => f.file.endsWith('async_tasks.py')).map((f) => [f.function, f.line]),
      truth.chains['await-orders'].slice().reverse(),
    );
    const main = tasks.find((t) => t.name === 'main');
    assert.deepEqual(orders.awaitedBy, [main.id]);
    assert.equal(tasks.find((t) => t.name === 'spinner-task').state, 'running');
  });
});
