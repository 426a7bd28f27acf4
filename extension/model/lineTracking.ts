/**
 * Keeps annotations on the code they describe while the file is edited:
 * a line moves when lines are inserted or deleted above it, and disappears
 * when the edit replaces it. Lines are 1-based (as Python records them);
 * characters are 0-based (as the editor reports them).
 */

export interface LineEdit {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  /** The inserted text. */
  text: string;
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Where `line` is after `edit`, or undefined when the edit replaced it. */
export function mapLineThroughEdit(line: number, edit: LineEdit): number | undefined {
  const delta = countLineBreaks(edit.text) - (edit.endLine - edit.startLine);
  if (line < edit.startLine) return line;
  if (line > edit.endLine) return line + delta;
  const insertsWholeLinesBefore =
    edit.startCharacter === 0 &&
    edit.startLine === edit.endLine &&
    edit.endCharacter === 0 &&
    edit.text.endsWith('\n');
  if (line === edit.startLine) {
    // Pasting whole lines at its start pushes it down; a range from its start
    // into a later line replaced it; typing inside it keeps its annotation.
    if (insertsWholeLinesBefore) return line + delta;
    return edit.startCharacter === 0 && edit.endLine > edit.startLine ? undefined : line;
  }
  // line is in (startLine, endLine]: the edit ran into it. A range that ends at
  // column 0 of the line leaves its text intact (deleting the lines above it).
  if (line === edit.endLine && edit.endCharacter === 0) return line + delta;
  return undefined;
}

/**
 * Applies edits in the order the editor reports them (each relative to the
 * document after the previous ones).
 */
export function mapLineThroughEdits(line: number, edits: readonly LineEdit[]): number | undefined {
  let current: number | undefined = line;
  for (const edit of edits) {
    if (current === undefined) return undefined;
    current = mapLineThroughEdit(current, edit);
  }
  return current;
}
