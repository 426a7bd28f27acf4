/**
 * The processes of a profile as the panel shows them: the process selector's entries and the
 * timeline's groups, each with its lifetime and how it ended. vscode-free, unit-tested.
 */
import { processLabel, type ProcessInfo, type RawProfile } from '../model/rawProfile';
import type { ProcessSummary } from './protocol';

/** The summaries of a profile of several processes; undefined for a profile of one. */
export function processSummaries(raw: RawProfile): ProcessSummary[] | undefined {
  const processes = raw.processes;
  if (!processes || processes.length < 2) return undefined;
  const samples = new Array<number>(processes.length).fill(0);
  const processOf = raw.threads.map((t) => t.process ?? 0);
  for (let s = 0; s < raw.sampleThread.length; s++) samples[processOf[raw.sampleThread[s]] ?? 0]++;
  return processes.map((p, index) => ({
    index,
    parent: p.parent,
    pid: p.pid,
    label: processLabel(p),
    startUs: p.startUs,
    endUs: p.endUs,
    ending: processEnding(p),
    ...(p.note ? { note: p.note } : {}),
    samples: samples[index],
  }));
}

/**
 * The processes worth a place in the selector and the timeline: those sampled, and those a
 * sampled one runs under (a shell that started Python). A helper that ran no Python and started
 * none (pyenv's shims run a dozen) would only push the program's lanes down.
 */
export function processesWithPython(processes: readonly ProcessSummary[]): ProcessSummary[] {
  const byIndex = new Map(processes.map((p) => [p.index, p]));
  const keep = new Set<number>();
  for (const p of processes) {
    if (p.samples === 0) continue;
    // Up the parent chain; a cycle (a file can say anything) stops where it repeats.
    for (let q: ProcessSummary | undefined = p; q && !keep.has(q.index); q = byIndex.get(q.parent))
      keep.add(q.index);
  }
  return processes.filter((p) => keep.has(p.index));
}

/** How a process ended, in a few words ('' while it ran on or when its status is not known). */
export function processEnding(p: Pick<ProcessInfo, 'exitCode' | 'exitSignal' | 'execed'>): string {
  if (p.execed) return "exec'd another program";
  if (p.exitSignal) return `killed by ${p.exitSignal}`;
  return p.exitCode !== null ? `exit ${p.exitCode}` : '';
}

/** The threads a process filter keeps: those of `process`, or every thread without one. */
export function threadsOfProcess(
  threads: readonly { process?: number }[],
  process: number | undefined,
): number[] {
  const out: number[] = [];
  threads.forEach((t, i) => {
    if (process === undefined || (t.process ?? 0) === process) out.push(i);
  });
  return out;
}

/**
 * The process entry a pid stands for: an exec gives one pid several entries, and the one that ran
 * Python (the newest such image) is meant. Undefined when no process has that pid.
 */
export function processOfPid(
  raw: Pick<RawProfile, 'processes' | 'threads'>,
  pid: number,
): number | undefined {
  const sampled = new Set(raw.threads.map((t) => t.process ?? 0));
  let found: number | undefined;
  (raw.processes ?? []).forEach((p, i) => {
    if (p.pid !== pid) return;
    if (found === undefined || sampled.has(i) || !sampled.has(found)) found = i;
  });
  return found;
}
