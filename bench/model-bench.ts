/**
 * Model and profile-file benchmark: synthesises a profile of 1M samples
 * (4 threads, stacks 10–40 deep over 2,000 functions), saves it, then measures each step in a fresh process so that
 * every step reports its own peak RSS (steps run bundled, under plain node):
 *
 *   npx tsx bench/model-bench.ts [samples] [--stress]
 *
 * The default shape is a program looping over a few hundred hot paths per
 * thread; --stress makes nearly every sample a new stack (200k+ stacks), the
 * worst case for the builders.
 *
 * Prints a table; nothing is asserted (timing belongs here, not in tests).
 */
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { rawProfileFromColumns, type RawProfile } from '../extension/model/rawProfile';
import { loadProfile, saveProfile } from '../extension/format/profileFile';
import { createView } from '../extension/model/processors';
import { buildLineTable, buildFileLines } from '../extension/model/lineTable';
import { buildCallTree } from '../extension/model/callTree';
import { buildFunctionTable } from '../extension/model/functionTable';
import { buildTimeline } from '../extension/model/timeline';
import { exportSpeedscope } from '../extension/format/speedscope';
import { exportCollapsed } from '../extension/format/collapsed';
import { seededRandom } from '../test/unit/helpers/seededRandom';

type Shape = 'realistic' | 'stress';

const WORK_DIR = join(__dirname, '.work');
const FILE = join(WORK_DIR, 'model-bench.hotpath.json');

/** Each step loads the file, then builds one thing. */
const STEPS: Record<string, (profile: RawProfile) => unknown> = {
  'nothing (process baseline)': () => undefined,
  'load only': () => undefined,
  'line table': (p) => buildLineTable(createView(p)),
  'line table, one file': (p) => buildFileLines(createView(p), 'src/module3.py'),
  'call tree': (p) => buildCallTree(createView(p)),
  'call tree, library hidden': (p) =>
    buildCallTree(createView(p, { mode: 'wall', hideLibrary: true, hideStartup: true })),
  'function table': (p) => buildFunctionTable(createView(p)),
  timeline: (p) => buildTimeline(createView(p)),
  'speedscope export': (p) => exportSpeedscope(p).length,
  'collapsed export': (p) => exportCollapsed(p).length,
};

function synthesise(sampleCount: number, shape: Shape): RawProfile {
  const next = seededRandom(42);
  const strings: string[] = [];
  const files: number[] = [];
  for (let f = 0; f < 40; f++) {
    files.push(strings.length);
    strings.push(f % 4 === 0 ? `/venv/lib/python3.12/site-packages/pkg/mod${f}.py` : `src/module${f}.py`);
  }
  const frameFile: number[] = [];
  const frameName: number[] = [];
  const frameLine: number[] = [];
  const frameFirstLine: number[] = [];
  // 2,000 functions, 4 lines each: 8,000 frames.
  for (let fn = 0; fn < 2000; fn++) {
    const name = strings.length;
    strings.push(`Class${fn % 50}.method_${fn}`);
    const firstLine = 1 + (fn % 200) * 10;
    for (let line = 0; line < 4; line++) {
      frameFile.push(files[fn % files.length]);
      frameName.push(name);
      frameLine.push(firstLine + 1 + line);
      frameFirstLine.push(firstLine);
    }
  }
  const stackParent: number[] = [];
  const stackFrame: number[] = [];
  const children = new Map<number, number>();
  const intern = (parent: number, frame: number): number => {
    const key = (parent + 1) * 8192 + frame;
    let id = children.get(key);
    if (id === undefined) {
      id = stackParent.length;
      stackParent.push(parent);
      stackFrame.push(frame);
      children.set(key, id);
    }
    return id;
  };

  const threadCount = 4;
  const sampleTime = new Float64Array(sampleCount);
  const sampleThread = new Uint32Array(sampleCount);
  const sampleStack = new Int32Array(sampleCount);
  const sampleOnCpu = new Uint8Array(sampleCount);
  const stackOfPath = (path: number[]): number => {
    let node = -1;
    for (const frame of path) node = intern(node, frame);
    return node;
  };

  // Realistic: each thread loops over a few hundred hot call paths (a static
  // call graph, each function calling four others), picked with a skewed
  // distribution and at varying lines. Stress: every sample wanders the call
  // graph at random, so that nearly every sample makes new stacks.
  const templates: number[][][] = [];
  for (let t = 0; t < threadCount; t++) {
    const paths: number[][] = [];
    for (let k = 0; k < 300; k++) {
      const depth = 10 + Math.floor(next() * 31);
      let fn = t * 17;
      const path: number[] = [];
      for (let d = 0; d < depth; d++) {
        path.push(fn * 4);
        fn = (fn * 7 + 13 * (1 + Math.floor(next() * 4))) % 2000;
      }
      paths.push(path);
    }
    templates.push(paths);
  }
  const walks: number[][] = Array.from({ length: threadCount }, (_, t) => [t * 4]);
  for (let i = 0; i < sampleCount; i++) {
    const thread = i % threadCount;
    let path: number[];
    if (shape === 'realistic') {
      const paths = templates[thread];
      path = paths[Math.floor(paths.length * next() ** 3)].slice();
      path[path.length - 1] += Math.floor(next() * 4);
    } else {
      path = walks[thread];
      const r = next();
      if ((r < 0.15 && path.length > 10) || path.length >= 40) path.pop();
      else if (r < 0.3 || path.length < 10) path.push(Math.floor(next() * 8000));
      else if (r < 0.4) path[path.length - 1] = (path[path.length - 1] & ~3) | Math.floor(next() * 4);
    }
    sampleTime[i] = Math.floor(i / threadCount) * 1000 + next() * 20;
    sampleThread[i] = thread;
    sampleStack[i] = stackOfPath(path);
    sampleOnCpu[i] = next() < 0.8 ? 1 : 0;
  }
  const columns = { frameFile, frameName, frameLine, frameFirstLine, stackParent, stackFrame };
  return rawProfileFromColumns(
    { ...columns, sampleTime, sampleThread, sampleStack, sampleOnCpu },
    {
      strings,
      threads: Array.from({ length: threadCount }, (_, t) => ({
        tid: 100 + t,
        ident: String(139000000000000 + t),
        name: t === 0 ? 'MainThread' : `worker-${t}`,
        isMain: t === 0,
      })),
      meta: {
        startedAt: Date.now(),
        durationUs: (sampleCount / threadCount) * 1000,
        intervalUs: 1000,
        pid: 1,
        argv: ['python3', 'synthetic.py'],
        pythonPath: '/usr/bin/python3',
        pythonVersion: '3.12.1',
        exitCode: 0,
        exitSignal: null,
        cwd: '/work',
      },
      stats: {
        ticks: sampleCount / threadCount,
        samples: sampleCount,
        lateTicks: 0,
        droppedSamples: 0,
        meanTickCostUs: 0,
        maxDepth: 40,
        truncatedStacks: 0,
      },
    },
  );
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(0)} MB`;
}

/** Runs in a fresh process: load the file, build one thing; best of REPEATS to tame a noisy machine. */
function runStep(name: string): void {
  if (name.startsWith('nothing')) {
    process.stdout.write(
      JSON.stringify({ load: 0, build: 0, peak: process.resourceUsage().maxRSS * 1024 }) + '\n',
    );
    return;
  }
  const text = readFileSync(FILE, 'utf8');
  let load = Infinity;
  let build = Infinity;
  let peak = 0;
  for (let round = 0; round < REPEATS; round++) {
    const t0 = performance.now();
    const profile = loadProfile(text);
    const t1 = performance.now();
    STEPS[name]?.(profile);
    const t2 = performance.now();
    load = Math.min(load, t1 - t0);
    build = Math.min(build, t2 - t1);
    // Peak of the first round: later rounds overlap with the garbage of earlier ones.
    if (round === 0) peak = process.resourceUsage().maxRSS * 1024;
  }
  process.stdout.write(JSON.stringify({ load, build, peak }) + '\n');
}

const REPEATS = 3;

function main(): void {
  const args = process.argv.slice(2);
  const shape: Shape = args.includes('--stress') ? 'stress' : 'realistic';
  const sampleCount = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
  mkdirSync(WORK_DIR, { recursive: true });
  let t = performance.now();
  const profile = synthesise(sampleCount, shape);
  const synthMs = performance.now() - t;
  t = performance.now();
  const text = saveProfile(profile);
  const saveMs = performance.now() - t;
  writeFileSync(FILE, text);
  console.log(
    `${shape}: ${sampleCount.toLocaleString('en')} samples, ${profile.stackParent.length.toLocaleString('en')} stacks, ` +
      `${profile.frameFile.length.toLocaleString('en')} frames; file ${mb(text.length)}`,
  );
  console.log(
    `synthesise ${synthMs.toFixed(0)} ms, save ${saveMs.toFixed(0)} ms (in the generating process)\n`,
  );

  // Steps run from an esbuild bundle under plain node, the way the CLI and the
  // extension ship, so that peak RSS does not include the TypeScript loader.
  const bundle = join(WORK_DIR, 'model-bench.js');
  buildSync({
    entryPoints: [__filename],
    bundle: true,
    platform: 'node',
    outfile: bundle,
    logLevel: 'warning',
    external: ['esbuild'],
  });
  console.log(`step (fresh process each, best of ${REPEATS})   load ms   build ms   peak RSS`);
  for (const name of Object.keys(STEPS)) {
    const child = spawnSync(process.execPath, [bundle, '--step', name], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) {
      console.log(`${name}: failed\n${child.stderr}`);
      continue;
    }
    const { load, build, peak } = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}');
    console.log(
      `${name.padEnd(36)}${load.toFixed(0).padStart(7)}${build.toFixed(0).padStart(11)}${mb(peak).padStart(11)}`,
    );
  }
}

if (process.argv[2] === '--step') runStep(process.argv[3]);
else main();
