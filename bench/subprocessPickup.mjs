// How quickly a new process is found and sampled: bench/workloads/forker.py forks 20 children
// of 100 ms and records when each started; the delay to each one's first sample in the profile
// (negative: sampled before it read the clock) is printed for --runs N runs (default 3). Not a test.
//   npm run build && node bench/subprocessPickup.mjs [--python PATH] [--runs N]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { arg, benchDir, native } from './lib/scriptArgs.mjs';

const here = benchDir;
const python = arg('python', 'python3');
const runs = Number(arg('runs', '3'));

async function once() {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotpath-pickup-'));
  try {
    const out = path.join(dir, 'starts.json');
    const child = spawn(python, [path.join(here, 'workloads', 'forker.py'), out], { stdio: 'inherit' });
    const done = new Promise((resolve) => {
      const sampler = new native.Sampler(child.pid, {
        intervalUs: 1000,
        followChildren: true,
        onProgress: (p) => {
          if (!p.targetAlive) resolve(sampler.finish());
        },
      });
    });
    const profile = await done;
    const starts = JSON.parse(readFileSync(out, 'utf8'));
    const delays = Object.entries(starts).map(([pid, startedS]) => {
      const records = new Set(profile.processes.flatMap((p, i) => (p.pid === Number(pid) ? [i] : [])));
      const threads = new Set(profile.threads.flatMap((t, i) => (records.has(t.process) ? [i] : [])));
      const first = profile.sampleThread.findIndex((t) => threads.has(t));
      return first < 0 ? Infinity : profile.startedAt + profile.sampleTime[first] / 1000 - startedS * 1000;
    });
    return delays.sort((a, b) => a - b);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (let run = 1; run <= runs; run++) {
  const delays = await once();
  const missed = delays.filter((d) => d === Infinity).length;
  const found = delays.filter((d) => d !== Infinity);
  const ms = (d) => d.toFixed(1);
  console.log(
    `run ${run}: median ${ms(found[Math.floor(found.length / 2)])} ms, max ${ms(found[found.length - 1])} ms, ` +
      `${missed} of ${delays.length} never sampled (load ${loadavg()[0].toFixed(1)})`,
  );
}
