/**
 * Turns whatever the addon rejected or threw with into a typed error, so
 * callers switch on `code` instead of parsing messages.
 */
import type { NativeErrorCode } from './nativeApi';

const CODES: ReadonlySet<string> = new Set<NativeErrorCode>([
  'HOTPATH_BAD_ARGUMENT',
  'HOTPATH_NO_PROCESS',
  'HOTPATH_NOT_PYTHON',
  'HOTPATH_UNSUPPORTED_VERSION',
  'HOTPATH_PERMISSION',
  'HOTPATH_TIMEOUT',
  'HOTPATH_SPILL_IO',
  'HOTPATH_INTERNAL',
]);

export function isNativeErrorCode(value: unknown): value is NativeErrorCode {
  return typeof value === 'string' && CODES.has(value);
}

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
