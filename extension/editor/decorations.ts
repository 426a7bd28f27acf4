/**
 * Paints a file's annotations into an editor: a gutter heat mark per sampled
 * line, the time after lines above the threshold, and a tint on hot spots;
 * while comparing runs, a diverging mark and the change instead (slower warm,
 * faster cool, nothing within sampling noise).
 * The decoration types are created once, here, and every update replaces the
 * ranges of each type in one call per type.
 */
import * as vscode from 'vscode';
import type { AnnotationStyle } from '../contributions/settingsSchema';
import { HEAT_LEVEL_COUNT } from '../views/annotationModel';
import type { TrackedFile } from './annotationStore';
import { HEAT_COLOURS, heatIconDataUri, type HeatColour } from './heatColors';
import { FASTER_COLOURS, FASTER_FOREGROUND, SLOWER_COLOURS, SLOWER_FOREGROUND } from './changeColors';
import { CHANGE_LEVEL_COUNT } from '../views/compareAnnotations';

/** A gutter mark in a colour of the theme's kind, its width growing with the level. */
function gutterMark(colour: HeatColour, width: number): vscode.TextEditorDecorationType {
  return vscode.window.createTextEditorDecorationType({
    gutterIconSize: 'contain',
    overviewRulerColor: new vscode.ThemeColor(colour.id),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
    dark: { gutterIconPath: vscode.Uri.parse(heatIconDataUri(colour.dark, width)) },
    light: { gutterIconPath: vscode.Uri.parse(heatIconDataUri(colour.light, width)) },
  });
}

function inlineText(colour: string): vscode.TextEditorDecorationType {
  return vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor(colour), margin: '0 0 0 2em', fontStyle: 'normal' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
}

export class AnnotationDecorations implements vscode.Disposable {
  private readonly heat: vscode.TextEditorDecorationType[];
  private readonly inline: vscode.TextEditorDecorationType;
  private readonly hotLine: vscode.TextEditorDecorationType;
  /** Comparing: gutter marks by change level (index level − 1) and the change's text. */
  private readonly slower = SLOWER_COLOURS.map((colour, i) => gutterMark(colour, 2 * i + 1));
  private readonly faster = FASTER_COLOURS.map((colour, i) => gutterMark(colour, 2 * i + 1));
  private readonly slowerText = inlineText(SLOWER_FOREGROUND);
  private readonly fasterText = inlineText(FASTER_FOREGROUND);

  constructor() {
    this.heat = HEAT_COLOURS.map((colour, i) => gutterMark(colour, i + 1));
    this.inline = inlineText('hotpath.inlineForeground');
    this.hotLine = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('hotpath.hotLineBackground'),
      overviewRulerColor: new vscode.ThemeColor('hotpath.heat5'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
    });
  }

  /** `comparing`: the file's lines carry their change from a baseline (paint that, not heat). */
  apply(
    editor: vscode.TextEditor,
    file: TrackedFile | undefined,
    style: AnnotationStyle,
    comparing = false,
  ): void {
    const heat: vscode.Range[][] = Array.from({ length: HEAT_LEVEL_COUNT }, () => []);
    const slower: vscode.Range[][] = Array.from({ length: CHANGE_LEVEL_COUNT }, () => []);
    const faster: vscode.Range[][] = Array.from({ length: CHANGE_LEVEL_COUNT }, () => []);
    const inline: vscode.DecorationOptions[] = [];
    const slowerText: vscode.DecorationOptions[] = [];
    const fasterText: vscode.DecorationOptions[] = [];
    const hot: vscode.Range[] = [];
    const lineCount = editor.document.lineCount;
    if (file && style !== 'off') {
      for (const annotation of file.lines.values()) {
        const index = annotation.line - 1;
        if (index < 0 || index >= lineCount) continue;
        const start = new vscode.Range(index, 0, index, 0);
        const level = annotation.change?.level ?? 0;
        if (!comparing) heat[annotation.level - 1].push(start);
        else if (level > 0) slower[level - 1].push(start);
        else if (level < 0) faster[-level - 1].push(start);
        if (style !== 'full') continue;
        if (annotation.inline) {
          const end = editor.document.lineAt(index).range.end;
          const text = {
            range: new vscode.Range(end, end),
            renderOptions: { after: { contentText: annotation.inline } },
          };
          (!comparing ? inline : level > 0 ? slowerText : level < 0 ? fasterText : inline).push(text);
        }
        if (annotation.hot) hot.push(start);
      }
    }
    this.heat.forEach((type, i) => editor.setDecorations(type, heat[i]));
    this.slower.forEach((type, i) => editor.setDecorations(type, slower[i]));
    this.faster.forEach((type, i) => editor.setDecorations(type, faster[i]));
    editor.setDecorations(this.inline, inline);
    editor.setDecorations(this.slowerText, slowerText);
    editor.setDecorations(this.fasterText, fasterText);
    editor.setDecorations(this.hotLine, hot);
  }

  clear(editor: vscode.TextEditor): void {
    this.apply(editor, undefined, 'off');
  }

  dispose(): void {
    for (const type of [
      ...this.heat,
      ...this.slower,
      ...this.faster,
      this.inline,
      this.slowerText,
      this.fasterText,
      this.hotLine,
    ])
      type.dispose();
  }
}
