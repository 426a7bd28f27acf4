/**
 * binding.gyp lists the addon's sources by name, per OS: a C++ file added to native/ (outside the
 * developer tools) without being listed there, or listed but gone, fails here rather than being
 * left out of the build (or compiled by accident) without a word.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function ccFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) {
      if (name !== 'tools') out.push(...ccFiles(path));
    } else if (name.endsWith('.cc')) {
      out.push(path);
    }
  }
  return out;
}

interface Gyp {
  targets: { sources: string[]; conditions: [string, { sources: string[] }][] }[];
}

describe('binding.gyp', () => {
  const gyp = JSON.parse(readFileSync(join(ROOT, 'binding.gyp'), 'utf8')) as Gyp;
  const [target] = gyp.targets;
  const linux = target.conditions.find(([when]) => when === "OS=='linux'")?.[1].sources ?? [];

  it('lists every C++ file of the addon once, OS-specific ones under their OS', () => {
    const listed = [...target.sources, ...linux].sort();
    assert.deepEqual(listed, ccFiles('native').sort());
    assert.equal(new Set(listed).size, listed.length, 'a file listed twice');
  });

  it('keeps Linux-only code out of the common list', () => {
    assert.ok(target.sources.every((file) => !file.startsWith('native/os/linux/')));
    assert.ok(linux.every((file) => file.startsWith('native/os/linux/')));
  });
});
