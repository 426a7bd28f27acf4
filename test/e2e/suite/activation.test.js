'use strict';
const assert = require('node:assert/strict');
const { describe, it } = require('mocha');
const vscode = require('vscode');
const { activateHotpath, manifest } = require('./helpers');

describe('activation', () => {
  it('registers every command the manifest contributes', async () => {
    await activateHotpath();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest().contributes.commands.map((command) => command.command);
    assert.ok(contributed.length > 0, 'the manifest contributes no commands');
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('loads the native addon that ships in the VSIX', async () => {
    // The profile runs below need it too; this names the cause when it is missing.
    const extension = vscode.extensions.getExtension('hotpath.hotpath');
    const addon = require(`${extension.extensionPath}/build/Release/hotpath.node`);
    assert.equal(typeof addon, 'object');
    assert.ok(Object.keys(addon).length > 0, 'the addon exports nothing');
  });
});
