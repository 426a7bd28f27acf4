/**
 * A CodeLens above each profiled function: total, self time and share.
 * Clicking it reveals the function in the profile panel.
 */
import * as vscode from 'vscode';
import type { AnnotationController } from './annotationController';
import { functionLensTitle } from './annotationModel';

export const REVEAL_FUNCTION_COMMAND = 'hotpath.revealFunction';

export class FunctionLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly annotations: AnnotationController) {
    this.onDidChangeCodeLenses = annotations.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const file = this.annotations.fileFor(document.uri);
    const style = vscode.workspace.getConfiguration('hotpath').get<string>('annotations.style', 'full');
    if (!file || style === 'off') return [];
    const lenses: vscode.CodeLens[] = [];
    for (const fn of file.functions) {
      const index = fn.firstLine - 1;
      if (index < 0 || index >= document.lineCount) continue;
      const changed = file.stale ? ' (file changed since the profile)' : '';
      lenses.push(
        new vscode.CodeLens(new vscode.Range(index, 0, index, 0), {
          title: functionLensTitle(fn) + (file.stale ? ' · changed' : ''),
          tooltip: `${fn.name}: ${fn.samples} samples${changed}. Click to show it in the profile panel.`,
          command: REVEAL_FUNCTION_COMMAND,
          arguments: [fn.key],
        }),
      );
    }
    return lenses;
  }
}
