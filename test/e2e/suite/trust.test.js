'use strict';
// Workspace Trust: profiling runs the workspace's code, so nothing may run in an untrusted
// workspace, whichever way the command is invoked (`enablement` only greys out menus and the
// palette; executeCommand and keybinding arguments bypass it, so the code checks too). Saved
// profiles are data and still open.
//
// The declaration is checked in every run. The behaviour needs a workspace that is really
// untrusted, which only the `trust` e2e step provides (code-server with Workspace Trust on and a
// fresh profile); it sets HOTPATH_E2E_UNTRUSTED=1 and checks the error notifications it shows.
const assert = require('node:assert/strict');
const { existsSync, readdirSync, readFileSync, mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { after, before, describe, it } = require('mocha');
const vscode = require('vscode');
const {
  activateHotpath,
  hotpathLenses,
  manifest,
  openFile,
  savedProfiles,
  waitFor,
  workspaceDir,
} = require('./helpers');
const { log } = require('./lineReporter');

const UNTRUSTED_STEP = process.env.HOTPATH_E2E_UNTRUSTED === '1';
const RUN_COMMANDS = [
  'hotpath.profileFile',
  'hotpath.profileFileWithArgs',
  'hotpath.attach',
  'hotpath.showStacks',
];

/** Pids of live processes whose command line mentions `needle` (this user's /proc). */
function processesMentioning(needle) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) found.push(Number(entry));
    } catch {
      // Exited while listing.
    }
  }
  return found;
}

/**
 * A minimal valid saved profile of examples/primes.py: <module> → is_prime, 30 samples. Written
 * here because nothing can be profiled in an untrusted workspace to make one.
 */
function writeSavedProfile(document, lineOfText) {
  const file = document.uri.fsPath;
  const isPrime = lineOfText('def is_prime') + 1;
  const hot = lineOfText('if n % divisor == 0') + 1;
  const profile = {
    format: 'hotpath-profile',
    version: 1,
    meta: {
      startedAt: Date.now(),
      durationUs: 30_000,
      intervalUs: 1000,
      pid: 1,
      argv: ['python3', file],
      pythonPath: '/usr/bin/python3',
      pythonVersion: '3.11.2',
      exitCode: 0,
      exitSignal: null,
      cwd: path.dirname(file),
    },
    stats: {
      ticks: 30,
      samples: 30,
      lateTicks: 0,
      droppedSamples: 0,
      meanTickCostUs: 10,
      maxDepth: 2,
      truncatedStacks: 0,
    },
    threads: [{ tid: 1, ident: '1', name: 'MainThread', isMain: true }],
    strings: [file, '<module>', 'is_prime'],
    frames: { file: [0, 0], name: [1, 2], line: [1, hot], firstLine: [1, isPrime] },
    stacks: { parent: [-1, 0], frame: [0, 1] },
    samples: {
      timeDeltaNs: Array.from({ length: 30 }, (_, i) => (i === 0 ? 0 : 1_000_000)),
      thread: Array(30).fill(0),
      stack: Array(30).fill(1),
      onCpu: Array(30).fill(1),
    },
  };
  const dir = path.join(workspaceDir(), 'saved-elsewhere');
  mkdirSync(dir, { recursive: true });
  const target = path.join(dir, 'primes.hotpath.json');
  writeFileSync(target, JSON.stringify(profile));
  return target;
}

describe('Workspace Trust', () => {
  it('is declared: limited support, run settings restricted, run commands shown to explain', () => {
    const pkg = manifest();
    const untrusted = pkg.capabilities && pkg.capabilities.untrustedWorkspaces;
    assert.equal(untrusted && untrusted.supported, 'limited');
    for (const setting of ['hotpath.pythonPath', 'hotpath.args', 'hotpath.cwd', 'hotpath.env']) {
      assert.ok(untrusted.restrictedConfigurations.includes(setting), `${setting} is not restricted`);
    }
    // A button that vanishes explains nothing: the commands stay, and refuse with HOTPATH_UNTRUSTED.
    const menus = Object.values(pkg.contributes.menus).flat();
    for (const id of RUN_COMMANDS) {
      const command = pkg.contributes.commands.find((c) => c.command === id);
      assert.doesNotMatch(command.enablement || '', /isWorkspaceTrusted/, `${id} is hidden without trust`);
      for (const item of menus.filter((m) => m.command === id)) {
        assert.doesNotMatch(
          item.when || '',
          /isWorkspaceTrusted/,
          `${id} is hidden from a menu without trust`,
        );
      }
    }
  });
});

describe('in an untrusted workspace', function () {
  let api;
  let opened;
  let lineOfText;

  before(async function () {
    if (!UNTRUSTED_STEP) {
      log('  (needs an untrusted workspace: runs in the `trust` e2e step)');
      this.skip();
    }
    api = await activateHotpath();
    opened = await openFile('primes.py');
    lineOfText = (text) => {
      for (let line = 0; line < opened.document.lineCount; line++) {
        if (opened.document.lineAt(line).text.includes(text)) return line;
      }
      throw new Error(`primes.py has no line containing ${JSON.stringify(text)}`);
    };
  });

  after(async () => {
    // The launcher reads the refusals from the notification list once the suite ends.
    if (UNTRUSTED_STEP) await vscode.commands.executeCommand('notifications.showList');
  });

  it('is untrusted (else this step tests nothing)', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('Profile Current File (and with arguments) runs nothing and saves nothing', async () => {
    const script = opened.uri.fsPath;
    const profilesBefore = savedProfiles().length;
    await vscode.commands.executeCommand('hotpath.profileFile', opened.uri);
    await vscode.commands.executeCommand('hotpath.profileFileWithArgs', opened.uri, ['--given', 'args']);
    assert.equal(api.running, false, 'a run started');
    assert.deepEqual(processesMentioning(script), [], 'a process runs the script');
    assert.equal(
      vscode.window.terminals.filter((t) => t.name.startsWith('Hotpath')).length,
      0,
      'a Hotpath terminal was opened',
    );
    assert.equal(savedProfiles().length, profilesBefore, 'a profile was saved');
    assert.equal(api.annotations(opened.uri), undefined, 'annotations were painted');
  });

  it("the agent's profile tool runs nothing and says why; reading a profile still works", async () => {
    const script = opened.uri.fsPath;
    const profilesBefore = savedProfiles().length;
    await assert.rejects(
      vscode.lm.invokeTool('hotpath_profile', { input: { file: script }, toolInvocationToken: undefined }),
      /untrusted workspace.*\[HOTPATH_UNTRUSTED\]/,
    );
    assert.equal(api.running, false, 'a run started');
    assert.deepEqual(processesMentioning(script), [], 'a process runs the script');
    assert.equal(savedProfiles().length, profilesBefore, 'a profile was saved');
    // Reading runs nothing: a saved profile is data.
    const saved = writeSavedProfile(opened.document, lineOfText);
    const result = await vscode.lm.invokeTool('hotpath_readProfile', {
      input: { profile: saved },
      toolInvocationToken: undefined,
    });
    assert.match(result.content.map((part) => part.value).join(''), /primes\.py:\d+ /);
  });

  it('Attach reads no process', async () => {
    await vscode.commands.executeCommand('hotpath.attach', { pid: process.pid, durationS: 1 });
    assert.equal(api.running, false, 'an attach run started');
  });

  it('Show Current Stacks reads no process', async () => {
    await vscode.commands.executeCommand('hotpath.showStacks', { pid: process.pid });
    assert.equal(api.stacks(), undefined, 'stacks were read');
  });

  it('Open Profile still shows a saved profile', async () => {
    const saved = writeSavedProfile(opened.document, lineOfText);
    await vscode.commands.executeCommand('hotpath.openProfile', vscode.Uri.file(saved));
    const shown = await waitFor(() => api.annotations(opened.uri), {
      what: 'annotations from the opened profile',
      timeoutMs: 10_000,
    });
    const hot = lineOfText('if n % divisor == 0') + 1;
    assert.ok(
      shown.some((line) => line.line === hot),
      `no annotation on line ${hot}: ${JSON.stringify(shown)}`,
    );
    await waitFor(async () => (await hotpathLenses(opened.uri)).length > 0, {
      what: 'code lenses of the opened profile',
      timeoutMs: 10_000,
    });
    // The panel page is in the workbench, out of this API's reach: the launcher reads it.
    const answer = path.join(workspaceDir(), 'saved-elsewhere', 'panel-check.json');
    log(`  panel-check ${answer}`);
    const panel = await waitFor(() => existsSync(answer) && JSON.parse(readFileSync(answer, 'utf8')), {
      what: 'the launcher to read the panel page',
      timeoutMs: 30_000,
    });
    assert.ok(panel.ok, panel.message);
  });
});
