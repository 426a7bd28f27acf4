// Runs node:test over every *.test.ts under the given folder (or one test file) with tsx.
// Node 20's --test takes no globs and only finds *.test.js by itself, so the
// file list is built here; the closing summary is node's own.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [dir, ...extra] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: node scripts/run-node-tests.mjs DIR|FILE [node --test options…]\n');
  process.exit(2);
}

function collect(folder) {
  const out = [];
  for (const name of readdirSync(folder).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(folder, name);
    if (statSync(full).isDirectory()) out.push(...collect(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const files = statSync(dir).isDirectory() ? collect(dir) : [dir];
if (files.length === 0) {
  process.stderr.write(`no *.test.ts files under ${dir}\n`);
  process.exit(1);
}
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...files],
  { stdio: 'inherit' },
);
child.on('close', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
