// `npm run test:electron`: the same extension-host suite (test/e2e/suite/) in desktop VS Code
// through @vscode/test-electron, on the oldest VS Code the manifest accepts and on the current
// stable one. It downloads VS Code from Microsoft, so it is for machines with internet; CI here
// runs the suite in code-server instead (`npm run test:e2e`). One suite, two hosts.
//
// Like the code-server run, it tests what ships: the VSIX is installed into a fresh extensions
// folder and that installed copy is the extension under test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  downloadAndUnzipVSCode,
  resolveCliArgsFromVSCodeExecutablePath,
  runTests,
} from '@vscode/test-electron';
import { packageExtension } from '../../scripts/package.mjs';
import { makeWorkspace, ROOT } from './lib/workspace.mjs';

const SUITE_INDEX = path.join(ROOT, 'test', 'e2e', 'suite', 'index.js');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const minimum = manifest.engines.vscode.replace(/^[\^~>=]+/, '');
const versions = process.argv.slice(2).length ? process.argv.slice(2) : [minimum, 'stable'];

async function runOn(version, vsix) {
  const vscodeExecutablePath = await downloadAndUnzipVSCode(version);
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
  const state = mkdtempSync(path.join(tmpdir(), `hotpath-electron-${version}-`));
  const extensionsDir = path.join(state, 'extensions');
  const userDataDir = path.join(state, 'user-data');
  const workspace = makeWorkspace({ fixtures: true });
  try {
    const install = spawnSync(
      cli,
      [...cliArgs, '--extensions-dir', extensionsDir, '--install-extension', vsix],
      { encoding: 'utf8', stdio: 'inherit' },
    );
    if (install.status !== 0) throw new Error(`installing ${vsix} into VS Code ${version} failed`);
    const installed = readdirSync(extensionsDir).find((name) => name.startsWith('hotpath.hotpath-'));
    if (!installed) throw new Error(`the VSIX did not install into ${extensionsDir}`);
    return await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: path.join(extensionsDir, installed),
      extensionTestsPath: SUITE_INDEX,
      launchArgs: [
        workspace.dir,
        '--extensions-dir',
        extensionsDir,
        '--user-data-dir',
        userDataDir,
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } finally {
    workspace.remove();
    rmSync(state, { recursive: true, force: true });
  }
}

const vsix = await packageExtension();
let failed = 0;
for (const version of versions) {
  process.stdout.write(`\n── extension host in VS Code ${version} ──\n`);
  try {
    const code = await runOn(version, vsix);
    if (code !== 0) failed += 1;
  } catch (error) {
    failed += 1;
    process.stderr.write(`VS Code ${version}: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
