/**
 * Every thread's current stack of a running Python process, read once (the answer to "my program
 * hangs — where?"), shared by `hotpath dump` and Show Current Stacks. No `vscode` import.
 */
import { promises as fs } from 'node:fs';
import type { NativeModule, NativeStackDump } from '../native/nativeApi';
import { nativeCall } from '../native/nativeErrors';
import { descendants, parentOf } from './processFamily';

/** Running: holds the GIL, or the kernel says running or ready to run; else waiting. */
export type ThreadState = 'running' | 'waiting';

export interface DumpedFrame {
  function: string;
  file: string;
  /** 0 when unknown. */
  line: number;
  firstLine: number;
}

export interface DumpedThread {
  name: string;
  /** OS thread id, 0 when unknown. */
  tid: number;
  /** threading.get_ident(), as text (it exceeds 2^53). */
  ident: string;
  main: boolean;
  state: ThreadState;
  holdsGil: boolean;
  /** The stack was deeper than the reader's cap: the outermost frames are missing. */
  truncated: boolean;
  /** Innermost first. */
  frames: DumpedFrame[];
}

export interface DumpedTask {
  /** The Task object's address (hexadecimal): what `awaitedBy` refers to. */
  id: string;
  name: string;
  state: ThreadState;
  /** The thread running it (running tasks only). */
  thread?: { name: string; tid: number };
  /** Running: down to the executing frame; waiting: its coroutines, each awaiting the next in. */
  frames: DumpedFrame[];
  /** Ids of the tasks (of this dump) that await it. */
  awaitedBy: string[];
}

export interface StackDump {
  pid: number;
  python: { version: string; binary: string };
  /** The process's working directory, which relative file names are relative to; null when unknown. */
  cwd: string | null;
  /** The main thread first, then by OS thread id. */
  threads: DumpedThread[];
  /** Threads whose stack kept changing under every read, left out. */
  droppedThreads: number;
  /** Asyncio's pending tasks, when asked for (`--async`). */
  tasks?: DumpedTask[];
  /** Why there are no tasks to read (asyncio not imported), when asked for and so. */
  tasksNote?: string;
}

function frameOf(f: DumpedFrame): DumpedFrame {
  return { function: f.function, file: f.file, line: f.line, firstLine: f.firstLine };
}

export function fromNativeDump(dump: NativeStackDump, cwd: string | null): StackDump {
  return {
    pid: dump.pid,
    python: { version: dump.pythonVersion, binary: dump.pythonBinary },
    cwd,
    threads: dump.threads.map((t) => ({
      name: t.name,
      tid: t.tid,
      ident: t.ident,
      main: t.isMain,
      state: t.running ? 'running' : 'waiting',
      holdsGil: t.holdsGil,
      truncated: t.truncated,
      frames: t.frames.map(frameOf),
    })),
    droppedThreads: dump.droppedThreads,
    ...(dump.tasks ? { tasks: tasksOf(dump) } : {}),
    ...(dump.tasksNote ? { tasksNote: dump.tasksNote } : {}),
  };
}

function tasksOf(dump: NativeStackDump): DumpedTask[] {
  const ids = new Set(dump.tasks?.map((t) => t.id));
  return (dump.tasks ?? []).map((t) => {
    const thread = t.running ? dump.threads.find((th) => th.ident === t.threadIdent) : undefined;
    return {
      id: t.id,
      name: t.name,
      state: t.running ? 'running' : 'waiting',
      ...(thread ? { thread: { name: thread.name, tid: thread.tid } } : {}),
      frames: t.frames.map(frameOf),
      awaitedBy: t.awaitedBy.filter((id) => ids.has(id)),
    };
  });
}

/** Reads the process once; rejects with a coded, actionable HotpathNativeError. */
export async function readStacks(
  native: NativeModule,
  pid: number,
  options: { async?: boolean | 'ifSupported' } = {},
): Promise<StackDump> {
  const dump = await nativeCall(() => native.dumpStacks(pid, { async: options.async ?? false }));
  // Read after the stacks: a process that is not there fails above with its own message.
  const cwd = await fs.readlink(`/proc/${pid}/cwd`).catch(() => null);
  return fromNativeDump(dump, cwd);
}

/** One process of a family dump: its stacks, or why there are none. */
export interface FamilyDump {
  pid: number;
  /** The parent's pid; the first process's own parent, whatever it is. */
  ppid: number;
  argv: string[];
  dump?: StackDump;
  /** Why it has no stacks: not Python, an unsupported version, gone, … (the reader's message). */
  note?: string;
  /** The error code behind `note` (`HOTPATH_NO_PROCESS`: it exited after /proc was read). */
  code?: string;
}

/**
 * The process and every descendant (`dump --subprocesses`), each read once, parents first. The
 * first one's failure rejects as readStacks does; a descendant that cannot be read (not Python,
 * exited since /proc was read) gets a note instead. With `followChildren: false`, the process
 * alone (with its parent and command line).
 */
export async function readFamilyStacks(
  native: NativeModule,
  pid: number,
  options: { async?: boolean | 'ifSupported'; followChildren?: boolean } = {},
): Promise<FamilyDump[]> {
  const root = await readStacks(native, pid, options);
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const argv = await fs
    .readFile(`/proc/${pid}/cmdline`, 'utf8')
    .then((text) => text.split('\0').filter(Boolean))
    .catch(() => []);
  const family: FamilyDump[] = [{ pid, ppid: parentOf(stat) ?? 0, argv, dump: root }];
  if (options.followChildren === false) return family;
  for (const member of await descendants(pid)) {
    try {
      family.push({ ...member, dump: await readStacks(native, member.pid, options) });
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      family.push({
        ...member,
        note: error instanceof Error ? error.message : String(error),
        ...(typeof code === 'string' ? { code } : {}),
      });
    }
  }
  return family;
}
