/**
 * Coded errors of the profiling session (interpreter checks, spawning, the
 * native sampler). Every error a user can see carries a `code` (stable, for
 * bug reports and tests) and a message that says what to do about it.
 *
 *   new HotpathError(code, message)    — construct
 *   toHotpathError(unknown)            — wrap anything thrown (native rejections keep their code)
 *   isHotpathError(unknown)            — type guard
 */
import { type ErrorCode, isErrorCode } from '../errors/errorCodes';

/** Any code of errors/errorCodes.ts: the session also passes on the addon's and the readers'. */
export type HotpathErrorCode = ErrorCode;

export class HotpathError extends Error {
  constructor(
    readonly code: HotpathErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HotpathError';
  }
}

export function isHotpathError(value: unknown): value is HotpathError {
  return value instanceof HotpathError;
}

/** Normalises anything thrown; errors from the addon already carry a HOTPATH_* code. */
export function toHotpathError(value: unknown): HotpathError {
  if (value instanceof HotpathError) return value;
  if (value instanceof Error) {
    const code = (value as Error & { code?: unknown }).code;
    return new HotpathError(isErrorCode(code) ? code : 'HOTPATH_INTERNAL', value.message);
  }
  return new HotpathError('HOTPATH_INTERNAL', String(value));
}
