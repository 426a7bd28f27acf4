/**
 * Checks for untrusted JSON values, each naming the offending field. Array
 * checks run in tight loops because profile columns hold millions of entries.
 */
import { invalid } from './formatError';

export type Json = unknown;

/** Longest string accepted: far beyond any real path or qualified name. */
export const MAX_STRING_LENGTH = 65_536;

export function describe(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'number') return String(value);
  return typeof value === 'object' ? 'an object' : String(typeof value);
}

export function expectObject(value: Json, where: string): Record<string, Json> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(where, `expected an object, found ${describe(value)}`);
  }
  return value as Record<string, Json>;
}

export function expectArray(value: Json, where: string): Json[] {
  if (!Array.isArray(value)) throw invalid(where, `expected an array, found ${describe(value)}`);
  return value;
}

export function expectString(value: Json, where: string): string {
  if (typeof value !== 'string') throw invalid(where, `expected a string, found ${describe(value)}`);
  if (value.length > MAX_STRING_LENGTH) {
    throw invalid(where, `string of ${value.length} characters is longer than ${MAX_STRING_LENGTH}`);
  }
  if (value.includes('\0')) throw invalid(where, 'string contains a NUL character');
  return value;
}

export function expectBoolean(value: Json, where: string): boolean {
  if (typeof value !== 'boolean') throw invalid(where, `expected true or false, found ${describe(value)}`);
  return value;
}

export function expectNumber(
  value: Json,
  where: string,
  min = -Number.MAX_VALUE,
  max = Number.MAX_VALUE,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(where, `expected a number from ${min} to ${max}, found ${describe(value)}`);
  }
  return value;
}

export function expectInteger(value: Json, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(where, `expected an integer from ${min} to ${max}, found ${describe(value)}`);
  }
  return value;
}

type IntArray = Uint32Array | Int32Array | Uint8Array;

/** An array of integers in [min, max], copied into a typed array of `length` (when given). */
export function expectIntegerColumn<T extends IntArray>(
  value: Json,
  where: string,
  make: (length: number) => T,
  min: number,
  max: number,
  length?: number,
): T {
  const array = expectArray(value, where);
  if (length !== undefined && array.length !== length) {
    throw invalid(where, `expected ${length} entries, found ${array.length}`);
  }
  const out = make(array.length);
  for (let i = 0; i < array.length; i++) {
    const v = array[i];
    // `typeof` first: comparisons on strings or objects would coerce them.
    if (typeof v !== 'number' || !(v >= min && v <= max) || Math.floor(v) !== v) {
      throw invalid(`${where}[${i}]`, `expected an integer from ${min} to ${max}, found ${describe(v)}`);
    }
    out[i] = v;
  }
  return out;
}
