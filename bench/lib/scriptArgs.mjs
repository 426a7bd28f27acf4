// What the stand-alone bench scripts (bench/*.mjs) share: the built addon, and `--name VALUE`
// options from their command line.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/, where the scripts and their workloads are. */
export const benchDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The addon as `npm run build:native` leaves it. */
export const native = createRequire(import.meta.url)(
  path.join(benchDir, '..', 'build', 'Release', 'hotpath.node'),
);

/** The value given after `--name`, or `fallback`. */
export function arg(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}
