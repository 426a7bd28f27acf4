/**
 * Opens a profiled location in the editor beside the panel with the line
 * selected. Locations without a source file (frozen modules, generated code,
 * deleted files) get an explanation, not an error.
 */
import * as vscode from 'vscode';
import { resolveProfilePath } from '../model/sourceFiles';
import { missingFileMessage, noSourceMessage } from './sourceMessages';

export async function revealSource(
  file: string,
  line: number,
  cwd: string,
  panelColumn: vscode.ViewColumn | undefined,
  preserveFocus = false,
): Promise<void> {
  const resolved = resolveProfilePath(file, cwd);
  if (resolved === undefined) {
    void vscode.window.showInformationMessage(noSourceMessage(file));
    return;
  }
  const uri = vscode.Uri.file(resolved);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    void vscode.window.showInformationMessage(missingFileMessage(resolved, line));
    return;
  }
  try {
    const document = await vscode.workspace.openTextDocument(uri);
    const index = Math.min(Math.max(line - 1, 0), Math.max(document.lineCount - 1, 0));
    const text = document.lineAt(index);
    // Anchor at the end, cursor at the start of the code: the line is selected without the
    // editor scrolling sideways to a long line's end.
    const selection = new vscode.Selection(
      index,
      text.range.end.character,
      index,
      text.firstNonWhitespaceCharacterIndex,
    );
    const editor = await vscode.window.showTextDocument(document, {
      viewColumn: editorColumn(document.uri, panelColumn),
      preserveFocus,
    });
    // Set here rather than through the show options, which take a Range and lose the direction.
    editor.selection = selection;
    editor.revealRange(
      new vscode.Range(selection.active, selection.active),
      vscode.TextEditorRevealType.InCenterIfOutsideViewport,
    );
  } catch (error) {
    void vscode.window.showWarningMessage(
      `Hotpath (HOTPATH_PANEL_OPEN_FAILED): could not open ${resolved}: ${(error as Error).message}`,
    );
  }
}

/** An editor column other than the panel's: where the file already shows, else the last editor, else beside. */
function editorColumn(uri: vscode.Uri, panelColumn: vscode.ViewColumn | undefined): vscode.ViewColumn {
  const editors = vscode.window.visibleTextEditors.filter(
    (e) => e.viewColumn !== undefined && e.viewColumn !== panelColumn,
  );
  const showing = editors.find((e) => e.document.uri.toString() === uri.toString());
  if (showing?.viewColumn) return showing.viewColumn;
  const active = vscode.window.activeTextEditor;
  if (active?.viewColumn && active.viewColumn !== panelColumn) return active.viewColumn;
  if (editors[0]?.viewColumn) return editors[0].viewColumn;
  return vscode.ViewColumn.Beside;
}
