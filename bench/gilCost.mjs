// What recording the GIL holder and the garbage collector costs, side by side with plain sampling.
// 1. Cost per sample: native/tools/dump_stacks built from this tree and from BASE (the sampler
//    before it read the collector's flag and recorded the holder; default cd0cbbd) samples the
//    same running bench/workloads/gil_gc.py (three threads, cycles of garbage) at 1 kHz, in
//    alternating rounds; medians of each round's median µs/sample and system calls per sample.
// 2. Slowdown: the workload's fixed work in one thread (the collector busy; three threads' GIL
//    hand-overs make the timing a matter of the scheduler) alone and under
//    `hotpath run --mode gil` at 1 kHz, in pairs whose order alternates; the median ratio of its
//    own timing, wall-clock and CPU. Not a test: numbers for bench/README.md.
//   npm run build && node bench/gilCost.mjs [--python PATH] [--base COMMIT] [--rounds N] [--pairs N]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { arg, benchDir } from './lib/scriptArgs.mjs';

const root = path.join(benchDir, '..');
const python = arg('python', 'python3');
const base = arg('base', 'cd0cbbd');
const rounds = Number(arg('rounds', '5'));
const pairs = Number(arg('pairs', '5'));
const workload = path.join(root, 'bench', 'workloads', 'gil_gc.py');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function buildDumpStacks(sourceRoot, out) {
  const sources = ['python', 'os', 'os/linux'].flatMap((dir) =>
    execFileSync('find', [path.join(sourceRoot, 'native', dir), '-maxdepth', '1', '-name', '*.cc'], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean),
  );
  execFileSync('g++', [
    '-O2',
    '-std=c++17',
    `-I${path.join(sourceRoot, 'native')}`,
    path.join(sourceRoot, 'native', 'tools', 'dump_stacks.cc'),
    ...sources,
    '-o',
    out,
  ]);
}

function costOf(tool, pid) {
  const run = spawnSync(tool, [String(pid), '--samples', '2000', '--interval', '1000', '--quiet'], {
    encoding: 'utf8',
  });
  const m = /median ([\d.]+).*?([\d.]+) syscalls\/sample/.exec(run.stderr);
  if (!m) throw new Error(`dump_stacks said: ${run.stderr}`);
  return { us: Number(m[1]), syscalls: Number(m[2]) };
}

/** The workload's own count of its fixed work: [wall-clock s, process CPU s]. */
function timedRun(argv) {
  const run = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', cwd: root });
  const lines = run.stdout.trim().split('\n');
  const times = lines[lines.length - 1].split(' ').map(Number);
  if (times.length !== 2 || !times.every(Number.isFinite))
    throw new Error(`${argv.join(' ')}: ${run.stdout}${run.stderr}`);
  return times;
}

const dir = mkdtempSync(path.join(tmpdir(), 'hotpath-gilcost-'));
try {
  console.log(
    `load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${python}; base ${base}`,
  );
  execFileSync('sh', ['-c', `git -C "${root}" archive ${base} native | tar -x -C "${dir}"`]);
  const tools = { base: path.join(dir, 'dump_base'), head: path.join(dir, 'dump_head') };
  buildDumpStacks(dir, tools.base);
  buildDumpStacks(root, tools.head);
  const target = spawn(python, [workload], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const cost = { base: [], head: [] };
  try {
    for (let r = 0; r < rounds; r++) {
      for (const which of r % 2 ? ['head', 'base'] : ['base', 'head'])
        cost[which].push(costOf(tools[which], target.pid));
    }
  } finally {
    target.kill('SIGKILL');
  }
  for (const which of ['base', 'head']) {
    console.log(
      `cost per sample, ${which === 'base' ? `plain sampling (${base})` : 'GIL holder + GC flag (this tree)'}: ` +
        `median ${median(cost[which].map((c) => c.us)).toFixed(1)} µs, ` +
        `${median(cost[which].map((c) => c.syscalls)).toFixed(2)} syscalls/sample (${rounds} rounds of 2000)`,
    );
  }
  const cli = path.join(root, 'dist', 'cli.js');
  const ratios = [];
  for (let p = 0; p < pairs; p++) {
    const work = ['60000', '1'];
    const runAlone = () => timedRun([python, workload, ...work]);
    const runProfiled = () =>
      timedRun([
        process.execPath,
        cli,
        'run',
        '--mode',
        'gil',
        '--rate',
        '1000',
        '--format',
        'json',
        '-o',
        path.join(dir, 'p.hotpath.json'),
        '--python',
        python,
        workload,
        ...work,
      ]);
    const [alone, profiled] =
      p % 2 ? [runAlone(), runProfiled()] : (([b, a]) => [a, b])([runProfiled(), runAlone()]);
    ratios.push([profiled[0] / alone[0], profiled[1] / alone[1]]);
  }
  // Wall-clock time is what a user waits; under load it is mostly the scheduler's. CPU time of
  // the program for the same work leaves out time it waited for a core and keeps what reading it
  // costs it (cache lines the sampler's reads take away).
  for (const [i, what] of ['wall-clock', 'CPU'].entries()) {
    const list = ratios.map((r) => r[i]);
    console.log(
      `slowdown under hotpath run --mode gil at 1 kHz, ${what} time of the work: median ×${median(list).toFixed(3)} ` +
        `(${list.map((r) => r.toFixed(3)).join(', ')}; ${pairs} pairs)`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
