/**
 * What the user sees while a profile runs: a cancellable progress
 * notification with elapsed time and samples (Cancel is Stop), and a status
 * bar item. After the run the status bar item reopens the last profile.
 */
import * as vscode from 'vscode';
import type { NativeProgress } from '../native/nativeApi';
import { formatDuration } from '../editor/annotationModel';

export function progressText(progress: Pick<NativeProgress, 'elapsedUs' | 'samples' | 'threads'>): string {
  const threads = progress.threads > 1 ? ` · ${progress.threads} threads` : '';
  return `${formatDuration(progress.elapsedUs)} · ${progress.samples.toLocaleString('en-US')} samples${threads}`;
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
    this.item.command = 'hotpath.stop';
    this.item.show();
  }

  finished(label: string): void {
    this.item.text = `$(flame) ${label}`;
    this.item.tooltip = 'Hotpath: show the last profile';
    this.item.command = 'hotpath.showLastProfile';
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
 * Shows a cancellable notification until `done` settles; `update` pushes new
 * text into it. Cancelling calls `onCancel` (the notification stays until the
 * run has really ended).
 */
export function showRunProgress(
  title: string,
  done: Promise<unknown>,
  onCancel: () => void,
): { update(text: string): void } {
  let report: ((text: string) => void) | undefined;
  let last = '';
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (progress, token) => {
      report = (text) => progress.report({ message: text });
      if (last) report(last);
      token.onCancellationRequested(onCancel);
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
