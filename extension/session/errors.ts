/**
 * Coded errors of the profiling session (interpreter checks, spawning, the
 * native sampler). Every error a user can see carries a `code` (stable, for
 * bug reports and tests) and a message that says what to do about it.
 *
 *   new HotpathError(code, message)    — construct
 *   toHotpathError(unknown)            — wrap anything thrown (native rejections keep their code)
 *   isHotpathError(unknown)            — type guard
 */
import type { ProfileFormatErrorCode } from '../format/formatError';
import type { NativeErrorCode } from '../native/nativeApi';

export type SessionErrorCode =
  | 'HOTPATH_PYTHON_NOT_FOUND' // interpreter path or name does not resolve to a file
  | 'HOTPATH_PYTHON_NOT_EXECUTABLE' // exists but cannot be executed, or crashed when asked its version
  | 'HOTPATH_NOT_CPYTHON' // PyPy, GraalPy, … (the sampler reads CPython's memory layout)
  | 'HOTPATH_SPAWN_FAILED' // the program could not be started
  | 'HOTPATH_SCRIPT_NOT_FOUND' // `hotpath run missing.py`: said before anything starts
  | 'HOTPATH_NATIVE_MISSING'; // the native addon is not built or does not load (see loadNative.ts)

export type HotpathErrorCode = NativeErrorCode | SessionErrorCode | ProfileFormatErrorCode;

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
    const known = typeof code === 'string' && code.startsWith('HOTPATH_');
    return new HotpathError(known ? (code as HotpathErrorCode) : 'HOTPATH_INTERNAL', value.message);
  }
  return new HotpathError('HOTPATH_INTERNAL', String(value));
}
