/**
 * The call tree as the page holds it: the posted columns plus child lists,
 * depths and expansion state in typed arrays, and the flattening into the
 * visible rows of the virtualised list. No DOM here.
 */
import { NodeFlag, type ViewPayload } from '../extension/views/protocol';

/** Nodes at or above this share of the total open when a profile arrives. */
export const AUTO_EXPAND_SHARE = 0.1;

export class TreeData {
  readonly count: number;
  readonly depth: Int32Array;
  readonly expanded: Uint8Array;
  /** Children of node i are childList[childStart[i] .. childStart[i + 1]). */
  private readonly childStart: Int32Array;
  private readonly childList: Int32Array;
  private readonly lowerName: string[];

  constructor(readonly view: ViewPayload) {
    const parent = view.tree.parent;
    const n = parent.length;
    this.count = n;
    this.depth = new Int32Array(n);
    this.expanded = new Uint8Array(n);
    const counts = new Int32Array(n + 1);
    for (let i = 1; i < n; i++) counts[parent[i] + 1]++;
    this.childStart = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) this.childStart[i + 1] = this.childStart[i] + counts[i + 1];
    this.childList = new Int32Array(Math.max(0, n - 1));
    const fill = this.childStart.slice(0, n);
    for (let i = 1; i < n; i++) {
      const p = parent[i];
      this.childList[fill[p]++] = i;
      this.depth[i] = this.depth[p] + 1;
    }
    this.lowerName = view.strings.map((s) => s.toLowerCase());
  }

  children(node: number): Int32Array {
    return this.childList.subarray(this.childStart[node], this.childStart[node + 1]);
  }

  childCount(node: number): number {
    return this.childStart[node + 1] - this.childStart[node];
  }

  parent(node: number): number {
    return this.view.tree.parent[node];
  }

  name(node: number): string {
    return this.view.strings[this.view.tree.name[node]];
  }

  file(node: number): string {
    return this.view.strings[this.view.tree.file[node]];
  }

  line(node: number): number {
    return this.view.tree.line[node];
  }

  firstLine(node: number): number {
    return this.view.tree.firstLine[node];
  }

  totalUs(node: number): number {
    return this.view.tree.totalUs[node];
  }

  selfUs(node: number): number {
    return this.view.tree.selfUs[node];
  }

  hidden(node: number): number {
    return this.view.tree.hidden[node];
  }

  /** The tree carries each node's change from a baseline (the editor compares the runs). */
  get comparing(): boolean {
    return this.view.tree.change !== undefined;
  }

  /** −3 (much faster) … 3 (much slower), 0 within noise or when not comparing. */
  change(node: number): number {
    return this.view.tree.change?.[node] ?? 0;
  }

  /** The baseline's total at the node's call path, in this run's terms (0: new). */
  baseUs(node: number): number {
    return this.view.tree.baseUs?.[node] ?? 0;
  }

  isLibrary(node: number): boolean {
    return (this.view.tree.flags[node] & NodeFlag.library) !== 0;
  }

  /** A thread's root (the "one root per thread" option): no source to go to. */
  isThread(node: number): boolean {
    return (this.view.tree.flags[node] & NodeFlag.thread) !== 0;
  }

  /** Opens the root and every node carrying at least `share` of the total time. */
  expandHotPath(share = AUTO_EXPAND_SHARE): void {
    if (this.count === 0) return;
    this.expanded[0] = 1;
    const threshold = this.view.totalUs * share;
    for (let i = 1; i < this.count; i++) {
      if (this.expanded[this.parent(i)] && this.totalUs(i) >= threshold && this.childCount(i) > 0) {
        this.expanded[i] = 1;
      }
    }
  }

  /** Opens `node` and everything below it (its subtree is contiguous in depth-first order). */
  expandSubtree(node: number): void {
    if (this.childCount(node) > 0) this.expanded[node] = 1;
    const depth = this.depth[node];
    for (let i = node + 1; i < this.count && this.depth[i] > depth; i++) {
      if (this.childCount(i) > 0) this.expanded[i] = 1;
    }
  }

  /** Opens every ancestor of `node` so it is visible. */
  revealNode(node: number): void {
    for (let p = this.parent(node); p >= 0; p = this.parent(p)) this.expanded[p] = 1;
  }

  /**
   * The visible rows in display order: children of expanded nodes, depth
   * first. The root itself is not a row; its children are the top level.
   */
  visibleRows(): Int32Array {
    if (this.count === 0) return new Int32Array(0);
    const out: number[] = [];
    const stack: number[] = [];
    const pushChildren = (node: number) => {
      const kids = this.children(node);
      for (let c = kids.length - 1; c >= 0; c--) stack.push(kids[c]);
    };
    pushChildren(0);
    while (stack.length > 0) {
      const node = stack.pop()!;
      out.push(node);
      if (this.expanded[node]) pushChildren(node);
    }
    return Int32Array.from(out);
  }

  /** Nodes whose function name or file contains `query` (case-insensitive). */
  search(query: string): Uint8Array {
    const marks = new Uint8Array(this.count);
    const q = query.trim().toLowerCase();
    if (!q) return marks;
    const names = this.view.tree.name;
    const files = this.view.tree.file;
    const hits = new Uint8Array(this.view.strings.length);
    this.lowerName.forEach((s, i) => {
      if (s.includes(q)) hits[i] = 1;
    });
    for (let i = 1; i < this.count; i++) if (hits[names[i]] || hits[files[i]]) marks[i] = 1;
    return marks;
  }

  /**
   * Nodes that ran `file:line`: the function's own line or its definition.
   * Paths compare by suffix because the editor may see an absolute path
   * where the profile recorded a relative one.
   */
  locate(file: string, line: number): Uint8Array {
    const marks = new Uint8Array(this.count);
    const strings = this.view.strings;
    const fileMatch = new Uint8Array(strings.length);
    strings.forEach((s, i) => {
      if (s && samePath(s, file)) fileMatch[i] = 1;
    });
    const files = this.view.tree.file;
    for (let i = 1; i < this.count; i++) {
      if (fileMatch[files[i]] && (this.line(i) === line || this.firstLine(i) === line)) marks[i] = 1;
    }
    return marks;
  }

  /** Opens the ancestors of every marked node (at most `limit` of them). */
  revealMarked(marks: Uint8Array, limit = 5_000): number {
    let revealed = 0;
    for (let i = 1; i < this.count && revealed < limit; i++) {
      if (marks[i]) {
        this.revealNode(i);
        revealed++;
      }
    }
    return revealed;
  }

  /**
   * Path keys of the open nodes whose ancestors are all open (what the user
   * sees), or undefined when there are more than `limit`. Computed parent
   * first, so each key extends its parent's instead of walking to the root.
   */
  openKeys(limit = 3_000): Set<string> | undefined {
    const keys = new Set<string>();
    const keyOf = new Map<number, string>([[0, '']]);
    for (let i = 1; i < this.count; i++) {
      const parentKey = keyOf.get(this.parent(i));
      if (parentKey === undefined || !this.expanded[i]) continue;
      const key = parentKey ? `${parentKey}\n${this.segment(i)}` : this.segment(i);
      keyOf.set(i, key);
      keys.add(key);
      if (keys.size > limit) return undefined;
    }
    return keys;
  }

  /** Opens the root and the nodes whose path keys are given (from another tree's openKeys). */
  openByKeys(keys: Set<string>): void {
    if (this.count === 0) return;
    this.expanded[0] = 1;
    const keyOf = new Map<number, string>([[0, '']]);
    for (let i = 1; i < this.count; i++) {
      const parentKey = keyOf.get(this.parent(i));
      if (parentKey === undefined) continue;
      const key = parentKey ? `${parentKey}\n${this.segment(i)}` : this.segment(i);
      if (!keys.has(key)) continue;
      keyOf.set(i, key);
      if (this.childCount(i) > 0) this.expanded[i] = 1;
    }
  }

  /**
   * Opens what was open in the tree this one replaces (its openKeys), or the hot path when
   * none of that exists here (e.g. after switching to one root per thread) or it was too much.
   */
  reopen(keys: Set<string> | undefined): void {
    if (keys) this.openByKeys(keys);
    let opened = false;
    for (let i = 1; i < this.count && !opened; i++) opened = this.expanded[i] === 1;
    if (!opened) this.expandHotPath();
  }

  private segment(node: number): string {
    return `${this.file(node)}\0${this.name(node)}`;
  }

  /** Root-to-node path of function names: a stable key across re-computed trees. */
  pathKey(node: number): string {
    const parts: string[] = [];
    for (let n = node; n > 0; n = this.parent(n)) parts.push(this.segment(n));
    return parts.reverse().join('\n');
  }

  /** The node with this path key, or -1. */
  findByPathKey(key: string): number {
    if (!key) return -1;
    const parts = key.split('\n');
    let node = 0;
    for (const part of parts) {
      const next = Array.from(this.children(node)).find((c) => this.segment(c) === part);
      if (next === undefined) return -1;
      node = next;
    }
    return node;
  }
}

/**
 * Whether a path the profile recorded names the file the editor opened. An
 * absolute recording must match exactly; a relative one (the script as
 * typed) matches by whole trailing components.
 */
export function samePath(recorded: string, opened: string): boolean {
  if (recorded === opened) return true;
  const a = recorded.replace(/\\/g, '/').replace(/^\.\//, '');
  const b = opened.replace(/\\/g, '/');
  if (a.startsWith('/') || /^[A-Za-z]:\//.test(a)) return a === b;
  return b.endsWith(`/${a}`);
}

/**
 * The next (or previous) row after `from` whose node is marked, wrapping
 * around; -1 when none is. `from` = -1 starts at the top.
 */
export function nextMarkedRow(rows: Int32Array, marks: Uint8Array, from: number, backwards = false): number {
  const n = rows.length;
  if (n === 0) return -1;
  const step = backwards ? n - 1 : 1;
  let row = from < 0 ? (backwards ? 0 : n - 1) : from;
  for (let i = 0; i < n; i++) {
    row = (row + step) % n;
    if (marks[rows[row]]) return row;
  }
  return -1;
}

/**
 * The next (or previous) marked node after `from` in depth-first order (the order of the
 * columns), wrapping around; -1 when none is. Node 0, the root, is never a match.
 */
export function nextMarkedNode(marks: Uint8Array, from: number, backwards = false): number {
  const n = marks.length;
  if (n <= 1) return -1;
  let node = from > 0 && from < n ? from : backwards ? 1 : n - 1;
  for (let i = 0; i < n; i++) {
    node = backwards ? (node <= 1 ? n - 1 : node - 1) : node >= n - 1 ? 1 : node + 1;
    if (marks[node]) return node;
  }
  return -1;
}
