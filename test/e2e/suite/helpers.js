// Helpers for the extension-host tests: they run inside VS Code's extension host with the
// installed Hotpath extension and drive it the way a user's actions would (commands on an open
// editor), then check state VS Code exposes: code lenses, hovers, saved profile files.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vscode = require('vscode');
const { log } = require('./lineReporter');

const EXTENSION_ID = 'hotpath.hotpath';

function workspaceDir() {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  if (!folder) throw new Error('The extension-host tests need a workspace folder (the examples copy).');
  return folder.uri.fsPath;
}

/** Activates the extension and returns whatever activate() exported. */
async function activateHotpath() {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this VS Code.`);
  return extension.activate();
}

/** The extension's package.json, as installed (what ships). */
function manifest() {
  return vscode.extensions.getExtension(EXTENSION_ID).packageJSON;
}

/**
 * Polls `check` until it returns a truthy value or `timeoutMs` passes. This waits on a
 * condition in another process (the profiled program, the extension's run); it is not a sleep.
 */
async function waitFor(check, { timeoutMs = 30_000, intervalMs = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * A picture of the workbench as it is now, NAME.png in the e2e artifacts (the launcher takes it:
 * the page is out of this API's reach). Resolves with the file once it is written.
 */
async function screenshot(name) {
  const answer = path.join(os.tmpdir(), `hotpath-e2e-screenshot-${name}-${process.pid}.json`);
  rmSync(answer, { force: true });
  log(`  screenshot ${name} ${answer}`);
  const taken = await waitFor(() => existsSync(answer) && JSON.parse(readFileSync(answer, 'utf8')), {
    what: `the launcher to take the screenshot ${name}`,
    timeoutMs: 30_000,
  });
  rmSync(answer, { force: true });
  if (taken.error) throw new Error(`screenshot ${name}: ${taken.error}`);
  return taken.file;
}

async function openFile(relativePath) {
  const uri = vscode.Uri.file(path.join(workspaceDir(), relativePath));
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  return { uri, document, editor };
}

/** 0-based line of the first line containing `text` (throws if none: the example changed). */
function lineOf(document, text) {
  for (let line = 0; line < document.lineCount; line++) {
    if (document.lineAt(line).text.includes(text)) return line;
  }
  throw new Error(`No line contains ${JSON.stringify(text)} in ${document.uri.fsPath}.`);
}

function profilesDir() {
  return path.join(workspaceDir(), '.hotpath');
}

/** Saved profiles in the workspace's .hotpath/, oldest first. */
function savedProfiles() {
  const dir = profilesDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.hotpath.json'))
    .sort()
    .map((name) => path.join(dir, name));
}

function readProfile(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Runs Hotpath: Profile Current File on the active editor and waits for the run to be saved.
 * @returns {Promise<string>} the new profile file
 */
async function profileActiveFile({ timeoutMs = 60_000 } = {}) {
  const before = new Set(savedProfiles());
  await vscode.commands.executeCommand('hotpath.profileFile');
  return waitFor(() => savedProfiles().find((file) => !before.has(file)), {
    timeoutMs,
    what: 'a saved profile in .hotpath/',
  });
}

async function codeLenses(uri) {
  return (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri, 100)) || [];
}

/** Hotpath's code lenses: those whose command belongs to the extension. */
async function hotpathLenses(uri) {
  const lenses = await codeLenses(uri);
  return lenses.filter((lens) => lens.command && /^hotpath\./.test(lens.command.command));
}

/** Hotpath's code lenses once the profile's lenses are there (waits up to 10 s). */
async function awaitHotpathLenses(uri) {
  return waitFor(
    async () => {
      const found = await hotpathLenses(uri);
      return found.length > 0 && found;
    },
    { what: 'Hotpath code lenses', timeoutMs: 10_000 },
  );
}

/** Plain text of every hover at a position. */
async function hoverText(uri, line, character = 4) {
  const hovers =
    (await vscode.commands.executeCommand(
      'vscode.executeHoverProvider',
      uri,
      new vscode.Position(line, character),
    )) || [];
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

/** A time as Hotpath formats it: "12 ms", "1.23 s", "850 µs". */
const TIME_PATTERN = /\d+(\.\d+)?\s?(µs|ms|s)\b/;

/** The interpreter `python3` resolves to on PATH, and its version. */
function defaultPython() {
  try {
    const out = execFileSync(
      'python3',
      ['-c', 'import sys; print(sys.executable); print(sys.version.split()[0])'],
      {
        encoding: 'utf8',
      },
    );
    const [executable, version] = out.trim().split('\n');
    return { executable, version };
  } catch {
    return undefined;
  }
}

/** Installed pyenv interpreters Hotpath supports (CPython 3.8–3.13): [{ path, version }]. */
function pyenvPythons() {
  const root = process.env.PYENV_ROOT || path.join(os.homedir(), '.pyenv');
  const versions = path.join(root, 'versions');
  if (!existsSync(versions)) return [];
  return readdirSync(versions)
    .filter((version) => /^3\.(8|9|1[0-3])\.\d+$/.test(version))
    .map((version) => ({ version, path: path.join(versions, version, 'bin', 'python3') }))
    .filter((python) => existsSync(python.path));
}

/**
 * CPython 3.14 and 3.15 from scripts/install-cpython.sh (the paths scripts/cpythonCache.ts gives),
 * Debian's static build and the shared-libpython launcher of each: [{ label, path, missing }],
 * `missing` saying why one cannot be used here.
 */
function currentPythons() {
  const cache = path.resolve(
    process.env.HOTPATH_PYTHON_CACHE || path.join(os.homedir(), '.cache', 'hotpath', 'cpython'),
  );
  return ['3.14', '3.15'].flatMap((minor) =>
    [
      ['static', path.join(cache, 'debian', 'usr', 'bin', `python${minor}`)],
      ['shared', path.join(cache, 'shared', 'bin', `python${minor}`)],
    ].map(([layout, file]) => ({
      label: `${minor} (${layout})`,
      minor,
      path: file,
      missing: existsSync(file) ? null : `${file} is not installed (run scripts/install-cpython.sh)`,
    })),
  );
}

module.exports = {
  EXTENSION_ID,
  TIME_PATTERN,
  activateHotpath,
  awaitHotpathLenses,
  codeLenses,
  currentPythons,
  defaultPython,
  hotpathLenses,
  hoverText,
  lineOf,
  manifest,
  openFile,
  profileActiveFile,
  profilesDir,
  pyenvPythons,
  readProfile,
  savedProfiles,
  screenshot,
  waitFor,
  workspaceDir,
};
