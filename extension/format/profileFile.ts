/**
 * The `.hotpath.json` profile file (schema: docs/profile-format.md): a
 * RawProfile as columnar JSON arrays, sample times delta-encoded in integer
 * nanoseconds. `loadProfile` trusts nothing: every field is type- and
 * range-checked, every index is checked against the table it points into, and
 * anything wrong becomes a ProfileFormatError naming the field.
 */
import type { ProcessInfo, ProfileMeta, RawProfile, SamplerStats, ThreadInfo } from '../model/rawProfile';
import type { TimeMode } from '../model/types';
import { invalid, ProfileFormatError } from './formatError';
import {
  describe,
  expectArray,
  expectBoolean,
  expectInteger,
  expectIntegerColumn,
  expectNumber,
  expectObject,
  expectString,
  MAX_STRING_LENGTH,
} from './validate';
import type { Json } from './validate';

export const PROFILE_FORMAT = 'hotpath-profile';
/**
 * Version 2 added `processes` and each thread's `process`, version 3 asyncio task lanes (a thread's
 * `loopThread`), the GIL holder per sample (`samples.gil`) and the run's time mode (`meta.mode`).
 * Older files load as they are: version 1 as one process, versions 1 and 2 without a GIL record,
 * in wall-clock time.
 */
export const PROFILE_VERSION = 3;
const TIME_MODES: readonly TimeMode[] = ['wall', 'cpu', 'gil'];

const U32_MAX = 0xffff_ffff;
const I32_MAX = 0x7fff_ffff;

export function saveProfile(profile: RawProfile): string {
  const { sampleTime } = profile;
  const deltas = new Float64Array(sampleTime.length);
  let previous = 0;
  for (let i = 0; i < sampleTime.length; i++) {
    const ns = Math.round(sampleTime[i] * 1000);
    if (!Number.isSafeInteger(ns)) throw invalid(`sampleTime[${i}]`, `cannot save time ${sampleTime[i]} µs`);
    deltas[i] = ns - previous;
    previous = ns;
  }
  const column = (values: ArrayLike<number> & { join(separator: string): string }): string =>
    `[${values.join(',')}]`;
  // Built by hand so that million-entry columns are joined once instead of
  // going through JSON.stringify's per-element machinery.
  return [
    `{"format":${JSON.stringify(PROFILE_FORMAT)},"version":${PROFILE_VERSION},`,
    `"meta":${JSON.stringify(profile.meta)},`,
    `"stats":${JSON.stringify(profile.stats)},`,
    `"threads":${JSON.stringify(profile.threads)},`,
    profile.processes ? `"processes":${JSON.stringify(profile.processes)},` : '',
    `"strings":${JSON.stringify(profile.strings.map(loadableString))},`,
    `"frames":{"file":${column(profile.frameFile)},"name":${column(profile.frameName)},`,
    `"line":${column(profile.frameLine)},"firstLine":${column(profile.frameFirstLine)}},`,
    `"stacks":{"parent":${column(profile.stackParent)},"frame":${column(profile.stackFrame)}},`,
    `"samples":{"timeDeltaNs":${column(deltas)},"thread":${column(profile.sampleThread)},`,
    `"stack":${column(profile.sampleStack)},"onCpu":${column(profile.sampleOnCpu)}`,
    profile.sampleGil ? `,"gil":${column(profile.sampleGil)}` : '',
    `}}\n`,
  ].join('\n');
}

export function loadProfile(text: string): RawProfile {
  let parsed: Json;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ProfileFormatError(
      'HOTPATH_PROFILE_NOT_JSON',
      `The profile is not valid JSON (${(error as Error).message}); the file is truncated or corrupt.`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw notAProfile();
  }
  const root = parsed as Record<string, Json>;
  if (root.format !== PROFILE_FORMAT) throw notAProfile();
  const version = root.version;
  if (typeof version === 'number' && Number.isInteger(version) && version > PROFILE_VERSION) {
    throw new ProfileFormatError(
      'HOTPATH_PROFILE_FUTURE_VERSION',
      `The profile uses format version ${version}, written by a newer Hotpath; this version reads ` +
        `version ${PROFILE_VERSION}. Update Hotpath to open it.`,
    );
  }
  if (version !== 1 && version !== 2 && version !== PROFILE_VERSION) {
    throw invalid('version', `expected 1 to ${PROFILE_VERSION}, found ${JSON.stringify(version)}`);
  }

  const strings = expectArray(root.strings, 'strings').map((s, i) => expectString(s, `strings[${i}]`));
  // Version 1 had no processes: its one process is the meta's (processesOf).
  const processes =
    version >= 2 && root.processes !== undefined
      ? expectArray(root.processes, 'processes').map((p, i, all) =>
          readProcess(p, `processes[${i}]`, all.length),
        )
      : undefined;
  const threadValues = expectArray(root.threads, 'threads');
  const threads = threadValues.map((t, i) =>
    readThread(t, `threads[${i}]`, processes?.length ?? 0, version >= 3 ? threadValues.length : 0),
  );

  const frames = expectObject(root.frames, 'frames');
  const frameFile = expectIntegerColumn(frames.file, 'frames.file', u32, 0, strings.length - 1);
  const frameCount = frameFile.length;
  const frameName = expectIntegerColumn(frames.name, 'frames.name', u32, 0, strings.length - 1, frameCount);
  const frameLine = expectIntegerColumn(frames.line, 'frames.line', u32, 0, U32_MAX, frameCount);
  const frameFirstLine = expectIntegerColumn(
    frames.firstLine,
    'frames.firstLine',
    u32,
    0,
    U32_MAX,
    frameCount,
  );

  const stacks = expectObject(root.stacks, 'stacks');
  const stackFrame = expectIntegerColumn(stacks.frame, 'stacks.frame', u32, 0, frameCount - 1);
  const stackCount = stackFrame.length;
  const stackParent = expectIntegerColumn(stacks.parent, 'stacks.parent', i32, -1, I32_MAX, stackCount);
  for (let s = 0; s < stackCount; s++) {
    if (stackParent[s] >= s) {
      throw invalid(`stacks.parent[${s}]`, `a stack's parent must come before it, found ${stackParent[s]}`);
    }
  }

  const samples = expectObject(root.samples, 'samples');
  // Each million-entry column is let go as soon as it is converted, so the
  // garbage collector can reclaim it while the next one is read.
  const sampleThread = expectIntegerColumn(
    take(samples, 'thread'),
    'samples.thread',
    u32,
    0,
    threads.length - 1,
  );
  const sampleCount = sampleThread.length;
  const sampleStack = expectIntegerColumn(
    take(samples, 'stack'),
    'samples.stack',
    i32,
    -1,
    stackCount - 1,
    sampleCount,
  );
  const sampleOnCpu = expectIntegerColumn(take(samples, 'onCpu'), 'samples.onCpu', u8, 0, 1, sampleCount);
  // Version 3: which thread held the GIL (absent in a profile rebuilt from an older spill file).
  const gil = version >= 3 ? take(samples, 'gil') : undefined;
  const sampleGil =
    gil === undefined ? undefined : expectIntegerColumn(gil, 'samples.gil', u8, 0, 1, sampleCount);
  const sampleTime = readTimes(take(samples, 'timeDeltaNs'), sampleCount);

  return {
    strings,
    frameFile,
    frameName,
    frameLine,
    frameFirstLine,
    stackParent,
    stackFrame,
    sampleTime,
    sampleThread,
    sampleStack,
    sampleOnCpu,
    ...(sampleGil ? { sampleGil } : {}),
    threads,
    ...(processes ? { processes } : {}),
    meta: readMeta(root.meta, version),
    stats: readStats(root.stats),
  };
}

const u32 = (n: number): Uint32Array => new Uint32Array(n);
const i32 = (n: number): Int32Array => new Int32Array(n);
const u8 = (n: number): Uint8Array => new Uint8Array(n);

/**
 * What the loader accepts: no NUL, at most MAX_STRING_LENGTH characters. A
 * string the sampler read from a damaged target is adjusted rather than
 * producing a file that cannot be opened again.
 */
function loadableString(text: string): string {
  const clean = text.includes('\0') ? text.replace(/\0/g, '\uFFFD') : text;
  return clean.length > MAX_STRING_LENGTH ? clean.slice(0, MAX_STRING_LENGTH) : clean;
}

function take(object: Record<string, Json>, key: string): Json {
  const value = object[key];
  delete object[key];
  return value;
}

function notAProfile(): ProfileFormatError {
  return new ProfileFormatError(
    'HOTPATH_PROFILE_NOT_A_PROFILE',
    `The file is not a Hotpath profile (expected a JSON object with "format": "${PROFILE_FORMAT}").`,
  );
}

function readTimes(value: Json, count: number): Float64Array {
  const where = 'samples.timeDeltaNs';
  const deltas = expectArray(value, where);
  if (deltas.length !== count) throw invalid(where, `expected ${count} entries, found ${deltas.length}`);
  const times = new Float64Array(count);
  let ns = 0;
  for (let i = 0; i < count; i++) {
    const delta = deltas[i];
    if (typeof delta !== 'number' || !Number.isSafeInteger(delta)) {
      throw invalid(`${where}[${i}]`, `expected an integer number of nanoseconds, found ${describe(delta)}`);
    }
    ns += delta;
    if (!Number.isSafeInteger(ns)) throw invalid(`${where}[${i}]`, 'time is out of range');
    times[i] = ns / 1000;
  }
  return times;
}

/** `threadCount`: 0 before version 3, whose threads have no `loopThread`. */
function readThread(value: Json, where: string, processCount: number, threadCount: number): ThreadInfo {
  const thread = expectObject(value, where);
  const ident = expectString(thread.ident, `${where}.ident`);
  if (!/^\d{1,20}$/.test(ident))
    throw invalid(`${where}.ident`, `expected a decimal number, found "${ident}"`);
  const result: ThreadInfo = {
    tid: expectInteger(thread.tid, `${where}.tid`, 0, I32_MAX),
    ident,
    name: expectString(thread.name, `${where}.name`),
    isMain: expectBoolean(thread.isMain, `${where}.isMain`),
  };
  if (thread.process !== undefined) {
    result.process = expectInteger(thread.process, `${where}.process`, 0, Math.max(0, processCount - 1));
  }
  if (thread.loopThread !== undefined && threadCount > 0) {
    result.loopThread = expectInteger(thread.loopThread, `${where}.loopThread`, 0, threadCount - 1);
  }
  return result;
}

function readProcess(value: Json, where: string, count: number): ProcessInfo {
  const process = expectObject(value, where);
  const nullable = <T>(v: Json, read: (v: Json) => T): T | null => (v === null ? null : read(v));
  const result: ProcessInfo = {
    pid: expectInteger(process.pid, `${where}.pid`, 0, I32_MAX),
    ppid: expectInteger(process.ppid, `${where}.ppid`, 0, I32_MAX),
    parent: expectInteger(process.parent, `${where}.parent`, -1, count - 1),
    argv: expectArray(process.argv, `${where}.argv`).map((a, i) => expectString(a, `${where}.argv[${i}]`)),
    pythonVersion: expectString(process.pythonVersion, `${where}.pythonVersion`),
    startUs: expectNumber(process.startUs, `${where}.startUs`, 0),
    endUs: nullable(process.endUs, (v) => expectNumber(v, `${where}.endUs`, 0)),
    exitCode: nullable(process.exitCode, (v) => expectInteger(v, `${where}.exitCode`, -I32_MAX - 1, I32_MAX)),
    exitSignal: nullable(process.exitSignal, (v) => expectString(v, `${where}.exitSignal`)),
  };
  if (process.execed !== undefined) result.execed = expectBoolean(process.execed, `${where}.execed`);
  if (process.note !== undefined) result.note = expectString(process.note, `${where}.note`);
  return result;
}

function readMeta(value: Json, version: number): ProfileMeta {
  const meta = expectObject(value, 'meta');
  const nullable = <T>(v: Json, read: (v: Json) => T): T | null => (v === null ? null : read(v));
  const result: ProfileMeta = {
    startedAt: expectNumber(meta.startedAt, 'meta.startedAt', 0, 8.64e15),
    durationUs: expectNumber(meta.durationUs, 'meta.durationUs', 0),
    intervalUs: expectNumber(meta.intervalUs, 'meta.intervalUs', Number.MIN_VALUE),
    pid: expectInteger(meta.pid, 'meta.pid', 0, I32_MAX),
    argv: expectArray(meta.argv, 'meta.argv').map((a, i) => expectString(a, `meta.argv[${i}]`)),
    pythonPath: expectString(meta.pythonPath, 'meta.pythonPath'),
    pythonVersion: expectString(meta.pythonVersion, 'meta.pythonVersion'),
    exitCode: nullable(meta.exitCode, (v) => expectInteger(v, 'meta.exitCode', -I32_MAX - 1, I32_MAX)),
    exitSignal: nullable(meta.exitSignal, (v) => expectString(v, 'meta.exitSignal')),
    cwd: expectString(meta.cwd, 'meta.cwd'),
  };
  if (meta.recovered !== undefined) result.recovered = expectBoolean(meta.recovered, 'meta.recovered');
  if (meta.countedFromUs !== undefined)
    result.countedFromUs = expectNumber(meta.countedFromUs, 'meta.countedFromUs', 0);
  if (version >= 3 && meta.mode !== undefined) {
    const mode = expectString(meta.mode, 'meta.mode');
    if (!TIME_MODES.includes(mode as TimeMode)) {
      throw invalid('meta.mode', `expected one of ${TIME_MODES.join(', ')}, found ${JSON.stringify(mode)}`);
    }
    result.mode = mode as TimeMode;
  }
  return result;
}

/** `stats.droppedByReason`: reason name → count (names are the sampler's; unknown ones are kept). */
function readDrops(value: Json): Record<string, number> {
  const drops = expectObject(value, 'stats.droppedByReason');
  const out: Record<string, number> = {};
  for (const [reason, count] of Object.entries(drops)) {
    out[reason] = expectInteger(count, `stats.droppedByReason.${reason}`, 0, Number.MAX_SAFE_INTEGER);
  }
  return out;
}

function readStats(value: Json): SamplerStats {
  const stats = expectObject(value, 'stats');
  const count = (key: keyof SamplerStats): number =>
    expectInteger(stats[key], `stats.${key}`, 0, Number.MAX_SAFE_INTEGER);
  return {
    ticks: count('ticks'),
    samples: count('samples'),
    lateTicks: count('lateTicks'),
    droppedSamples: count('droppedSamples'),
    meanTickCostUs: expectNumber(stats.meanTickCostUs, 'stats.meanTickCostUs', 0),
    maxDepth: count('maxDepth'),
    truncatedStacks: count('truncatedStacks'),
    ...(stats.returnedFramesCut === undefined ? {} : { returnedFramesCut: count('returnedFramesCut') }),
    ...(stats.droppedByReason === undefined ? {} : { droppedByReason: readDrops(stats.droppedByReason) }),
    ...(stats.normalPrioritySinceUs === undefined
      ? {}
      : {
          normalPrioritySinceUs: expectNumber(stats.normalPrioritySinceUs, 'stats.normalPrioritySinceUs', 0),
        }),
  };
}
