/**
 * The processes of a profile as a tree, for the process selector and the timeline's groups: each
 * process under its parent (a worker under the pool that started it, a program under the shell
 * that ran it), children in the order they were found. No DOM here.
 */
import { processesWithPython } from '../extension/views/processSummaries';
import type { ProcessSummary, ThreadSummary, TimelineLanePayload } from '../extension/views/protocol';

export { processesWithPython };

export interface ProcessNode {
  process: ProcessSummary;
  /** 0 for a process whose parent is not in the profile (the program), 1 for its children… */
  depth: number;
}

/** Depth-first, parents before their children; a parent missing from the list makes a root. */
export function processTreeOrder(processes: readonly ProcessSummary[]): ProcessNode[] {
  const known = new Set(processes.map((p) => p.index));
  const children = new Map<number, ProcessSummary[]>();
  for (const p of processes) {
    const parent = known.has(p.parent) && p.parent !== p.index ? p.parent : -1;
    const list = children.get(parent) ?? [];
    list.push(p);
    children.set(parent, list);
  }
  const out: ProcessNode[] = [];
  const seen = new Set<number>();
  // Explicit stack: a chain of thousands of execs must not overflow the JS stack.
  const stack: ProcessNode[] = [...(children.get(-1) ?? [])]
    .reverse()
    .map((process) => ({ process, depth: 0 }));
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node.process.index)) continue;
    seen.add(node.process.index);
    out.push(node);
    const kids = children.get(node.process.index) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ process: kids[i], depth: node.depth + 1 });
  }
  // A cycle of parents (not from the sampler, but a file can say anything) still lists everyone.
  for (const process of processes) if (!seen.has(process.index)) out.push({ process, depth: 0 });
  return out;
}

export type TimelineRow<L> =
  | { kind: 'process'; process: ProcessSummary; depth: number }
  | { kind: 'lane'; lane: L; depth: number; label: string };

/**
 * The timeline's rows: each process's header, then its threads' lanes (in the order given), then
 * its children's groups. A lane's label drops the process's name its group header already says.
 */
export function groupLanes<L extends TimelineLanePayload>(
  lanes: readonly L[],
  threads: readonly ThreadSummary[],
  processes: readonly ProcessSummary[],
): TimelineRow<L>[] {
  const processOf = new Map(threads.map((t) => [t.index, t.process ?? 0]));
  const byProcess = new Map<number, L[]>();
  for (const lane of lanes) {
    const p = processOf.get(lane.thread) ?? 0;
    const list = byProcess.get(p) ?? [];
    list.push(lane);
    byProcess.set(p, list);
  }
  const rows: TimelineRow<L>[] = [];
  const placed = new Set<L>();
  for (const { process, depth } of processTreeOrder(processesWithPython(processes))) {
    rows.push({ kind: 'process', process, depth });
    for (const lane of byProcess.get(process.index) ?? []) {
      const prefix = `${process.label} · `;
      const label = lane.label.startsWith(prefix) ? lane.label.slice(prefix.length) : lane.label;
      rows.push({ kind: 'lane', lane, depth: depth + 1, label });
      placed.add(lane);
    }
  }
  // Threads of a process the list does not have keep their lanes, at the end.
  for (const lane of lanes)
    if (!placed.has(lane)) rows.push({ kind: 'lane', lane, depth: 0, label: lane.label });
  return rows;
}

/** The process's lifetime on the timeline: [start, end] in µs, end the run's end while it ran on. */
export function processSpan(process: ProcessSummary, durationUs: number): { start: number; end: number } {
  const start = Math.max(0, Math.min(process.startUs, durationUs));
  const end = process.endUs === null ? durationUs : Math.max(start, Math.min(process.endUs, durationUs));
  return { start, end };
}

/** The text of a process's entry in the process selector: indented under its parent. */
export function processOptionText(node: ProcessNode): string {
  const { process, depth } = node;
  const indent = '\u00a0\u00a0'.repeat(depth);
  const why = process.samples > 0 ? '' : ` — ${process.note ?? 'no Python samples'}`;
  return `${indent}${process.label}${why}`;
}
