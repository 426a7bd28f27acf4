/**
 * The one error every reader in this folder throws for bad input, so callers
 * can tell "this file is not a usable profile" (show the message) from a bug.
 */
import type { ProfileFormatErrorCode } from '../errors/errorCodes';

export type { ProfileFormatErrorCode };

export class ProfileFormatError extends Error {
  readonly code: ProfileFormatErrorCode;
  /** Where in the file the problem is, e.g. `samples.stack[12]` (empty when it is the whole file). */
  readonly where: string;

  constructor(code: ProfileFormatErrorCode, message: string, where = '') {
    super(where ? `${where}: ${message}` : message);
    this.name = 'ProfileFormatError';
    this.code = code;
    this.where = where;
  }
}

/** Shorthand for the common case: a field that is not what the format says. */
export function invalid(where: string, message: string): ProfileFormatError {
  return new ProfileFormatError('HOTPATH_PROFILE_INVALID', message, where);
}
