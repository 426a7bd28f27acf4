'use strict';
const assert = require('node:assert/strict');
const { before, describe, it } = require('mocha');
const vscode = require('vscode');
const { activateHotpath, hotpathLenses, lineOf, openFile, profileActiveFile, waitFor } = require('./helpers');

const EXAMPLE = 'primes.py';

describe('saved profiles', () => {
  let opened;
  let saved;

  before(async () => {
    await activateHotpath();
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
