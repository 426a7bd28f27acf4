'use strict';
// A program of several processes in the editor: a multiprocessing Pool recorded by the CLI the
// extension ships (real worker processes), opened as a saved profile. The workers' lines are
// painted with the parent's; Show Process… with the parent's pid leaves only the parent's lines
// (and the panel's filter follows), and all processes again brings the workers' lines back.
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const { mkdirSync } = require('node:fs');
const path = require('node:path');
const { before, describe, it } = require('mocha');
const vscode = require('vscode');
const {
  activateHotpath,
  hotpathLenses,
  lineOf,
  openFile,
  readProfile,
  waitFor,
  workspaceDir,
} = require('./helpers');

const EXAMPLE = 'pool_workers.py';

/** Runs `hotpath run --format json` of the installed extension on the example; resolves its profile. */
function recordWithCli(out) {
  const cli = path.join(vscode.extensions.getExtension('hotpath.hotpath').extensionPath, 'dist', 'cli.js');
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [cli, 'run', '--format', 'json', '-o', out, EXAMPLE],
      { cwd: workspaceDir(), timeout: 120_000, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
      (error, stdout, stderr) =>
        error ? reject(new Error(`hotpath run failed: ${error.message}\n${stderr}`)) : resolve(out),
    ),
  );
}

describe('a program of several processes', () => {
  let api;
  let opened;
  let profile;
  let workerLine; // 1-based: the workers' hot line
  let parentLine; // 1-based: where the parent waits

  const painted = () => (api.annotations(opened.uri) ?? []).map((l) => l.line);

  before(async () => {
    api = await activateHotpath();
    opened = await openFile(EXAMPLE);
    workerLine = lineOf(opened.document, "the workers' hot line") + 1;
    parentLine = lineOf(opened.document, 'the parent waits here') + 1;
    mkdirSync(path.join(workspaceDir(), '.hotpath'), { recursive: true });
    const file = await recordWithCli(path.join(workspaceDir(), '.hotpath', 'pool_workers.hotpath.json'));
    profile = readProfile(file);
    await vscode.commands.executeCommand('hotpath.openProfile', vscode.Uri.file(file));
    await waitFor(() => painted().includes(workerLine), {
      what: 'the workers’ hot line to be painted',
      timeoutMs: 20_000,
    });
  });

  it('recorded the workers as processes of their own', () => {
    assert.ok(profile.processes && profile.processes.length >= 3, JSON.stringify(profile.processes));
  });

  it('paints the workers’ lines and the parent’s, their times added up', () => {
    assert.ok(painted().includes(workerLine), `painted: ${painted()}`);
    assert.ok(painted().includes(parentLine), `painted: ${painted()}`);
  });

  it('Show Process… with the parent’s pid leaves only the parent’s lines; the panel follows', async () => {
    await vscode.commands.executeCommand('hotpath.showProcess', { pid: profile.meta.pid });
    await waitFor(() => !painted().includes(workerLine), {
      what: 'the workers’ line to lose its paint',
      timeoutMs: 10_000,
    });
    assert.ok(painted().includes(parentLine), `the parent's line stays: ${painted()}`);
    const lenses = (await hotpathLenses(opened.uri)).map((lens) => lens.command.title);
    assert.ok(!lenses.some((title) => title.includes(' crunch:')), `lenses: ${lenses.join(' | ')}`);
    assert.ok(
      lenses.some((title) => title.includes(' main:')),
      `lenses: ${lenses.join(' | ')}`,
    );
    const parent = profile.processes.findIndex((p) => p.pid === profile.meta.pid);
    assert.ok(
      api.panels().some((panel) => panel.process === parent),
      JSON.stringify(api.panels()),
    );
  });

  it('every process again paints the workers’ lines again', async () => {
    await vscode.commands.executeCommand('hotpath.showProcess', { all: true });
    await waitFor(() => painted().includes(workerLine), {
      what: 'the workers’ line to be painted again',
      timeoutMs: 10_000,
    });
    assert.ok(
      api.panels().every((panel) => panel.process === undefined),
      JSON.stringify(api.panels()),
    );
  });
});
