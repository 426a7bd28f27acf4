/**
 * Reads the sampler's statistics back from a profile that `hotpath run
 * --format json` wrote: how many ticks it took, how many were late or dropped,
 * what a tick cost. Field names follow SamplerStats and ProfileMeta in
 * extension/model/rawProfile.ts.
 */
import { readFileSync } from 'node:fs';
import type { ProfileMeta, SamplerStats } from '../../extension/model/rawProfile';

export interface HotpathRunStats {
  stats: SamplerStats;
  durationUs: number;
  intervalUs: number;
  pythonVersion: string;
  /** Ticks per second achieved over the sampled duration, as a share of the requested rate. */
  achievedShare: number;
  /**
   * The same over the middle of the run only (30–90% of the sampled duration,
   * the window of the steady CPU rate): without attaching and the program's
   * start-up, when every new code object costs reads. Ticks are counted from
   * the samples' times, so a tick whose stack was dropped counts as missed.
   */
  steadyAchievedShare: number;
  lateShare: number;
  /** Share of the sampled time the sampling thread spent inside ticks (mean tick cost × ticks). */
  busyShare: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The first object (breadth-first, a few levels deep) that has every key. */
function findObjectWith(root: Json, keys: string[]): Record<string, Json> | undefined {
  let level: Json[] = [root];
  for (let depth = 0; depth < 4 && level.length; depth++) {
    const next: Json[] = [];
    for (const value of level) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      if (keys.every((k) => k in value)) return value;
      next.push(...Object.values(value));
    }
    level = next;
  }
  return undefined;
}

/** See HotpathRunStats.steadyAchievedShare; `timeDeltaNs` is the profile's delta-coded sample times. */
export function steadyAchievedShare(
  timeDeltaNs: readonly number[],
  durationUs: number,
  intervalUs: number,
): number {
  const from = 0.3 * durationUs * 1000;
  const to = 0.9 * durationUs * 1000;
  let ns = 0;
  let last = NaN;
  let ticks = 0;
  for (const delta of timeDeltaNs) {
    ns += delta;
    if (ns >= from && ns < to && ns !== last) ticks++;
    last = ns;
  }
  const requested = (to - from) / (intervalUs * 1000);
  return requested > 0 ? ticks / requested : NaN;
}

export function readHotpathStats(file: string): HotpathRunStats {
  const root = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const samples = findObjectWith(root, ['timeDeltaNs']) as { timeDeltaNs?: Json } | undefined;
  const deltas = Array.isArray(samples?.timeDeltaNs) ? (samples.timeDeltaNs as number[]) : [];
  const stats = findObjectWith(root, ['ticks', 'lateTicks', 'meanTickCostUs']) as unknown as
    SamplerStats | undefined;
  const meta = findObjectWith(root, ['durationUs', 'intervalUs']) as unknown as
    Partial<ProfileMeta> | undefined;
  if (!stats || !meta) throw new Error(`${file}: no sampler statistics (stats, meta) in the profile`);
  const durationUs = Number(meta.durationUs);
  const intervalUs = Number(meta.intervalUs);
  // durationUs runs from the first tick to the last: N ticks span N - 1 intervals.
  const requestedIntervals = durationUs / intervalUs;
  return {
    stats,
    durationUs,
    intervalUs,
    pythonVersion: String(meta.pythonVersion ?? ''),
    achievedShare: requestedIntervals > 0 ? (stats.ticks - 1) / requestedIntervals : NaN,
    steadyAchievedShare: deltas.length ? steadyAchievedShare(deltas, durationUs, intervalUs) : NaN,
    lateShare: stats.ticks > 0 ? stats.lateTicks / stats.ticks : NaN,
    busyShare: durationUs > 0 ? (stats.meanTickCostUs * stats.ticks) / durationUs : NaN,
  };
}
