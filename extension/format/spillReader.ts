/**
 * Rebuilds a RawProfile from a spill file (docs/spill-format.md): the
 * append-only log the sampler writes while it runs. The writer may have died
 * at any byte, so reading stops at the first incomplete record and keeps
 * everything before it; a record that breaks the format's rules (unknown
 * type, ids out of order, references to undefined ids) is treated the same
 * way, since nothing after it can be trusted. Without an `end` record the
 * profile is marked recovered and its statistics are recomputed.
 *
 * `SpillReader` reads the file as it grows (the live view of a run follows
 * the spill this way, parsing each byte once); `readSpill` reads it whole.
 */
import type { ProcessInfo, ProfileMeta, RawProfile, SamplerStats, ThreadInfo } from '../model/rawProfile';
import { ProfileFormatError } from './formatError';
import { processFromRecord } from './processRecord';

const MAGIC = 'HOTPATHS';
const HEADER_BYTES = 16;
/**
 * Version 2 added the process records (9, 10), version 3 the asyncio task lanes (11); older files
 * are read as they are (version 1 as one process).
 */
const SPILL_VERSION = 3;

const enum RecordType {
  String = 1,
  Frame = 2,
  Stack = 3,
  Thread = 4,
  Sample = 5,
  Meta = 6,
  End = 7,
  ThreadName = 8,
  Process = 9,
  ThreadProcess = 10,
  ThreadLoop = 11,
}

/** Payload sizes of the fixed-size records. */
const FIXED_SIZE: Partial<{ [type: number]: number }> = {
  [RecordType.Frame]: 20,
  [RecordType.Stack]: 12,
  [RecordType.Thread]: 21,
  [RecordType.Sample]: 17,
  [RecordType.ThreadName]: 8,
  [RecordType.ThreadProcess]: 8,
  [RecordType.ThreadLoop]: 8,
};

export interface SpillReadResult {
  profile: RawProfile;
  /** Bytes that could be used; less than the file's size when its tail was cut or bad. */
  bytesRead: number;
  /** Why reading stopped early, or null when the whole file was read. */
  stoppedBecause: string | null;
}

/** A whole spill file at once (a recovered run, a run whose sampler failed). */
export function readSpill(bytes: Uint8Array): SpillReadResult {
  const reader = new SpillReader();
  reader.push(bytes);
  return reader.result();
}

/** A typed column that grows by doubling: appending is amortised O(1), a view of it costs nothing. */
class Column<T extends Uint32Array | Int32Array | Float64Array | Uint8Array> {
  private data: T;
  length = 0;

  constructor(private readonly make: (length: number) => T) {
    this.data = make(256);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = this.make(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  at(index: number): number {
    return this.data[index];
  }

  /**
   * The values so far, sharing the column's memory: later pushes write past the view's end or
   * into a new buffer, so a view never changes under its holder.
   */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }

  /** The values so far in memory of their own size (what a whole file's reader hands over). */
  copy(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/**
 * Reads a spill file as it grows: `push` the bytes appended since the last
 * call, in order, and `snapshot` the profile so far at any time. Each byte is
 * parsed once, so following a long run costs what its new samples cost; a
 * record cut at the end of a push is completed by the next one. A record that
 * breaks the rules stops reading for good.
 */
export class SpillReader {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  /** Bytes of the file consumed so far, in whole records (the header included). */
  private offset = 0;
  /** The start of a record that the bytes pushed so far do not complete. */
  private pending: Uint8Array = new Uint8Array(0);
  private headerRead = false;
  private stopped: string | null = null;

  private readonly strings: string[] = [];
  private readonly frameFile = new Column((n) => new Uint32Array(n));
  private readonly frameName = new Column((n) => new Uint32Array(n));
  private readonly frameLine = new Column((n) => new Uint32Array(n));
  private readonly frameFirstLine = new Column((n) => new Uint32Array(n));
  private readonly stackParent = new Column((n) => new Int32Array(n));
  private readonly stackFrame = new Column((n) => new Uint32Array(n));
  /** Depth of each stack node, so the deepest sampled stack is known without a pass over them. */
  private readonly stackDepth = new Column((n) => new Uint32Array(n));
  private readonly sampleTime = new Column((n) => new Float64Array(n));
  private readonly sampleThread = new Column((n) => new Uint32Array(n));
  private readonly sampleStack = new Column((n) => new Int32Array(n));
  private readonly sampleOnCpu = new Column((n) => new Uint8Array(n));
  private readonly sampleGil = new Column((n) => new Uint8Array(n));
  private readonly threads: ThreadInfo[] = [];
  private readonly processes: ProcessInfo[] = [];
  private metaJson: Record<string, unknown> = {};
  private endJson: Record<string, unknown> | null = null;
  private firstTime = Infinity;
  private lastTime = -Infinity;
  private maxDepth = 0;

  /** Samples read so far. */
  get samples(): number {
    return this.sampleTime.length;
  }

  /** Bytes of the file read into the profile so far. */
  get bytesRead(): number {
    return this.offset;
  }

  /** Why reading stopped for good (a record that breaks the format's rules), or null. */
  get stoppedBecause(): string | null {
    return this.stopped;
  }

  /** True once the sampler's `end` record was read: nothing more will come. */
  get ended(): boolean {
    return this.endJson !== null;
  }

  /** Reads the next bytes of the file. Throws ProfileFormatError for a file that is no spill file. */
  push(chunk: Uint8Array): void {
    if (this.stopped !== null || chunk.byteLength === 0) return;
    let bytes = chunk;
    if (this.pending.byteLength > 0) {
      bytes = new Uint8Array(this.pending.byteLength + chunk.byteLength);
      bytes.set(this.pending);
      bytes.set(chunk, this.pending.byteLength);
    }
    let at = 0;
    if (!this.headerRead) {
      if (bytes.byteLength < HEADER_BYTES) {
        this.pending = copyOf(bytes);
        return;
      }
      checkHeader(bytes);
      this.headerRead = true;
      at = HEADER_BYTES;
      this.offset = HEADER_BYTES;
    }
    at = this.records(bytes, at);
    this.pending = this.stopped === null ? copyOf(bytes.subarray(at)) : new Uint8Array(0);
  }

  /** Parses whole records from `at`; returns where the first incomplete one starts. */
  private records(bytes: Uint8Array, at: number): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    while (at < bytes.byteLength) {
      const type = bytes[at];
      const body = at + 1;
      const left = bytes.byteLength - body;
      let size = FIXED_SIZE[type];
      if (size === undefined) {
        if (
          type !== RecordType.String &&
          type !== RecordType.Meta &&
          type !== RecordType.End &&
          type !== RecordType.Process
        ) {
          this.stop(`unknown record type ${type}`);
          return at;
        }
        const lengthAt = type === RecordType.String || type === RecordType.Process ? body + 4 : body;
        if (lengthAt + 4 > bytes.byteLength) return at;
        size = lengthAt - body + 4 + view.getUint32(lengthAt, true);
      }
      if (size > left) return at;
      const problem = this.record(type, view, bytes, body, size);
      if (problem !== null) {
        this.stop(problem);
        return at;
      }
      at = body + size;
      this.offset += 1 + size;
    }
    return at;
  }

  /** Takes one whole record into the profile; returns why it breaks the rules, or null. */
  private record(type: number, view: DataView, bytes: Uint8Array, body: number, size: number): string | null {
    const u32 = (at: number): number => view.getUint32(body + at, true);
    const i32 = (at: number): number => view.getInt32(body + at, true);
    const strings = this.strings;
    switch (type) {
      case RecordType.String: {
        if (u32(0) !== strings.length) return 'string id out of order';
        strings.push(this.decoder.decode(bytes.subarray(body + 8, body + size)));
        return null;
      }
      case RecordType.Frame: {
        if (u32(0) !== this.frameFile.length) return 'frame id out of order';
        if (u32(4) >= strings.length || u32(8) >= strings.length) return 'frame names an undefined string';
        this.frameFile.push(u32(4));
        this.frameName.push(u32(8));
        this.frameLine.push(u32(12));
        this.frameFirstLine.push(u32(16));
        return null;
      }
      case RecordType.Stack: {
        const id = u32(0);
        const parent = i32(4);
        if (id !== this.stackParent.length) return 'stack id out of order';
        if (parent < -1 || parent >= id) return 'stack names an undefined parent';
        if (u32(8) >= this.frameFile.length) return 'stack names an undefined frame';
        this.stackParent.push(parent);
        this.stackFrame.push(u32(8));
        this.stackDepth.push(parent < 0 ? 1 : this.stackDepth.at(parent) + 1);
        return null;
      }
      case RecordType.Thread: {
        if (u32(0) !== this.threads.length) return 'thread index out of order';
        const nameString = u32(17);
        if (nameString >= strings.length) return 'thread names an undefined string';
        this.threads.push({
          tid: Math.max(0, i32(4)),
          ident: view.getBigUint64(body + 8, true).toString(),
          isMain: bytes[body + 16] !== 0,
          name: strings[nameString],
        });
        return null;
      }
      case RecordType.Sample: {
        const time = view.getFloat64(body, true);
        const thread = u32(8);
        const stack = i32(12);
        if (!Number.isFinite(time)) return 'sample time is not a number';
        if (thread >= this.threads.length) return 'sample names an undefined thread';
        if (stack < -1 || stack >= this.stackParent.length) return 'sample names an undefined stack';
        this.sampleTime.push(time);
        this.sampleThread.push(thread);
        this.sampleStack.push(stack);
        // A flags byte: bit 0 on-CPU, bit 1 holds the GIL (meaningful when the meta says `gil`).
        this.sampleOnCpu.push(bytes[body + 16] & 1);
        this.sampleGil.push((bytes[body + 16] >> 1) & 1);
        if (time < this.firstTime) this.firstTime = time;
        if (time > this.lastTime) this.lastTime = time;
        if (stack >= 0) this.maxDepth = Math.max(this.maxDepth, this.stackDepth.at(stack));
        return null;
      }
      case RecordType.ThreadName: {
        const index = u32(0);
        if (index >= this.threads.length || u32(4) >= strings.length)
          return 'thread name names an undefined id';
        this.threads[index].name = strings[u32(4)];
        return null;
      }
      case RecordType.Process: {
        const index = u32(0);
        if (index > this.processes.length) return 'process index out of order';
        const record = parseProcess(this.decoder.decode(bytes.subarray(body + 8, body + size)));
        if (!record) return 'process record is not a process';
        this.processes[index] = record;
        return null;
      }
      case RecordType.ThreadProcess: {
        const thread = u32(0);
        if (thread >= this.threads.length || u32(4) >= this.processes.length)
          return 'thread process names an undefined id';
        this.threads[thread].process = u32(4);
        return null;
      }
      case RecordType.ThreadLoop: {
        const thread = u32(0);
        if (thread >= this.threads.length || u32(4) >= this.threads.length)
          return 'thread loop names an undefined id';
        this.threads[thread].loopThread = u32(4);
        return null;
      }
      case RecordType.Meta:
      case RecordType.End: {
        const json = parseObject(this.decoder.decode(bytes.subarray(body + 4, body + size)));
        if (!json) return 'metadata is not a JSON object';
        if (type === RecordType.Meta) this.metaJson = json;
        else this.endJson = json;
        return null;
      }
      default:
        return `unknown record type ${type}`;
    }
  }

  private stop(reason: string): void {
    this.stopped = `${reason} at byte ${this.offset}`;
  }

  /**
   * The profile so far. Its columns share this reader's memory (taking one
   * copies nothing) and never change afterwards; its strings and threads are
   * its own.
   */
  snapshot(): RawProfile {
    return this.profile((column) => column.view());
  }

  /** The whole file's profile, in memory of its own, and why reading stopped early, if it did. */
  result(): SpillReadResult {
    if (!this.headerRead) checkHeader(this.pending);
    const incomplete = this.stopped === null && this.pending.byteLength > 0;
    return {
      profile: this.profile((column) => column.copy()),
      bytesRead: this.offset,
      stoppedBecause: incomplete ? `incomplete record at byte ${this.offset}` : this.stopped,
    };
  }

  private profile(
    take: <T extends Uint32Array | Int32Array | Float64Array | Uint8Array>(column: Column<T>) => T,
  ): RawProfile {
    const samples = this.sampleTime.length;
    const measured = samples > 0 ? this.lastTime - this.firstTime : 0;
    return {
      strings: this.strings.slice(),
      frameFile: take(this.frameFile),
      frameName: take(this.frameName),
      frameLine: take(this.frameLine),
      frameFirstLine: take(this.frameFirstLine),
      stackParent: take(this.stackParent),
      stackFrame: take(this.stackFrame),
      sampleTime: take(this.sampleTime),
      sampleThread: take(this.sampleThread),
      sampleStack: take(this.sampleStack),
      sampleOnCpu: take(this.sampleOnCpu),
      ...(this.metaJson.gil === true ? { sampleGil: take(this.sampleGil) } : {}),
      threads: this.threads.map((thread) => ({ ...thread })),
      ...(this.processes.length ? { processes: this.processes.map((p) => ({ ...p })) } : {}),
      meta: buildMeta(this.metaJson, this.endJson, measured),
      stats: buildStats(this.endJson, samples, this.maxDepth),
    };
  }
}

/**
 * The bytes in memory of their own: the caller may reuse the chunk's buffer
 * (and a Buffer's `slice` would share it).
 */
function copyOf(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** Throws ProfileFormatError unless the bytes start with a spill header of the version read here. */
function checkHeader(bytes: Uint8Array): void {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  if (bytes.byteLength < HEADER_BYTES || decoder.decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new ProfileFormatError(
      'HOTPATH_SPILL_INVALID',
      'The file is not a Hotpath spill file (bad header).',
    );
  }
  const version = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (version < 1 || version > SPILL_VERSION) {
    throw new ProfileFormatError(
      'HOTPATH_SPILL_INVALID',
      `The spill file has format version ${version}; this version of Hotpath reads version ${SPILL_VERSION}.`,
    );
  }
}

/** A process record's JSON (processRecord.ts), or null when a field is missing or mistyped. */
function parseProcess(text: string): ProcessInfo | null {
  const json = parseObject(text);
  if (!json) return null;
  const int = (key: string): number | null =>
    typeof json[key] === 'number' && Number.isInteger(json[key]) ? (json[key] as number) : null;
  const pid = int('pid');
  const ppid = int('ppid');
  const parent = int('parent');
  const waitStatus = int('waitStatus');
  const { startUs, endUs, argv } = json;
  if (pid === null || ppid === null || parent === null || waitStatus === null) return null;
  if (typeof startUs !== 'number' || typeof endUs !== 'number') return null;
  if (!Array.isArray(argv) || !argv.every((a) => typeof a === 'string')) return null;
  return processFromRecord({
    pid,
    ppid,
    parent,
    argv: argv as string[],
    pythonVersion: typeof json.pythonVersion === 'string' ? json.pythonVersion : '',
    startUs,
    endUs,
    waitStatus,
    execed: json.execed === true,
    note: typeof json.note === 'string' ? json.note : '',
  });
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function buildMeta(
  meta: Record<string, unknown>,
  end: Record<string, unknown> | null,
  measured: number,
): ProfileMeta {
  const result: ProfileMeta = {
    startedAt: num(meta.startedAt, 0),
    durationUs: end ? num(end.durationUs, measured) : measured,
    intervalUs: num(meta.intervalUs, 0) || 1000,
    pid: Math.trunc(num(meta.pid, 0)),
    argv: [],
    pythonPath: str(meta.pythonBinary),
    pythonVersion: str(meta.pythonVersion),
    exitCode: null,
    exitSignal: null,
    cwd: '',
  };
  if (!end) result.recovered = true;
  return result;
}

/** The end record's drop counts by reason, kept when they are counts and there is any. */
function spillDrops(value: unknown): { droppedByReason?: Record<string, number> } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const drops: Record<string, number> = {};
  for (const [reason, count] of Object.entries(value)) {
    if (typeof count === 'number' && Number.isInteger(count) && count > 0) drops[reason] = count;
  }
  return Object.keys(drops).length ? { droppedByReason: drops } : {};
}

function buildStats(
  end: Record<string, unknown> | null,
  sampleCount: number,
  maxDepth: number,
): SamplerStats {
  if (end) {
    return {
      ticks: num(end.ticks, 0),
      samples: num(end.samples, sampleCount),
      lateTicks: num(end.lateTicks, 0),
      droppedSamples: num(end.droppedSamples, 0),
      meanTickCostUs: num(end.meanTickCostUs, 0),
      maxDepth: num(end.maxDepth, 0),
      truncatedStacks: num(end.truncatedStacks, 0),
      ...(num(end.returnedFramesCut, 0) > 0 ? { returnedFramesCut: num(end.returnedFramesCut, 0) } : {}),
      ...spillDrops(end.droppedByReason),
      ...(num(end.normalPrioritySinceUs, -1) >= 0
        ? { normalPrioritySinceUs: num(end.normalPrioritySinceUs, 0) }
        : {}),
    };
  }
  // What can be recomputed from the samples themselves; the rest was only known to the sampler.
  return {
    ticks: 0,
    samples: sampleCount,
    lateTicks: 0,
    droppedSamples: 0,
    meanTickCostUs: 0,
    maxDepth,
    truncatedStacks: 0,
  };
}
