/**
 * Turns what the native sampler hands over (NativeProfile) into the shared
 * RawProfile by adding what only the JS side knows: the command line, the
 * working directory and how the program ended.
 *
 *   rawFromNative(native, extra) → RawProfile (typed arrays are shared, not copied)
 *   emptyRawProfile(meta)        → a RawProfile with no samples (nothing could be sampled)
 */
import type { NativeProfile } from '../native/nativeApi';
import { processFromRecord } from '../format/processRecord';
import type { ProcessInfo, ProfileMeta, RawProfile, SamplerStats } from '../model/rawProfile';

/** The part of ProfileMeta the native side cannot know. */
export type SessionMeta = Pick<ProfileMeta, 'argv' | 'cwd' | 'exitCode' | 'exitSignal' | 'pythonPath'> & {
  /** Used when the sampler never identified the interpreter. */
  pythonVersion: string;
};

export function rawFromNative(native: NativeProfile, extra: SessionMeta): RawProfile {
  return {
    strings: native.strings,
    frameFile: native.frameFile,
    frameName: native.frameName,
    frameLine: native.frameLine,
    frameFirstLine: native.frameFirstLine,
    stackParent: native.stackParent,
    stackFrame: native.stackFrame,
    sampleTime: native.sampleTime,
    sampleThread: native.sampleThread,
    sampleStack: native.sampleStack,
    sampleOnCpu: native.sampleOnCpu,
    ...(native.sampleGil ? { sampleGil: native.sampleGil } : {}),
    threads: native.threads,
    ...processesFromNative(native, extra),
    stats: statsFromNative(native.stats),
    meta: {
      startedAt: native.startedAt,
      durationUs: native.durationUs,
      intervalUs: native.intervalUs,
      pid: native.pid,
      argv: extra.argv,
      pythonPath: extra.pythonPath || native.pythonBinary,
      pythonVersion: native.pythonVersion || extra.pythonVersion,
      exitCode: extra.exitCode,
      exitSignal: extra.exitSignal,
      cwd: extra.cwd,
    },
  };
}

/**
 * The processes of a run that followed several (a profile of one process leaves them out: the
 * meta says it all). The first process's exit is the program's, which the session knows for sure.
 */
function processesFromNative(native: NativeProfile, extra: SessionMeta): { processes?: ProcessInfo[] } {
  if (native.processes.length <= 1 && native.threads.every((t) => !t.process)) return {};
  const processes = native.processes.map(processFromRecord);
  const root = processes[0];
  if (root && root.pid === native.pid && (extra.exitCode !== null || extra.exitSignal !== null)) {
    if (!root.execed) {
      root.exitCode = extra.exitCode;
      root.exitSignal = extra.exitSignal;
    }
  }
  return { processes };
}

/**
 * The native side says -1 for "never went back to normal priority", 0 returned frames cut and {}
 * for no drops; the profile leaves such fields out.
 */
function statsFromNative(stats: SamplerStats): SamplerStats {
  const { normalPrioritySinceUs, returnedFramesCut, droppedByReason, ...rest } = stats;
  return {
    ...rest,
    ...(returnedFramesCut ? { returnedFramesCut } : {}),
    ...(droppedByReason && Object.keys(droppedByReason).length ? { droppedByReason } : {}),
    ...(normalPrioritySinceUs !== undefined && normalPrioritySinceUs >= 0 ? { normalPrioritySinceUs } : {}),
  };
}

const EMPTY_STATS: SamplerStats = {
  ticks: 0,
  samples: 0,
  lateTicks: 0,
  droppedSamples: 0,
  meanTickCostUs: 0,
  maxDepth: 0,
  truncatedStacks: 0,
};

export function emptyRawProfile(
  extra: SessionMeta & { pid: number; intervalUs: number; startedAt: number },
): RawProfile {
  return {
    strings: [],
    frameFile: new Uint32Array(0),
    frameName: new Uint32Array(0),
    frameLine: new Uint32Array(0),
    frameFirstLine: new Uint32Array(0),
    stackParent: new Int32Array(0),
    stackFrame: new Uint32Array(0),
    sampleTime: new Float64Array(0),
    sampleThread: new Uint32Array(0),
    sampleStack: new Int32Array(0),
    sampleOnCpu: new Uint8Array(0),
    threads: [],
    stats: { ...EMPTY_STATS },
    meta: {
      startedAt: extra.startedAt,
      durationUs: 0,
      intervalUs: extra.intervalUs,
      pid: extra.pid,
      argv: extra.argv,
      pythonPath: extra.pythonPath,
      pythonVersion: extra.pythonVersion,
      exitCode: extra.exitCode,
      exitSignal: extra.exitSignal,
      cwd: extra.cwd,
    },
  };
}
