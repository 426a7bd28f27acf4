/**
 * Builds RawProfiles from readable stacks for tests:
 *
 *   buildProfile({ samples: [{ stack: ['main@app.py:10', 'work@app.py:3'], repeat: 2 }] })
 *
 * A frame is written `name@file:line`, root first. A function's first line
 * comes from `firstLines['name@file']` (default 1). Sample times advance by
 * the interval per thread unless given.
 */
import type { ProcessInfo, RawProfile, ThreadInfo } from '../../../extension/model/rawProfile';

export interface SampleSpec {
  /** Root first; an empty stack is a thread with no Python frames. */
  stack: string[];
  thread?: number;
  onCpu?: boolean;
  /** Held the GIL; a profile with any sample that says (true or false) records `sampleGil`. */
  gil?: boolean;
  repeat?: number;
  /** µs since start; defaults to the thread's previous sample + interval. */
  time?: number;
}

export interface ProfileSpec {
  samples: SampleSpec[];
  threads?: (Partial<ThreadInfo> & { name: string })[];
  intervalUs?: number;
  firstLines?: Record<string, number>;
  pythonVersion?: string;
}

export function buildProfile(spec: ProfileSpec): RawProfile {
  const intervalUs = spec.intervalUs ?? 1000;
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const str = (s: string): number => {
    let id = stringIds.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      stringIds.set(s, id);
    }
    return id;
  };
  const frames = { file: [] as number[], name: [] as number[], line: [] as number[], first: [] as number[] };
  const frameIds = new Map<string, number>();
  const frame = (text: string): number => {
    const existing = frameIds.get(text);
    if (existing !== undefined) return existing;
    const match = /^([\s\S]*)@([\s\S]*):(\d+)$/.exec(text);
    if (!match) throw new Error(`frame must be name@file:line, got ${text}`);
    const [, name, file, line] = match;
    const id = frames.file.length;
    frames.file.push(str(file));
    frames.name.push(str(name));
    frames.line.push(Number(line));
    frames.first.push(spec.firstLines?.[`${name}@${file}`] ?? 1);
    frameIds.set(text, id);
    return id;
  };
  const stackParent: number[] = [];
  const stackFrame: number[] = [];
  const stackIds = new Map<string, number>();
  const stack = (path: string[]): number => {
    let node = -1;
    for (const text of path) {
      const f = frame(text);
      const key = `${node}/${f}`;
      let id = stackIds.get(key);
      if (id === undefined) {
        id = stackParent.length;
        stackParent.push(node);
        stackFrame.push(f);
        stackIds.set(key, id);
      }
      node = id;
    }
    return node;
  };

  const time: number[] = [];
  const thread: number[] = [];
  const stackOf: number[] = [];
  const onCpu: number[] = [];
  const gil: number[] = [];
  const nextTime = new Map<number, number>();
  for (const sample of spec.samples) {
    const t = sample.thread ?? 0;
    const s = stack(sample.stack);
    for (let k = 0; k < (sample.repeat ?? 1); k++) {
      const at = k === 0 && sample.time !== undefined ? sample.time : (nextTime.get(t) ?? 0);
      time.push(at);
      thread.push(t);
      stackOf.push(s);
      onCpu.push(sample.onCpu === false ? 0 : 1);
      gil.push(sample.gil ? 1 : 0);
      nextTime.set(t, at + intervalUs);
    }
  }
  const threadCount = thread.reduce((n, t) => Math.max(n, t + 1), Math.max(spec.threads?.length ?? 0, 1));
  const threads: ThreadInfo[] = [];
  for (let t = 0; t < threadCount; t++) {
    const given = spec.threads?.[t];
    threads.push({
      tid: given?.tid ?? 1000 + t,
      ident: given?.ident ?? String(140000000000000 + t),
      name: given?.name ?? (t === 0 ? 'MainThread' : `Thread-${t}`),
      isMain: given?.isMain ?? t === 0,
      ...(given?.loopThread === undefined ? {} : { loopThread: given.loopThread }),
    });
  }
  const durationUs = time.length ? Math.max(...time) - Math.min(...time) : 0;
  return {
    strings,
    frameFile: Uint32Array.from(frames.file),
    frameName: Uint32Array.from(frames.name),
    frameLine: Uint32Array.from(frames.line),
    frameFirstLine: Uint32Array.from(frames.first),
    stackParent: Int32Array.from(stackParent),
    stackFrame: Uint32Array.from(stackFrame),
    sampleTime: Float64Array.from(time),
    sampleThread: Uint32Array.from(thread),
    sampleStack: Int32Array.from(stackOf),
    sampleOnCpu: Uint8Array.from(onCpu),
    ...(spec.samples.some((s) => s.gil !== undefined) ? { sampleGil: Uint8Array.from(gil) } : {}),
    threads,
    meta: {
      startedAt: 1_700_000_000_000,
      durationUs,
      intervalUs,
      pid: 4242,
      argv: ['python3', 'app.py'],
      pythonPath: '/usr/bin/python3',
      pythonVersion: spec.pythonVersion ?? '3.12.1',
      exitCode: 0,
      exitSignal: null,
      cwd: '/home/user/project',
    },
    stats: {
      ticks: time.length,
      samples: time.length,
      lateTicks: 0,
      droppedSamples: 0,
      meanTickCostUs: 12.5,
      maxDepth: Math.max(0, ...spec.samples.map((s) => s.stack.length)),
      truncatedStacks: 0,
    },
  };
}

/** A process entry for profiles of several processes: a finished `python3 main.py` unless told. */
export function processInfo(fields: Partial<ProcessInfo> & { pid: number }): ProcessInfo {
  return {
    ppid: 1,
    parent: -1,
    argv: ['/usr/bin/python3', 'main.py'],
    pythonVersion: '3.12.1',
    startUs: 0,
    endUs: null,
    exitCode: 0,
    exitSignal: null,
    ...fields,
  };
}
