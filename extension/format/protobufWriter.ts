/**
 * The part of the protocol buffers wire format that pprof needs: varint and
 * length-delimited fields, packed repeated varints, nested messages. Values
 * are non-negative integers (pprof's ids, string indices, counts and
 * nanoseconds); numbers past 2^53 (nanoseconds since the epoch) come as bigint.
 *
 *   const out = new ProtobufWriter();
 *   out.varint(1, 42); out.string(6, 'name'); out.message(2, (m) => m.packed(1, [3, 4]));
 *   const bytes = out.finish();
 */

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const TEXT = new TextEncoder();

export class ProtobufWriter {
  private buffer = new Uint8Array(4096);
  private length = 0;
  /** Writers for nested messages, one per depth, reused so a message costs no allocation. */
  private nested: ProtobufWriter | undefined;

  /** A varint field; zero is written too (callers skip defaults where the format allows). */
  varint(field: number, value: number | bigint): void {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value);
  }

  bool(field: number, value: boolean): void {
    this.varint(field, value ? 1 : 0);
  }

  string(field: number, value: string): void {
    this.bytes(field, TEXT.encode(value));
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(value.length);
    this.append(value);
  }

  /** A packed repeated varint field (nothing is written for an empty list). */
  packed(field: number, values: ArrayLike<number>): void {
    if (values.length === 0) return;
    const inner = this.child();
    for (let i = 0; i < values.length; i++) inner.rawVarint(values[i]);
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(inner.length);
    this.append(inner.buffer.subarray(0, inner.length));
  }

  /** A nested message written by `write` into a writer of its own, then copied in with its length. */
  message(field: number, write: (message: ProtobufWriter) => void): void {
    const inner = this.child();
    write(inner);
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(inner.length);
    this.append(inner.buffer.subarray(0, inner.length));
  }

  /** The bytes written so far (a copy: the writer's buffer is reused). */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private child(): ProtobufWriter {
    this.nested ??= new ProtobufWriter();
    this.nested.length = 0;
    return this.nested;
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  private rawVarint(value: number | bigint): void {
    if (typeof value === 'bigint') {
      if (value < 0n) throw new RangeError(`protobuf writer: negative varint ${value}`);
      if (value <= BigInt(Number.MAX_SAFE_INTEGER)) return this.rawVarint(Number(value));
      this.reserve(10);
      let rest = value;
      while (rest >= 0x80n) {
        this.buffer[this.length++] = Number(rest & 0x7fn) | 0x80;
        rest >>= 7n;
      }
      this.buffer[this.length++] = Number(rest);
      return;
    }
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`protobuf writer: ${value} is not a non-negative safe integer`);
    }
    this.reserve(8);
    let rest = value;
    // Division, not shifts: JavaScript's bit operators stop at 32 bits.
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.length++] = rest;
  }

  private append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
