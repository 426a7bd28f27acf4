/**
 * The profiled program's source files as the editor, the runner and the reports find them: where a
 * path CPython recorded is on disk, and a hash of a file's text to tell whether it changed since.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';

/**
 * Maps a path as CPython recorded it (`co_filename`) to an absolute path an
 * editor can have open, or undefined for code that has no file
 * (`<string>`, `<frozen importlib._bootstrap>`, `<stdin>`). Relative paths
 * (CPython 3.8 keeps the script path as typed) are taken relative to the
 * program's working directory.
 */
export function resolveProfilePath(file: string, cwd: string): string | undefined {
  if (file === '' || (file.startsWith('<') && file.endsWith('>'))) return undefined;
  return path.normalize(path.isAbsolute(file) ? file : path.resolve(cwd || '/', file));
}

/** sha256 of the text, the identity of a file's content at profile time. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
