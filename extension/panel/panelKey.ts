/**
 * Which panel shows a profile: one panel per profiled program, so that a
 * re-run of a script replaces its panel instead of adding a second one with
 * the same title. No `vscode` import (unit-tested).
 */
import * as path from 'node:path';

/**
 * The script's absolute path (`python app.py`, resolved against the run's
 * working directory), the module for `python -m pkg`, or — for what has no
 * script (an attached process, `python -c`) — the profile's own id.
 */
export function panelKey(meta: { argv: readonly string[]; cwd: string }, profileId: string): string {
  const { argv, cwd } = meta;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-m' && i + 1 < argv.length) return `module:${path.resolve(cwd || '/')}:${argv[i + 1]}`;
    if (arg === '-c') break;
    if (/\.pyw?$/i.test(arg)) return `script:${path.resolve(cwd || '/', arg)}`;
  }
  return `profile:${profileId}`;
}
