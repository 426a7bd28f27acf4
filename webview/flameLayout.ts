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

/** Where an arrow key moves the selection in the flame graph. */
export type FlameStep = 'up' | 'down' | 'left' | 'right';

/**
 * The frame an arrow key goes to from `node`: up to its caller, down to its widest callee, left
 * and right to the neighbouring frame of the same row (across parents, as the eye reads it).
 * Only frames laid out (wide enough to see) are reachable; from a frame not in the layout the
 * keys start at the layout's root. Undefined when there is nowhere to go.
 */
export function flameStep(
  layout: FlameLayout,
  tree: TreeData,
  node: number,
  step: FlameStep,
): number | undefined {
  const at = findRect(layout, node);
  if (!at) return layout.rows.length > 0 ? layout.root : undefined;
  const row = layout.rows[at.depth];
  switch (step) {
    case 'up':
      return at.depth > 0 ? tree.parent(node) : undefined;
    case 'down':
      // Children are laid out left to right by total time: the first one is the widest.
      return layout.rows[at.depth + 1]?.find((r) => tree.parent(r.node) === node)?.node;
    case 'left':
      return row[at.index - 1]?.node;
    case 'right':
      return row[at.index + 1]?.node;
  }
}

/** The rectangle of `node` in the layout with its depth and place in the row, or undefined. */
export function findRect(layout: FlameLayout, node: number): { depth: number; index: number } | undefined {
  for (let depth = 0; depth < layout.rows.length; depth++) {
    const index = layout.rows[depth].findIndex((r) => r.node === node);
    if (index >= 0) return { depth, index };
  }
  return undefined;
}
