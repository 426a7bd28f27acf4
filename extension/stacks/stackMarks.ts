/**
 * Where each thread of a stack dump stands in each file: the marks Show Current Stacks paints on
 * the code. Per thread and file, only its innermost frame there is marked (a recursion shows once,
 * at its deepest line); a line several threads stand on gets one mark naming them all, from one
 * process or several (Show Current Stacks of a process family). No `vscode` import: unit-tested on
 * literal dumps.
 */
import { resolveProfilePath } from '../model/sourceFiles';
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

type Marked = Pick<DumpedThread, 'name' | 'tid' | 'state' | 'frames'>;

/** A dump's threads and, as `task NAME`, its asyncio tasks (3.14+): what stands on a line. */
function standing(dump: StackDump): Marked[] {
  const tasks = (dump.tasks ?? []).map((t) => ({
    name: `task ${t.name}`,
    tid: 0,
    state: t.state,
    frames: t.frames,
  }));
  return [...dump.threads, ...tasks];
}

/** Adds where each of `dump`'s threads stands, by absolute file, each thread named by `name`. */
function collect(
  byFile: Map<string, Map<number, ThreadAtLine[]>>,
  dump: StackDump,
  name: (thread: Marked) => string,
): void {
  for (const thread of standing(dump)) {
    const seen = new Set<string>();
    thread.frames.forEach((frame, depth) => {
      // Relative names are the process's own; a frame without a file (`<string>`) is not marked.
      const file = resolveProfilePath(frame.file, dump.cwd ?? '/');
      if (frame.line <= 0 || file === undefined || seen.has(file)) return;
      seen.add(file);
      const lines = byFile.get(file) ?? new Map<number, ThreadAtLine[]>();
      byFile.set(file, lines);
      const at: ThreadAtLine = { thread: name(thread), state: thread.state };
      if (depth > 0) at.inCallee = thread.frames[depth - 1].function;
      lines.set(frame.line, [...(lines.get(frame.line) ?? []), at]);
    });
  }
}

/**
 * Absolute file → its marks, in line order, for the threads (and, as `task NAME`, the asyncio
 * tasks) of one process or several. With `namePids` (by default: several dumps) each thread is
 * named with its process, `MainThread (pid 1234)`, so two processes on one line are told apart.
 */
export function familyMarks(
  dumps: readonly StackDump[],
  namePids = dumps.length > 1,
): Map<string, LineMark[]> {
  const byFile = new Map<string, Map<number, ThreadAtLine[]>>();
  for (const dump of dumps) {
    collect(byFile, dump, namePids ? (thread) => `${threadLabel(thread)} (pid ${dump.pid})` : threadLabel);
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
