// Packages the extension from the current dist/ into a VSIX at `out` (never the shared one in the
// repository), for scripts that start their own code-server: the panel checks, the editor
// latency benchmark.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './workspace.mjs';

/** @param {string} out the .vsix path to write; throws when vsce fails. */
export function packageVsix(out, { quiet = false } = {}) {
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const packaged = spawnSync(
    process.execPath,
    [
      vsce,
      'package',
      '--target',
      'linux-x64',
      '--no-dependencies',
      '--allow-missing-repository',
      // The README links to docs/ in the repository; there is no remote to point them at.
      '--no-rewrite-relative-links',
      '--out',
      out,
    ],
    { cwd: ROOT, stdio: quiet ? 'ignore' : 'inherit' },
  );
  if (packaged.status !== 0) {
    throw new Error('E_E2E_PACKAGE: vsce package failed (run `npm run build` first).');
  }
}
