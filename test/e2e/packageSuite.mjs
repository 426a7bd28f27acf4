// What the VSIX holds: the whitelist in .vscodeignore, checked on the built artifact. Catches a
// bundle or addon left out (the extension would not load) and sources, tests, node_modules or
// source maps let in (size, leaked paths).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listZipEntries } from './lib/vsixContents.mjs';
import { ROOT } from './lib/workspace.mjs';

const ALLOWED = [
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/,
  /^extension\/changelog\.md$/,
  /^extension\/LICENSE\.txt$/,
  /^extension\/dist\/[^/]+\.(js|css)$/,
  /^extension\/dist\/.+\.(ttf|woff2?|svg|png)$/,
  /^extension\/build\/Release\/hotpath\.node$/,
  /^extension\/media\/.+$/,
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
];

/**
 * @param {{ vsix: string, results: import('./lib/results.mjs').Results }} options
 */
export async function runPackageSuite({ vsix, results }) {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  let entries = [];

  await results.run('package: the VSIX is named for its platform and version', () => {
    const expected = `${manifest.name}-linux-x64-${manifest.version}.vsix`;
    if (path.basename(vsix) !== expected) throw new Error(`${path.basename(vsix)} is not ${expected}`);
    entries = listZipEntries(vsix);
  });

  await results.run('package: only whitelisted files ship', () => {
    const extra = entries.map((e) => e.name).filter((name) => !ALLOWED.some((re) => re.test(name)));
    if (extra.length) throw new Error(`not on the whitelist:\n  ${extra.join('\n  ')}`);
  });

  await results.run('package: the entry bundle, every built bundle and the native addon ship', () => {
    const names = new Set(entries.map((e) => e.name));
    const required = [
      `extension/${path.posix.normalize(manifest.main)}`,
      'extension/build/Release/hotpath.node',
      'extension/package.json',
      'extension/LICENSE.txt',
    ];
    const dist = path.join(ROOT, 'dist');
    if (existsSync(dist)) {
      for (const name of readdirSync(dist)) {
        if (!name.endsWith('.map')) required.push(`extension/dist/${name}`);
      }
    }
    const missing = required.filter((name) => !names.has(name));
    if (missing.length) throw new Error(`missing from the VSIX: ${missing.join(', ')}`);
    const addon = entries.find((e) => e.name === 'extension/build/Release/hotpath.node');
    if (addon.size < 1024) throw new Error(`the addon is only ${addon.size} bytes`);
  });

  await results.run('package: no source maps, sources, tests or node_modules', () => {
    const leaked = entries
      .map((e) => e.name)
      .filter((name) => /\.map$|\.ts$|\/node_modules\/|\/test\/|\/native\/|\/examples\//.test(name));
    if (leaked.length) throw new Error(`should not ship:\n  ${leaked.join('\n  ')}`);
  });
}
