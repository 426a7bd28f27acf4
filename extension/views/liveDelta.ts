/**
 * What a live snapshot adds to the one before it: the view worker already
 * holds the samples so far of a running program, so each update sends it
 * only the strings, frames, stacks and samples that are new (a second's
 * worth), not the whole profile again — a structured clone of a long run
 * would stall the extension host for tens of milliseconds every update.
 * Snapshots of one run (and one Reset) only ever grow: the spill is
 * append-only, so a later snapshot's columns start with the earlier one's.
 * No `vscode` import.
 */
import type { RawProfile } from '../model/rawProfile';

/**
 * A profile's shape holding only the new entries of every table (strings,
 * frames, stacks, samples), with threads, processes, meta and stats whole
 * (they are small and change).
 */
export interface LiveDelta extends RawProfile {
  /** The run (and Reset) both snapshots belong to; see liveRunOf. */
  run: string;
  /** Lengths of the snapshot this extends: its tables must have exactly these. */
  base: { strings: number; frames: number; stacks: number; samples: number };
}

/** The run a live snapshot belongs to, counted from its last Reset; undefined for any other profile. */
export function liveRunOf(raw: RawProfile): string | undefined {
  const { live, pid, startedAt, countedFromUs } = raw.meta;
  return live ? `${pid}:${startedAt}:${countedFromUs ?? 0}` : undefined;
}

function lengths(raw: RawProfile): LiveDelta['base'] {
  return {
    strings: raw.strings.length,
    frames: raw.frameFile.length,
    stacks: raw.stackParent.length,
    samples: raw.sampleTime.length,
  };
}

/**
 * What `next` adds to `base`, copied into arrays of their own (a view would
 * clone its whole buffer); undefined when `next` is not a later snapshot of
 * the same run.
 */
export function liveDelta(base: RawProfile, next: RawProfile): LiveDelta | undefined {
  const run = liveRunOf(next);
  if (run === undefined || run !== liveRunOf(base)) return undefined;
  const from = lengths(base);
  const to = lengths(next);
  if (to.strings < from.strings || to.frames < from.frames || to.stacks < from.stacks) return undefined;
  if (to.samples < from.samples) return undefined;
  return {
    run,
    base: from,
    strings: next.strings.slice(from.strings),
    frameFile: next.frameFile.slice(from.frames),
    frameName: next.frameName.slice(from.frames),
    frameLine: next.frameLine.slice(from.frames),
    frameFirstLine: next.frameFirstLine.slice(from.frames),
    stackParent: next.stackParent.slice(from.stacks),
    stackFrame: next.stackFrame.slice(from.stacks),
    sampleTime: next.sampleTime.slice(from.samples),
    sampleThread: next.sampleThread.slice(from.samples),
    sampleStack: next.sampleStack.slice(from.samples),
    sampleOnCpu: next.sampleOnCpu.slice(from.samples),
    ...(next.sampleGil ? { sampleGil: next.sampleGil.slice(from.samples) } : {}),
    threads: next.threads,
    ...(next.processes ? { processes: next.processes } : {}),
    meta: next.meta,
    stats: next.stats,
  };
}

/** `base` extended by `delta`; undefined when `delta` does not extend exactly this snapshot. */
export function applyLiveDelta(base: RawProfile, delta: LiveDelta): RawProfile | undefined {
  const have = lengths(base);
  const { base: want } = delta;
  if (liveRunOf(base) !== delta.run) return undefined;
  if (have.strings !== want.strings || have.frames !== want.frames) return undefined;
  if (have.stacks !== want.stacks || have.samples !== want.samples) return undefined;
  return {
    strings: base.strings.concat(delta.strings),
    frameFile: join(base.frameFile, delta.frameFile, (n) => new Uint32Array(n)),
    frameName: join(base.frameName, delta.frameName, (n) => new Uint32Array(n)),
    frameLine: join(base.frameLine, delta.frameLine, (n) => new Uint32Array(n)),
    frameFirstLine: join(base.frameFirstLine, delta.frameFirstLine, (n) => new Uint32Array(n)),
    stackParent: join(base.stackParent, delta.stackParent, (n) => new Int32Array(n)),
    stackFrame: join(base.stackFrame, delta.stackFrame, (n) => new Uint32Array(n)),
    sampleTime: join(base.sampleTime, delta.sampleTime, (n) => new Float64Array(n)),
    sampleThread: join(base.sampleThread, delta.sampleThread, (n) => new Uint32Array(n)),
    sampleStack: join(base.sampleStack, delta.sampleStack, (n) => new Int32Array(n)),
    sampleOnCpu: join(base.sampleOnCpu, delta.sampleOnCpu, (n) => new Uint8Array(n)),
    ...(base.sampleGil && delta.sampleGil
      ? { sampleGil: join(base.sampleGil, delta.sampleGil, (n) => new Uint8Array(n)) }
      : {}),
    threads: delta.threads,
    ...(delta.processes ? { processes: delta.processes } : {}),
    meta: delta.meta,
    stats: delta.stats,
  };
}

function join<T extends Uint32Array | Int32Array | Float64Array | Uint8Array>(
  head: T,
  tail: T,
  make: (length: number) => T,
): T {
  const out = make(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
