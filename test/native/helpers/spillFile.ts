/**
 * A strict reader of docs/spill-format.md for tests: every record is checked
 * against the format (ids dense and defined before use), so a writer bug
 * fails loudly instead of being tolerated the way the product's reader must.
 */
import assert from 'node:assert/strict';

export interface SpillContents {
  strings: string[];
  frames: { file: number; name: number; line: number; firstLine: number }[];
  stacks: { parent: number; frame: number }[];
  threads: {
    tid: number;
    ident: bigint;
    isMain: boolean;
    name: number;
    process?: number;
    /** An asyncio task's lane (record 11): the thread whose event loop runs it. */
    loopThread?: number;
  }[];
  /** Process records (type 9) by index, the last record of each. */
  processes: Record<string, unknown>[];
  samples: { timeUs: number; thread: number; stack: number; onCpu: boolean }[];
  meta: Record<string, unknown> | null;
  end: Record<string, unknown> | null;
  /** Record types in file order, for ordering checks. */
  order: number[];
}

export function parseSpill(bytes: Buffer): SpillContents {
  assert.equal(bytes.subarray(0, 8).toString('latin1'), 'HOTPATHS', 'magic');
  assert.equal(bytes.readUInt32LE(8), 3, 'format version');
  assert.equal(bytes.readUInt32LE(12), 0, 'reserved');
  const out: SpillContents = {
    strings: [],
    frames: [],
    stacks: [],
    threads: [],
    processes: [],
    samples: [],
    meta: null,
    end: null,
    order: [],
  };
  let at = 16;
  const u8 = () => bytes.readUInt8((at += 1) - 1);
  const u32 = () => bytes.readUInt32LE((at += 4) - 4);
  const i32 = () => bytes.readInt32LE((at += 4) - 4);
  const u64 = () => bytes.readBigUInt64LE((at += 8) - 8);
  const f64 = () => bytes.readDoubleLE((at += 8) - 8);
  const blob = () => {
    const length = u32();
    const text = bytes.subarray(at, at + length).toString('utf8');
    assert.ok(at + length <= bytes.length, 'blob inside the file');
    at += length;
    return text;
  };
  while (at < bytes.length) {
    const type = u8();
    out.order.push(type);
    switch (type) {
      case 1: {
        assert.equal(u32(), out.strings.length, 'string ids dense');
        out.strings.push(blob());
        break;
      }
      case 2: {
        assert.equal(u32(), out.frames.length, 'frame ids dense');
        const frame = { file: u32(), name: u32(), line: u32(), firstLine: u32() };
        assert.ok(
          frame.file < out.strings.length && frame.name < out.strings.length,
          'frame strings defined',
        );
        out.frames.push(frame);
        break;
      }
      case 3: {
        assert.equal(u32(), out.stacks.length, 'stack ids dense');
        const stack = { parent: i32(), frame: u32() };
        assert.ok(stack.parent >= -1 && stack.parent < out.stacks.length, 'stack parent defined');
        assert.ok(stack.frame < out.frames.length, 'stack frame defined');
        out.stacks.push(stack);
        break;
      }
      case 4: {
        assert.equal(u32(), out.threads.length, 'thread indices dense');
        const thread = { tid: i32(), ident: u64(), isMain: u8() === 1, name: u32() };
        assert.ok(thread.name < out.strings.length, 'thread name defined');
        out.threads.push(thread);
        break;
      }
      case 5: {
        const sample = { timeUs: f64(), thread: u32(), stack: i32(), onCpu: u8() === 1 };
        assert.ok(sample.thread < out.threads.length, 'sample thread defined');
        assert.ok(sample.stack >= -1 && sample.stack < out.stacks.length, 'sample stack defined');
        out.samples.push(sample);
        break;
      }
      case 6:
        out.meta = JSON.parse(blob()) as Record<string, unknown>;
        break;
      case 7:
        out.end = JSON.parse(blob()) as Record<string, unknown>;
        break;
      case 8: {
        const index = u32();
        const name = u32();
        assert.ok(index < out.threads.length && name < out.strings.length, 'thread rename defined');
        out.threads[index].name = name;
        break;
      }
      case 9: {
        const index = u32();
        assert.ok(index <= out.processes.length, 'process indices dense');
        out.processes[index] = JSON.parse(blob()) as Record<string, unknown>;
        break;
      }
      case 10: {
        const thread = u32();
        const process = u32();
        assert.ok(thread < out.threads.length && process < out.processes.length, 'thread process defined');
        out.threads[thread].process = process;
        break;
      }
      case 11: {
        const thread = u32();
        const loop = u32();
        assert.ok(thread < out.threads.length && loop < out.threads.length, 'thread loop defined');
        out.threads[thread].loopThread = loop;
        break;
      }
      default:
        assert.fail(`unknown record type ${type} at byte ${at - 1}`);
    }
  }
  assert.equal(at, bytes.length, 'no partial record at the end of a finished file');
  return out;
}
