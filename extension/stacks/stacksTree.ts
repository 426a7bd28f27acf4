/**
 * The Current Stacks view: one item per thread (name, running or waiting, TID), its frames below,
 * innermost first as in a traceback read bottom-up (as the debugger's Call Stack). On CPython
 * 3.14+ an "Asyncio tasks" item holds the tasks, each with its await chain and, below it, the
 * tasks that await it. A frame opens its line. Everything shown comes from the program, as plain
 * tree labels (never Markdown).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { commandCall } from '../contributions/commandIds';
import { resolveProfilePath } from '../model/sourceFiles';
import type { DumpedFrame, DumpedTask, DumpedThread, StackDump } from '../session/stackDump';
import { threadLabel } from './stackMarks';

type Item =
  | { kind: 'thread'; thread: DumpedThread }
  | { kind: 'frame'; frame: DumpedFrame; cwd: string | null }
  | { kind: 'tasks'; count: number; note?: string }
  | { kind: 'task'; task: DumpedTask };

export class StacksTree implements vscode.TreeDataProvider<Item> {
  private dump: StackDump | undefined;
  // Built once per dump: the view knows an item by the object it was given (reveal, getParent).
  private threads: Item[] = [];
  private readonly frames = new Map<Item, Item[]>();
  private readonly parents = new Map<Item, Item>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  get current(): StackDump | undefined {
    return this.dump;
  }

  /** The first thread's item (to reveal the view with), once a dump is shown. */
  get first(): Item | undefined {
    return this.threads[0];
  }

  set(dump: StackDump | undefined): void {
    this.dump = dump;
    this.frames.clear();
    this.parents.clear();
    this.threads = (dump?.threads ?? []).map((thread) => ({ kind: 'thread', thread }));
    const cwd = dump?.cwd ?? null;
    const adopt = (parent: Item, children: Item[]) => {
      this.frames.set(parent, children);
      for (const child of children) this.parents.set(child, parent);
    };
    const framesOf = (frames: DumpedFrame[]): Item[] =>
      frames.map((frame) => ({ kind: 'frame', frame, cwd }));
    for (const item of this.threads) if (item.kind === 'thread') adopt(item, framesOf(item.thread.frames));
    if (dump?.tasks && (dump.tasks.length > 0 || dump.tasksNote)) {
      const tasks = dump.tasks;
      const root: Item = { kind: 'tasks', count: tasks.length, note: dump.tasksNote };
      this.threads.push(root);
      // A task under the task awaiting it (the first one, if several: an item has one parent).
      const under = (parent: string | undefined) =>
        tasks.filter((t) => (parent === undefined ? t.awaitedBy.length === 0 : t.awaitedBy[0] === parent));
      const taskItems = (children: DumpedTask[]): Item[] => children.map((task) => ({ kind: 'task', task }));
      // Each task: its frames, then the tasks it awaits, nested the same way.
      const add = (parent: Item, items: Item[], depth: number) => {
        adopt(parent, items);
        for (const item of items) {
          if (item.kind !== 'task') continue;
          const nested = depth < 64 ? taskItems(under(item.task.id)) : [];
          add(item, [...framesOf(item.task.frames), ...nested], depth + 1);
        }
      };
      add(root, taskItems(under(undefined)), 0);
    }
    this.changed.fire();
  }

  getChildren(item?: Item): Item[] {
    return item ? (this.frames.get(item) ?? []) : this.threads;
  }

  getParent(item: Item): Item | undefined {
    return this.parents.get(item);
  }

  getTreeItem(item: Item): vscode.TreeItem {
    if (item.kind === 'tasks') {
      const tree = new vscode.TreeItem('Asyncio tasks', vscode.TreeItemCollapsibleState.Expanded);
      tree.description = item.note ?? `${item.count}, each under the task awaiting it`;
      tree.iconPath = new vscode.ThemeIcon('list-tree');
      tree.contextValue = 'tasks';
      return tree;
    }
    if (item.kind === 'task') {
      const { task } = item;
      const running = task.state === 'running';
      const tree = new vscode.TreeItem(task.name, vscode.TreeItemCollapsibleState.Expanded);
      const where = running && task.thread ? ` in ${task.thread.name || `TID ${task.thread.tid}`}` : '';
      tree.description = `task · ${task.state}${where}`;
      tree.iconPath = new vscode.ThemeIcon(
        running ? 'play-circle' : 'debug-pause',
        new vscode.ThemeColor(running ? 'charts.green' : 'charts.yellow'),
      );
      tree.contextValue = 'task';
      return tree;
    }
    if (item.kind === 'thread') {
      const { thread } = item;
      const running = thread.state === 'running';
      const tree = new vscode.TreeItem(threadLabel(thread), vscode.TreeItemCollapsibleState.Expanded);
      const gil = running && thread.holdsGil ? ', holds the GIL' : '';
      tree.description = `${thread.state}${gil} · TID ${thread.tid || 'unknown'}${thread.main ? ' · main' : ''}`;
      tree.iconPath = new vscode.ThemeIcon(
        running ? 'play-circle' : 'debug-pause',
        new vscode.ThemeColor(running ? 'charts.green' : 'charts.yellow'),
      );
      tree.tooltip = `${threadLabel(thread)}: ${thread.state}${gil}, ${thread.frames.length} frames${thread.truncated ? ' (outer frames cut)' : ''}`;
      tree.contextValue = 'thread';
      return tree;
    }
    const { frame, cwd } = item;
    const tree = new vscode.TreeItem(frame.function, vscode.TreeItemCollapsibleState.None);
    tree.description =
      frame.line > 0 ? `${path.basename(frame.file)}:${frame.line}` : path.basename(frame.file);
    tree.tooltip = frame.line > 0 ? `${frame.file}:${frame.line}` : frame.file;
    tree.iconPath = new vscode.ThemeIcon('debug-stackframe');
    // Relative names are the process's: resolved against its working directory. A frame without
    // a file (`<string>`, a frozen module) opens nothing; revealLocation says why.
    const file = resolveProfilePath(frame.file, cwd ?? '/') ?? frame.file;
    tree.command = {
      title: 'Open',
      ...commandCall('hotpath.revealLocation', { path: file, line: frame.line }),
    };
    tree.contextValue = 'frame';
    return tree;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
