/**
 * The Current Stacks view: one item per thread (name, running or waiting, TID), its frames below,
 * innermost first as in a traceback read bottom-up (as the debugger's Call Stack). A frame opens
 * its line. Everything shown comes from the program, as plain tree labels (never Markdown).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { commandCall } from '../contributions/commandIds';
import { resolveProfilePath } from '../model/sourceFiles';
import type { DumpedFrame, DumpedThread, StackDump } from '../session/stackDump';
import { threadLabel } from './stackMarks';

type Item =
  { kind: 'thread'; thread: DumpedThread } | { kind: 'frame'; frame: DumpedFrame; cwd: string | null };

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
    for (const item of this.threads) {
      if (item.kind !== 'thread') continue;
      const frames: Item[] = item.thread.frames.map((frame) => ({
        kind: 'frame',
        frame,
        cwd: dump?.cwd ?? null,
      }));
      this.frames.set(item, frames);
      for (const frame of frames) this.parents.set(frame, item);
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
