// `npm run package`: the platform VSIXes users install, hotpath-<target>-<version>.vsix at the
// repository root, one per target: linux-x64 (this machine's addon) and linux-arm64 (the addon
// cross-built by scripts/build-native-cross.mjs). Production bundles (minified, no source maps
// shipped) plus the prebuilt native addon; .vscodeignore is the whitelist of what goes in. Every
// VSIX holds its addon at build/Release/hotpath.node, where extension/native/loadNative.ts looks:
// the marketplace installs the VSIX whose target matches the machine, so the path needs no
// architecture in it.
//
// The host's VSIX is packaged from the repository itself. Another target's is packaged from
// build-cross/<target>/vsix/, a copy of exactly the files vsce lists for the host (so the
// whitelist is the one .vscodeignore) with that target's addon in place of the host's.
//
// Runs offline: dependencies are bundled by esbuild (so vsce does not walk node_modules), and
// the manifest has no repository, so vsce is told not to look for one nor to rewrite README
// links against one.
//
// Usage: node scripts/package.mjs [--skip-build] [--target linux-x64|linux-arm64]
//   --skip-build  package the dist/ and build/Release/ that are already there
//   --target      package only this target (default: all of them)
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCrossAddon, CROSS_TARGETS } from './build-native-cross.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The VSIX target of the addon `npm install` builds on this machine. */
export const TARGET = 'linux-x64';
/** Every target `npm run package` produces. */
export const TARGETS = [TARGET, ...Object.keys(CROSS_TARGETS)];
const ADDON_PATH = path.join('build', 'Release', 'hotpath.node');
const ADDON = path.join(ROOT, ADDON_PATH);
const ENTRY = path.join(ROOT, 'dist', 'extension.js');
const VSCE = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

/** Absolute path of the VSIX `npm run package` writes for `target` and the package.json version. */
export function vsixPath(target = TARGET) {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return path.join(ROOT, `${manifest.name}-${target}-${manifest.version}.vsix`);
}

function run(cmd, args, cwd = ROOT, capture = false) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`E_PACKAGE: \`${cmd} ${args.join(' ')}\` exited with ${code}.`)),
    );
  });
}

/**
 * A copy of the files vsce packages for the host in build-cross/<target>/vsix/, with `addon` as
 * build/Release/hotpath.node; resolves with that folder.
 */
async function stageTarget(target, addon) {
  const listed = await run(process.execPath, [VSCE, 'ls', '--no-dependencies'], ROOT, true);
  const files = listed.split('\n').filter((line) => line.trim() !== '');
  if (!files.includes(ADDON_PATH)) {
    throw new Error(`E_PACKAGE: .vscodeignore does not let ${ADDON_PATH} into the VSIX.`);
  }
  const stage = path.join(ROOT, 'build-cross', target, 'vsix');
  rmSync(stage, { recursive: true, force: true });
  for (const file of [...files, '.vscodeignore']) {
    mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
    cpSync(file === ADDON_PATH ? addon : path.join(ROOT, file), path.join(stage, file));
  }
  return stage;
}

/**
 * Builds (unless skipBuild) and packages the VSIX for `target` (default: this machine's);
 * resolves with its path.
 * @param {{ skipBuild?: boolean, target?: string }} [options]
 */
export async function packageExtension(options = {}) {
  const target = options.target ?? TARGET;
  if (!TARGETS.includes(target)) {
    throw new Error(`E_PACKAGE: unknown target ${target}; known: ${TARGETS.join(', ')}.`);
  }
  if (!options.skipBuild) {
    await run(process.execPath, ['scripts/build.mjs', '--production']);
  }
  // The host's addon is built by `npm install` (or `npm run build:native`), not here: a second
  // node-gyp run in build/ started while one is under way would break both. A cross target's
  // builds in build-cross/<target>/, which nothing else touches.
  for (const [file, fix] of [
    [ENTRY, 'run `npm run build`'],
    [ADDON, 'run `npm run build:native` (or wait for the build under way to finish)'],
  ]) {
    if (!existsSync(file)) {
      throw new Error(`E_PACKAGE: ${path.relative(ROOT, file)} is missing; ${fix} first.`);
    }
  }
  const cwd = target === TARGET ? ROOT : await stageTarget(target, buildCrossAddon(target));
  const out = vsixPath(target);
  const args = [
    VSCE,
    'package',
    '--target',
    target,
    '--no-dependencies',
    '--allow-missing-repository',
    // README links to docs/ stay relative: without a repository URL there is nothing to
    // rewrite them against, and vsce would otherwise refuse to package.
    '--no-rewrite-relative-links',
    '--out',
    out,
  ];
  await run(process.execPath, args, cwd);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const at = process.argv.indexOf('--target');
    const targets = at > 0 ? [process.argv[at + 1]] : TARGETS;
    let skipBuild = process.argv.includes('--skip-build');
    for (const target of targets) {
      const out = await packageExtension({ skipBuild, target });
      process.stdout.write(`${path.relative(process.cwd(), out)}\n`);
      skipBuild = true; // one production build serves every target
    }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
