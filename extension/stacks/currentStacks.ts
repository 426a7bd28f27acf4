/**
 * Show Current Stacks: reads a process's threads (and on CPython 3.14+ its asyncio tasks) once (on
 * the addon's worker, never on the extension host's thread), and under `hotpath.followSubprocesses`
 * every descendant's too; shows them in the Current Stacks view and marks where each thread stands
 * on the code. Refresh reads the same process (and its family) again; a process that has gone
 * leaves its last stacks in the view, says when they were read, and its marks leave the code.
 */
import * as vscode from 'vscode';
import { loadNative } from '../native/loadNative';
import { setting } from '../contributions/settings';
import { toHotpathError } from '../session/errors';
import { readFamilyStacks, type FamilyDump } from '../session/stackDump';
import { StackDecorations } from './stackDecorations';
import { familyMessage, markedDumps, shownAfterRead, type ShownProcess } from './stackFamily';
import { familyMarks, type LineMark } from './stackMarks';
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
  /** Reads started: only the latest one's answer is shown. */
  private reads = 0;

  /** The process shown, if any (Refresh reads it again). */
  get shownPid(): number | undefined {
    return this.pid;
  }

  /** The stacks shown, for the extension's API. */
  get current() {
    return this.tree.current;
  }

  /** Every process shown, parents first, for the extension's API. */
  get processes(): readonly ShownProcess[] | undefined {
    return this.tree.processes;
  }

  /** The marks painted on a file (absolute path), for the extension's API. */
  marksOn(file: string): readonly LineMark[] {
    return this.decorations.marksOn(file);
  }

  async show(pid: number): Promise<void> {
    const read = ++this.reads;
    const followChildren = setting('followSubprocesses');
    let family: FamilyDump[];
    try {
      family = await readFamilyStacks(loadNative(), pid, { async: 'ifSupported', followChildren });
    } catch (error) {
      if (read !== this.reads) return; // a later read answers
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
    if (read !== this.reads) return; // Refresh was pressed again while this read ran
    // Refresh: a descendant shown last time that has gone keeps its last stacks, marked so.
    const processes = shownAfterRead(
      family,
      pid === this.pid
        ? { previous: this.tree.processes ?? [], lastRead: this.readAt, followed: followChildren }
        : undefined,
    );
    this.pid = pid;
    this.readAt = clock(new Date());
    this.tree.set(processes);
    this.decorations.show(familyMarks(markedDumps(processes), processes.length > 1));
    this.view.message =
      processes.length > 1 ? familyMessage(processes, this.readAt) : this.oneProcessMessage(processes[0]);
    await vscode.commands.executeCommand('setContext', SHOWN_CONTEXT, true);
    // Brought into view without taking the keyboard from where the user is.
    const first = this.tree.first;
    if (first) {
      await Promise.resolve(this.view.reveal(first, { select: false, focus: false, expand: true })).catch(
        () => undefined, // the view shows it anyway once opened; nothing to tell the user
      );
    }
  }

  private oneProcessMessage({ pid, dump }: ShownProcess): string {
    const count = dump?.threads.length ?? 0;
    const dropped = dump?.droppedThreads ? ` · ${dump.droppedThreads} not shown (changing too fast)` : '';
    return `Process ${pid} · Python ${dump?.python.version} · ${count} thread${count === 1 ? '' : 's'} at ${this.readAt}${dropped}`;
  }

  /** Takes the stacks out of the view and their marks off the code. */
  close(): void {
    this.pid = undefined;
    this.reads++; // a read still under way is not shown
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
