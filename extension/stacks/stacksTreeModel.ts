/**
 * The Current Stacks view's items, built once per read: one process alone shows its threads at
 * the top (and on CPython 3.14+ an "Asyncio tasks" item); several show one item per process,
 * parents first, with its threads and tasks below, and a process that could not be read has no
 * children. No `vscode` import: stacksTree.ts turns these items into tree items; unit-tested.
 */
import type { DumpedFrame, DumpedTask, DumpedThread, StackDump } from '../session/stackDump';
import type { ShownProcess } from './stackFamily';

export type StackItem =
  | { kind: 'process'; process: ShownProcess; root: number }
  | { kind: 'thread'; thread: DumpedThread }
  | { kind: 'frame'; frame: DumpedFrame; cwd: string | null }
  | { kind: 'tasks'; count: number; note?: string }
  | { kind: 'task'; task: DumpedTask };

export interface StackItems {
  roots: StackItem[];
  children: Map<StackItem, StackItem[]>;
  parents: Map<StackItem, StackItem>;
}

/** Deeper task nesting is cut here (a cycle of awaiters cannot recurse without end). */
const MAX_TASK_DEPTH = 64;

export function stackItems(processes: readonly ShownProcess[]): StackItems {
  const items: StackItems = { roots: [], children: new Map(), parents: new Map() };
  const adopt = (parent: StackItem, children: StackItem[]) => {
    items.children.set(parent, children);
    for (const child of children) items.parents.set(child, parent);
  };
  if (processes.length === 1 && processes[0].dump) {
    items.roots = dumpItems(processes[0].dump, adopt);
    return items;
  }
  const root = processes[0]?.pid ?? 0;
  for (const process of processes) {
    const item: StackItem = { kind: 'process', process, root };
    items.roots.push(item);
    if (process.dump) adopt(item, dumpItems(process.dump, adopt));
  }
  return items;
}

/** A dump's threads, each with its frames, then its tasks item (with `adopt` wiring children). */
function dumpItems(dump: StackDump, adopt: (parent: StackItem, children: StackItem[]) => void): StackItem[] {
  const cwd = dump.cwd;
  const framesOf = (frames: DumpedFrame[]): StackItem[] =>
    frames.map((frame) => ({ kind: 'frame', frame, cwd }));
  const top: StackItem[] = [];
  for (const thread of dump.threads) {
    const item: StackItem = { kind: 'thread', thread };
    adopt(item, framesOf(thread.frames));
    top.push(item);
  }
  if (dump.tasks && (dump.tasks.length > 0 || dump.tasksNote)) {
    const tasks = dump.tasks;
    const root: StackItem = { kind: 'tasks', count: tasks.length, note: dump.tasksNote };
    top.push(root);
    // A task under the task awaiting it (the first one, if several: an item has one parent).
    const under = (parent: string | undefined) =>
      tasks.filter((t) => (parent === undefined ? t.awaitedBy.length === 0 : t.awaitedBy[0] === parent));
    const taskItems = (children: DumpedTask[]): StackItem[] =>
      children.map((task) => ({ kind: 'task', task }));
    // Each task: its frames, then the tasks it awaits, nested the same way.
    const add = (parent: StackItem, children: StackItem[], depth: number) => {
      adopt(parent, children);
      for (const child of children) {
        if (child.kind !== 'task') continue;
        const nested = depth < MAX_TASK_DEPTH ? taskItems(under(child.task.id)) : [];
        add(child, [...framesOf(child.task.frames), ...nested], depth + 1);
      }
    };
    add(root, taskItems(under(undefined)), 0);
  }
  return top;
}
