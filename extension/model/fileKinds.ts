/**
 * Decides whether a source file is the user's own code, a library, or part of
 * the interpreter's start-up machinery. Paths come from `co_filename`, so they
 * are whatever the interpreter recorded: absolute, relative, or a pseudo-name
 * such as `<frozen runpy>` or `<string>`.
 */

export type FileKind = 'user' | 'library' | 'startup';

/** Numeric codes for per-frame tables (a Uint8Array beats an array of strings). */
export const FILE_KIND_USER = 0;
export const FILE_KIND_LIBRARY = 1;
export const FILE_KIND_STARTUP = 2;

export const FILE_KIND_CODES: Record<FileKind, number> = {
  user: FILE_KIND_USER,
  library: FILE_KIND_LIBRARY,
  startup: FILE_KIND_STARTUP,
};

export interface ClassifyOptions {
  /** Extra directories whose files count as library code (e.g. the profiled interpreter's stdlib). */
  libraryDirs?: readonly string[];
  /** Extra files that bootstrap the program before the user's code runs. */
  startupFiles?: readonly string[];
}

/** Third-party packages, wherever the environment keeps them. */
const PACKAGES_DIR = /[\\/](site|dist)-packages[\\/]/;
/** The standard library: `…/lib/python3.12/…` (Unix) or `…\Lib\…` (Windows installs). */
const STDLIB_DIR = /[\\/]lib(64)?[\\/]python\d+(\.\d+)?t?[\\/]|[\\/]Lib[\\/]/;
/**
 * Frames that exist only to get `python script.py` or `python -m mod` to the user's code, and
 * `site`, which sets up the interpreter before it (and runs the `.pth` files of site-packages).
 */
const STARTUP_MODULE =
  /^<frozen (runpy|importlib\._bootstrap(_external)?|zipimport|site)>$|[\\/](runpy\.py|site\.py|importlib[\\/]_bootstrap(_external)?\.py)$/;

/**
 * The test runners' own machinery: pytest (with pluggy, its plugin calls) and unittest's loader,
 * runner and TestCase plumbing. A profiled test shows the test and the code under test; how the
 * runner got there is start-up, like `runpy` for a script.
 */
const TEST_RUNNER =
  /[\\/](_pytest|pluggy)[\\/]|[\\/](site|dist)-packages[\\/]pytest[\\/]|[\\/]unittest[\\/](__main__|main|runner|suite|loader|case|async_case|signals|result)\.py$/;

/** `site`, which runs before the program: what it runs (`.pth` files) is start-up work too. */
const SITE_MODULE = /^<frozen site>$|[\\/]site\.py$/;

export function isSiteFile(path: string): boolean {
  return SITE_MODULE.test(path);
}

export function classifyFile(path: string, options: ClassifyOptions = {}): FileKind {
  if (STARTUP_MODULE.test(path)) return 'startup';
  if (options.startupFiles?.includes(path)) return 'startup';
  if (TEST_RUNNER.test(path)) return 'startup';
  if (path.startsWith('<frozen ')) return 'library';
  if (PACKAGES_DIR.test(path) || STDLIB_DIR.test(path)) return 'library';
  if (options.libraryDirs?.some((dir) => isInside(path, dir))) return 'library';
  return 'user';
}

function isInside(path: string, dir: string): boolean {
  if (dir === '') return false;
  const withSep = dir.endsWith('/') || dir.endsWith('\\') ? dir : dir + '/';
  return path.startsWith(withSep);
}

/** A pseudo-file such as `<string>` (code given to exec), not a `<frozen …>` module. */
export function isPseudoFile(path: string): boolean {
  return path.startsWith('<') && path.endsWith('>') && !path.startsWith('<frozen ');
}
