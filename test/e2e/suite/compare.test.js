'use strict';
// Hotpath: Compare with… on two real runs of word_frequency.py with an edit between them, made in
// the editor as a user would: two comment lines above `unique_words` (its lines move down), its
// slow list turned into a set (faster), and `count_words` given twenty times the work (slower).
const assert = require('node:assert/strict');
const { copyFileSync } = require('node:fs');
const path = require('node:path');
const { before, describe, it } = require('mocha');
const vscode = require('vscode');
const {
  activateHotpath,
  awaitHotpathLenses,
  hoverText,
  lineOf,
  openFile,
  profileActiveFile,
  waitFor,
  workspaceDir,
} = require('./helpers');

// A copy: the other tests profile word_frequency.py as it is.
const EXAMPLE = 'word_frequency_compared.py';
const HOT_CODE = 'if word not in vocabulary:';

/** The edit between the runs, applied to the open document (so the editor tracks it). */
async function editBetweenRuns(document) {
  const edit = new vscode.WorkspaceEdit();
  const at = (text) => lineOf(document, text);
  const replaceInLine = (text, from, to) => {
    const line = at(text);
    const start = document.lineAt(line).text.indexOf(from);
    edit.replace(document.uri, new vscode.Range(line, start, line, start + from.length), to);
  };
  edit.insert(
    document.uri,
    new vscode.Position(at('def unique_words'), 0),
    '# a set: one hash lookup\n# per word\n',
  );
  replaceInLine('vocabulary = []', '[]', 'set()');
  replaceInLine('vocabulary.append(word)', 'append', 'add');
  replaceInLine('return Counter(words)', 'Counter(words)', 'Counter(words * 20)');
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applied');
  assert.ok(await document.save(), 'the edited file saved');
}

describe('Compare with… (two runs, code edited between them)', () => {
  let api;
  let opened;
  let baseline;

  before(async () => {
    api = await activateHotpath();
    copyFileSync(path.join(workspaceDir(), 'word_frequency.py'), path.join(workspaceDir(), EXAMPLE));
    opened = await openFile(EXAMPLE);
    baseline = await profileActiveFile();
    await editBetweenRuns(opened.document);
    await profileActiveFile();
    await awaitHotpathLenses(opened.uri);
    await vscode.commands.executeCommand('hotpath.compareWith', baseline);
    await waitFor(() => (api.annotations(opened.uri) || []).some((line) => line.change), {
      what: 'the lines to show their change',
      timeoutMs: 15_000,
    });
  });

  it('shows the line made fast as faster, matched across the lines inserted above it', () => {
    const hot = lineOf(opened.document, HOT_CODE) + 1;
    const lines = api.annotations(opened.uri);
    const line = lines.find((l) => l.line === hot);
    assert.ok(line && line.change, `no change on line ${hot}: ${JSON.stringify(lines)}`);
    // With a set the line takes a few ms in all: at 1 kHz a fast machine may take no sample of it
    // at all, and then it is `vanished` — still this line, matched to the baseline's line two above
    // (unmatched, it would be `new` here, or unmarked).
    assert.ok(
      ['changed', 'vanished'].includes(line.change.status),
      `status ${line.change.status}: the baseline's line was not matched to this one: ${JSON.stringify(lines)}`,
    );
    assert.ok(line.change.level < 0, `level ${line.change.level}`);
    assert.match(line.inline, /^\u2212\S+ (ms|s) · \u2212\d+%$/);
  });

  it('shows the line given more work as slower', () => {
    const slower = lineOf(opened.document, 'Counter(words * 20)') + 1;
    const line = api.annotations(opened.uri).find((l) => l.line === slower);
    assert.ok(line && line.change, `no change on line ${slower}`);
    assert.ok(line.change.level > 0, `level ${line.change.level}`);
    assert.match(line.inline, /^\+\S+ (ms|s) · (\+\d+%|×\d+(\.\d)?)$/);
  });

  it('says what the line is compared with in its hover and lens', async () => {
    const hot = lineOf(opened.document, HOT_CODE);
    const text = await hoverText(opened.uri, hot, 12);
    assert.match(text, /Compared with [^:]+: .* → .* total/);
    const lenses = await awaitHotpathLenses(opened.uri);
    assert.ok(
      lenses.some((lens) => /unique_words: .* vs baseline$/.test(lens.command.title)),
      lenses.map((lens) => lens.command.title).join('\n'),
    );
  });

  it('Stop Comparing goes back to the profile’s own times', async () => {
    await vscode.commands.executeCommand('hotpath.stopComparing');
    await waitFor(() => (api.annotations(opened.uri) || []).every((line) => !line.change), {
      what: 'the change marks to go',
      timeoutMs: 10_000,
    });
    assert.ok(api.annotations(opened.uri).length > 0, 'the profile is still painted');
  });

  it('Clear Annotations leaves a comparison too', async () => {
    await vscode.commands.executeCommand('hotpath.compareWith', baseline);
    await waitFor(() => (api.annotations(opened.uri) || []).some((line) => line.change), {
      what: 'the comparison again',
      timeoutMs: 15_000,
    });
    await vscode.commands.executeCommand('hotpath.clearAnnotations');
    await vscode.commands.executeCommand('hotpath.showPanel');
    await waitFor(() => (api.annotations(opened.uri) || []).length > 0, {
      what: 'the profile painted again',
      timeoutMs: 10_000,
    });
    assert.ok(
      api.annotations(opened.uri).every((line) => !line.change),
      'shown alone',
    );
  });
});
