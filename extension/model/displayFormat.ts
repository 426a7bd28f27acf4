/**
 * How times and shares read everywhere: the editor (inline times, CodeLens, hovers, progress),
 * the panel and the HTML report (bundled into the page: no imports here) and the CLI's text
 * report. One wording, so the same time reads the same side by side.
 */
import type { TimeMode } from './types';

/** What a zero or missing measured time or share reads as. */
export const NO_TIME = '—';

/** The time a mode counts, as every report names it: "wall-clock", "on-CPU", "GIL". */
export function timeModeName(mode: TimeMode): string {
  return mode === 'cpu' ? 'on-CPU' : mode === 'gil' ? 'GIL' : 'wall-clock';
}

/**
 * A point on the run's clock or a setting (axis ticks, a range, the sampling interval, a run's
 * length so far) in µs, to the microsecond when small: "0", "850 µs", "12.3 ms", "1.23 s",
 * "59.9 s", "2 min 05 s", "1 h 02 min". Three significant digits at most below a minute.
 */
export function formatTime(us: number): string {
  if (!Number.isFinite(us) || us <= 0) return '0';
  // Each bound is where the value would round up into the next unit ("1000 ms" never shows).
  if (us < 999.5) return `${Math.round(us)} µs`;
  if (us < 999_500) return `${threeDigits(us / 1_000)} ms`;
  if (us < 59_950_000) return `${threeDigits(us / 1_000_000)} s`;
  const totalSeconds = Math.round(us / 1_000_000);
  if (totalSeconds < 3_600) {
    return `${Math.floor(totalSeconds / 60)} min ${twoDigits(totalSeconds % 60)} s`;
  }
  const totalMinutes = Math.round(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)} h ${twoDigits(totalMinutes % 60)} min`;
}

/**
 * A measured time (a function's, a line's) in µs: as `formatTime`, but "< 1 ms" for a positive
 * time under a millisecond (at the default 1 kHz less than one sample's worth, so more digits
 * would be noise) and "—" for none, so "0" never reads as a sampled time.
 */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us) || us <= 0) return NO_TIME;
  if (us < 1_000) return '< 1 ms';
  return formatTime(us);
}

/** A share in 0…1 as "34.5%", "100%", "<0.1%"; "—" for none (as a time reads for none). */
export function formatShare(share: number): string {
  if (!Number.isFinite(share) || share <= 0) return NO_TIME;
  const percent = share * 100;
  if (percent < 0.1) return '<0.1%';
  if (percent >= 99.95) return '100%';
  return `${percent.toFixed(1)}%`;
}

/** 1234567 → "1,234,567" without depending on the locale. */
export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Three significant digits, never exponent notation: 1.23, 12.3, 123 (9.996 → "10.0"). */
function threeDigits(value: number): string {
  if (value >= 99.95) return value.toFixed(0);
  if (value >= 9.995) return value.toFixed(1);
  return value.toFixed(2);
}

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

/** The minus sign of a decrease (U+2212: as wide as "+", and not a hyphen). */
const MINUS = '\u2212';

/**
 * A difference of times in µs, signed: "+120 ms", "−35.0 ms", "+< 1 ms" for a positive change
 * under a millisecond, "±0" for none.
 */
export function formatTimeChange(diffUs: number): string {
  if (!Number.isFinite(diffUs) || diffUs === 0) return '±0';
  return `${diffUs > 0 ? '+' : MINUS}${formatDuration(Math.abs(diffUs))}`;
}

/**
 * A ratio new / baseline as a change: "+35%", "−35%", "×3.0" from twice as slow on (a percentage
 * above +100% reads badly), "new" when the baseline had none, "gone" when the new run has none.
 */
export function formatRatioChange(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return 'new';
  if (ratio <= 0) return 'gone';
  if (ratio >= 2) return `×${ratio >= 9.95 ? ratio.toFixed(0) : ratio.toFixed(1)}`;
  const percent = Math.round((ratio - 1) * 100);
  if (percent === 0) return '±0%';
  return `${percent > 0 ? '+' : MINUS}${Math.abs(percent)}%`;
}
