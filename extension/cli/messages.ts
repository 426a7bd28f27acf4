/**
 * What the CLI says on stderr besides the report: notes, and errors with
 * their code. Kept apart from the program's own output by the `hotpath:` prefix.
 */
import { toHotpathError } from '../session/errors';
import { UsageError } from './args';

/** Exit status when hotpath itself failed (bad usage, cannot profile). */
export const EXIT_HOTPATH_ERROR = 2;

export function printNote(message: string): void {
  process.stderr.write(`hotpath: ${message}\n`);
}

export function printError(error: unknown): void {
  if (error instanceof UsageError) {
    process.stderr.write(`hotpath: ${error.message}\nRun \`hotpath --help\` for usage.\n`);
    return;
  }
  const coded = toHotpathError(error);
  process.stderr.write(`hotpath: error: ${coded.message} [${coded.code}]\n`);
  if (
    coded.code === 'HOTPATH_INTERNAL' &&
    error instanceof Error &&
    error.stack &&
    process.env.HOTPATH_DEBUG
  ) {
    process.stderr.write(`${error.stack}\n`);
  }
}
