/**
 * Where a click on a Top functions row goes: the same place as a click on the function in the
 * call tree or flame graph, i.e. the line its heaviest call-tree node spent most time on (the
 * node's `line`); the `def` line is the Alt+click. No DOM here.
 */
import type { ViewPayload } from '../extension/views/protocol';

/** Per row of `view.functions`, the hot line (its `firstLine` when no tree node names it). */
export function functionHotLines(view: ViewPayload): Int32Array {
  const t = view.tree;
  const f = view.functions;
  const key = (file: number, name: number, first: number) => `${file}\0${name}\0${first}`;
  const best = new Map<string, number>();
  for (let i = 1; i < t.parent.length; i++) {
    const k = key(t.file[i], t.name[i], t.firstLine[i]);
    const seen = best.get(k);
    if (seen === undefined || t.totalUs[i] > t.totalUs[seen]) best.set(k, i);
  }
  const lines = new Int32Array(f.name.length);
  for (let r = 0; r < lines.length; r++) {
    const node = best.get(key(f.file[r], f.name[r], f.firstLine[r]));
    lines[r] = node !== undefined && t.line[node] > 0 ? t.line[node] : f.firstLine[r];
  }
  return lines;
}
