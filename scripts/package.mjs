// `npm run package`: the platform VSIX users install, hotpath-linux-x64-<version>.vsix at the
// repository root. Production bundles (minified, no source maps shipped) plus the prebuilt
// native addon; .vscodeignore is the whitelist of what goes in.
//
// Runs offline: dependencies are bundled by esbuild (so vsce does not walk node_modules), and
// the manifest has no repository, so vsce is told not to look for one nor to rewrite README
// links against one.
//
// Usage: node scripts/package.mjs [--skip-build]
//   --skip-build  package the dist/ and build/Release/ that are already there
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TARGET = 'linux-x64';
const ADDON = path.join(ROOT, 'build', 'Release', 'hotpath.node');
const ENTRY = path.join(ROOT, 'dist', 'extension.js');

/** Absolute path of the VSIX `npm run package` writes for the current package.json version. */
export function vsixPath() {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return path.join(ROOT, `${manifest.name}-${TARGET}-${manifest.version}.vsix`);
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`E_PACKAGE: \`${cmd} ${args.join(' ')}\` exited with ${code}.`)),
    );
  });
}

/**
 * Builds (unless skipBuild) and packages the VSIX; resolves with its path.
 * @param {{ skipBuild?: boolean }} [options]
 */
export async function packageExtension(options = {}) {
  if (!options.skipBuild) {
    await run(process.execPath, ['scripts/build.mjs', '--production']);
  }
  // The addon is built by `npm install` (or `npm run build:native`), not here: a second
  // node-gyp run started while one is under way would break both.
  for (const [file, fix] of [
    [ENTRY, 'run `npm run build`'],
    [ADDON, 'run `npm run build:native` (or wait for the build under way to finish)'],
  ]) {
    if (!existsSync(file)) {
      throw new Error(`E_PACKAGE: ${path.relative(ROOT, file)} is missing; ${fix} first.`);
    }
  }
  const out = vsixPath();
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  await run(process.execPath, [
    vsce,
    'package',
    '--target',
    TARGET,
    '--no-dependencies',
    '--allow-missing-repository',
    // README links to docs/ stay relative: without a repository URL there is nothing to
    // rewrite them against, and vsce would otherwise refuse to package.
    '--no-rewrite-relative-links',
    '--out',
    out,
  ]);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const out = await packageExtension({ skipBuild: process.argv.includes('--skip-build') });
    process.stdout.write(`${path.relative(process.cwd(), out)}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
