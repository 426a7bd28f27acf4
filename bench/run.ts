/**
 * `npm run bench`: Hotpath side by side with the peers on the workloads of
 * bench/workloads/, the sampler's own cost by CPython version and stack depth,
 * system calls per tick, the model benchmark, the panel's first paint and the
 * wait from program exit to annotations in VS Code.
 * Prints progress and the results, and writes bench/RESULTS.md (raw numbers in
 * bench/.work/results.json). Options: bench/README.md or lib/options.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AGREEMENT_PROFILERS, measureAgreement } from './lib/agreement';
import { runMeasured } from './lib/exec';
import { readHotpathStats } from './lib/hotpathProfile';
import { machineInfo } from './lib/machine';
import { runModelBench } from './lib/modelBench';
import type { ParsedOptions } from './lib/options';
import { parseBenchArgs } from './lib/options';
import type { CaseResult } from './lib/overhead';
import { runOverhead } from './lib/overhead';
import { runEditorBench } from './lib/editorBench';
import { runPanelBench } from './lib/panelBench';
import { BENCH_DIR, HOTPATH_BIN, REPO_DIR, removeScratch, scratchPath, workPath } from './lib/paths';
import { costPlans, depthPlans, overheadCases, PEER_PYTHON_VERSION, phaseCases } from './lib/plan';
import { runPhases, usePhaseAddon } from './lib/phases';
import { hotpathCommand, useHotpathBin } from './lib/profilers';
import type { HotpathSnapshot } from './lib/snapshot';
import { snapshotHotpath } from './lib/snapshot';
import type { Interpreter } from './lib/pythons';
import { currentCpythons, pyenvPythons, SYSTEM_PYTHON, systemPython } from './lib/pythons';
import { waitWhileQuiet } from './lib/quiet';
import { renderResults } from './lib/report';
import type { BenchOptions, BenchResults } from './lib/results';
import { measureSamplerCost } from './lib/samplerCost';
import { countSyscalls, perfUnavailable } from './lib/syscalls';
import { FIXED_DEPTH_SCRIPT } from './lib/workloads';

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function needsCli(options: ParsedOptions): boolean {
  const { sections, profilerIds } = options;
  return (
    sections.some((s) => s === 'phases' || s === 'cost' || s === 'depth' || s === 'syscalls') ||
    ((sections.includes('overhead') || sections.includes('agreement')) &&
      profilerIds.some((id) => id.startsWith('hotpath')))
  );
}

/**
 * Copies the current build aside (see lib/snapshot.ts) and profiles a program
 * that exits at once with it, so that a broken build fails the run in seconds,
 * not after every case.
 */
async function prepareHotpath(): Promise<HotpathSnapshot> {
  if (!existsSync(join(REPO_DIR, 'dist', 'cli.js'))) {
    throw new Error(`the CLI is not built (${HOTPATH_BIN} needs dist/cli.js): run \`npm run build\` first`);
  }
  const snapshot = await snapshotHotpath(log);
  useHotpathBin(snapshot.bin);
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
  return snapshot;
}

/** `--render-only`: the Markdown of the last full run again (after a change to the report's layout). */
function renderOnly(options: ParsedOptions): void {
  const raw = workPath('results.json');
  if (!existsSync(raw)) throw new Error(`nothing to render: ${raw} does not exist (run the benchmark first)`);
  const results = JSON.parse(readFileSync(raw, 'utf8')) as BenchResults;
  const target = options.out ?? join(BENCH_DIR, 'RESULTS.md');
  writeFileSync(target, renderResults(results));
  log(`Written: ${target}`);
}

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  if (options.renderOnly) return renderOnly(options);
  const { sections, quick, workloads } = options;
  const snapshot = needsCli(options) ? await prepareHotpath() : undefined;

  const machine = machineInfo();
  const main311 = systemPython();
  const pyenv = pyenvPythons();
  const peer = pyenv.find((p) => p.version === PEER_PYTHON_VERSION);
  // 3.14 and 3.15: Debian's static builds for the slowdown rows (the layout does not change what
  // the program pays; the native suites cover both layouts), both layouts for the cost sweep.
  const current = currentCpythons();
  const currentStatic = current.filter((p) => p.layout === 'static');
  const usable = [main311, ...pyenv, ...current].filter((p) => !p.missing);
  log(
    `Hotpath benchmark: ${machine.cpuModel} ×${machine.nproc}, load ${machine.loadAverageAtStart.join(' ')}`,
  );

  const recorded: BenchOptions = {
    pairs: options.pairs,
    quick,
    sections,
    costSeconds: options.costSeconds,
    costReps: options.costReps,
    ...(sections.includes('phases')
      ? { phaseRuns: options.phaseRuns, phaseSeconds: options.phaseSeconds, phaseMs: options.phaseMs }
      : {}),
  };
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    invocation: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
      ' ',
    ),
    options: recorded,
    machine,
    pythons: [main311, ...pyenv, ...current].map((p) => ({
      label: p.label,
      path: p.path,
      missing: p.missing,
    })),
    overhead: [],
    cost: [],
    depth: [],
    syscalls: [],
    hotpathBuild: snapshot?.builtAt,
  };
  const costOptions = { seconds: options.costSeconds, reps: options.costReps, log };

  if (sections.includes('overhead')) {
    log('\n── program slowdown, paired runs ──');
    const skipped: CaseResult[] = [];
    const cases = overheadCases(main311, peer, currentStatic, workloads, options.profilerIds, skipped);
    for (const s of skipped) log(`  skipped: ${s.workload} / ${s.python} / ${s.profiler}: ${s.skipped}`);
    results.overhead = [...(await runOverhead(cases, { pairs: options.pairs, quick, log })), ...skipped];
  }
  if (sections.includes('agreement')) {
    log('\n── agreement with ground truth (shares.py) ──');
    const ids = AGREEMENT_PROFILERS.filter((id) => options.profilerIds.includes(id));
    results.agreement = await measureAgreement([main311, ...currentStatic], ids, {
      runs: quick ? 1 : options.pairs,
      seconds: quick ? 1 : 3,
      log,
    });
  }
  if (sections.includes('phases')) {
    log('\n── program slowdown, sampler on and off in phases of one run ──');
    if (snapshot) usePhaseAddon(snapshot.addon);
    results.phases = await runPhases(phaseCases(main311, workloads, options.profilerIds), {
      runs: options.phaseRuns,
      seconds: options.phaseSeconds,
      phaseMs: options.phaseMs,
      log,
    });
  }
  if (sections.includes('cost')) {
    log('\n── sampler cost by CPython version (1 thread, 30 frames) ──');
    results.cost = await measureSamplerCost(costPlans(usable), costOptions);
  }
  if (sections.includes('depth')) {
    log('\n── sampler cost by stack depth (1 kHz) ──');
    const pythons = [main311, peer].filter((p): p is Interpreter => p !== undefined && !p.missing);
    results.depth = await measureSamplerCost(depthPlans(pythons), costOptions);
  }
  if (sections.includes('syscalls')) {
    log('\n── system calls per tick (perf, 1 kHz) ──');
    results.syscallsSkipped = perfUnavailable() ?? undefined;
    if (results.syscallsSkipped) log(`  skipped: ${results.syscallsSkipped}`);
    else results.syscalls = await countSyscalls(workloads, main311, { quick, rateHz: 1000, log });
  }
  if (sections.includes('model')) {
    log('\n── model: 1M-sample profile ──');
    await waitWhileQuiet(log);
    results.model = await runModelBench(log);
    if (results.model.notMeasured) log(`  not measured: ${results.model.notMeasured}`);
  }
  if (sections.includes('panel')) {
    log('\n── panel: first paint, 100k-node tree (Chromium) ──');
    await waitWhileQuiet(log);
    results.panel = await runPanelBench(log);
    if (results.panel.notMeasured) log(`  not measured: ${results.panel.notMeasured}`);
  }
  if (sections.includes('editor')) {
    const seconds = quick ? 5 : 60;
    log(`\n── editor: program exit → annotations, ${seconds} s run at 1 kHz (VS Code) ──`);
    await waitWhileQuiet(log);
    results.editor = await runEditorBench(seconds, log);
    if (results.editor.notMeasured) log(`  not measured: ${results.editor.notMeasured}`);
  }

  results.finishedAt = new Date().toISOString();
  removeScratch();
  // The raw numbers stay out of the repository (bench/.work/ is ignored): the Markdown is the
  // result. A partial run's (--out X.md) go to X.json there, so the last full run's stay in
  // results.json for --render-only.
  const raw = options.out
    ? workPath(`${basename(options.out).replace(/\.md$/, '')}.json`)
    : workPath(quick ? 'results.quick.json' : 'results.json');
  writeFileSync(raw, JSON.stringify(results, null, 1));
  const markdown = renderResults(results);
  const target = options.out ?? (quick ? workPath('RESULTS.quick.md') : join(BENCH_DIR, 'RESULTS.md'));
  writeFileSync(target, markdown);
  log(`\n${markdown}`);
  log(`Written: ${target}`);
}

main().catch((err: unknown) => {
  removeScratch();
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
