'use strict';
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { existsSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { describe, it } = require('mocha');
const vscode = require('vscode');
const {
  TIME_PATTERN,
  activateHotpath,
  awaitHotpathLenses,
  lineOf,
  openFile,
  readProfile,
  savedProfiles,
  waitFor,
  workspaceDir,
} = require('./helpers');
const { log } = require('./lineReporter');

/** Every frame name a sample's stack passes through, by sample. */
function sampledNames(profile) {
  const names = new Set();
  for (const stack of profile.samples.stack) {
    for (let node = stack; node >= 0; node = profile.stacks.parent[node]) {
      names.add(profile.strings[profile.frames.name[profile.stacks.frame[node]]]);
    }
  }
  return names;
}

/** live_server.py's steering files, cleared; and the hot lines' annotations with a time. */
async function liveServer(api) {
  const marker = (name) => path.join(workspaceDir(), `live_server.${name}`);
  for (const name of ['pid', 'next', 'phase2', 'stop']) rmSync(marker(name), { force: true });
  const { uri, document } = await openFile('live_server.py');
  const timed = (text) => {
    const line = lineOf(document, text) + 1;
    return (api.annotations(uri) ?? []).find(
      (shown) => shown.profiledLine === line && shown.inline && TIME_PATTERN.test(shown.inline),
    );
  };
  return { marker, uri, timed };
}

describe('Live annotations', () => {
  it('paints a running program as it goes, and Reset counts from then on', async function () {
    this.timeout(120_000);
    const api = await activateHotpath();
    // live_server.py (test/e2e/fixtures) runs until the files below tell it what to do next.
    const { marker, uri, timed } = await liveServer(api);
    const phaseOne = 'phase one hot line';
    const phaseTwo = 'phase two hot line';
    const before = new Set(savedProfiles());

    const run = vscode.commands.executeCommand('hotpath.profileFile');
    try {
      await waitFor(() => existsSync(marker('pid')), { what: 'live_server.py to start', timeoutMs: 30_000 });
      const first = await waitFor(() => timed(phaseOne), {
        what: 'the phase-one hot line painted while the program runs',
        timeoutMs: 30_000,
      });
      assert.ok(api.running, 'painted during the run');
      assert.ok((await awaitHotpathLenses(uri)).length > 0, 'CodeLens during the run');
      // The paint keeps up with the samples: the hot line's time grows while the program runs.
      const later = await waitFor(
        () => {
          const now = timed(phaseOne);
          return now && now.inline !== first.inline && now;
        },
        { what: 'a later live update of the hot line', timeoutMs: 15_000 },
      );
      log(`      (live: ${first.inline} → ${later.inline})`);
      assert.ok(api.running);

      writeFileSync(marker('next'), '');
      await waitFor(() => existsSync(marker('phase2')), { what: 'phase two to start', timeoutMs: 15_000 });
      await waitFor(() => timed(phaseTwo), {
        what: 'the phase-two hot line painted live',
        timeoutMs: 15_000,
      });
      assert.ok(timed(phaseOne), 'before Reset, phase one is still counted');

      await vscode.commands.executeCommand('hotpath.reset');
      await waitFor(() => timed(phaseTwo) && !timed(phaseOne), {
        what: 'the paint to count from the Reset (phase one gone, phase two shown)',
        timeoutMs: 15_000,
      });
      assert.ok(api.running, 'Reset keeps the program running');
    } finally {
      writeFileSync(marker('stop'), '');
    }
    await run;

    const saved = await waitFor(() => savedProfiles().find((file) => !before.has(file)), {
      what: 'the run to be saved',
      timeoutMs: 15_000,
    });
    const profile = readProfile(saved);
    assert.ok(profile.meta.countedFromUs > 0, 'the saved profile says it counts from a Reset');
    assert.equal(profile.meta.live, undefined, 'the saved profile is the run’s own, not a live snapshot');
    const names = sampledNames(profile);
    assert.ok(names.has('phase_two'), 'what came after the Reset is kept');
    assert.ok(!names.has('phase_one'), 'what came before the Reset is not');
    assert.ok(timed(phaseTwo) && !timed(phaseOne), 'the final paint is the saved profile’s');
  });

  it('paints a program it attached to as it runs', async function () {
    this.timeout(120_000);
    const api = await activateHotpath();
    const { marker, timed } = await liveServer(api);
    const child = spawn('python3', [path.join(workspaceDir(), 'live_server.py')], { stdio: 'ignore' });
    try {
      // The interpreter's own pid (python3 may be a launcher that execs it).
      const pid = await waitFor(
        () => existsSync(marker('pid')) && Number(readFileSync(marker('pid'), 'utf8')),
        {
          what: 'live_server.py to start',
          timeoutMs: 30_000,
        },
      );
      const before = new Set(savedProfiles());
      const run = vscode.commands.executeCommand('hotpath.attach', { pid });
      await waitFor(() => api.running && timed('phase one hot line'), {
        what: 'the attached program painted while it runs',
        timeoutMs: 30_000,
      });
      await vscode.commands.executeCommand('hotpath.stop');
      await run;
      const saved = await waitFor(() => savedProfiles().find((file) => !before.has(file)), {
        what: 'the attached run to be saved',
        timeoutMs: 15_000,
      });
      assert.equal(readProfile(saved).meta.pid, pid);
      assert.equal(child.exitCode, null, 'Stop detached and left the program running');
    } finally {
      writeFileSync(marker('stop'), '');
      child.kill('SIGKILL');
    }
  });
});
