// `npm install`'s native step: builds the addon with node-gyp unless
// build/Release/hotpath.node is newer than every native source. The check
// keeps repeated installs (and `npx hotpath`, which installs this package
// into npx's cache from this folder) from recompiling an up-to-date addon.
// `npm run build:native` always rebuilds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const addon = join(root, 'build', 'Release', 'hotpath.node');

function newestSource(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'tools') newest = Math.max(newest, newestSource(full));
    } else if (/\.(cc|h|c)$/.test(entry.name)) {
      newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

/** mtime (ms) of the newest native source or binding.gyp: an addon older than this is stale. */
export function newestNativeSource() {
  return Math.max(newestSource(join(root, 'native')), statSync(join(root, 'binding.gyp')).mtimeMs);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (existsSync(addon) && statSync(addon).mtimeMs > newestNativeSource()) {
    process.stdout.write('hotpath: native addon is up to date (npm run build:native rebuilds it)\n');
    process.exit(0);
  }
  const result = spawnSync('node-gyp', ['rebuild'], { cwd: root, stdio: 'inherit', shell: true });
  process.exit(result.status ?? 1);
}
