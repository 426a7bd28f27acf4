/**
 * The terminal wired to the profiled program: its stdout and stderr show as
 * they come, what the user types reaches its stdin a line at a time (see
 * LineDiscipline), Ctrl-C or closing the terminal stops it. The terminal stays
 * open after the program ends so its output can be read, and the next run
 * writes into the same terminal: replacing it would close and reopen the
 * panel area and undo the size the user gave it.
 */
import type { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import * as vscode from 'vscode';
import { LineDiscipline, toTerminalText } from './lineDiscipline';

export class ProgramTerminal implements vscode.Pseudoterminal, vscode.Disposable {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  private discipline = new LineDiscipline();
  /** Output that arrived before VS Code opened the terminal. */
  private pending: string[] | undefined = [];
  private stdin: Writable | undefined;
  private running = false;
  private onInterrupt: () => void = () => undefined;
  /** The user closed the terminal: the next run needs a new one. */
  private isClosed = false;
  private runs = 0;
  private decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  readonly terminal: vscode.Terminal;

  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;

  constructor(name: string) {
    this.terminal = vscode.window.createTerminal({
      name,
      pty: this,
      iconPath: new vscode.ThemeIcon('flame'),
    });
  }

  open(): void {
    const pending = this.pending ?? [];
    this.pending = undefined;
    for (const text of pending) this.writeEmitter.fire(text);
  }

  close(): void {
    // The user closed the terminal: a running program has nowhere to write.
    this.isClosed = true;
    if (this.running) this.onInterrupt();
    this.running = false;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * A new program writes here from now on. `onInterrupt` is called on Ctrl-C
   * and when the user closes the terminal while the program runs.
   */
  begin(onInterrupt: () => void): void {
    this.onInterrupt = onInterrupt;
    this.running = true;
    this.stdin = undefined;
    this.discipline = new LineDiscipline();
    this.decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    // Runs after the first are set apart by a blank line.
    if (this.runs++ > 0) this.write('\r\n');
  }

  handleInput(data: string): void {
    if (!this.running) return;
    const result = this.discipline.input(data);
    if (result.echo) this.write(result.echo);
    for (const text of result.send) this.stdin?.write(text);
    if (result.endOfInput) this.stdin?.end();
    if (result.interrupt) this.onInterrupt();
  }

  /** Connects the program's stdin (a pipe). Writes after it closed are dropped, not thrown. */
  attachInput(stdin: Writable | null): void {
    this.stdin = stdin ?? undefined;
    stdin?.on('error', () => {
      this.stdin = undefined;
    });
  }

  /** Program output (a pipe chunk); a character split between chunks is joined, not garbled. */
  output(chunk: Buffer, stream: 'stdout' | 'stderr'): void {
    this.write(toTerminalText(this.decoders[stream].write(chunk)));
  }

  /** A line from Hotpath itself, dimmed so it stands apart from the program's output. */
  notice(text: string): void {
    this.write(`\x1b[2m${toTerminalText(text)}\x1b[0m\r\n`);
  }

  /** The program ended: input is no longer accepted, the terminal stays for reading. */
  ended(): void {
    this.running = false;
    this.stdin = undefined;
  }

  show(): void {
    this.terminal.show(true);
  }

  private write(text: string): void {
    if (this.pending) this.pending.push(text);
    else this.writeEmitter.fire(text);
  }

  dispose(): void {
    this.terminal.dispose();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
