/**
 * `hotpath dump PID`: every thread's current stack, read once, on stdout (text, or JSON with
 * --json); with --async asyncio's tasks too (CPython 3.14+); with --subprocesses every descendant's too,
 * by process. Exits 0, or 2 when the process cannot be read (the error says why and what to do).
 */
import { familyDumpJson, familyDumpText, stackDumpJson, stackDumpText } from './stackDumpText';
import { loadNative } from '../native/loadNative';
import { readFamilyStacks, readStacks } from '../session/stackDump';
import type { Command } from './args';

export async function dumpCommand(command: Extract<Command, { kind: 'dump' }>): Promise<number> {
  if (command.subprocesses) {
    const family = await readFamilyStacks(loadNative(), command.pid, { async: command.async });
    process.stdout.write(command.json ? familyDumpJson(family) : familyDumpText(family));
    return 0;
  }
  const dump = await readStacks(loadNative(), command.pid, { async: command.async });
  process.stdout.write(command.json ? stackDumpJson(dump) : stackDumpText(dump));
  return 0;
}
