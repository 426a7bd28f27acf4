/**
 * `hotpath dump` output: the text a person reads (every thread, innermost frame first, as
 * `function (file:line)` like the text tree and the collapsed export) and the JSON a script reads
 * (documented in README.md, "hotpath dump"). Names come from the program: printable() first.
 */
import type { DumpedThread, StackDump } from '../session/stackDump';
import { printable } from '../format/printable';

/** Bumped when a field changes meaning or goes; new fields may appear without a bump. */
export const STACK_DUMP_VERSION = 1;

function threadHeading(thread: DumpedThread): string {
  const name = thread.name ? `"${printable(thread.name)}" ` : '';
  const ids = [thread.tid ? `TID ${thread.tid}` : 'TID unknown', ...(thread.main ? ['main'] : [])];
  const state = thread.state === 'running' && thread.holdsGil ? 'running, holds the GIL' : thread.state;
  return `Thread ${name}(${ids.join(', ')}) — ${state}`;
}

function frameLine(frame: DumpedThread['frames'][number]): string {
  const where = frame.line > 0 ? `${frame.file}:${frame.line}` : frame.file;
  return `    ${printable(frame.function)} (${printable(where)})`;
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
    lines.push(...thread.frames.map(frameLine));
    if (thread.truncated) lines.push(`    … outer frames not shown (deeper than ${thread.frames.length})`);
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
