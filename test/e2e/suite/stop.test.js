'use strict';
const assert = require('node:assert/strict');
const { existsSync, readFileSync, rmSync } = require('node:fs');
const path = require('node:path');
const { describe, it } = require('mocha');
const vscode = require('vscode');
const { activateHotpath, openFile, savedProfiles, waitFor, workspaceDir } = require('./helpers');
const { log } = require('./lineReporter');

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Stop Profiling', () => {
  it('ends an endless program within a second and keeps its profile', async () => {
    await activateHotpath();
    // endless_loop.py (test/e2e/fixtures) writes its pid here once Python is running.
    const marker = path.join(workspaceDir(), 'endless_loop.pid');
    rmSync(marker, { force: true });
    const before = new Set(savedProfiles());
    await openFile('endless_loop.py');

    const run = vscode.commands.executeCommand('hotpath.profileFile');
    const pid = await waitFor(() => existsSync(marker) && Number(readFileSync(marker, 'utf8').trim()), {
      what: 'endless_loop.py to start',
      timeoutMs: 30_000,
    });
    assert.ok(isAlive(pid));

    await vscode.commands.executeCommand('hotpath.stop');
    const stoppedAt = Date.now();
    await waitFor(() => !isAlive(pid), { what: `pid ${pid} to exit after Stop`, timeoutMs: 1_000 });
    log(`      (the program ended ${Date.now() - stoppedAt} ms after Stop)`);

    await run;
    const saved = await waitFor(() => savedProfiles().find((file) => !before.has(file)), {
      what: 'the stopped run to be saved',
      timeoutMs: 10_000,
    });
    const profile = JSON.parse(readFileSync(saved, 'utf8'));
    assert.equal(profile.meta.pid, pid);
    assert.ok(profile.samples.stack.length > 0);
  });
});
