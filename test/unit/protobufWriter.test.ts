import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufWriter } from '../../extension/format/protobufWriter';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('protobuf writer', () => {
  it('writes the varint and string examples of the protobuf encoding guide', () => {
    const out = new ProtobufWriter();
    out.varint(1, 150);
    out.string(2, 'testing');
    assert.equal(hex(out.finish()), '089601' + '120774657374696e67');
  });

  it('writes varints past 32 bits, and past 2^53 as bigint', () => {
    const out = new ProtobufWriter();
    out.varint(1, 2 ** 32);
    out.varint(2, 2n ** 63n - 1n);
    assert.equal(hex(out.finish()), '088080808010' + '10ffffffffffffffff7f');
  });

  it('packs repeated varints and nests messages with their lengths', () => {
    const out = new ProtobufWriter();
    out.packed(4, [3, 270, 86942]);
    out.message(3, (m) => {
      m.varint(1, 150);
      m.message(2, (inner) => inner.packed(1, []));
    });
    assert.equal(hex(out.finish()), '2206038e029ea705' + '1a05089601' + '1200');
  });

  it('grows past its first buffer', () => {
    const out = new ProtobufWriter();
    const text = 'x'.repeat(10_000);
    out.string(1, text);
    const bytes = out.finish();
    assert.equal(bytes.length, 1 + 2 + text.length);
  });

  it('refuses what it cannot encode', () => {
    const out = new ProtobufWriter();
    assert.throws(() => out.varint(1, -1), RangeError);
    assert.throws(() => out.varint(1, 1.5), RangeError);
    assert.throws(() => out.varint(1, -1n), RangeError);
  });
});
