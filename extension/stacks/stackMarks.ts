/**
 * Where each thread of a stack dump stands in each file: the marks Show Current Stacks paints on
 * the code. Per thread and file, only its innermost frame there is marked (a recursion shows once,
 * at its deepest line); a line several threads stand on gets one mark naming them all. No `vscode`
 * import: unit-tested on literal dumps.
 */
import type { DumpedThread, StackDump, ThreadState } from '../session/stackDump';

export interface ThreadAtLine {
  /** The thread's name, or `TID n` when it has none. */
  thread: string;
  state: ThreadState;
  /** The function the thread is in further in (undefined when this line is its innermost frame). */
  inCallee?: string;
}

export interface LineMark {
  /** 1-based. */
  line: number;
  /** Running when any thread on the line is (the gutter mark's colour). */
  state: ThreadState;
  threads: ThreadAtLine[];
  /** What the editor writes after the line: "spinner: running · event-waiter: waiting in Event.wait". */
  label: string;
}

export function threadLabel(thread: Pick<DumpedThread, 'name' | 'tid'>): string {
  return thread.name || `TID ${thread.tid}`;
}

function describe(at: ThreadAtLine): string {
  return `${at.thread}: ${at.state}${at.inCallee ? ` in ${at.inCallee}` : ''}`;
}

/** file → its marks, in line order. Asyncio tasks (3.14+) are marked as `task NAME`. */
export function stackMarks(dump: StackDump): Map<string, LineMark[]> {
  const byFile = new Map<string, Map<number, ThreadAtLine[]>>();
  const tasks = (dump.tasks ?? []).map((t) => ({
    name: `task ${t.name}`,
    tid: 0,
    state: t.state,
    frames: t.frames,
  }));
  for (const thread of [...dump.threads, ...tasks]) {
    const seen = new Set<string>();
    thread.frames.forEach((frame, depth) => {
      if (frame.line <= 0 || seen.has(frame.file)) return;
      seen.add(frame.file);
      const lines = byFile.get(frame.file) ?? new Map<number, ThreadAtLine[]>();
      byFile.set(frame.file, lines);
      const at: ThreadAtLine = { thread: threadLabel(thread), state: thread.state };
      if (depth > 0) at.inCallee = thread.frames[depth - 1].function;
      lines.set(frame.line, [...(lines.get(frame.line) ?? []), at]);
    });
  }
  const marks = new Map<string, LineMark[]>();
  for (const [file, lines] of byFile) {
    marks.set(
      file,
      [...lines]
        .sort(([a], [b]) => a - b)
        .map(([line, threads]) => ({
          line,
          state: threads.some((t) => t.state === 'running') ? 'running' : 'waiting',
          threads,
          label: threads.map(describe).join(' · '),
        })),
    );
  }
  return marks;
}
