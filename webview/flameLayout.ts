/**
 * Icicle layout: the zoomed node spans the full width at depth 0 and each
 * child sits under its parent, left to right in the tree's order, as wide as
 * its share of the parent. Subtrees narrower than `minWidth` pixels are not
 * laid out at all, so the cost follows what can be seen, not the tree size.
 */
import type { TreeData } from './treeData';

export interface FlameRect {
  node: number;
  x: number;
  width: number;
  depth: number;
}

export interface FlameLayout {
  /** Rectangles per depth, each row sorted by x. */
  rows: FlameRect[][];
  root: number;
  width: number;
}

export function layoutIcicle(tree: TreeData, root: number, width: number, minWidth = 0.5): FlameLayout {
  const rows: FlameRect[][] = [];
  const rootTotal = tree.totalUs(root);
  if (tree.count === 0 || width <= 0 || rootTotal <= 0) return { rows, root, width };
  const scale = width / rootTotal;
  const stack: FlameRect[] = [{ node: root, x: 0, width, depth: 0 }];
  while (stack.length > 0) {
    const rect = stack.pop()!;
    (rows[rect.depth] ??= []).push(rect);
    const kids = tree.children(rect.node);
    // Children are pushed in reverse so the stack pops them left to right,
    // which keeps every row sorted by x without a sort.
    let x = rect.x;
    const placed: FlameRect[] = [];
    for (const child of kids) {
      const w = tree.totalUs(child) * scale;
      if (w >= minWidth) placed.push({ node: child, x, width: w, depth: rect.depth + 1 });
      x += w;
    }
    for (let i = placed.length - 1; i >= 0; i--) stack.push(placed[i]);
  }
  return { rows, root, width };
}

/** The rectangle under (x, depth), or undefined. */
export function hitTest(layout: FlameLayout, x: number, depth: number): FlameRect | undefined {
  const row = layout.rows[depth];
  if (!row) return undefined;
  let lo = 0;
  let hi = row.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = row[mid];
    if (x < r.x) hi = mid - 1;
    else if (x >= r.x + r.width) lo = mid + 1;
    else return r;
  }
  return undefined;
}

/** Root-to-node chain for the breadcrumb (excludes the tree root, node 0). */
export function ancestry(tree: TreeData, node: number): number[] {
  const chain: number[] = [];
  for (let n = node; n > 0; n = tree.parent(n)) chain.push(n);
  return chain.reverse();
}

/** A stable colour choice per function: the same name gets the same shade everywhere. */
export function hashName(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}
