/**
 * Writes spill files byte by byte as docs/spill-format.md describes, so the
 * reader is tested against the documented layout rather than against itself.
 */
export class SpillBuilder {
  private readonly chunks: Buffer[] = [];

  constructor(version = 1) {
    const header = Buffer.alloc(16);
    header.write('HOTPATHS', 0, 'latin1');
    header.writeUInt32LE(version, 8);
    this.chunks.push(header);
  }

  string(id: number, text: string): this {
    const bytes = Buffer.from(text, 'utf8');
    const head = Buffer.alloc(9);
    head.writeUInt8(1, 0);
    head.writeUInt32LE(id, 1);
    head.writeUInt32LE(bytes.length, 5);
    this.chunks.push(head, bytes);
    return this;
  }

  frame(id: number, file: number, name: number, line: number, firstLine: number): this {
    const b = Buffer.alloc(21);
    b.writeUInt8(2, 0);
    [id, file, name, line, firstLine].forEach((v, i) => b.writeUInt32LE(v, 1 + 4 * i));
    this.chunks.push(b);
    return this;
  }

  stack(id: number, parent: number, frame: number): this {
    const b = Buffer.alloc(13);
    b.writeUInt8(3, 0);
    b.writeUInt32LE(id, 1);
    b.writeInt32LE(parent, 5);
    b.writeUInt32LE(frame, 9);
    this.chunks.push(b);
    return this;
  }

  thread(index: number, tid: number, ident: bigint, isMain: boolean, nameString: number): this {
    const b = Buffer.alloc(22);
    b.writeUInt8(4, 0);
    b.writeUInt32LE(index, 1);
    b.writeInt32LE(tid, 5);
    b.writeBigUInt64LE(ident, 9);
    b.writeUInt8(isMain ? 1 : 0, 17);
    b.writeUInt32LE(nameString, 18);
    this.chunks.push(b);
    return this;
  }

  /** `onCpu`: a boolean, or the flags byte itself (bit 0 on-CPU, bit 1 holds the GIL). */
  sample(timeUs: number, thread: number, stack: number, onCpu: boolean | number): this {
    const b = Buffer.alloc(18);
    b.writeUInt8(5, 0);
    b.writeDoubleLE(timeUs, 1);
    b.writeUInt32LE(thread, 9);
    b.writeInt32LE(stack, 13);
    b.writeUInt8(typeof onCpu === 'number' ? onCpu : onCpu ? 1 : 0, 17);
    this.chunks.push(b);
    return this;
  }

  json(type: 6 | 7, value: unknown): this {
    const bytes = Buffer.from(JSON.stringify(value), 'utf8');
    const head = Buffer.alloc(5);
    head.writeUInt8(type, 0);
    head.writeUInt32LE(bytes.length, 1);
    this.chunks.push(head, bytes);
    return this;
  }

  threadName(index: number, nameString: number): this {
    const b = Buffer.alloc(9);
    b.writeUInt8(8, 0);
    b.writeUInt32LE(index, 1);
    b.writeUInt32LE(nameString, 5);
    this.chunks.push(b);
    return this;
  }

  raw(bytes: number[]): this {
    this.chunks.push(Buffer.from(bytes));
    return this;
  }

  bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.chunks));
  }
}
