/**
 * Rebuilds a RawProfile from a spill file (docs/spill-format.md): the
 * append-only log the sampler writes while it runs. The writer may have died
 * at any byte, so reading stops at the first incomplete record and keeps
 * everything before it; a record that breaks the format's rules (unknown
 * type, ids out of order, references to undefined ids) is treated the same
 * way, since nothing after it can be trusted. Without an `end` record the
 * profile is marked recovered and its statistics are recomputed.
 */
import { rawProfileFromColumns } from '../model/rawProfile';
import type { ProcessInfo, ProfileMeta, RawProfile, SamplerStats, ThreadInfo } from '../model/rawProfile';
import { ProfileFormatError } from './formatError';
import { processFromRecord } from './processRecord';

const MAGIC = 'HOTPATHS';
const HEADER_BYTES = 16;
/** Version 2 added the process records (9, 10); version 1 files are read as one process. */
const SPILL_VERSION = 2;

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
}

/** Payload sizes of the fixed-size records. */
const FIXED_SIZE: Partial<{ [type: number]: number }> = {
  [RecordType.Frame]: 20,
  [RecordType.Stack]: 12,
  [RecordType.Thread]: 21,
  [RecordType.Sample]: 17,
  [RecordType.ThreadName]: 8,
  [RecordType.ThreadProcess]: 8,
};

export interface SpillReadResult {
  profile: RawProfile;
  /** Bytes that could be used; less than the file's size when its tail was cut or bad. */
  bytesRead: number;
  /** Why reading stopped early, or null when the whole file was read. */
  stoppedBecause: string | null;
}

export function readSpill(bytes: Uint8Array): SpillReadResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  if (bytes.byteLength < HEADER_BYTES || decoder.decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new ProfileFormatError(
      'HOTPATH_SPILL_INVALID',
      'The file is not a Hotpath spill file (bad header).',
    );
  }
  const version = view.getUint32(8, true);
  if (version < 1 || version > SPILL_VERSION) {
    throw new ProfileFormatError(
      'HOTPATH_SPILL_INVALID',
      `The spill file has format version ${version}; this version of Hotpath reads version ${SPILL_VERSION}.`,
    );
  }

  const strings: string[] = [];
  const frameFile = [] as number[];
  const frameName = [] as number[];
  const frameLine = [] as number[];
  const frameFirstLine = [] as number[];
  const stackParent = [] as number[];
  const stackFrame = [] as number[];
  const sampleTime = [] as number[];
  const sampleThread = [] as number[];
  const sampleStack = [] as number[];
  const sampleOnCpu = [] as number[];
  const threads: ThreadInfo[] = [];
  const processes: ProcessInfo[] = [];
  let metaJson: Record<string, unknown> = {};
  let endJson: Record<string, unknown> | null = null;

  let offset = HEADER_BYTES;
  let stoppedBecause: string | null = null;
  const stop = (reason: string): void => {
    stoppedBecause = `${reason} at byte ${offset}`;
  };

  while (offset < bytes.byteLength && stoppedBecause === null) {
    const type = bytes[offset];
    const body = offset + 1;
    const left = bytes.byteLength - body;
    let size = FIXED_SIZE[type];
    if (size === undefined) {
      if (
        type !== RecordType.String &&
        type !== RecordType.Meta &&
        type !== RecordType.End &&
        type !== RecordType.Process
      ) {
        stop(`unknown record type ${type}`);
        break;
      }
      const lengthAt = type === RecordType.String || type === RecordType.Process ? body + 4 : body;
      if (lengthAt + 4 > bytes.byteLength) {
        stop('incomplete record');
        break;
      }
      size = lengthAt - body + 4 + view.getUint32(lengthAt, true);
    }
    if (size > left) {
      stop('incomplete record');
      break;
    }
    const u32 = (at: number): number => view.getUint32(body + at, true);
    const i32 = (at: number): number => view.getInt32(body + at, true);
    switch (type) {
      case RecordType.String: {
        if (u32(0) !== strings.length) return bad('string id out of order');
        strings.push(decoder.decode(bytes.subarray(body + 8, body + size)));
        break;
      }
      case RecordType.Frame: {
        if (u32(0) !== frameFile.length) return bad('frame id out of order');
        if (u32(4) >= strings.length || u32(8) >= strings.length)
          return bad('frame names an undefined string');
        frameFile.push(u32(4));
        frameName.push(u32(8));
        frameLine.push(u32(12));
        frameFirstLine.push(u32(16));
        break;
      }
      case RecordType.Stack: {
        const id = u32(0);
        if (id !== stackParent.length) return bad('stack id out of order');
        if (i32(4) < -1 || i32(4) >= id) return bad('stack names an undefined parent');
        if (u32(8) >= frameFile.length) return bad('stack names an undefined frame');
        stackParent.push(i32(4));
        stackFrame.push(u32(8));
        break;
      }
      case RecordType.Thread: {
        if (u32(0) !== threads.length) return bad('thread index out of order');
        const nameString = u32(17);
        if (nameString >= strings.length) return bad('thread names an undefined string');
        threads.push({
          tid: Math.max(0, i32(4)),
          ident: view.getBigUint64(body + 8, true).toString(),
          isMain: bytes[body + 16] !== 0,
          name: strings[nameString],
        });
        break;
      }
      case RecordType.Sample: {
        const time = view.getFloat64(body, true);
        const thread = u32(8);
        const stack = i32(12);
        if (!Number.isFinite(time)) return bad('sample time is not a number');
        if (thread >= threads.length) return bad('sample names an undefined thread');
        if (stack < -1 || stack >= stackParent.length) return bad('sample names an undefined stack');
        sampleTime.push(time);
        sampleThread.push(thread);
        sampleStack.push(stack);
        sampleOnCpu.push(bytes[body + 16] ? 1 : 0);
        break;
      }
      case RecordType.ThreadName: {
        const index = u32(0);
        if (index >= threads.length || u32(4) >= strings.length)
          return bad('thread name names an undefined id');
        threads[index].name = strings[u32(4)];
        break;
      }
      case RecordType.Process: {
        const index = u32(0);
        if (index > processes.length) return bad('process index out of order');
        const record = parseProcess(decoder.decode(bytes.subarray(body + 8, body + size)));
        if (!record) return bad('process record is not a process');
        processes[index] = record;
        break;
      }
      case RecordType.ThreadProcess: {
        const thread = u32(0);
        if (thread >= threads.length || u32(4) >= processes.length)
          return bad('thread process names an undefined id');
        threads[thread].process = u32(4);
        break;
      }
      case RecordType.Meta:
      case RecordType.End: {
        const json = parseObject(decoder.decode(bytes.subarray(body + 4, body + size)));
        if (!json) return bad('metadata is not a JSON object');
        if (type === RecordType.Meta) metaJson = json;
        else endJson = json;
        break;
      }
    }
    offset = body + size;
  }
  return finish();

  function bad(reason: string): SpillReadResult {
    stop(reason);
    return finish();
  }

  function finish(): SpillReadResult {
    const columns = { frameFile, frameName, frameLine, frameFirstLine, stackParent, stackFrame };
    const samples = { sampleTime, sampleThread, sampleStack, sampleOnCpu };
    const profile = rawProfileFromColumns(
      { ...columns, ...samples },
      {
        strings,
        threads,
        ...(processes.length ? { processes } : {}),
        meta: buildMeta(metaJson, endJson, sampleTime),
        stats: buildStats(endJson, sampleTime.length, stackParent, sampleStack),
      },
    );
    return { profile, bytesRead: offset, stoppedBecause };
  }
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
  const startUs = json.startUs;
  const endUs = json.endUs;
  const argv = json.argv;
  if (pid === null || ppid === null || parent === null || waitStatus === null) return null;
  if (typeof startUs !== 'number' || typeof endUs !== 'number') return null;
  if (!Array.isArray(argv) || !argv.every((a) => typeof a === 'string')) return null;
  return processFromRecord({
    pid,
    ppid,
    parent,
    argv: argv as string[],
    pythonVersion: str(json.pythonVersion),
    startUs,
    endUs,
    waitStatus,
    execed: json.execed === true,
    note: str(json.note),
  });
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
  times: readonly number[],
): ProfileMeta {
  let first = Infinity;
  let last = -Infinity;
  for (const t of times) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const measured = times.length ? last - first : 0;
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
  stackParent: number[],
  sampleStack: number[],
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
  const depth = new Int32Array(stackParent.length);
  for (let s = 0; s < depth.length; s++) depth[s] = stackParent[s] < 0 ? 1 : depth[stackParent[s]] + 1;
  let maxDepth = 0;
  for (const s of sampleStack) if (s >= 0 && depth[s] > maxDepth) maxDepth = depth[s];
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
