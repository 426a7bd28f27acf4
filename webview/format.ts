/** How times, shares and locations read everywhere in the panel. */

/**
 * A measured time (a function's or a line's, a run's length) in µs: "12.3 ms", "1.23 s",
 * "12 m 05 s"; "< 1 ms" for a positive time under a millisecond (at the default 1 kHz that is
 * less than one sample's worth, so more digits would be noise) and "—" for none. "0" never reads
 * as a sampled time. The editor's CodeLens and inline times use the same wording.
 */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us) || us <= 0) return NO_TIME;
  if (us < 1_000) return '< 1 ms';
  return formatTime(us);
}

/** What a zero or missing time reads as. */
export const NO_TIME = '—';

/**
 * A point on the run's clock or a setting (axis ticks, a range, the sampling interval, a tick's
 * cost) in µs, to the microsecond when small: "0", "850 µs", "12.3 ms", "1.23 s", "12 m 05 s".
 */
export function formatTime(us: number): string {
  if (!Number.isFinite(us) || us <= 0) return '0';
  if (us < 1_000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${trim(us / 1_000)} ms`;
  if (us < 600_000_000) return `${trim(us / 1_000_000)} s`;
  const totalSeconds = Math.round(us / 1_000_000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes} m ${String(seconds).padStart(2, '0')} s`;
}

/** Three significant digits, never exponent notation: 1.23, 12.3, 123. */
function trim(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** part/total as "34.1%"; "—" for no part (as a time reads for none). */
export function formatShare(part: number, total: number): string {
  if (total <= 0 || part <= 0) return NO_TIME;
  const pct = (100 * part) / total;
  if (pct >= 99.95) return '100%';
  return pct < 0.1 ? '<0.1%' : `${pct.toFixed(1)}%`;
}

/** The last `keep` components of a path: enough to recognise, short enough to fit. */
export function shortPath(file: string, keep = 2): string {
  if (file.startsWith('<')) return file; // "<frozen runpy>", "<string>"
  const parts = file.split(/[\\/]/).filter((p) => p.length > 0);
  if (parts.length <= keep) return file;
  return `…/${parts.slice(-keep).join('/')}`;
}

/**
 * Bidirectional controls (embeddings, overrides, isolates, marks) reorder the text around them,
 * so a profiled name like `report\u202Etxt.exe` would read as another file and line. They are
 * shown as visible escapes wherever profile text is displayed.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function visibleText(text: string): string {
  return text.replace(
    BIDI_CONTROLS,
    (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

export function formatLocation(file: string, line: number): string {
  const short = visibleText(shortPath(file));
  return line > 0 ? `${short}:${line}` : short;
}

/** 1234567 → "1,234,567" without depending on the page's locale. */
export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
