// A pool of 2 and of 8 busy workers (bench/workloads/pool.py) run alone and under Hotpath at 1 kHz
// and 10 kHz, in alternating order (--pairs N, default 3): the pool's slowdown (median of its own
// timing, relative to the runs without the sampler) and, per worker, the share of the samples
// asked for that were taken (samples / (its life × rate)). Not a test.
//   npm run build && node bench/poolWorkers.mjs [--python PATH] [--pairs N]
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { arg, benchDir, native } from './lib/scriptArgs.mjs';

const here = benchDir;
const python = arg('python', 'python3');
const pairs = Number(arg('pairs', '3'));
const SCRIPT = path.join(here, 'workloads', 'pool.py');

/** One run: the pool's own seconds, and per worker the share of requested samples taken. */
async function run(workers, rateHz) {
  const child = spawn(python, [SCRIPT, String(workers)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  let profile;
  if (rateHz) {
    profile = await new Promise((resolve) => {
      const sampler = new native.Sampler(child.pid, {
        intervalUs: Math.round(1e6 / rateHz),
        followChildren: true,
        onProgress: (p) => {
          if (!p.targetAlive) resolve(sampler.finish());
        },
      });
    });
  }
  await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  const seconds = Number(out.trim());
  if (!profile) return { seconds, taken: [] };
  const perProcess = new Map();
  for (let i = 0; i < profile.sampleThread.length; i++) {
    const process = profile.threads[profile.sampleThread[i]].process;
    perProcess.set(process, (perProcess.get(process) ?? 0) + 1);
  }
  const taken = profile.processes
    .map((p, i) => ({ p, samples: perProcess.get(i) ?? 0 }))
    .filter(({ p }) => p.parent === 0 && p.pythonVersion && p.endUs > p.startUs)
    .map(({ p, samples }) => samples / (((p.endUs - p.startUs) / 1e6) * rateHz));
  return { seconds, taken };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

console.log(
  `| workers | rate | pool seconds (median) | slowdown | requested samples taken per worker (median, min) |`,
);
console.log('| --- | --- | --- | --- | --- |');
for (const workers of [2, 8]) {
  const results = { 0: [], 1000: [], 10000: [] };
  for (let pair = 0; pair < pairs; pair++) {
    for (const rate of pair % 2 ? [10000, 1000, 0] : [0, 1000, 10000])
      results[rate].push(await run(workers, rate));
  }
  const base = median(results[0].map((r) => r.seconds));
  console.log(`| ${workers} | off | ${base.toFixed(2)} | 1 | |`);
  for (const rate of [1000, 10000]) {
    const seconds = median(results[rate].map((r) => r.seconds));
    const taken = results[rate].flatMap((r) => r.taken);
    const pct = (v) => `${(v * 100).toFixed(0)}%`;
    console.log(
      `| ${workers} | ${rate / 1000} kHz | ${seconds.toFixed(2)} | ×${(seconds / base).toFixed(3)} | ${pct(median(taken))}, ${pct(Math.min(...taken))} |`,
    );
  }
}
console.log(`\nload average at the end: ${loadavg()[0].toFixed(1)} (${python})`);
