/**
 * Loads the native addon (build/Release/hotpath.node) once. The path is found
 * relative to this code: bundled, it runs from dist/ (one level below the
 * package root); from sources under tsx it runs from extension/native/.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { NativeModule } from './nativeApi';

const ADDON = join('build', 'Release', 'hotpath.node');

/** Thrown when the addon cannot be loaded; the message says how to fix it. */
export class NativeLoadError extends Error {
  readonly code = 'HOTPATH_NATIVE_MISSING';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NativeLoadError';
  }
}

/** Where the addon may be, nearest package root first. */
export function addonCandidates(fromDir: string = __dirname): string[] {
  const candidates: string[] = [];
  let dir = resolve(fromDir);
  // dist/ → root is one up; extension/native/ → two up. Walk a few levels so
  // both layouts (and a test runner's) resolve without guessing which one ran.
  for (let i = 0; i < 4; i++) {
    candidates.push(join(dir, ADDON));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return candidates;
}

let cached: NativeModule | undefined;

/** The addon's module object; throws NativeLoadError with the fix when it is missing or broken. */
export function loadNative(): NativeModule {
  if (cached) return cached;
  const candidates = addonCandidates();
  const path = candidates.find((p) => existsSync(p));
  if (!path) {
    throw new NativeLoadError(
      `The Hotpath native sampler is not built (looked for ${candidates.join(', ')}). ` +
        'Run `npm install` in the extension folder, or `npm run build:native` after changing native code.',
    );
  }
  let loaded: NativeModule;
  try {
    // A computed require keeps esbuild from trying to bundle the binary.
    loaded = module.require(path) as NativeModule;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new NativeLoadError(
      `The Hotpath native sampler at ${path} could not be loaded: ${reason}. ` +
        'Rebuild it for this Node/Electron with `npm run build:native` (or reinstall the extension for this platform).',
      { cause: err },
    );
  }
  if (
    typeof loaded.Sampler !== 'function' ||
    typeof loaded.version !== 'string' ||
    typeof loaded.lastSignalOrigin !== 'function' ||
    typeof loaded.dumpStacks !== 'function'
  ) {
    throw new NativeLoadError(
      `${path} is not a compatible Hotpath native sampler (no Sampler class). Rebuild it with \`npm run build:native\`.`,
    );
  }
  cached = loaded;
  return loaded;
}
