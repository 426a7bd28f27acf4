/**
 * Paints a file's annotations into an editor: a gutter heat mark per sampled
 * line, the time after lines above the threshold, and a tint on hot spots.
 * The decoration types are created once, here, and every update replaces the
 * ranges of each type in one call per type.
 */
import * as vscode from 'vscode';
import type { AnnotationStyle } from '../contributions/settingsSchema';
import { HEAT_LEVEL_COUNT } from '../views/annotationModel';
import type { TrackedFile } from './annotationStore';
import { HEAT_COLOURS, heatIconDataUri } from './heatColors';

export class AnnotationDecorations implements vscode.Disposable {
  private readonly heat: vscode.TextEditorDecorationType[];
  private readonly inline: vscode.TextEditorDecorationType;
  private readonly hotLine: vscode.TextEditorDecorationType;

  constructor() {
    this.heat = HEAT_COLOURS.map((colour, i) =>
      vscode.window.createTextEditorDecorationType({
        gutterIconSize: 'contain',
        overviewRulerColor: new vscode.ThemeColor(colour.id),
        overviewRulerLane: vscode.OverviewRulerLane.Left,
        dark: { gutterIconPath: vscode.Uri.parse(heatIconDataUri(colour.dark, i + 1)) },
        light: { gutterIconPath: vscode.Uri.parse(heatIconDataUri(colour.light, i + 1)) },
      }),
    );
    this.inline = vscode.window.createTextEditorDecorationType({
      after: {
        color: new vscode.ThemeColor('hotpath.inlineForeground'),
        margin: '0 0 0 2em',
        fontStyle: 'normal',
      },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.hotLine = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('hotpath.hotLineBackground'),
      overviewRulerColor: new vscode.ThemeColor('hotpath.heat5'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
    });
  }

  apply(editor: vscode.TextEditor, file: TrackedFile | undefined, style: AnnotationStyle): void {
    const heat: vscode.Range[][] = Array.from({ length: HEAT_LEVEL_COUNT }, () => []);
    const inline: vscode.DecorationOptions[] = [];
    const hot: vscode.Range[] = [];
    const lineCount = editor.document.lineCount;
    if (file && style !== 'off') {
      for (const annotation of file.lines.values()) {
        const index = annotation.line - 1;
        if (index < 0 || index >= lineCount) continue;
        const end = editor.document.lineAt(index).range.end;
        heat[annotation.level - 1].push(new vscode.Range(index, 0, index, 0));
        if (style !== 'full') continue;
        if (annotation.inline) {
          inline.push({
            range: new vscode.Range(end, end),
            renderOptions: { after: { contentText: annotation.inline } },
          });
        }
        if (annotation.hot) hot.push(new vscode.Range(index, 0, index, 0));
      }
    }
    this.heat.forEach((type, i) => editor.setDecorations(type, heat[i]));
    editor.setDecorations(this.inline, inline);
    editor.setDecorations(this.hotLine, hot);
  }

  clear(editor: vscode.TextEditor): void {
    this.apply(editor, undefined, 'off');
  }

  dispose(): void {
    for (const type of [...this.heat, this.inline, this.hotLine]) type.dispose();
  }
}
