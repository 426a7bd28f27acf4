/**
 * A CodeLens above each profiled function (its name, total and self time,
 * share; clicking it reveals the function in the profile panel) and above
 * each hot line (its time, which an inline time after a long line can hide).
 */
import * as vscode from 'vscode';
import type { AnnotationController } from './annotationController';
import { hotLineLensTitle } from '../views/annotationModel';
import { commandCall } from '../contributions/commandIds';
import { setting } from '../contributions/settings';

export class FunctionLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly annotations: AnnotationController) {
    this.onDidChangeCodeLenses = annotations.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const file = this.annotations.fileFor(document.uri);
    const style = setting('annotations.style');
    if (!file || style === 'off') return [];
    const lenses: vscode.CodeLens[] = [];
    for (const fn of file.functions) {
      const index = fn.firstLine - 1;
      if (index < 0 || index >= document.lineCount) continue;
      const changed = file.stale ? ' (file changed since the profile)' : '';
      lenses.push(
        new vscode.CodeLens(new vscode.Range(index, 0, index, 0), {
          title: fn.title + (file.stale ? ' · changed' : ''),
          tooltip: `${fn.name}: ${fn.samples} samples${changed}. Click to show it in the profile panel.`,
          ...commandCall('hotpath.revealFunction', fn.key),
        }),
      );
    }
    for (const line of file.lines.values()) {
      const index = line.line - 1;
      if (!line.hot || index < 0 || index >= document.lineCount) continue;
      const changed = file.stale ? ' (file changed since the profile)' : '';
      lenses.push(
        new vscode.CodeLens(new vscode.Range(index, 0, index, 0), {
          title: hotLineLensTitle(line) + (file.stale ? ' · changed' : ''),
          tooltip: `Line ${line.profiledLine} of the profile: ${line.totalSamples} samples${changed}.`,
          command: '',
        }),
      );
    }
    return lenses;
  }
}
