/**
 * Hover on an annotated line: its total and self time and samples, and its top
 * callers and callees as links that open them. Says so when the file changed
 * since the profile was taken.
 */
import * as vscode from 'vscode';
import type { AnnotationController } from './annotationController';
import { type CommandId, commandUri } from '../contributions/commandIds';
import { formatDuration, formatShare } from '../model/displayFormat';
import type { Neighbour } from '../views/lineNeighbours';

export class LineHoverProvider implements vscode.HoverProvider {
  constructor(private readonly annotations: AnnotationController) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.Hover | undefined> {
    const file = this.annotations.fileFor(document.uri);
    const line = file?.lines.get(position.line + 1);
    const shown = this.annotations.current;
    if (!file || !line || !shown) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['hotpath.revealLocation' satisfies CommandId] };
    md.appendMarkdown(`**Hotpath** — line ${line.profiledLine} of the profile\n\n`);
    md.appendMarkdown(
      `| | time | share | samples |\n|---|---:|---:|---:|\n` +
        `| total | ${formatDuration(line.totalUs)} | ${formatShare(line.share)} | ${line.totalSamples} |\n` +
        `| self | ${formatDuration(line.selfUs)} | ${formatShare(line.selfShare)} | ${line.selfSamples} |\n\n`,
    );
    const change = line.change;
    if (change && shown.comparison) {
      const verdict = change.significant ? `**${escapeMarkdown(change.label)}**` : 'within sampling noise';
      md.appendMarkdown(
        `Compared with ${escapeMarkdown(shown.comparison.label)}: ${formatDuration(change.baseUs)} → ` +
          `${formatDuration(change.newUs)} total, ${verdict} (${escapeMarkdown(shown.comparison.summary.reason)}).\n\n`,
      );
    }
    if (shown.wallUs > 0 && line.totalUs > shown.wallUs * 1.01) {
      md.appendMarkdown(
        `Times are summed over threads: this line ran in several threads at once, so its time is ` +
          `more than the ${formatDuration(shown.wallUs)} the run lasted. Pick one thread in the panel to see its own.\n\n`,
      );
    }
    if (shown.options.mode === 'cpu') {
      md.appendMarkdown(
        `On-CPU time: samples where the thread ran or was ready to run. A thread woken from \`sleep\` ` +
          `or I/O that waits for a core or for the GIL is ready to run, so a waiting line keeps a ` +
          `little on-CPU time in a threaded program.\n\n`,
      );
    }
    if (shown.options.mode === 'gil') {
      md.appendMarkdown(
        `GIL time: samples where the thread held the GIL. A line waiting for the GIL, a lock, I/O or ` +
          `\`sleep\` has none; C code that releases the GIL (NumPy, hashing) has none either.\n\n`,
      );
    }
    // Built on the view worker the first time a line of this file is hovered.
    const neighbours = await this.annotations.neighboursOf(document.uri, line.line);
    if (this.annotations.current !== shown) return undefined; // another profile came meanwhile
    const total = shown.totalUs;
    if (neighbours?.callers.length) {
      md.appendMarkdown(`**Called from**\n\n${this.list(neighbours.callers, total)}\n\n`);
    }
    if (neighbours?.callees.length) {
      md.appendMarkdown(`**Calls**\n\n${this.list(neighbours.callees, total)}\n\n`);
    }
    if (file.stale) {
      md.appendMarkdown(
        `$(warning) This file changed after the profile was taken; the times belong to the old version` +
          (file.edited ? ' and were moved with your edits.' : '.'),
      );
    }
    return new vscode.Hover(md, document.lineAt(position.line).range);
  }

  private list(entries: readonly Neighbour[], totalUs: number): string {
    return entries
      .map((entry) => {
        const path = this.annotations.resolve(entry.file);
        const label = `${escapeMarkdown(entry.name)} — ${escapeMarkdown(shortPath(entry.file))}:${entry.line}`;
        const time = `${formatDuration(entry.totalUs)} · ${formatShare(totalUs ? entry.totalUs / totalUs : 0)}`;
        if (path === undefined) return `- ${label} (${time})`;
        const uri = commandUri('hotpath.revealLocation', { path, line: entry.line });
        return `- [${label}](${uri}) (${time})`;
      })
      .join('\n');
  }
}

function shortPath(file: string): string {
  const relative = vscode.workspace.asRelativePath(file, false);
  return relative.length < file.length ? relative : (file.split(/[\\/]/).pop() ?? file);
}

/** Names and paths come from the profiled program: never let them form markup or links. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>&$]/g, (c) => `\\${c}`);
}
