/**
 * Show Current Stacks: reads a process's threads (and on CPython 3.14+ its asyncio tasks) once (on the addon's worker, never on the
 * extension host's thread), shows them in the Current Stacks view and marks where each thread
 * stands on the code. Refresh reads the same process again; a process that has gone leaves the
 * last stacks in the view, says when they were read, and takes the marks off the code.
 */
import * as vscode from 'vscode';
import { loadNative } from '../native/loadNative';
import { toHotpathError } from '../session/errors';
import { readStacks } from '../session/stackDump';
import { StackDecorations } from './stackDecorations';
import { stackMarks } from './stackMarks';
import { StacksTree } from './stacksTree';

export const STACKS_VIEW = 'hotpath.stacks';
const SHOWN_CONTEXT = 'hotpath.stacksShown';

function clock(date: Date): string {
  return date.toLocaleTimeString(undefined, { hour12: false });
}

export class CurrentStacks implements vscode.Disposable {
  private readonly tree = new StacksTree();
  private readonly view = vscode.window.createTreeView(STACKS_VIEW, {
    treeDataProvider: this.tree,
    showCollapseAll: true,
  });
  private readonly decorations = new StackDecorations();
  private pid: number | undefined;
  /** When the stacks shown were read (hh:mm:ss). */
  private readAt = '';

  /** The process shown, if any (Refresh reads it again). */
  get shownPid(): number | undefined {
    return this.pid;
  }

  /** The stacks shown, for the extension's API. */
  get current() {
    return this.tree.current;
  }

  async show(pid: number): Promise<void> {
    let dump;
    try {
      dump = await readStacks(loadNative(), pid, { async: 'ifSupported' });
    } catch (error) {
      const failure = toHotpathError(error);
      void vscode.window.showErrorMessage(
        `Hotpath: could not read the stacks of process ${pid}: ${failure.message} [${failure.code}]`,
      );
      if (pid === this.pid && this.tree.current) {
        this.decorations.clear();
        this.view.message = `Process ${pid} could not be read again (${failure.code}): these stacks are from ${this.readAt}.`;
      }
      return;
    }
    const readAt = new Date();
    this.pid = pid;
    this.readAt = clock(readAt);
    this.tree.set(dump);
    this.decorations.show(stackMarks(dump), dump.cwd);
    const count = dump.threads.length;
    const dropped = dump.droppedThreads ? ` · ${dump.droppedThreads} not shown (changing too fast)` : '';
    this.view.message = `Process ${pid} · Python ${dump.python.version} · ${count} thread${count === 1 ? '' : 's'} at ${this.readAt}${dropped}`;
    await vscode.commands.executeCommand('setContext', SHOWN_CONTEXT, true);
    // Brought into view without taking the keyboard from where the user is.
    const first = this.tree.first;
    if (first) {
      await Promise.resolve(this.view.reveal(first, { select: false, focus: false, expand: true })).catch(
        () => undefined, // the view shows it anyway once opened; nothing to tell the user
      );
    }
  }

  /** Takes the stacks out of the view and their marks off the code. */
  close(): void {
    this.pid = undefined;
    this.tree.set(undefined);
    this.decorations.clear();
    this.view.message = undefined;
    void vscode.commands.executeCommand('setContext', SHOWN_CONTEXT, false);
  }

  dispose(): void {
    this.view.dispose();
    this.tree.dispose();
    this.decorations.dispose();
  }
}
