// Runs one of the panel-page scripts of this folder (TypeScript, so through tsx) for the ui e2e
// step: hostilePanel.ts (a profile of hostile strings), listRows.ts (the lists after filters) and
// processRows.ts (a program of several processes), taskRows.ts (asyncio task lanes), among others.
// Their output goes to the artifacts folder; a failed check fails the step with the FAIL lines
// (and the detail lines under them) as the message.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..', '..');
// Only reached when the browser hangs: the checks take a few seconds.
const TIMEOUT_MS = 3 * 60_000;

/**
 * @param {string} script file name in this folder, e.g. "hostilePanel.ts"
 * @param {string} artifacts folder for the screenshots and the log
 * @param {string} failure the error's first line: what the page got wrong
 */
export async function runHarnessScript(script, artifacts, failure) {
  mkdirSync(artifacts, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, script), '--out', artifacts], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  const code = await new Promise((resolve) =>
    child.on('close', (status, signal) => resolve(status ?? signal)),
  );
  clearTimeout(timer);
  writeFileSync(path.join(artifacts, `${path.basename(script, '.ts')}.log`), output);
  if (code !== 0) {
    const failed = output.split('\n').filter((line) => /^(FAIL|\s{7}\S)/.test(line));
    const detail = failed.length ? failed.join('\n') : output.trim().split('\n').slice(-5).join('\n');
    throw new Error(`${failure} (${code}):\n${detail}`);
  }
}
