/**
 * Where scripts/install-cpython.sh puts the CPython 3.14 and 3.15 test interpreters: the one
 * place tests and the bench learn those paths. The script writes exactly these; change both
 * together.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `static`: libpython linked into the executable (Debian); `shared`: libpython3.X.so (pyenv). */
export type CpythonLayout = 'static' | 'shared';

export interface CachedCpython {
  /** "3.14". */
  minor: string;
  layout: CpythonLayout;
  /** Absolute path of the executable. */
  path: string;
}

/** The releases the install step fetches from Debian unstable. */
export const CACHED_CPYTHON_MINORS = ['3.14', '3.15'];

/** What to run when one is missing. */
export const CPYTHON_INSTALL_HINT = 'run scripts/install-cpython.sh';

/** `$HOTPATH_PYTHON_CACHE`, else ~/.cache/hotpath/cpython, as the install script reads it. */
export function cpythonCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.HOTPATH_PYTHON_CACHE || join(homedir(), '.cache', 'hotpath', 'cpython'));
}

/** Every interpreter the install step provides, per release static first, installed or not. */
export function cachedCpythons(dir = cpythonCacheDir()): CachedCpython[] {
  return CACHED_CPYTHON_MINORS.flatMap((minor): CachedCpython[] => [
    { minor, layout: 'static', path: join(dir, 'debian', 'usr', 'bin', `python${minor}`) },
    { minor, layout: 'shared', path: join(dir, 'shared', 'bin', `python${minor}`) },
  ]);
}
