/**
 * `hotpath dump` output: the text a person reads (every thread, innermost frame first, as
 * `function (file:line)` like the text tree and the collapsed export) and the JSON a script reads
 * (documented in README.md, "hotpath dump"). Names come from the program: printable() first.
 */
import type { DumpedFrame, DumpedTask, DumpedThread, FamilyDump, StackDump } from '../session/stackDump';
import { printable } from '../format/printable';

/** Bumped when a field changes meaning or goes; new fields may appear without a bump. */
export const STACK_DUMP_VERSION = 1;

function threadHeading(thread: DumpedThread): string {
  const name = thread.name ? `"${printable(thread.name)}" ` : '';
  const ids = [thread.tid ? `TID ${thread.tid}` : 'TID unknown', ...(thread.main ? ['main'] : [])];
  const state = thread.state === 'running' && thread.holdsGil ? 'running, holds the GIL' : thread.state;
  return `Thread ${name}(${ids.join(', ')}) — ${state}`;
}

function frameLine(frame: DumpedFrame, indent = '    '): string {
  const where = frame.line > 0 ? `${frame.file}:${frame.line}` : frame.file;
  return `${indent}${printable(frame.function)} (${printable(where)})`;
}

function taskHeading(task: DumpedTask): string {
  if (task.state !== 'running') return `Task "${printable(task.name)}" — waiting`;
  const thread = task.thread ? ` in thread "${printable(task.thread.name)}" (TID ${task.thread.tid})` : '';
  return `Task "${printable(task.name)}" — running${thread}`;
}

/**
 * The tasks as a tree: each under every task that awaits it (gather, TaskGroup), the ones no
 * task awaits at the top. A cycle (which asyncio refuses) would be cut where it closes.
 */
function taskLines(tasks: DumpedTask[]): string[] {
  const children = new Map<string, DumpedTask[]>();
  for (const task of tasks) {
    for (const parent of task.awaitedBy) children.set(parent, [...(children.get(parent) ?? []), task]);
  }
  const lines: string[] = [];
  const visit = (task: DumpedTask, depth: number, path: Set<string>) => {
    const indent = '  '.repeat(depth);
    lines.push('', `${indent}${taskHeading(task)}`);
    lines.push(...task.frames.map((f) => frameLine(f, `${indent}    `)));
    for (const child of children.get(task.id) ?? []) {
      if (!path.has(child.id)) visit(child, depth + 1, new Set([...path, child.id]));
    }
  };
  for (const task of tasks.filter((t) => t.awaitedBy.length === 0)) visit(task, 0, new Set([task.id]));
  return lines;
}

export function stackDumpText(dump: StackDump): string {
  const count = dump.threads.length;
  const lines = [
    `Process ${dump.pid}: Python ${dump.python.version} (${printable(dump.python.binary)}), ` +
      `${count} thread${count === 1 ? '' : 's'}, innermost frame first`,
  ];
  for (const thread of dump.threads) {
    lines.push('', threadHeading(thread));
    if (thread.frames.length === 0) lines.push('    (no Python frames)');
    lines.push(...thread.frames.map((f) => frameLine(f)));
    if (thread.truncated) lines.push(`    … outer frames not shown (deeper than ${thread.frames.length})`);
  }
  if (dump.tasks) {
    const n = dump.tasks.length;
    lines.push(
      '',
      dump.tasksNote
        ? `Asyncio tasks: none to read: ${dump.tasksNote}.`
        : `${n} asyncio task${n === 1 ? '' : 's'}, each under the task awaiting it, innermost frame first:`,
    );
    lines.push(...taskLines(dump.tasks));
  }
  if (dump.droppedThreads > 0) {
    const n = dump.droppedThreads;
    lines.push(
      '',
      `${n} more thread${n === 1 ? '' : 's'} not shown: the stack kept changing while it was read. Run the dump again.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function stackDumpJson(dump: StackDump): string {
  return `${JSON.stringify({ format: 'hotpath-stacks', version: STACK_DUMP_VERSION, ...dump }, null, 2)}\n`;
}

/** `dump --subprocesses`: one section per process, parents first, each headed by its command line. */
export function familyDumpText(family: FamilyDump[]): string {
  const n = family.length;
  const sections = [
    `${n} process${n === 1 ? '' : 'es'}: the one asked for and its descendants, parents first\n`,
  ];
  for (const member of family) {
    const command = member.argv.length ? printable(member.argv.join(' ')) : '(command line not readable)';
    const heading = `=== Process ${member.pid} (parent ${member.ppid}): ${command}`;
    sections.push(
      member.dump
        ? `${heading}\n${stackDumpText(member.dump)}`
        : `${heading}\nNo stacks: ${printable(member.note ?? '')}\n`,
    );
  }
  return sections.join('\n');
}

export function familyDumpJson(family: FamilyDump[]): string {
  const processes = family.map(({ pid, ppid, argv, dump, note }) =>
    dump ? { ...dump, ppid, argv } : { pid, ppid, argv, note },
  );
  return `${JSON.stringify({ format: 'hotpath-stacks', version: STACK_DUMP_VERSION, processes }, null, 2)}\n`;
}
