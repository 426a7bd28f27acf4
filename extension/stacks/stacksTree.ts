/**
 * The Current Stacks view: one item per process when it shows several (pid, script, Python
 * version; parents first), and one item per thread (name, running or waiting, TID), its frames below,
 * innermost first as in a traceback read bottom-up (as the debugger's Call Stack). On CPython
 * 3.14+ an "Asyncio tasks" item holds the tasks, each with its await chain and, below it, the
 * tasks that await it. A frame opens its line. Everything shown comes from the program, as plain
 * tree labels (never Markdown).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { commandCall } from '../contributions/commandIds';
import { resolveProfilePath } from '../model/sourceFiles';
import type { StackDump } from '../session/stackDump';
import { processText, type ShownProcess } from './stackFamily';
import { threadLabel } from './stackMarks';
import { stackItems, type StackItem, type StackItems } from './stacksTreeModel';

type Item = StackItem;

export class StacksTree implements vscode.TreeDataProvider<Item> {
  private shown: ShownProcess[] | undefined;
  // Built once per read: the view knows an item by the object it was given (reveal, getParent).
  private items: StackItems = stackItems([]);
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  /** The picked process's stacks. */
  get current(): StackDump | undefined {
    return this.shown?.[0]?.dump;
  }

  /** Every process shown, parents first (the picked one alone without descendants). */
  get processes(): readonly ShownProcess[] | undefined {
    return this.shown;
  }

  /** The first item (to reveal the view with), once stacks are shown. */
  get first(): Item | undefined {
    return this.items.roots[0];
  }

  set(processes: ShownProcess[] | undefined): void {
    this.shown = processes;
    this.items = stackItems(processes ?? []);
    this.changed.fire();
  }

  getChildren(item?: Item): Item[] {
    return item ? (this.items.children.get(item) ?? []) : this.items.roots;
  }

  getParent(item: Item): Item | undefined {
    return this.items.parents.get(item);
  }

  getTreeItem(item: Item): vscode.TreeItem {
    if (item.kind === 'process') {
      const { process } = item;
      const text = processText(process, item.root);
      const tree = new vscode.TreeItem(
        text.label,
        process.dump ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
      );
      tree.description = text.description;
      tree.tooltip = text.tooltip;
      tree.iconPath = new vscode.ThemeIcon(
        !process.dump ? 'circle-slash' : process.goneAfter ? 'debug-disconnect' : 'server-process',
      );
      tree.contextValue = 'process';
      return tree;
    }
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
