/**
 * Soak: one long profile through the shipped CLI, watching the CLI's memory.
 *
 *   npm run build && npm run bench:soak -- --minutes 30 [--rate 1000] [--python PATH]
 *
 * The workload (workloads/soak.py) keeps creating code objects, threads and fast-changing
 * stacks, so anything kept per code object, thread or stack would show as growth beyond the
 * sample records themselves (17 bytes each in memory). Prints the CLI's RSS over time and
 * writes bench/SOAK.md. Not part of `npm test`: it runs for as long as asked.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProfile } from '../extension/format/profileFile';
import { BENCH_DIR, HOTPATH_BIN, WORKLOADS_DIR, removeScratch, scratchPath } from './lib/paths';
import { SYSTEM_PYTHON, probePython } from './lib/pythons';

const SAMPLE_RECORD_BYTES = 17;
/** Memory readings before this share of the run are warm-up (caches filling, heap settling). */
const WARM_UP_SHARE = 0.1;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function rssBytes(pid: number): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined; // the CLI has ended
  }
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

async function main(): Promise<void> {
  const minutes = Number(option('minutes', '30'));
  const rate = Number(option('rate', '1000'));
  const python = probePython(option('python', SYSTEM_PYTHON), (v) => v);
  if (python.missing) throw new Error(python.missing);
  if (!(minutes > 0) || !(rate > 0)) throw new Error('--minutes and --rate must be positive numbers');
  const seconds = minutes * 60;
  const out = scratchPath('soak.hotpath.json');
  const args = [HOTPATH_BIN, 'run', '--rate', String(rate), '--format', 'json', '-o', out];
  args.push('--python', python.path, join(WORKLOADS_DIR, 'soak.py'), String(seconds));
  process.stdout.write(`Soak: ${minutes} min at ${rate} Hz on CPython ${python.version}\n`);

  const cli = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const started = Date.now();
  let startedAtMs: number | undefined;
  cli.stdout.on('data', (chunk: Buffer) => {
    if (startedAtMs === undefined && chunk.toString().includes('SOAK-START')) startedAtMs = Date.now();
  });
  const readings: { atMs: number; rss: number }[] = [];
  const timer = setInterval(() => {
    const rss = cli.pid ? rssBytes(cli.pid) : undefined;
    if (rss === undefined) return;
    readings.push({ atMs: Date.now(), rss });
    const elapsed = (Date.now() - started) / 1000;
    if (readings.length % 6 === 1)
      process.stdout.write(`  ${elapsed.toFixed(0).padStart(5)} s  RSS ${mib(rss)} MiB\n`);
  }, 10_000);
  const code = await new Promise<number | null>((resolve) => cli.on('close', resolve));
  clearInterval(timer);
  if (code !== 0) throw new Error(`the CLI exited with ${code}`);

  const profile = loadProfile(readFileSync(out, 'utf8'));
  const samples = profile.sampleTime.length;
  const profileStart = profile.meta.startedAt;
  // Samples taken up to a reading's moment: their times are µs since the profile started.
  const samplesBy = (atMs: number): number => {
    const limit = (atMs - profileStart) * 1000;
    let lo = 0;
    let hi = samples;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (profile.sampleTime[mid] <= limit) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const warm = readings.find((r) => r.atMs - started >= WARM_UP_SHARE * seconds * 1000);
  const last = readings.at(-1);
  if (!warm || !last || last === warm) throw new Error('too few memory readings: run for longer');
  const grownSamples = samplesBy(last.atMs) - samplesBy(warm.atMs);
  const perSample = (last.rss - warm.rss) / Math.max(1, grownSamples);
  const peak = Math.max(...readings.map((r) => r.rss));
  const stats = profile.stats;
  const lines = [
    '# Soak',
    '',
    `${minutes} min at ${rate} Hz on CPython ${python.version} (${python.path}), ${new Date().toISOString()}.`,
    `Reproduce: \`npm run build && npm run bench:soak -- --minutes ${minutes} --rate ${rate}\``,
    '',
    '| | |',
    '|---|---|',
    `| samples | ${samples.toLocaleString('en-US')} (dropped ${stats.droppedSamples}, late ticks ${stats.lateTicks} of ${stats.ticks}) |`,
    `| threads seen | ${profile.threads.length} |`,
    `| distinct frames | ${profile.frameName.length.toLocaleString('en-US')} |`,
    `| CLI RSS after warm-up → end | ${mib(warm.rss)} → ${mib(last.rss)} MiB (peak ${mib(peak)}) |`,
    `| growth per sample after warm-up | ${perSample.toFixed(1)} bytes (a sample record is ${SAMPLE_RECORD_BYTES}) |`,
    `| profile file | ${mib(statSync(out).size)} MiB |`,
    '',
    'RSS readings (every 10 s, one in six shown):',
    '',
    '| s | RSS MiB | samples |',
    '|---|---|---|',
    ...readings
      .filter((_, i) => i % 6 === 0 || i === readings.length - 1)
      .map(
        (r) =>
          `| ${((r.atMs - started) / 1000).toFixed(0)} | ${mib(r.rss)} | ${samplesBy(r.atMs).toLocaleString('en-US')} |`,
      ),
    '',
  ];
  if (startedAtMs === undefined) lines.push('(the workload never printed SOAK-START)', '');
  writeFileSync(option('out', join(BENCH_DIR, 'SOAK.md')), lines.join('\n'));
  process.stdout.write(`${lines.slice(5, 13).join('\n')}\n`);
  removeScratch();
}

main().catch((error: Error) => {
  process.stderr.write(`soak: ${error.message}\n`);
  process.exit(1);
});
