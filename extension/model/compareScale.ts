/**
 * How two runs' times are made comparable before they are subtracted. Three
 * scales, chosen per comparison:
 *
 * - `absolute`: µs as measured. Right when both runs did the same work (a
 *   script run to its end on the same input): a function that takes 120 ms
 *   more reads +120 ms, and a slower function also makes the run longer, which
 *   a per-second or share scale would partly hide.
 * - `perSecond`: µs per second of wall-clock time covered. Right when the
 *   duration was chosen by whoever stopped the run (an attach for N seconds, a
 *   server stopped by hand): twice as long a recording is not twice the work.
 * - `share`: a fraction of all the time sampled in the run. Says how the
 *   time is distributed whatever the input size or the machine's speed.
 *
 * `auto` picks `absolute` when both programs ran to their own end and
 * `perSecond` otherwise. Values are always expressed in the new run's terms:
 * the baseline is multiplied by `baseFactor`, so a difference is µs of the
 * new run (per run, per the new run's wall time, or of its sampled total).
 */
import type { ProfileView } from './processors';

export type CompareScale = 'absolute' | 'perSecond' | 'share';
export const COMPARE_SCALES: readonly CompareScale[] = ['absolute', 'perSecond', 'share'];

/** What each scale compares, as the outputs say it. */
export const SCALE_MEANING: Record<CompareScale, string> = {
  absolute: 'times compared as measured',
  perSecond: 'times compared per second of wall-clock time',
  share: "times compared as shares of each run's sampled time",
};

/** The amounts of one run a scale is computed from. */
export interface RunSummary {
  /** Wall-clock time the view covers (the run, or its time range), µs. */
  wallUs: number;
  /** Time of all kept samples (summed over threads), µs. */
  totalUs: number;
  samples: number;
  /** The program ended by itself (an exit code), as opposed to attached, stopped, killed or recovered. */
  ranToEnd: boolean;
}

export interface ScaleChoice {
  scale: CompareScale;
  /** Multiply a baseline time by this to express it in the new run's terms. */
  baseFactor: number;
  /** One sentence saying why this scale, for the header of every output. */
  reason: string;
}

export function summarizeRun(view: ProfileView): RunSummary {
  const { meta } = view.profile;
  const range = view.options.range;
  return {
    wallUs: range ? range.end - range.start : meta.durationUs,
    totalUs: view.totalUs,
    samples: view.totalSamples,
    ranToEnd: meta.exitCode !== null && meta.recovered !== true,
  };
}

/** Resolves `auto` and computes the baseline's factor; a degenerate run falls back to `absolute`. */
export function chooseScale(base: RunSummary, next: RunSummary, wanted: CompareScale | 'auto'): ScaleChoice {
  let scale: CompareScale;
  let reason: string;
  if (wanted !== 'auto') {
    scale = wanted;
    reason = `${SCALE_MEANING[wanted]}, as asked`;
  } else if (base.ranToEnd && next.ranToEnd) {
    scale = 'absolute';
    reason = `both programs ran to their end: ${SCALE_MEANING.absolute}`;
  } else {
    scale = 'perSecond';
    reason = `a run was attached to, stopped or cut short: ${SCALE_MEANING.perSecond}`;
  }
  if (scale === 'perSecond' && base.wallUs > 0 && next.wallUs > 0)
    return { scale, baseFactor: next.wallUs / base.wallUs, reason };
  if (scale === 'share' && base.totalUs > 0 && next.totalUs > 0)
    return { scale, baseFactor: next.totalUs / base.totalUs, reason };
  if (scale !== 'absolute')
    return { scale: 'absolute', baseFactor: 1, reason: `a run has no samples: ${SCALE_MEANING.absolute}` };
  return { scale, baseFactor: 1, reason };
}
