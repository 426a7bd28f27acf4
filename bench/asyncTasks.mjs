// What recording asyncio tasks costs (`--async`, CPython 3.14+): bench/workloads/asyncio_tasks.py
// (100 client tasks and 4 workers, an event loop busy throughout) runs with no sampler, sampled at
// 1 kHz as plain threads, and sampled at 1 kHz with its tasks, in a rotating order, --rounds N
// times (default 7). Each run's work time is the program's own (perf_counter, start-up excluded).
// Printed: per mode the median work time and the sampler's mean tick cost; the slowdown of each
// sampled mode against the runs without a sampler of the same round; and `--async` against plain
// sampling, paired per round (median, min–max); each for the work's wall time and for the CPU time
// the program used (process_time), which a busy machine moves far less. Not a test.
//   npm run build:native && node bench/asyncTasks.mjs --python PATH [--rounds N] [--rate HZ]
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { arg, benchDir, native } from './lib/scriptArgs.mjs';

const here = benchDir;
const python = arg('python', 'python3');
const rounds = Number(arg('rounds', '7'));
const intervalUs = Math.round(1e6 / Number(arg('rate', '1000')));
const MODES = ['none', 'plain', 'async'];

/** One run of the workload: its work seconds, and the sampler's statistics when one ran. */
async function once(mode) {
  const child = spawn(python, [path.join(here, 'workloads', 'asyncio_tasks.py')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let profile;
  if (mode !== 'none') {
    const sampler = new native.Sampler(child.pid, { intervalUs, asyncTasks: mode === 'async' });
    await exited;
    profile = await sampler.finish();
  } else {
    await exited;
  }
  const lanes = profile ? profile.threads.filter((t) => t.loopThread !== undefined).length : 0;
  const { seconds, cpu } = JSON.parse(out);
  return { seconds, cpu, stats: profile?.stats, lanes };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = Object.fromEntries(MODES.map((m) => [m, []]));
for (let round = 0; round < rounds; round++) {
  // Each mode goes first, second and third in turn: a drift in the machine's load is shared.
  const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]);
  for (const mode of order) runs[mode][round] = await once(mode);
  const line = MODES.map((m) => `${m} ${runs[m][round].seconds.toFixed(3)} s`).join(', ');
  console.log(`round ${round + 1}: ${line} (load ${loadavg()[0].toFixed(1)})`);
}
const ratio = (a, b, key) => runs[a].map((r, i) => r[key] / runs[b][i][key]);
const summary = (xs) =>
  `×${median(xs).toFixed(3)} (${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)})`;
for (const mode of MODES) {
  const tick =
    mode === 'none'
      ? ''
      : `, mean tick ${median(runs[mode].map((r) => r.stats.meanTickCostUs)).toFixed(1)} µs`;
  const lanes = mode === 'async' ? `, ${median(runs[mode].map((r) => r.lanes))} task lanes` : '';
  const seconds = median(runs[mode].map((r) => r.seconds)).toFixed(3);
  const cpu = median(runs[mode].map((r) => r.cpu)).toFixed(3);
  console.log(`${mode}: median ${seconds} s, CPU ${cpu} s${tick}${lanes}`);
}
// Wall time is what the program feels; its CPU time moves far less with the machine's load.
for (const key of ['seconds', 'cpu']) {
  console.log(`${key}: plain vs none ${summary(ratio('plain', 'none', key))}`);
  console.log(`${key}: async vs none ${summary(ratio('async', 'none', key))}`);
  console.log(`${key}: async vs plain, paired per round ${summary(ratio('async', 'plain', key))}`);
}
