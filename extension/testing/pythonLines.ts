/**
 * Python source as logical lines: what the tokenizer would join (brackets,
 * backslash continuations, triple-quoted strings over several lines) is one
 * line, strings are emptied to `""` and comments dropped, so a `def test_x`
 * inside a docstring or a comment is never mistaken for a statement. Enough
 * of Python's lexer to find statements, not to run them. No `vscode` import.
 */

export interface LogicalLine {
  /** 0-based physical line where the statement starts. */
  line: number;
  /** Columns of indentation (a tab goes to the next multiple of 8, as Python counts it). */
  indent: number;
  /** The statement with strings emptied and comments removed, trimmed. */
  text: string;
}

const OPENERS = '([{';
const CLOSERS = ')]}';

export function logicalLines(source: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let text = '';
  let start = 0;
  let indent = 0;
  let atLineStart = true;
  let depth = 0;
  let physical = 0;

  const finish = () => {
    const trimmed = text.trim();
    if (trimmed) lines.push({ line: start, indent, text: trimmed });
    text = '';
    atLineStart = true;
  };

  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (atLineStart) {
      // Measure the indentation of the statement's first physical line.
      let columns = 0;
      let j = i;
      for (; j < source.length; j++) {
        if (source[j] === ' ') columns++;
        else if (source[j] === '\t') columns = (Math.floor(columns / 8) + 1) * 8;
        else if (source[j] === '\f') columns = 0;
        else break;
      }
      start = physical;
      indent = columns;
      atLineStart = false;
      i = j - 1;
      continue;
    }
    if (c === '\n') {
      physical++;
      if (depth === 0) finish();
      else text += ' ';
      continue;
    }
    if (c === '\r') continue;
    if (c === '#') {
      while (i + 1 < source.length && source[i + 1] !== '\n') i++;
      continue;
    }
    if (c === '\\' && (source[i + 1] === '\n' || (source[i + 1] === '\r' && source[i + 2] === '\n'))) {
      // An explicit continuation: the next physical line belongs to this statement.
      i += source[i + 1] === '\r' ? 2 : 1;
      physical++;
      text += ' ';
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = source[i + 1] === c && source[i + 2] === c;
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      for (; j < source.length; j++) {
        const d = source[j];
        if (d === '\\') {
          if (source[j + 1] === '\n') physical++;
          j++;
        } else if (d === '\n') {
          physical++;
          // A single-quoted string cannot span lines: it is unterminated; stop at the line end.
          if (!triple) {
            physical--;
            j--;
            break;
          }
        } else if (source.startsWith(quote, j)) {
          j += quote.length - 1;
          break;
        }
      }
      text += '""';
      i = j;
      continue;
    }
    if (OPENERS.includes(c)) depth++;
    else if (CLOSERS.includes(c)) depth = Math.max(0, depth - 1);
    text += c;
  }
  finish();
  return lines;
}
