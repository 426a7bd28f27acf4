'use strict';
// The language model tools an agent in VS Code calls, invoked through the VS Code API
// (`vscode.lm.invokeTool`) as an agent's request would be: hotpath_profile runs the file or test
// like the commands do and answers with the profile as text; hotpath_readProfile reads the last
// or a saved profile and runs nothing. VS Code asks the user to confirm hotpath_profile first (the
// message is unit-tested, test/unit/agentTools.test.ts); in extension tests VS Code's dialog
// service accepts every confirmation itself, so these tests run as if the user said yes. The
// refusal in an untrusted workspace is in trust.test.js.
const assert = require('node:assert/strict');
const path = require('node:path');
const { before, describe, it } = require('mocha');
const vscode = require('vscode');
const { statSync } = require('node:fs');
const { activateHotpath, lineOf, openFile, savedProfiles, screenshot, workspaceDir } = require('./helpers');

const PROFILE = 'hotpath_profile';
const READ = 'hotpath_readProfile';

function invoke(name, input) {
  return vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
}

function text(result) {
  return result.content.map((part) => part.value).join('');
}

describe('language model tools', () => {
  let api;
  let firstProfile;

  before(async () => {
    api = await activateHotpath();
  });

  it('are declared and registered, with their input schemas', () => {
    const tools = new Map(vscode.lm.tools.map((tool) => [tool.name, tool]));
    for (const name of [PROFILE, READ]) assert.ok(tools.has(name), `${name} is not registered`);
    assert.deepEqual(tools.get(PROFILE).inputSchema.required, ['file']);
    assert.match(tools.get(PROFILE).description, /confirms first/);
  });

  it('profile: after the user confirms, runs the file and answers with hot lines, functions and paths', async () => {
    const before = savedProfiles().length;
    const answer = text(await invoke(PROFILE, { file: 'primes.py', lines: 5 }));
    assert.ok(answer.length <= 12_000, `${answer.length} characters`);
    assert.match(answer, /^Command: .*primes\.py/);
    const primes = await openFile('primes.py');
    const hot = lineOf(primes.document, 'if n % divisor == 0') + 1;
    // The hot line first, with its code.
    const hotLines = answer.split('\n').filter((line) => /^ {2}primes\.py:\d+ /.test(line));
    assert.ok(hotLines.length > 0 && hotLines.length <= 5, answer);
    assert.match(hotLines[0], new RegExp(`^  primes\\.py:${hot} .*%.*\\| if n % divisor == 0:`));
    assert.match(answer, /is_prime {2}primes\.py:\d+ /);
    assert.match(answer, /Hottest call paths[^]*is_prime \(primes\.py:\d+\)/);
    // Like the command: saved, and painted on the code.
    assert.equal(savedProfiles().length, before + 1);
    firstProfile = /^Saved profile: (.+)$/m.exec(answer)[1];
    assert.ok(api.annotations(primes.uri).some((line) => line.line === hot));
  });

  it('what an agent reads, beside the code the same run painted (screenshot agent-tools)', async () => {
    const answer = text(await invoke(READ, { lines: 5, functions: 3, paths: 2 }));
    assert.match(answer, /^Command: .*primes\.py/);
    const primes = await openFile('primes.py');
    const hot = lineOf(primes.document, 'if n % divisor == 0');
    primes.editor.revealRange(new vscode.Range(hot, 0, hot, 0), vscode.TextEditorRevealType.InCenter);
    assert.ok(api.annotations(primes.uri).some((line) => line.line === hot + 1));
    const reply = await vscode.workspace.openTextDocument({ content: answer, language: 'plaintext' });
    await vscode.window.showTextDocument(reply, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    await vscode.commands.executeCommand('editor.action.toggleWordWrap');
    try {
      const file = await screenshot('agent-tools');
      assert.ok(statSync(file).size > 10_000, `${file} is too small to show the workbench`);
    } finally {
      // An untitled editor left dirty would make later tests' "close all" ask to save it.
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('profile: a test of a file, and whether it passed', async () => {
    const answer = text(
      await invoke(PROFILE, { file: 'test_primes_unittest.py', test: 'AgreementCase::test_agree' }),
    );
    assert.match(
      answer,
      /^Ran the test AgreementCase::test_agree\.\nThe tests passed\.\nCommand: .* -m unittest test_primes_unittest\.AgreementCase\.test_agree/,
    );
    assert.match(answer, /test_primes_unittest\.py:\d+ /);
  });

  it('profile: bad input says what is wrong', async () => {
    await assert.rejects(invoke(PROFILE, { file: 'README.md' }), /not a Python \(\.py\) file/);
    await assert.rejects(
      invoke(PROFILE, { file: 'test_primes_unittest.py', test: 'test_nothing' }),
      /has no test test_nothing.*AgreementCase::test_agree/,
    );
  });

  it('readProfile: the profile shown now, or a saved one limited to one file', async () => {
    const last = text(await invoke(READ, {}));
    assert.match(last, /-m unittest test_primes_unittest/);
    const saved = text(
      await invoke(READ, {
        profile: path.relative(workspaceDir(), firstProfile),
        file: 'primes.py',
        lines: 2,
      }),
    );
    assert.match(saved, /^Command: .*primes\.py/);
    assert.match(saved, /Only primes\.py is listed\./);
    assert.equal(saved.split('\n').filter((line) => /^ {2}primes\.py:\d+ /.test(line)).length, 2);
    await assert.rejects(
      invoke(READ, { profile: 'missing.hotpath.json' }),
      /Cannot read missing\.hotpath\.json/,
    );
  });
});
