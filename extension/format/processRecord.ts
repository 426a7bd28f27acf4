/**
 * A process as the native sampler records it (native/sampler/profile_data.h `ProcessRecord`,
 * the spill file's process record) turned into the profile's ProcessInfo: the wait status decoded
 * into an exit code or a signal name, "not known" (-1) into null. Shared by the finished profile
 * (session/rawFromNative.ts) and the spill reader, so both say the same.
 */
import { constants as osConstants } from 'node:os';
import type { ProcessInfo } from '../model/rawProfile';

export interface NativeProcessRecord extends Pick<
  ProcessInfo,
  'pid' | 'ppid' | 'parent' | 'argv' | 'pythonVersion' | 'startUs'
> {
  /** -1: still running when sampling ended. */
  endUs: number;
  /** As waitpid() reports it; -1 when not known. */
  waitStatus: number;
  execed: boolean;
  note: string;
}

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(osConstants.signals).map(([name, number]) => [number, name]),
);

export function processFromRecord(record: NativeProcessRecord): ProcessInfo {
  const { waitStatus } = record;
  const known = waitStatus >= 0 && !record.execed;
  const signal = known ? waitStatus & 0x7f : 0;
  const info: ProcessInfo = {
    pid: record.pid,
    ppid: record.ppid,
    parent: record.parent,
    argv: record.argv,
    pythonVersion: record.pythonVersion,
    startUs: Math.max(0, record.startUs),
    endUs: record.endUs >= 0 ? record.endUs : null,
    exitCode: known && signal === 0 ? (waitStatus >> 8) & 0xff : null,
    exitSignal: known && signal !== 0 ? (SIGNAL_NAMES.get(signal) ?? `signal ${signal}`) : null,
  };
  if (record.execed) info.execed = true;
  if (record.note) info.note = record.note;
  return info;
}
