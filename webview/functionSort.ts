/** Ordering and filtering of the top-functions table. No DOM here. */
import type { FunctionColumns, ViewPayload } from '../extension/views/protocol';

export type FunctionSortKey = 'self' | 'total' | 'name';

export interface FunctionSort {
  key: FunctionSortKey;
  descending: boolean;
}

export const DEFAULT_FUNCTION_SORT: FunctionSort = { key: 'self', descending: true };

/**
 * Row indices of the functions whose name or file contains `query`, in the
 * requested order. Ties break by name so the order is stable.
 */
export function sortFunctions(view: ViewPayload, sort: FunctionSort, query = ''): number[] {
  const f: FunctionColumns = view.functions;
  const q = query.trim().toLowerCase();
  const rows: number[] = [];
  for (let i = 0; i < f.name.length; i++) {
    if (
      !q ||
      view.strings[f.name[i]].toLowerCase().includes(q) ||
      view.strings[f.file[i]].toLowerCase().includes(q)
    ) {
      rows.push(i);
    }
  }
  const name = (i: number) => view.strings[f.name[i]];
  const sign = sort.descending ? -1 : 1;
  const value = sort.key === 'self' ? f.selfUs : sort.key === 'total' ? f.totalUs : undefined;
  rows.sort((a, b) => {
    const primary = value ? value[a] - value[b] : name(a).localeCompare(name(b));
    return primary !== 0 ? sign * primary : name(a).localeCompare(name(b)) || a - b;
  });
  return rows;
}

/** Clicking a column: sort by it (largest first), or flip it when already sorted by it. */
export function toggleSort(current: FunctionSort, key: FunctionSortKey): FunctionSort {
  if (current.key === key) return { key, descending: !current.descending };
  return { key, descending: key !== 'name' };
}
