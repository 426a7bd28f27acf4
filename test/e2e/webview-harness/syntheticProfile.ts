/**
 * A large, realistic-looking RawProfile for the panel harness: a seeded
 * random call tree of about `nodes` distinct call paths over a pool of user
 * and library functions, two threads, running and waiting samples spread
 * over the run. Deterministic for a given seed so screenshots compare.
 */
import type { RawProfile } from '../../../extension/model/rawProfile';
import { seededRandom } from '../../unit/helpers/seededRandom';

export interface SyntheticOptions {
  nodes: number;
  seed?: number;
  intervalUs?: number;
}

const VERBS = [
  'load',
  'parse',
  'render',
  'compute',
  'fetch',
  'encode',
  'decode',
  'merge',
  'sort',
  'index',
  'walk',
];
const NOUNS = [
  'rows',
  'config',
  'template',
  'matrix',
  'graph',
  'tokens',
  'records',
  'cache',
  'blocks',
  'tree',
];
const MODULES = ['app', 'models', 'views', 'services', 'utils', 'pipeline', 'reports', 'storage'];
const LIBRARIES = [
  'numpy/core/numeric.py',
  'requests/sessions.py',
  'jinja2/environment.py',
  'json/decoder.py',
];

export function syntheticProfile(options: SyntheticOptions): RawProfile {
  const rnd = seededRandom(options.seed ?? 7);
  const intervalUs = options.intervalUs ?? 1000;
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const str = (s: string) => {
    let id = stringIds.get(s);
    if (id === undefined) {
      id = strings.push(s) - 1;
      stringIds.set(s, id);
    }
    return id;
  };

  // Function pool: mostly user code, some library code.
  interface Fn {
    file: number;
    name: number;
    firstLine: number;
  }
  const functions: Fn[] = [];
  for (let i = 0; i < 4000; i++) {
    const library = i % 10 === 9;
    const file = library
      ? `/home/dev/.venv/lib/python3.12/site-packages/${LIBRARIES[i % LIBRARIES.length]}`
      : `/home/dev/project/${MODULES[i % MODULES.length]}/${NOUNS[(i >> 3) % NOUNS.length]}.py`;
    const name = `${VERBS[i % VERBS.length]}_${NOUNS[(i >> 2) % NOUNS.length]}_${i}`;
    functions.push({ file: str(file), name: str(name), firstLine: 10 + ((i * 37) % 900) });
  }

  const frameFile: number[] = [];
  const frameName: number[] = [];
  const frameLine: number[] = [];
  const frameFirst: number[] = [];
  const frameOf = (fn: Fn, line: number) => {
    frameFile.push(fn.file);
    frameName.push(fn.name);
    frameLine.push(line);
    frameFirst.push(fn.firstLine);
    return frameFile.length - 1;
  };

  const stackParent: number[] = [];
  const stackFrame: number[] = [];
  const main: Fn = { file: str('/home/dev/project/main.py'), name: str('<module>'), firstLine: 1 };
  stackParent.push(-1);
  stackFrame.push(frameOf(main, 42));
  // Breadth-first growth keeps the tree bushy near the top and thins out below.
  const queue: { stack: number; depth: number }[] = [{ stack: 0, depth: 0 }];
  let head = 0;
  while (stackParent.length < options.nodes && head < queue.length) {
    const { stack, depth } = queue[head++];
    const kids = depth < 3 ? 6 + Math.floor(rnd() * 6) : Math.floor(rnd() * 4);
    const used = new Set<number>();
    for (let k = 0; k < kids && stackParent.length < options.nodes; k++) {
      let f = Math.floor(rnd() * functions.length);
      while (used.has(f)) f = (f + 1) % functions.length;
      used.add(f);
      const fn = functions[f];
      stackParent.push(stack);
      stackFrame.push(frameOf(fn, fn.firstLine + 1 + Math.floor(rnd() * 30)));
      queue.push({ stack: stackParent.length - 1, depth: depth + 1 });
    }
    if (head === queue.length && stackParent.length < options.nodes) queue.push({ stack: 0, depth: 0 });
  }

  // Samples: every call path at least once (so each is a tree node), hot paths more.
  const sampleStack: number[] = [];
  for (let s = 0; s < stackParent.length; s++) {
    const weight = rnd() < 0.02 ? 20 : 1;
    for (let w = 0; w < weight; w++) sampleStack.push(s);
  }
  // Shuffle into a plausible order over time, keeping phases: early stacks early.
  const n = sampleStack.length;
  const sampleTime = new Float64Array(n);
  const sampleThread = new Uint32Array(n);
  const sampleOnCpu = new Uint8Array(n);
  const order = sampleStack.map((s, i) => ({ s, key: i + rnd() * n * 0.2 })).sort((a, b) => a.key - b.key);
  let tMain = 0;
  let tWorker = 0;
  order.forEach((o, i) => {
    sampleStack[i] = o.s;
    const worker = o.s % 5 === 0;
    sampleThread[i] = worker ? 1 : 0;
    sampleTime[i] = worker ? (tWorker += intervalUs * 4) : (tMain += intervalUs);
    sampleOnCpu[i] = rnd() < (worker ? 0.3 : 0.85) ? 1 : 0;
  });
  // Samples must be in time order, as the sampler records them.
  const byTime = Array.from(sampleTime.keys()).sort((a, b) => sampleTime[a] - sampleTime[b]);
  const pick = <T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(
    src: T,
    make: (n: number) => T,
  ) => {
    const out = make(n);
    byTime.forEach((from, to) => (out[to] = src[from]));
    return out;
  };
  const time = pick(sampleTime, (k) => new Float64Array(k));
  const durationUs = time[n - 1] - time[0];
  return {
    strings,
    frameFile: Uint32Array.from(frameFile),
    frameName: Uint32Array.from(frameName),
    frameLine: Uint32Array.from(frameLine),
    frameFirstLine: Uint32Array.from(frameFirst),
    stackParent: Int32Array.from(stackParent),
    stackFrame: Uint32Array.from(stackFrame),
    sampleTime: time,
    sampleThread: pick(sampleThread, (k) => new Uint32Array(k)),
    sampleStack: pick(Int32Array.from(sampleStack), (k) => new Int32Array(k)),
    sampleOnCpu: pick(sampleOnCpu, (k) => new Uint8Array(k)),
    threads: [
      { tid: 4242, ident: '140234', name: 'MainThread', isMain: true },
      { tid: 4250, ident: '140298', name: 'uploader', isMain: false },
    ],
    meta: {
      startedAt: Date.UTC(2026, 0, 15, 10, 30),
      durationUs,
      intervalUs,
      pid: 4242,
      argv: ['/home/dev/.venv/bin/python', '/home/dev/project/main.py', '--input', 'data.csv'],
      pythonPath: '/home/dev/.venv/bin/python',
      pythonVersion: '3.12.1',
      exitCode: 0,
      exitSignal: null,
      cwd: '/home/dev/project',
    },
    stats: {
      ticks: Math.round(durationUs / intervalUs),
      samples: n,
      lateTicks: 12,
      droppedSamples: 3,
      meanTickCostUs: 18.4,
      maxDepth: 40,
      truncatedStacks: 0,
    },
  };
}

/**
 * A long run for the flame chart: `samples` samples over two threads whose stacks (3 to 14
 * frames over a pool of 400 functions, each calling one of two) change every few samples, as a
 * busy program's do: about one run of the chart for every three samples.
 */
export function longRunProfile(samples: number, seed = 5): RawProfile {
  const rnd = seededRandom(seed);
  const strings: string[] = [];
  const str = (s: string) => strings.push(s) - 1;
  const file = str('/home/dev/project/app/service.py');
  const fnCount = 400;
  const names = Array.from({ length: fnCount }, (_, i) =>
    str(`${VERBS[i % VERBS.length]}_${NOUNS[(i >> 2) % NOUNS.length]}_${i}`),
  );
  const frameFile = new Uint32Array(fnCount).fill(file);
  const frameName = Uint32Array.from(names);
  const frameLine = Uint32Array.from({ length: fnCount }, (_, i) => 10 + i * 3);
  const frameFirstLine = Uint32Array.from({ length: fnCount }, (_, i) => 9 + i * 3);
  const stackParent: number[] = [];
  const stackFrame: number[] = [];
  const child = new Map<number, number>();
  const push = (parent: number, frame: number) => {
    const key = (parent + 1) * fnCount + frame;
    let id = child.get(key);
    if (id === undefined) {
      id = stackParent.push(parent) - 1;
      stackFrame.push(frame);
      child.set(key, id);
    }
    return id;
  };
  const sampleTime = new Float64Array(samples);
  const sampleThread = new Uint32Array(samples);
  const sampleStack = new Int32Array(samples);
  const sampleOnCpu = new Uint8Array(samples);
  const paths: number[][] = [[0], [1]];
  const intervalUs = 1000;
  for (let i = 0; i < samples; i++) {
    const thread = i & 1;
    const path = paths[thread];
    if (rnd() < 0.35) {
      path.length = Math.max(1, path.length - 1 - Math.floor(rnd() * 4));
      const target = 3 + Math.floor(rnd() * 12);
      // A function calls one of a few callees, as code does: paths repeat.
      while (path.length < target)
        path.push((path[path.length - 1] * 7 + 1 + Math.floor(rnd() * 2)) % fnCount);
    }
    let stack = -1;
    for (const f of path) stack = push(stack, f);
    sampleTime[i] = (i >> 1) * intervalUs;
    sampleThread[i] = thread;
    sampleStack[i] = stack;
    sampleOnCpu[i] = rnd() < 0.8 ? 1 : 0;
  }
  const durationUs = sampleTime[samples - 1];
  return {
    strings,
    frameFile,
    frameName,
    frameLine,
    frameFirstLine,
    stackParent: Int32Array.from(stackParent),
    stackFrame: Uint32Array.from(stackFrame),
    sampleTime,
    sampleThread,
    sampleStack,
    sampleOnCpu,
    threads: [
      { tid: 5001, ident: '1', name: 'MainThread', isMain: true },
      { tid: 5002, ident: '2', name: 'worker', isMain: false },
    ],
    meta: {
      startedAt: Date.UTC(2026, 0, 15, 10, 30),
      durationUs,
      intervalUs,
      pid: 5001,
      argv: ['python', 'service.py'],
      pythonPath: '/usr/bin/python3',
      pythonVersion: '3.12.1',
      exitCode: 0,
      exitSignal: null,
      cwd: '/home/dev/project',
    },
    stats: {
      ticks: samples / 2,
      samples,
      lateTicks: 0,
      droppedSamples: 0,
      meanTickCostUs: 20,
      maxDepth: 14,
      truncatedStacks: 0,
    },
  };
}
