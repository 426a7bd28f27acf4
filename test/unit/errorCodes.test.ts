import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ERROR_CODES, type ErrorCode } from '../../extension/errors/errorCodes';

const ROOT = path.resolve(__dirname, '../..');
const TABLE = path.join('extension', 'errors', 'errorCodes.ts');
const ALL = Object.keys(ERROR_CODES) as ErrorCode[];

function filesUnder(dir: string, extensions: string[]): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => extensions.some((ext) => name.endsWith(ext)))
    .map((name) => path.join(dir, name));
}

/** Every code written in a source file, with where: codes in messages count as much as types. */
function codesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of filesUnder('extension', ['.ts'])) {
    if (file === TABLE) continue;
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    // `env.HOTPATH_DEBUG` is a variable, `EXIT_HOTPATH_ERROR` an exit status: not codes.
    for (const m of text.matchAll(/(?<![\w.])HOTPATH_[A-Z_]*[A-Z]/g)) found.set(m[0], file);
  }
  for (const file of filesUnder('native', ['.cc', '.h'])) {
    // C++ macros share the prefix; a code is a string the addon puts on an error.
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/"(HOTPATH_[A-Z_]*[A-Z])"/g)) found.set(m[1], file);
  }
  return found;
}

describe('error codes: one table', () => {
  it('names the C++ error codes exactly as the native entries of the table', () => {
    const source = readFileSync(path.join(ROOT, 'native/os/error.cc'), 'utf8');
    const named = new Set([...source.matchAll(/return "(HOTPATH_[A-Z_]+)"/g)].map((m) => m[1]));
    const native = ALL.filter((code) => ERROR_CODES[code].from === 'native');
    assert.deepEqual([...named].sort(), [...native].sort());
    const header = readFileSync(path.join(ROOT, 'native/os/error.h'), 'utf8');
    const enumerated = [...header.matchAll(/^\s+\w+,\s+\/\/ (HOTPATH_[A-Z_]+)$/gm)].map((m) => m[1]);
    assert.deepEqual([...enumerated].sort(), [...native].sort());
  });

  it('holds every code the extension or the addon writes, and no code nothing raises', () => {
    const used = codesInSources();
    const unknown = [...used].filter(([code]) => !(code in ERROR_CODES)).map(([c, f]) => `${c} in ${f}`);
    assert.deepEqual(unknown, [], 'codes missing from extension/errors/errorCodes.ts');
    const unused = ALL.filter((code) => !used.has(code));
    assert.deepEqual(unused, [], 'codes in the table that nothing raises');
  });

  it("is what the README's Troubleshooting table explains, code for code", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Troubleshooting'));
    const rows = section
      .slice(0, section.indexOf('\n## '))
      .split('\n')
      .filter((l) => l.startsWith('| `'));
    const explained = new Set<string>();
    for (const row of rows) {
      for (const [, code] of row.split('|')[1].matchAll(/`(HOTPATH_[A-Z_*]+)`/g)) {
        const matches = code.endsWith('*') ? ALL.filter((c) => c.startsWith(code.slice(0, -1))) : [code];
        assert.ok(matches.length > 0, `the README explains ${code}, which no error has`);
        for (const m of matches) explained.add(m);
      }
    }
    assert.deepEqual(
      ALL.filter((code) => !explained.has(code)),
      [],
      'codes the Troubleshooting table does not explain',
    );
    for (const code of explained) assert.ok(code in ERROR_CODES, `${code} is not in the table`);
  });
});
