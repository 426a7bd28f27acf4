// The native addon for another Linux architecture, built on this machine with Debian's cross
// compiler: build-cross/<target>/build/Release/hotpath.node. `npm run package` puts it into that
// target's VSIX; test/native/arm64Emulated.test.ts runs it under qemu-user.
//
// node-gyp runs in build-cross/<target>/, where binding.gyp and native/ are links to the
// repository's own: the one source list, flags and defines serve every architecture, and
// `npm run build:native` (which empties build/) never touches this build. Node's headers are the
// same for every architecture, so the ones node-gyp builds the host addon against serve here too.
// Skips the build when the addon is newer than every native source, like scripts/build-native.mjs.
//
// Usage: node scripts/build-native-cross.mjs [linux-arm64]
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestNativeSource } from './build-native.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The targets this script can build: the VSIX target name → node-gyp arch and the compilers. */
export const CROSS_TARGETS = {
  'linux-arm64': { arch: 'arm64', triplet: 'aarch64-linux-gnu', debianPackage: 'g++-aarch64-linux-gnu' },
};

/** Where the addon for `target` is built. */
export function crossAddonPath(target) {
  return path.join(ROOT, 'build-cross', target, 'build', 'Release', 'hotpath.node');
}

function fail(message) {
  throw new Error(`E_CROSS_BUILD: ${message}`);
}

function onPath(command) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}

/** node-gyp as npm runs it: npm's own copy when this script is not started by npm. */
function nodeGypScript() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  const bundled = path.join(
    path.dirname(process.execPath),
    '..',
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  );
  if (existsSync(bundled)) return bundled;
  fail('node-gyp was not found (it comes with npm); run this through `npm run package`.');
}

/** Node's headers: npm's nodedir setting, else the ones installed beside this node. */
function nodeHeaders() {
  const configured = process.env.npm_config_nodedir;
  if (configured) return configured;
  const beside = path.resolve(path.dirname(process.execPath), '..');
  if (existsSync(path.join(beside, 'include', 'node', 'node_api.h'))) return beside;
  fail(`Node's headers are not beside ${process.execPath}; set npm_config_nodedir to their prefix.`);
}

function link(target, at) {
  try {
    lstatSync(at);
  } catch {
    symlinkSync(target, at);
  }
}

/**
 * Builds the addon for `target` unless it is up to date; resolves with its path.
 * @param {string} target a key of CROSS_TARGETS
 */
export function buildCrossAddon(target) {
  const spec = CROSS_TARGETS[target];
  if (!spec) fail(`no cross build for ${target}; known: ${Object.keys(CROSS_TARGETS).join(', ')}.`);
  const addon = crossAddonPath(target);
  if (existsSync(addon) && lstatSync(addon).mtimeMs > newestNativeSource()) return addon;
  const cxx = `${spec.triplet}-g++`;
  if (!onPath(cxx)) {
    fail(`${cxx} is missing; install Debian's cross compiler: apt-get install ${spec.debianPackage}`);
  }
  const dir = path.join(ROOT, 'build-cross', target);
  mkdirSync(dir, { recursive: true });
  link(path.join('..', '..', 'binding.gyp'), path.join(dir, 'binding.gyp'));
  link(path.join('..', '..', 'native'), path.join(dir, 'native'));
  const result = spawnSync(
    process.execPath,
    [nodeGypScript(), 'rebuild', `--arch=${spec.arch}`, `--nodedir=${nodeHeaders()}`, '-j', '2'],
    {
      cwd: dir,
      stdio: 'inherit',
      env: {
        ...process.env,
        CC: `${spec.triplet}-gcc`,
        CXX: cxx,
        // node-gyp's make build links with these; the host's would reject aarch64 objects.
        LINK: cxx,
        AR: `${spec.triplet}-ar`,
      },
    },
  );
  if (result.status !== 0 || !existsSync(addon)) {
    fail(`node-gyp could not build the ${target} addon (exit ${result.status}); see its output above.`);
  }
  return addon;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    for (const target of process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(CROSS_TARGETS)) {
      process.stdout.write(`${path.relative(process.cwd(), buildCrossAddon(target))}\n`);
    }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
