'use strict';
const assert = require('node:assert/strict');
const { before, describe, it } = require('mocha');
const vscode = require('vscode');
const { activateHotpath, hotpathLenses, lineOf, openFile, profileActiveFile, waitFor } = require('./helpers');

const EXAMPLE = 'primes.py';

describe('saved profiles', () => {
  let api;
  let opened;
  let saved;

  before(async () => {
    api = await activateHotpath();
    opened = await openFile(EXAMPLE);
    saved = await profileActiveFile();
    await waitFor(async () => (await hotpathLenses(opened.uri)).length > 0, {
      what: 'code lenses of the new profile',
      timeoutMs: 10_000,
    });
  });

  it('Clear Annotations removes the code lenses', async () => {
    await vscode.commands.executeCommand('hotpath.clearAnnotations');
    await waitFor(async () => (await hotpathLenses(opened.uri)).length === 0, {
      what: 'the code lenses to go away',
      timeoutMs: 5_000,
    });
  });

  it('Clear Annotations keeps the profile: Show Profile Panel paints it again', async () => {
    await vscode.commands.executeCommand('hotpath.clearAnnotations');
    await waitFor(async () => (await hotpathLenses(opened.uri)).length === 0, {
      what: 'the code lenses to go away',
      timeoutMs: 5_000,
    });
    assert.equal(api.annotations(opened.uri), undefined, 'nothing is painted');
    assert.ok(
      api.panels().every((panel) => !panel.painting && panel.title.endsWith('(not in editor)')),
      `panels after Clear: ${JSON.stringify(api.panels())}`,
    );
    await vscode.commands.executeCommand('hotpath.showPanel');
    await waitFor(async () => (await hotpathLenses(opened.uri)).length > 0, {
      what: 'the code lenses to come back',
      timeoutMs: 10_000,
    });
    const shown = api.panels().filter((panel) => panel.profileId === saved);
    assert.equal(shown.length, 1, JSON.stringify(api.panels()));
    assert.equal(shown[0].painting, true);
    assert.equal(shown[0].title, `Hotpath: ${EXAMPLE}`);
  });

  it('a second run of the file replaces the profile in its one panel', async () => {
    await openFile(EXAMPLE);
    const second = await profileActiveFile({ timeoutMs: 45_000 });
    await waitFor(() => api.panels().some((panel) => panel.profileId === second), {
      what: 'the panel to show the second run',
      timeoutMs: 10_000,
    });
    const mine = api.panels().filter((panel) => panel.title.startsWith(`Hotpath: ${EXAMPLE}`));
    assert.equal(mine.length, 1, `panels: ${JSON.stringify(api.panels())}`);
    assert.equal(mine[0].painting, true);
    // Open Profile… of the older run of the same file shows in the same panel, too.
    await vscode.commands.executeCommand('hotpath.openProfile', vscode.Uri.file(saved));
    await waitFor(() => api.panels().some((panel) => panel.profileId === saved), {
      what: 'the panel to show the first run again',
      timeoutMs: 10_000,
    });
    assert.equal(api.panels().filter((panel) => panel.title.startsWith(`Hotpath: ${EXAMPLE}`)).length, 1);
  });

  it('Open Profile… restores them from the saved file', async () => {
    await vscode.commands.executeCommand('hotpath.openProfile', vscode.Uri.file(saved));
    const lenses = await waitFor(
      async () => {
        const found = await hotpathLenses(opened.uri);
        return found.length > 0 && found;
      },
      { what: 'code lenses from the reopened profile', timeoutMs: 10_000 },
    );
    const isPrime = lineOf(opened.document, 'def is_prime');
    assert.ok(
      lenses.some((lens) => lens.range.start.line === isPrime),
      `no lens on def is_prime (line ${isPrime + 1})`,
    );
  });
});
