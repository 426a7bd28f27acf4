/**
 * What `hotpath run script.py` knows about the script itself:
 *
 *   checkScriptExists(script)            — before anything starts: a missing script is named
 *                                          (HOTPATH_SCRIPT_NOT_FOUND) instead of profiling
 *                                          Python's start-up and its "can't open file"
 *   hasSyntaxError(python, script)       — after a failed run: true when the interpreter cannot
 *                                          compile the script, so it never ran and its profile is
 *                                          only the interpreter's start-up
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { HotpathError } from '../session/errors';

export function checkScriptExists(script: string, cwd = process.cwd()): void {
  try {
    statSync(path.resolve(cwd, script));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return; // Python says what else is wrong
    throw new HotpathError(
      'HOTPATH_SCRIPT_NOT_FOUND',
      `no such file: ${script} (looked in ${cwd}). Check the name, or run a module or command ` +
        `after \`--\`: \`hotpath run -- python -m MODULE\`.`,
    );
  }
}

/** Exit status of the check below for "it is a SyntaxError" (IndentationError, TabError too). */
const SYNTAX_ERROR = 3;
// tokenize.open reads the file the way the interpreter does (its encoding cookie included).
const COMPILE_CHECK = [
  'import sys, tokenize',
  'try:',
  '    with tokenize.open(sys.argv[1]) as f: compile(f.read(), sys.argv[1], "exec")',
  'except SyntaxError: sys.exit(3)',
  'except Exception: sys.exit(1)',
].join('\n');

export function hasSyntaxError(python: string, script: string): Promise<boolean> {
  return new Promise((resolve) => {
    // -I -S: no user site, no site at all; compiling depends on neither.
    execFile(python, ['-I', '-S', '-c', COMPILE_CHECK, script], { timeout: 30_000 }, (error) => {
      resolve((error as { code?: unknown } | null)?.code === SYNTAX_ERROR);
    });
  });
}
