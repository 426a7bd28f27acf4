/**
 * A run's profile counted from a moment on: what Reset leaves of it. The
 * samples before `fromUs` are dropped and the clock starts again at it, so the
 * profile reads like a run that began at the reset (its `startedAt`, times and
 * duration), and says where it was cut (`meta.countedFromUs`). The tables of
 * frames and stacks are kept whole: entries no sample names cost nothing to
 * the views. No `vscode` import.
 */
import type { RawProfile } from './rawProfile';

/**
 * The samples at or after `fromUs` (µs on the profile's clock), counted from
 * there. Sample times must be in order, as the sampler records them (tick by
 * tick); the cut is found by bisection, and only the kept times are copied.
 */
export function profileSince(raw: RawProfile, fromUs: number): RawProfile {
  if (!(fromUs > 0)) return raw;
  const times = raw.sampleTime;
  let first = 0;
  let end = times.length;
  while (first < end) {
    const mid = (first + end) >>> 1;
    if (times[mid] < fromUs) first = mid + 1;
    else end = mid;
  }
  const sampleTime = new Float64Array(times.length - first);
  for (let i = first; i < times.length; i++) sampleTime[i - first] = times[i] - fromUs;
  const { normalPrioritySinceUs } = raw.stats;
  // Processes started before the reset count as running from it.
  const processes = raw.processes?.map((p) => ({
    ...p,
    startUs: Math.max(0, p.startUs - fromUs),
    endUs: p.endUs === null ? null : Math.max(0, p.endUs - fromUs),
  }));
  return {
    ...raw,
    ...(processes ? { processes } : {}),
    sampleTime,
    sampleThread: raw.sampleThread.subarray(first),
    sampleStack: raw.sampleStack.subarray(first),
    sampleOnCpu: raw.sampleOnCpu.subarray(first),
    ...(raw.sampleGil ? { sampleGil: raw.sampleGil.subarray(first) } : {}),
    meta: {
      ...raw.meta,
      startedAt: raw.meta.startedAt + fromUs / 1000,
      durationUs: Math.max(0, raw.meta.durationUs - fromUs),
      countedFromUs: (raw.meta.countedFromUs ?? 0) + fromUs,
    },
    stats: {
      ...raw.stats,
      samples: sampleTime.length,
      ...(normalPrioritySinceUs !== undefined
        ? { normalPrioritySinceUs: Math.max(0, normalPrioritySinceUs - fromUs) }
        : {}),
    },
  };
}
