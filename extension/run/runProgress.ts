/**
 * What the user sees while a profile runs: a progress notification with
 * elapsed time, samples and a Stop link, and a status bar item. After the run
 * the status bar item names the profile the editor shows and reopens it.
 */
import * as vscode from 'vscode';
import type { CommandId } from '../contributions/commandIds';
import type { NativeProgress } from '../native/nativeApi';
import type { ProfileMeta } from '../model/rawProfile';
import { formatCount, formatTime } from '../model/displayFormat';

export function progressText(progress: Pick<NativeProgress, 'elapsedUs' | 'samples' | 'threads'>): string {
  const threads = progress.threads > 1 ? ` · ${progress.threads} threads` : '';
  return `${formatTime(progress.elapsedUs)} · ${formatCount(progress.samples)} samples${threads}`;
}

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'hotpath.status',
    vscode.StatusBarAlignment.Left,
    50,
  );

  constructor() {
    this.item.name = 'Hotpath';
  }

  running(label: string, detail = 'starting…'): void {
    this.item.text = `$(loading~spin) Hotpath: ${label} · ${detail}`;
    this.item.tooltip = 'Profiling — click to stop';
    this.item.command = 'hotpath.stop' satisfies CommandId;
    this.item.show();
  }

  /** After a Reset: what the run counted since. */
  counting(label: string, detail: string): void {
    this.running(label, `${detail} since Reset`);
    this.item.tooltip = 'Profiling — counting from the last Reset — click to stop';
  }

  /**
   * Names the profile the editor shows (`startedAt`: ms since the epoch), and
   * says when it counts from a Reset.
   */
  finished(label: string, meta?: Partial<Pick<ProfileMeta, 'startedAt' | 'countedFromUs'>>): void {
    const startedAt = meta?.startedAt;
    const time =
      startedAt !== undefined && Number.isFinite(startedAt) && startedAt > 0
        ? new Date(startedAt).toLocaleTimeString('en-GB')
        : undefined;
    const sinceReset = meta?.countedFromUs !== undefined;
    this.item.text = `$(flame) ${label}${sinceReset ? ' (since Reset)' : ''}`;
    this.item.tooltip =
      `Hotpath: the editor shows the profile of ${label}` +
      (time ? ` ${sinceReset ? 'counted from a Reset at' : 'taken at'} ${time}` : '') +
      '. Click to show it and its panel again.';
    this.item.command = 'hotpath.showLastProfile' satisfies CommandId;
    this.item.show();
  }

  hide(): void {
    this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}

/**
 * Shows a notification until `done` settles; `update` pushes new text into
 * it. It has no "Cancel" button (the only words VS Code gives a cancellable
 * notification): stopping keeps what was sampled, so the notification offers
 * a "Stop" link to `hotpath.stop` instead.
 */
export function showRunProgress(title: string, done: Promise<unknown>): { update(text: string): void } {
  let report: ((text: string) => void) | undefined;
  let last = '';
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: false },
    (progress) => {
      report = (text) => progress.report({ message: `${text} · ${STOP_LINK}` });
      report(last || 'starting…');
      return done.then(
        () => undefined,
        () => undefined,
      );
    },
  );
  return {
    update(text: string) {
      last = text;
      report?.(text);
    },
  };
}

/** Stops the run and keeps its profile (as the status bar item and the editor's stop button do). */
export const STOP_LINK = '[Stop](command:hotpath.stop "Stop the program and keep what was sampled")';
