/**
 * `npm run bench`: Hotpath side by side with the peers on the workloads of
 * bench/workloads/, the sampler's own cost by CPython version and stack depth,
 * and the model benchmark. Prints progress and the results table, and writes
 * bench/RESULTS.md (raw numbers in bench/.work/results.json).
 *
 * Options (after `npm run bench --`):
 *   --pairs N          paired runs per overhead row (default 5)
 *   --quick            a fraction of each workload, 1 pair: checks the harness, measures nothing;
 *                      writes bench/.work/RESULTS.quick.md instead of bench/RESULTS.md
 *   --sections LIST    overhead,cost,depth,syscalls,model,panel (default all)
 *   --workloads LIST   django,callheavy,threads,deepstack (default all)
 *   --profilers LIST   hotpath-1k,hotpath-10k,cprofile,yappi,austin (default all)
 *   --seconds S        sampled time per sampler-cost run (default 2)
 *   --reps N           runs per sampler-cost row (default 2)
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo } from './lib/machine';
import { runModelBench } from './lib/modelBench';
import { runPanelBench } from './lib/panelBench';
import { waitWhileQuiet } from './lib/quiet';
import type { CaseResult, OverheadCase } from './lib/overhead';
import { runOverhead } from './lib/overhead';
import { runMeasured } from './lib/exec';
import { readHotpathStats } from './lib/hotpathProfile';
import { BENCH_DIR, HOTPATH_BIN, removeScratch, scratchPath, workPath } from './lib/paths';
import type { ProfilerId } from './lib/profilers';
import { hotpathCommand, profiler } from './lib/profilers';
import type { Interpreter } from './lib/pythons';
import { pyenvPythons, SYSTEM_PYTHON, systemPython } from './lib/pythons';
import type { CostPlan } from './lib/samplerCost';
import { measureSamplerCost } from './lib/samplerCost';
import { countSyscalls, perfUnavailable } from './lib/syscalls';
import type { BenchOptions, BenchResults, Section } from './lib/results';
import { SECTIONS } from './lib/results';
import { renderResults } from './lib/report';
import type { Workload } from './lib/workloads';
import { FIXED_DEPTH_SCRIPT, WORKLOADS } from './lib/workloads';

/** Profilers compared on Debian's Python 3.11 (Django, yappi and cProfile all run there). */
const MAIN_PROFILERS: ProfilerId[] = ['hotpath-1k', 'hotpath-10k', 'cprofile', 'yappi', 'austin'];
/** Debian's austin cannot read 3.11: the out-of-process comparison runs on 3.10. */
const PEER_PYTHON_VERSION = '3.10.13';
const PEER_PROFILERS: ProfilerId[] = ['hotpath-1k', 'austin'];
/** Depths of the depth sweep (30 comes from the version sweep). */
const SWEEP_DEPTHS = [10, 100, 300];

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function list<T extends string>(raw: string | undefined, allowed: readonly T[], what: string): T[] {
  if (raw === undefined) return [...allowed];
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!allowed.includes(item as T))
      throw new Error(`unknown ${what} "${item}"; choose from ${allowed.join(', ')}`);
  }
  return items as T[];
}

function positiveNumber(raw: string | undefined, fallback: number, what: string): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${what} must be a positive number (got "${raw}")`);
  return value;
}

function overheadCases(
  main: Interpreter,
  peer: Interpreter | undefined,
  workloads: Workload[],
  profilerIds: ProfilerId[],
  skipped: CaseResult[],
): OverheadCase[] {
  const cases: OverheadCase[] = [];
  const plan: [Interpreter | undefined, ProfilerId[], (w: Workload) => boolean][] = [
    [main, MAIN_PROFILERS.filter((id) => profilerIds.includes(id)), () => true],
    [peer, PEER_PROFILERS.filter((id) => profilerIds.includes(id)), (w) => !w.needsDjango],
  ];
  for (const [python, ids, applies] of plan) {
    if (!python || python.missing) continue;
    for (const workload of workloads.filter(applies)) {
      for (const id of ids) {
        const p = profiler(id);
        const reason = p.unavailable(python);
        if (reason === null) cases.push({ python, workload, profiler: p });
        else {
          skipped.push({
            python: python.label,
            workload: workload.title,
            profiler: p.label,
            profilerId: p.id,
            command: [],
            pairs: [],
            errors: [],
            skipped: `does not run here: ${reason}`,
          });
        }
      }
    }
  }
  return cases;
}

/** Profiles a program that exits at once, so a broken build fails the run in seconds, not after every case. */
async function checkHotpathRuns(): Promise<void> {
  const out = scratchPath('check.json');
  try {
    await runMeasured(hotpathCommand(SYSTEM_PYTHON, 1000, FIXED_DEPTH_SCRIPT, ['3', '0'], out), {
      timeoutMs: 60_000,
      expectReport: true,
    });
    readHotpathStats(out);
  } catch (err) {
    throw new Error(
      `Hotpath does not run here, so nothing would be measured:\n${err instanceof Error ? err.message : err}`,
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pairs: { type: 'string' },
      quick: { type: 'boolean', default: false },
      sections: { type: 'string' },
      workloads: { type: 'string' },
      profilers: { type: 'string' },
      seconds: { type: 'string' },
      reps: { type: 'string' },
    },
    allowPositionals: false,
  });
  const quick = values.quick ?? false;
  const options: BenchOptions = {
    pairs: Math.round(positiveNumber(values.pairs, quick ? 1 : 5, '--pairs')),
    quick,
    sections: list<Section>(values.sections, SECTIONS, 'section'),
    costSeconds: positiveNumber(values.seconds, quick ? 0.5 : 2, '--seconds'),
    costReps: Math.round(positiveNumber(values.reps, quick ? 1 : 2, '--reps')),
  };
  const workloadIds = list(
    values.workloads,
    WORKLOADS.map((w) => w.id),
    'workload',
  );
  const workloads = WORKLOADS.filter((w) => workloadIds.includes(w.id));
  const profilerIds = list<ProfilerId>(values.profilers, MAIN_PROFILERS, 'profiler');

  const needsCli =
    options.sections.some((s) => s === 'cost' || s === 'depth' || s === 'syscalls') ||
    (options.sections.includes('overhead') && profilerIds.some((id) => id.startsWith('hotpath')));
  if (needsCli && !existsSync(join(BENCH_DIR, '..', 'dist', 'cli.js'))) {
    throw new Error(`the CLI is not built (${HOTPATH_BIN} needs dist/cli.js): run \`npm run build\` first`);
  }

  if (needsCli) await checkHotpathRuns();

  const startedAt = new Date();
  const machine = machineInfo();
  const main311 = systemPython();
  const pyenv = pyenvPythons();
  const peer = pyenv.find((p) => p.version === PEER_PYTHON_VERSION);
  log(
    `Hotpath benchmark: ${machine.cpuModel} ×${machine.nproc}, kernel ${machine.kernel}, load ${machine.loadAverageAtStart.join(' ')}`,
  );

  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    invocation: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
      ' ',
    ),
    options,
    machine,
    pythons: [main311, ...pyenv].map((p) => ({ label: p.label, path: p.path, missing: p.missing })),
    overhead: [],
    cost: [],
    depth: [],
    syscalls: [],
  };

  if (options.sections.includes('overhead')) {
    log('\n── program slowdown, paired runs ──');
    const skipped: CaseResult[] = [];
    const cases = overheadCases(main311, peer, workloads, profilerIds, skipped);
    for (const s of skipped) log(`  skipped: ${s.workload} / ${s.python} / ${s.profiler}: ${s.skipped}`);
    results.overhead = [...(await runOverhead(cases, { pairs: options.pairs, quick, log })), ...skipped];
  }

  const usable = [main311, ...pyenv].filter((p) => !p.missing);
  if (options.sections.includes('cost')) {
    log('\n── sampler cost by CPython version (1 thread, 30 frames) ──');
    const plans: CostPlan[] = usable.flatMap((python) =>
      [1000, 10_000].map((rateHz) => ({ python, rateHz, depth: 30 })),
    );
    results.cost = await measureSamplerCost(plans, {
      seconds: options.costSeconds,
      reps: options.costReps,
      log,
    });
  }

  if (options.sections.includes('depth')) {
    log('\n── sampler cost by stack depth (1 kHz) ──');
    const pythons = [main311, peer].filter((p): p is Interpreter => p !== undefined && !p.missing);
    const plans: CostPlan[] = pythons.flatMap((python) =>
      SWEEP_DEPTHS.map((depth) => ({ python, rateHz: 1000, depth })),
    );
    results.depth = await measureSamplerCost(plans, {
      seconds: options.costSeconds,
      reps: options.costReps,
      log,
    });
  }

  if (options.sections.includes('syscalls')) {
    log('\n── system calls per tick (perf, 1 kHz) ──');
    results.syscallsSkipped = perfUnavailable() ?? undefined;
    if (results.syscallsSkipped) log(`  skipped: ${results.syscallsSkipped}`);
    else results.syscalls = await countSyscalls(workloads, main311, { quick, rateHz: 1000, log });
  }

  if (options.sections.includes('model')) {
    log('\n── model: 1M-sample profile ──');
    results.model = await runModelBench(log);
    if (results.model.notMeasured) log(`  not measured: ${results.model.notMeasured}`);
  }

  if (options.sections.includes('panel')) {
    log('\n── panel: first paint, 100k-node tree (Chromium) ──');
    await waitWhileQuiet(log);
    results.panel = await runPanelBench(log);
    if (results.panel.notMeasured) log(`  not measured: ${results.panel.notMeasured}`);
  }

  results.finishedAt = new Date().toISOString();
  removeScratch();
  writeFileSync(workPath(quick ? 'results.quick.json' : 'results.json'), JSON.stringify(results, null, 1));
  const markdown = renderResults(results);
  const target = quick ? workPath('RESULTS.quick.md') : join(BENCH_DIR, 'RESULTS.md');
  writeFileSync(target, markdown);
  log(`\n${markdown}`);
  log(`Written: ${target}`);
}

main().catch((err: unknown) => {
  removeScratch();
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
