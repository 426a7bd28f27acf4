/**
 * Turns whatever the addon rejected or threw with into a typed error, so
 * callers switch on `code` instead of parsing messages.
 */
import { isNativeErrorCode, type NativeErrorCode } from '../errors/errorCodes';

/** A failure reported by the native sampler. `message` is meant for the user as-is. */
export class HotpathNativeError extends Error {
  constructor(
    readonly code: NativeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HotpathNativeError';
  }
}

/**
 * The typed form of an addon failure. Errors without a known code (a bug, a
 * JS TypeError) become HOTPATH_INTERNAL, keeping the original as `cause`.
 */
export function toNativeError(err: unknown): HotpathNativeError {
  if (err instanceof HotpathNativeError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (isNativeErrorCode(code)) return new HotpathNativeError(code, message, { cause: err });
  return new HotpathNativeError('HOTPATH_INTERNAL', `Internal error in the native sampler: ${message}`, {
    cause: err,
  });
}

/** Runs an addon call and rethrows its failure as a HotpathNativeError. */
export async function nativeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toNativeError(err);
  }
}
