/**
 * Who called into a line and what it called, for the hover of that line:
 * computed for a whole file in one pass over the stack tree (not the samples)
 * and then looked up per line. No `vscode` import.
 *
 * A caller is the nearest visible frame above the line's frame (its file and
 * the line that made the call); a callee is the nearest visible frame below it
 * (its function, linked to its `def`). Time is the total of the stack nodes
 * involved, so a recursive call path can be counted more than once; the hover
 * shows the top few entries, where that does not change the order that matters.
 */
import type { ProfileView } from '../model/processors';
import { stackTotals, visibleAncestors } from '../model/processors';

export interface Neighbour {
  /** Qualified function name. */
  name: string;
  /** File as recorded in the profile, and the 1-based line to jump to. */
  file: string;
  line: number;
  totalUs: number;
}

export interface LineNeighbours {
  callers: Neighbour[];
  callees: Neighbour[];
}

/** How many callers and callees a hover lists. */
export const MAX_NEIGHBOURS = 5;

/** Line → its top callers and callees, for every line of `file` (the path as recorded). */
export function buildLineNeighbours(
  view: ProfileView,
  file: string,
  limit = MAX_NEIGHBOURS,
): Map<number, LineNeighbours> {
  const { profile, index, hidden } = view;
  const { strings, frameFile, frameName, frameLine, stackParent, stackFrame } = profile;
  const totals = stackTotals(view).us;
  const visible = visibleAncestors(view);

  // frame → is it a line of `file`? Compared once per frame, not per stack.
  const inFile = new Uint8Array(frameFile.length);
  for (let f = 0; f < inFile.length; f++) inFile[f] = strings[frameFile[f]] === file && !hidden[f] ? 1 : 0;

  const callers = new Map<number, Map<string, Neighbour>>();
  const callees = new Map<number, Map<string, Neighbour>>();
  const add = (
    table: Map<number, Map<string, Neighbour>>,
    line: number,
    key: string,
    make: () => Neighbour,
    us: number,
  ) => {
    let entries = table.get(line);
    if (!entries) table.set(line, (entries = new Map()));
    let entry = entries.get(key);
    if (!entry) entries.set(key, (entry = make()));
    entry.totalUs += us;
  };

  for (let s = 0; s < stackParent.length; s++) {
    const us = totals[s];
    if (us <= 0) continue;
    const frame = stackFrame[s];
    if (hidden[frame]) continue;
    const parent = stackParent[s] < 0 ? -1 : visible[stackParent[s]];
    if (parent < 0) continue;
    const parentFrame = stackFrame[parent];
    if (inFile[frame]) {
      const line = frameLine[frame];
      add(
        callers,
        line,
        `${parentFrame}`,
        () => ({
          name: strings[frameName[parentFrame]],
          file: strings[frameFile[parentFrame]],
          line: frameLine[parentFrame],
          totalUs: 0,
        }),
        us,
      );
    }
    if (inFile[parentFrame]) {
      const fn = index.functions[index.frameFunction[frame]];
      add(
        callees,
        frameLine[parentFrame],
        fn.key,
        () => ({ name: fn.name, file: fn.file, line: fn.firstLine, totalUs: 0 }),
        us,
      );
    }
  }

  const top = (entries: Map<string, Neighbour> | undefined) =>
    entries ? [...entries.values()].sort((a, b) => b.totalUs - a.totalUs).slice(0, limit) : [];
  const result = new Map<number, LineNeighbours>();
  for (const line of new Set([...callers.keys(), ...callees.keys()])) {
    result.set(line, { callers: top(callers.get(line)), callees: top(callees.get(line)) });
  }
  return result;
}
