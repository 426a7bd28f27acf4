// A throw-away copy of the example workspace for one suite, so runs never write profiles into
// the repository and each suite starts without saved profiles.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');
const FIXTURES = path.join(ROOT, 'test', 'e2e', 'fixtures');

/**
 * @param {{ fixtures?: boolean }} [options] fixtures: also copy test/e2e/fixtures/* in.
 * @returns {{ dir: string, remove(): void }}
 */
export function makeWorkspace(options = {}) {
  const parent = mkdtempSync(path.join(tmpdir(), 'hotpath-workspace-'));
  const dir = path.join(parent, 'examples');
  cpSync(EXAMPLES, dir, {
    recursive: true,
    filter: (source) => !/(^|\/)(\.hotpath|__pycache__)(\/|$)/.test(path.relative(EXAMPLES, source)),
  });
  if (options.fixtures) cpSync(FIXTURES, dir, { recursive: true });
  return { dir, remove: () => rmSync(parent, { recursive: true, force: true }) };
}
