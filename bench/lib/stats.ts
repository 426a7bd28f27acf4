/** Summaries of repeated measurements: the median and the range, never a mean of noisy runs. */

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** Median and min–max of the finite values, or undefined when there are none. */
export function spread(values: readonly number[]): Spread | undefined {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return undefined;
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[n - 1], n };
}

/** "×1.23 (1.20–1.31)" for a ratio spread. */
export function formatRatio(s: Spread | undefined): string {
  if (!s) return '—';
  return `×${s.median.toFixed(3)} (${s.min.toFixed(3)}–${s.max.toFixed(3)})`;
}

/** A spread with a unit and fixed decimals: "12.3 µs (11.9–13.0)". */
export function formatSpread(s: Spread | undefined, unit: string, digits = 1): string {
  if (!s) return '—';
  const u = unit ? ` ${unit}` : '';
  if (s.n === 1 || s.min === s.max) return `${s.median.toFixed(digits)}${u}`;
  return `${s.median.toFixed(digits)}${u} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/** A spread of shares (0.05) as percentages: "5.0 % (4.8–5.2)". */
export function formatPercent(s: Spread | undefined, digits = 1): string {
  return s
    ? formatSpread({ ...s, median: s.median * 100, min: s.min * 100, max: s.max * 100 }, '%', digits)
    : '—';
}

export interface Interval {
  low: number;
  high: number;
  /** The probability that the interval holds the true median (≥ the level asked for, when n allows). */
  coverage: number;
}

/**
 * A distribution-free confidence interval for the median: the k-th smallest and
 * k-th largest of n values hold the true median with probability
 * 1 − 2·P(Binomial(n, ½) < k), whatever the distribution. The widest k that
 * still reaches `level` is taken; with too few values (n ≤ 5 for 95%) that is
 * the min–max, with the lower coverage it has. No resampling: the same values
 * always give the same interval.
 */
export function medianInterval(values: readonly number[], level = 0.95): Interval | undefined {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return undefined;
  // tail[k] = P(Binomial(n, ½) < k)
  const tail: number[] = [0];
  let term = 0.5 ** n; // P(X = 0)
  for (let j = 0; j < n; j++) {
    tail.push(tail[j] + term);
    term = (term * (n - j)) / (j + 1);
  }
  let k = 1;
  while (k + 1 <= Math.ceil(n / 2) && 1 - 2 * tail[k + 1] >= level) k++;
  return { low: sorted[k - 1], high: sorted[n - k], coverage: Math.max(0, 1 - 2 * tail[k]) };
}
