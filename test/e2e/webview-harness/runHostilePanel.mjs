// Runs hostilePanel.ts (a TypeScript script, so through tsx) for the ui e2e step: the shipped
// panel page fed a profile of hostile strings. Its output goes to the artifacts folder; a failed
// check fails the step with the FAIL lines as the message.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..', '..');
const SCRIPT = path.join(HERE, 'hostilePanel.ts');
// Only reached when the browser hangs: the checks take a few seconds.
const TIMEOUT_MS = 3 * 60_000;

/** @param {string} artifacts folder for the screenshots and the log */
export async function runHostilePanel(artifacts) {
  mkdirSync(artifacts, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, '--out', artifacts], {
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
  writeFileSync(path.join(artifacts, 'hostile-panel.log'), output);
  if (code !== 0) {
    const failed = output.split('\n').filter((line) => line.startsWith('FAIL'));
    const detail = failed.length ? failed.join('\n') : output.trim().split('\n').slice(-5).join('\n');
    throw new Error(
      `E_E2E_HOSTILE_PANEL: the panel page failed with a hostile profile (${code}):\n${detail}`,
    );
  }
}
