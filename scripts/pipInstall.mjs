// pip install for the test environments (scripts/pytest-venv.mjs, scripts/app-packages.mjs):
// quiet, and without retries, so that without a reachable index a test says so at once instead of
// after minutes.
import { spawnSync } from 'node:child_process';

/**
 * Runs `python -m pip install ARGS…`.
 * @param {string} python
 * @param {string[]} args what to install, and how
 * @returns {string | null} null on success, else pip's last line of complaint
 */
export function pipInstall(python, args) {
  const pip = spawnSync(
    python,
    ['-m', 'pip', 'install', '-q', '--retries', '0', '--disable-pip-version-check', ...args],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (pip.status === 0) return null;
  return (pip.stderr || pip.error?.message || `exit ${pip.status}`).trim().split('\n').pop() ?? '';
}
