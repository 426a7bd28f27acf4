/**
 * Two builds of Hotpath side by side: this checkout and another one (`--base DIR`, a checkout or
 * worktree with its own `npm run build` and `npm run build:native` done). For each interpreter and
 * rate it runs the same workload under each build in alternating order, pair after pair, and prints
 * what a change to the sampler must not make worse: the program's wall time (the ratio of this
 * build's run to the base build's, pair by pair), the cost of a tick, the share of requested
 * samples taken, and the samples dropped.
 *
 *   node --import tsx bench/compareBuilds.ts --base ../main --pythons 3.8,3.10 --rates 1000,10000
 *
 * Options: --base DIR (required), --pythons LIST (minor versions or interpreter paths; default
 * every installed pyenv version), --rates LIST (default 1000,10000), --pairs N (default 5),
 * --workload NAME (callheavy, deepstack, threads; default callheavy), --quick (shorter runs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readHotpathStats, type HotpathRunStats } from './lib/hotpathProfile';
import { HOTPATH_BIN } from './lib/paths';
import { hotpathCommand, useHotpathBin } from './lib/profilers';
import { currentCpythons, pyenvPythons, type Interpreter } from './lib/pythons';
import { formatPercent, formatRatio, formatSpread, spread } from './lib/stats';
import { WORKLOADS } from './lib/workloads';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    pythons: { type: 'string' },
    rates: { type: 'string', default: '1000,10000' },
    pairs: { type: 'string', default: '5' },
    workload: { type: 'string', default: 'callheavy' },
    quick: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  process.stderr.write(`compareBuilds: ${message}\n`);
  process.exit(2);
}

if (!values.base) fail('--base DIR (another checkout of Hotpath, built) is required');
const baseBin = join(resolve(values.base), 'bin', 'hotpath.js');
for (const bin of [HOTPATH_BIN, baseBin]) {
  const root = resolve(bin, '..', '..');
  for (const part of ['dist/cli.js', 'build/Release/hotpath.node']) {
    if (!existsSync(join(root, part))) fail(`${root} has no ${part}: build it first`);
  }
}
const workload = WORKLOADS.find((w) => w.id === values.workload && !w.needsDjango);
if (!workload) fail(`unknown workload ${values.workload}`);
const rates = values.rates.split(',').map(Number);
const pairs = Number(values.pairs);
if (!rates.every((r) => r >= 1 && r <= 20_000) || !(pairs >= 1)) fail('bad --rates or --pairs');

const installed: Interpreter[] = [...pyenvPythons(), ...currentCpythons()].filter((p) => !p.missing);
const wanted = values.pythons?.split(',') ?? installed.map((p) => p.version);
const pythons = wanted.map((w) => {
  const found = installed.find((p) => p.path === w || p.version === w || p.version.startsWith(`${w}.`));
  return found ?? fail(`no installed interpreter matches ${w}`);
});

interface Run {
  wallMs: number;
  stats: HotpathRunStats;
}

function runOnce(bin: string, python: string, rateHz: number, dir: string): Run {
  const out = join(dir, 'profile.hotpath.json');
  const args = values.quick ? workload!.quickArgs : workload!.args;
  const started = process.hrtime.bigint();
  // The bench's own command line, from the given build's copy of bin/hotpath.js.
  useHotpathBin(bin);
  const [node, ...argv] = hotpathCommand(python, rateHz, workload!.script, args, out);
  const result = spawnSync(node, argv, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) fail(`${bin} on ${python} exited ${result.status}: ${result.stderr.trim()}`);
  return { wallMs, stats: readHotpathStats(out) };
}

function summary(runs: Run[]): string {
  const cost = spread(runs.map((r) => r.stats.stats.meanTickCostUs));
  const taken = spread(runs.map((r) => r.stats.achievedShare));
  const dropped = spread(runs.map((r) => r.stats.stats.droppedSamples / Math.max(1, r.stats.stats.ticks)));
  return `tick ${formatSpread(cost, 'µs')}, taken ${formatPercent(taken)}, dropped ${formatPercent(dropped, 2)}`;
}

const dir = mkdtempSync(join(tmpdir(), 'hotpath-compare-builds-'));
try {
  process.stdout.write(
    `# ${workload.title}: this build (${resolve(HOTPATH_BIN, '..', '..')}) against ${resolve(values.base)}, ${pairs} pairs, load ${loadavg()[0].toFixed(1)}\n\n`,
  );
  process.stdout.write(
    '| CPython | rate | wall time, this / base | this build | base build |\n|---|---|---|---|---|\n',
  );
  for (const python of pythons) {
    for (const rateHz of rates) {
      const mine: Run[] = [];
      const base: Run[] = [];
      for (let pair = 0; pair < pairs; pair++) {
        // Alternate which goes first: a drift of the machine then weighs on both alike.
        if (pair % 2 === 0) {
          mine.push(runOnce(HOTPATH_BIN, python.path, rateHz, dir));
          base.push(runOnce(baseBin, python.path, rateHz, dir));
        } else {
          base.push(runOnce(baseBin, python.path, rateHz, dir));
          mine.push(runOnce(HOTPATH_BIN, python.path, rateHz, dir));
        }
      }
      const ratio = spread(mine.map((r, i) => r.wallMs / base[i].wallMs));
      process.stdout.write(
        `| ${python.version} | ${rateHz / 1000} kHz | ${formatRatio(ratio)} | ${summary(mine)} | ${summary(base)} |\n`,
      );
    }
  }
  process.stdout.write(`\nload at the end ${loadavg()[0].toFixed(1)} on this machine\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
