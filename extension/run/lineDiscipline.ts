/**
 * The program's stdin is a pipe, not a terminal, so nothing echoes what the
 * user types or handles Backspace and Ctrl-C: this does, the way a terminal's
 * cooked mode would. Input is passed on a line at a time. No `vscode` import.
 */

export interface InputResult {
  /** Text to show in the terminal. */
  echo: string;
  /** Text to write to the program's stdin, in order. */
  send: string[];
  /** Ctrl-C was pressed: stop the program. */
  interrupt: boolean;
  /** Ctrl-D on an empty line: close the program's stdin. */
  endOfInput: boolean;
}

/** CSI and SS3 escape sequences (arrow keys, function keys): ignored, as a plain pipe cannot use them. */
// eslint-disable-next-line no-control-regex -- matching terminal escape sequences is the point
const ESCAPE_SEQUENCE = /^\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|.)?/;

export class LineDiscipline {
  private line = '';

  input(data: string): InputResult {
    const result: InputResult = { echo: '', send: [], interrupt: false, endOfInput: false };
    for (let i = 0; i < data.length;) {
      const c = data[i];
      if (c === '\x1b') {
        const match = ESCAPE_SEQUENCE.exec(data.slice(i));
        i += match ? match[0].length : 1;
        continue;
      }
      i++;
      if (c === '\r' || c === '\n') {
        // A pasted "\r\n" is one line break.
        if (c === '\r' && data[i] === '\n') i++;
        result.echo += '\r\n';
        result.send.push(this.line + '\n');
        this.line = '';
      } else if (c === '\x7f' || c === '\b') {
        if (this.line) {
          const chars = Array.from(this.line);
          chars.pop();
          this.line = chars.join('');
          result.echo += '\b \b';
        }
      } else if (c === '\x03') {
        result.echo += '^C\r\n';
        result.interrupt = true;
        this.line = '';
      } else if (c === '\x04') {
        if (this.line) {
          result.send.push(this.line);
          this.line = '';
        } else {
          result.endOfInput = true;
        }
      } else if (c === '\x15') {
        // Ctrl-U: erase the line typed so far.
        result.echo += '\b \b'.repeat(Array.from(this.line).length);
        this.line = '';
      } else if (c >= ' ' || c === '\t') {
        this.line += c;
        result.echo += c;
      }
    }
    return result;
  }
}

/** Program output for a terminal: line feeds become CR LF (the pipe has no tty to do it). */
export function toTerminalText(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
