'use strict';
const assert = require('node:assert/strict');
const { existsSync, rmSync, writeFileSync } = require('node:fs');
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

describe('Live annotations', () => {
  it('paints a running program as it goes, and Reset counts from then on', async function () {
    this.timeout(120_000);
    const api = await activateHotpath();
    // live_server.py (test/e2e/fixtures) runs until the files below tell it what to do next.
    const marker = (name) => path.join(workspaceDir(), `live_server.${name}`);
    for (const name of ['pid', 'next', 'phase2', 'stop']) rmSync(marker(name), { force: true });
    const before = new Set(savedProfiles());
    const { uri, document } = await openFile('live_server.py');
    const phaseOne = lineOf(document, 'phase one hot line') + 1;
    const phaseTwo = lineOf(document, 'phase two hot line') + 1;
    const timed = (line) =>
      (api.annotations(uri) ?? []).find(
        (shown) => shown.profiledLine === line && shown.inline && TIME_PATTERN.test(shown.inline),
      );

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
});
