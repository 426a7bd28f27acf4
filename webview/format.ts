/** How times, shares and locations read everywhere in the panel. */

import { formatShare as formatShareOfOne } from '../extension/model/displayFormat';

// Times and counts read as in the editor and the CLI: one wording, in one module.
export {
  formatCount,
  formatDuration,
  formatTime,
  NO_TIME,
  timeModeName,
} from '../extension/model/displayFormat';

/** part/total as "34.1%"; "—" for no part (as a time reads for none). */
export function formatShare(part: number, total: number): string {
  return total > 0 ? formatShareOfOne(part / total) : formatShareOfOne(0);
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
