/**
 * Paints Show Current Stacks' marks on the code: a gutter arrow (green: a thread running there,
 * yellow: only waiting ones; the timeline's colours), the debugger's stack-frame line colour, and
 * the thread names after the line. Decoration types are created once; each visible editor gets
 * its file's marks in one call per type, again when editors change.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LineMark } from './stackMarks';

function arrowIcon(colour: string): vscode.Uri {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">` +
    `<path d="M3 3h5l5 5-5 5H3z" fill="${colour}"/></svg>`;
  return vscode.Uri.parse(`data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`);
}

export class StackDecorations implements vscode.Disposable {
  private readonly running = this.markType('#89d185');
  private readonly waiting = this.markType('#cca700');
  private marks = new Map<string, LineMark[]>();
  private readonly listener = vscode.window.onDidChangeVisibleTextEditors((editors) => this.paint(editors));

  private markType(colour: string): vscode.TextEditorDecorationType {
    return vscode.window.createTextEditorDecorationType({
      gutterIconPath: arrowIcon(colour),
      gutterIconSize: 'contain',
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('editor.stackFrameHighlightBackground'),
      overviewRulerColor: colour,
      overviewRulerLane: vscode.OverviewRulerLane.Center,
      after: {
        color: new vscode.ThemeColor('hotpath.inlineForeground'),
        margin: '0 0 0 2em',
        fontStyle: 'italic',
      },
    });
  }

  /** Marks by absolute file (familyMarks). */
  show(marks: Map<string, LineMark[]>): void {
    this.marks = marks;
    this.paint(vscode.window.visibleTextEditors);
  }

  /** The marks painted on `file` (an absolute path), in line order; none: empty. */
  marksOn(file: string): readonly LineMark[] {
    return this.marks.get(path.normalize(file)) ?? [];
  }

  clear(): void {
    this.show(new Map());
  }

  private paint(editors: readonly vscode.TextEditor[]): void {
    for (const editor of editors) {
      if (editor.document.uri.scheme !== 'file') continue;
      const lines = this.marks.get(path.normalize(editor.document.uri.fsPath)) ?? [];
      const running: vscode.DecorationOptions[] = [];
      const waiting: vscode.DecorationOptions[] = [];
      for (const mark of lines) {
        if (mark.line > editor.document.lineCount) continue;
        const range = editor.document.lineAt(mark.line - 1).range;
        const option = {
          range,
          // Names come from the program: text, never Markdown.
          hoverMessage: new vscode.MarkdownString().appendText(`Hotpath, current stacks: ${mark.label}`),
          renderOptions: { after: { contentText: `◀ ${mark.label}` } },
        };
        (mark.state === 'running' ? running : waiting).push(option);
      }
      editor.setDecorations(this.running, running);
      editor.setDecorations(this.waiting, waiting);
    }
  }

  dispose(): void {
    this.listener.dispose();
    this.running.dispose();
    this.waiting.dispose();
  }
}
