'use strict';
// Show Current Stacks with the real addon in the extension host: a program whose threads stand
// still at known lines, and on CPython 3.14+ an asyncio program whose tasks do, are read through
// the command (given the pid, as a keybinding or another extension would) and what the view shows
// (the extension's API) is compared with what each program recorded itself. A program that hangs
// in a multiprocessing Pool worker (fixtures/stuck_pool_worker.py) is read with its worker, as
// `hotpath.followSubprocesses` asks, and alone with it off. The view and the marks on the code
// are checked in the UI suite (ui/stacksUi.mjs).
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { existsSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, it } = require('mocha');
const vscode = require('vscode');
const { activateHotpath, currentPythons, openFile, waitFor, workspaceDir } = require('./helpers');

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

describe('Show Current Stacks of a program stuck in a Pool worker', function () {
  const SCRIPT = 'stuck_pool_worker.py';
  let api;
  let program;
  let script;
  let truth; // what the worker wrote: its pid, its function and the line it stands on
  const ready = path.join(os.tmpdir(), `hotpath-e2e-stuck-worker-${process.pid}.json`);
  const settings = () => vscode.workspace.getConfiguration('hotpath');

  before(async () => {
    api = await activateHotpath();
    script = path.join(workspaceDir(), SCRIPT);
    rmSync(ready, { force: true });
    // A process group of its own: the worker is ended with its parent (see after).
    program = spawn('python3', [script, ready], { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    truth = await waitFor(() => existsSync(ready) && JSON.parse(readFileSync(ready, 'utf8')), {
      what: 'the Pool worker to reach its line',
      timeoutMs: 60_000,
    });
  });

  after(async () => {
    if (program && program.exitCode === null) process.kill(-program.pid, 'SIGKILL');
    rmSync(ready, { force: true });
    await settings().update('followSubprocesses', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('hotpath.closeStacks');
  });

  it("shows the worker's process under the parent's, its frame at the line, and marks the line", async () => {
    const opened = await openFile(SCRIPT);
    // The worker wrote its file just before its line: read again until it stands there.
    const worker = await waitFor(
      async () => {
        await vscode.commands.executeCommand('hotpath.showStacks', { pid: program.pid });
        const shown = (api.stackProcesses() || []).find((p) => p.pid === truth.pid);
        const frames = shown && shown.dump ? shown.dump.threads.flatMap((t) => t.frames) : [];
        return frames.some((f) => f.function === truth.function && f.line === truth.line) && shown;
      },
      {
        what: `process ${truth.pid} shown at ${truth.function}:${truth.line}`,
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );
    const processes = api.stackProcesses();
    assert.equal(processes[0].pid, program.pid, 'the parent first');
    assert.equal(worker.ppid, program.pid);
    assert.ok(processes.findIndex((p) => p.pid === worker.pid) > 0, 'the worker after its parent');
    assert.equal(api.stacks().pid, program.pid, 'api.stacks() is still the picked process');
    const frame = worker.dump.threads[0].frames.find((f) => f.function === truth.function);
    assert.ok(frame.file.endsWith(SCRIPT), frame.file);
    // The parent waits in pool.apply, in main.
    const parentFrames = processes[0].dump.threads.flatMap((t) => t.frames).map((f) => f.function);
    assert.ok(parentFrames.includes('main'), JSON.stringify(parentFrames));
    // The worker's line is marked, naming its thread with its process.
    const mark = api.stackMarks(opened.uri).find((m) => m.line === truth.line);
    assert.ok(mark, `no mark at line ${truth.line}: ${JSON.stringify(api.stackMarks(opened.uri))}`);
    assert.match(mark.label, new RegExp(`^MainThread \\(pid ${truth.pid}\\): waiting`));
  });

  it('Refresh after the worker has gone keeps its last stacks and says when they were read', async () => {
    process.kill(truth.pid, 'SIGKILL');
    // The Pool reaps it (and starts another worker in its place).
    await waitFor(() => !existsSync(`/proc/${truth.pid}`), { what: `process ${truth.pid} to be reaped` });
    await vscode.commands.executeCommand('hotpath.refreshStacks');
    const processes = api.stackProcesses();
    assert.equal(processes[0].pid, program.pid);
    const gone = processes.find((p) => p.pid === truth.pid);
    assert.ok(gone, `process ${truth.pid} no longer shown: ${JSON.stringify(processes.map((p) => p.pid))}`);
    assert.match(gone.goneAfter, /^\d\d:\d\d:\d\d$/);
    const frames = gone.dump.threads.flatMap((t) => t.frames);
    assert.ok(frames.some((f) => f.function === truth.function && f.line === truth.line));
    assert.ok(
      processes.every((p) => p.pid === truth.pid || !p.goneAfter),
      'only the worker is gone',
    );
    // Its mark has left the code.
    const marks = api.stackMarks(vscode.Uri.file(script));
    assert.ok(!marks.some((m) => m.label.includes(`(pid ${truth.pid})`)), JSON.stringify(marks));
  });

  it('with hotpath.followSubprocesses off shows only the picked process', async () => {
    await settings().update('followSubprocesses', false, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('hotpath.showStacks', { pid: program.pid });
    assert.deepEqual(
      api.stackProcesses().map((p) => p.pid),
      [program.pid],
    );
    const opened = await openFile(SCRIPT);
    const marks = api.stackMarks(opened.uri);
    assert.ok(!marks.some((m) => m.line === truth.line), JSON.stringify(marks));
    // One process: its threads are named as before, without a pid.
    assert.ok(marks.length > 0 && marks.every((m) => !/\(pid \d+\)/.test(m.label)), JSON.stringify(marks));
  });
});
