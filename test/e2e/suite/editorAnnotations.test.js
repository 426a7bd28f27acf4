'use strict';
// The editor side of a profile, checked through what the extension reports it painted (its API;
// decorations cannot be read back through VS Code's) and through VS Code's own hover provider:
// the hot line and only sampled lines are annotated, hovers link callers and callees, and
// annotations follow edits and say when the file no longer matches the profile.
const assert = require('node:assert/strict');
const { before, after, describe, it } = require('mocha');
const vscode = require('vscode');
const {
  TIME_PATTERN,
  activateHotpath,
  hoverText,
  openFile,
  profileActiveFile,
  waitFor,
} = require('./helpers');

const EXAMPLE = 'word_frequency.py';

/** 0-based line of the first line containing `text` at or after `from` (skips the docstring). */
function lineAfter(document, from, text) {
  for (let line = from; line < document.lineCount; line++) {
    if (document.lineAt(line).text.includes(text)) return line;
  }
  throw new Error(`No line contains ${JSON.stringify(text)} after line ${from + 1}.`);
}

describe('editor annotations', () => {
  let api;
  let opened;
  let hot; // 0-based line of the list-membership test in unique_words

  before(async () => {
    api = await activateHotpath();
    opened = await openFile(EXAMPLE);
    await profileActiveFile();
    hot = lineAfter(opened.document, lineAfter(opened.document, 0, 'def unique_words'), 'not in vocabulary');
    await waitFor(() => api.annotations(opened.uri), {
      what: 'annotations for the example',
      timeoutMs: 10_000,
    });
  });

  after(async () => {
    await vscode.window.showTextDocument(opened.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('paints the hot line with its time and share, in the hottest level, tinted', () => {
    const line = api.annotations(opened.uri).find((l) => l.line === hot + 1);
    assert.ok(line, `line ${hot + 1} is not annotated`);
    assert.match(line.inline, /^\d+(\.\d+)? (µs|ms|s) · \d+(\.\d)?%$/);
    assert.ok(line.level >= 4, `level ${line.level}`);
    assert.equal(line.hot, true);
  });

  it('annotates only lines that ran: none in the module docstring', () => {
    const docstringEnd = lineAfter(opened.document, 1, '"""') + 1;
    const inDocstring = api.annotations(opened.uri).filter((l) => l.line <= docstringEnd);
    assert.deepEqual(inDocstring, []);
  });

  it('links the hot line to its caller in the hover', async () => {
    const text = await hoverText(opened.uri, hot, 12);
    assert.match(text, /Called from/);
    assert.match(text, /command:hotpath\.revealLocation\?/);
    assert.match(text, TIME_PATTERN);
  });

  it('moves annotations down when a line is inserted above, and marks the file changed', async () => {
    const editor = await vscode.window.showTextDocument(opened.document);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# a new first line\n'));
    const moved = api.annotations(opened.uri).find((l) => l.profiledLine === hot + 1);
    assert.equal(moved.line, hot + 2);
    await waitFor(() => api.annotations(opened.uri).every((l) => l.stale), {
      what: 'the annotations to be marked stale',
      timeoutMs: 5_000,
    });
    const text = await hoverText(opened.uri, hot + 1, 12);
    assert.match(text, /changed after the profile was taken/);
  });

  it('is fresh again once the edit is taken back', async () => {
    // The inverse edit rather than the `undo` command, which acts on whatever has focus.
    const editor = await vscode.window.showTextDocument(opened.document);
    await editor.edit((edit) => edit.delete(new vscode.Range(0, 0, 1, 0)));
    await waitFor(() => api.annotations(opened.uri).every((l) => !l.stale), {
      what: 'the annotations to be fresh again',
      timeoutMs: 5_000,
    });
    assert.ok(api.annotations(opened.uri).some((l) => l.line === hot + 1));
  });
});
