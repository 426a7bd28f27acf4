/**
 * The performance targets of issue 5 / DESIGN.md, checked against one run's
 * measurements. A row is `pass` or `fail` only when it was measured in this
 * run; otherwise it says why not.
 */
import type { CostPoint } from './samplerCost';
import { isModernPython } from './pythons';
import type { BenchResults } from './results';
import type { CaseResult } from './overhead';
import { formatPercent, formatRatio, formatSpread, medianInterval, spread } from './stats';
import { WORKLOADS } from './workloads';

export type Verdict = 'pass' | 'fail' | 'not measured' | 'info' | 'inconclusive';

/**
 * Timing verdicts need the CPUs to ourselves: with more runnable work than
 * cores, wall time measures the scheduler, not the profiler. Rows measured
 * above this load (per core) are marked inconclusive, with the evidence.
 */
const BUSY_LOAD_PER_CORE = 1;
/** The confidence a slowdown verdict needs from the interval of its median. */
const DECIDING_COVERAGE = 0.95;

export interface TargetRow {
  what: string;
  target: string;
  measured: string;
  verdict: Verdict;
}

function verdict(ok: boolean | undefined): Verdict {
  if (ok === undefined) return 'not measured';
  return ok ? 'pass' : 'fail';
}

/**
 * A slowdown target is decided by the 95% interval of the median ratio, not by
 * the median alone: on a noisy machine a median a little over (or under) the
 * limit can be noise. Pass when the whole interval is within the limit, fail
 * when all of it is beyond, inconclusive when it spans the limit (more pairs
 * narrow it; the A/A control rows show the noise).
 */
export function decide(ratios: number[], limit: number): { verdict: Verdict; note: string } {
  const interval = medianInterval(ratios);
  if (!interval) return { verdict: 'not measured', note: '' };
  const note = `, median's ${(interval.coverage * 100).toFixed(1)}% interval ${interval.low.toFixed(3)}–${interval.high.toFixed(3)}`;
  // Too few pairs for a 95% interval (5 or fewer): the min–max holds the
  // median with less, and decides nothing.
  if (interval.coverage < DECIDING_COVERAGE) {
    return { verdict: 'inconclusive', note: `${note}, too few pairs to decide` };
  }
  if (interval.high <= limit) return { verdict: 'pass', note };
  if (interval.low > limit) return { verdict: 'fail', note };
  return { verdict: 'inconclusive', note: `${note}, which spans ${limit.toFixed(2)}` };
}

const wallRatios = (c: CaseResult): number[] =>
  c.pairs.map((p) => (p.profiled.program?.wall_s ?? NaN) / (p.base.program?.wall_s ?? NaN));

/**
 * One row per workload measured either way. The phases of one run (many pairs
 * a few hundred ms apart) decide when they were measured; whole-run pairs
 * (start-up and the end of the run included) are shown beside them, and decide
 * alone otherwise.
 */
function slowdownRows(results: BenchResults): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const [profilerId, limit, label] of [
    ['hotpath-1k', 1.02, '1 kHz'],
    ['hotpath-10k', 1.05, '10 kHz'],
  ] as const) {
    const cases = results.overhead.filter((r) => r.profilerId === profilerId);
    const phased = (results.phases ?? []).filter((r) => r.profilerId === profilerId && r.summary);
    const keys = [...cases, ...phased].map((r) => `${r.workload}\u0000${r.python}`);
    for (const key of [...new Set(keys)]) {
      const [title, python] = key.split('\u0000');
      const c = cases.find((r) => r.workload === title && r.python === python);
      const p = phased.find((r) => r.workload === title && r.python === python);
      const workload = WORKLOADS.find((w) => w.title === title);
      const applies = profilerId === 'hotpath-1k' || workload?.singleThreaded === true;
      const byRuns = c ? decide(wallRatios(c), limit) : undefined;
      const byPhases = p?.summary
        ? decide(
            p.runs.flatMap((r) => r.ratios),
            limit,
          )
        : undefined;
      const decided = byPhases ?? byRuns ?? { verdict: 'not measured' as Verdict, note: '' };
      const load = c?.summary?.loadAverage?.median;
      const busy = !byPhases && load !== undefined && load > BUSY_LOAD_PER_CORE * results.machine.nproc;
      const parts: string[] = [];
      if (p?.summary) {
        parts.push(
          `phases of one run: ${formatRatio(p.summary.ratio)} over ${p.summary.pairs} phase pairs` +
            (applies ? (byPhases?.note ?? '') : ''),
        );
      }
      if (c?.summary) {
        parts.push(
          `whole runs: ${formatRatio(c.summary.wall)}, CPU ${formatRatio(c.summary.cpu)}` +
            (applies && !byPhases ? (byRuns?.note ?? '') : ''),
        );
      } else if (c?.skipped) {
        parts.push(`whole runs: ${c.skipped}`);
      }
      if (busy) parts.push(`machine busy (load ${load.toFixed(1)} on ${results.machine.nproc} cores)`);
      let result: Verdict = applies ? decided.verdict : 'info';
      if (busy && (result === 'pass' || result === 'fail')) result = 'inconclusive';
      rows.push({
        what: `program slowdown at ${label}: ${title}, CPython ${python}`,
        target: applies
          ? `≤ ${limit.toFixed(2)}×`
          : `none (multi-threaded; ≤ ${limit.toFixed(2)}× is for one thread)`,
        measured: parts.length ? parts.join('; ') : 'no successful pair',
        verdict: result,
      });
    }
  }
  return rows;
}

function costRows(points: CostPoint[], nproc: number): TargetRow[] {
  const rows: TargetRow[] = [];
  const at = (rate: number) => points.filter((p) => p.rateHz === rate && p.depth === 30);
  for (const p of at(1000)) {
    const share = p.samplerCpuShare?.median;
    rows.push({
      what: `sampler CPU at 1 kHz, 1 thread, 30 frames, CPython ${p.python}`,
      target: '≤ 5% of one core',
      measured: p.error
        ? `failed: ${p.error.split('\n')[0]}`
        : `${formatPercent(p.samplerCpuShare)} (sampling thread busy ${formatPercent(p.busyShare)})`,
      verdict: verdict(share === undefined ? undefined : share <= 0.05),
    });
  }
  for (const p of at(1000)) {
    const limit = isModernPython(p.version) ? 50 : 120;
    const cost = p.meanTickCostUs?.median;
    rows.push({
      what: `cost per sample, 1 thread, 30 frames, CPython ${p.python}`,
      target: `≤ ${limit} µs`,
      measured: p.error ? 'failed' : formatSpread(p.meanTickCostUs, 'µs'),
      verdict: verdict(cost === undefined ? undefined : cost <= limit),
    });
  }
  for (const p of at(10_000).filter((q) => isModernPython(q.version))) {
    // The steady rate (middle of each run) decides, like the steady CPU rate
    // above; results from before it was measured fall back to the whole run.
    const achieved = (p.steadyAchievedShare ?? p.achievedShare)?.median;
    const late = p.lateShare?.median;
    const load = p.loadAverage?.median;
    const busy = load !== undefined && load > BUSY_LOAD_PER_CORE * nproc;
    let result = verdict(
      achieved === undefined || late === undefined ? undefined : achieved >= 0.99 && late < 0.01,
    );
    if (busy && result === 'fail') result = 'inconclusive';
    rows.push({
      what: `achieved rate at 10 kHz, 1 thread, 30 frames, CPython ${p.python}`,
      target: '≥ 99% of requested, < 1% late',
      measured: p.error
        ? 'failed'
        : (p.steadyAchievedShare
            ? `${formatPercent(p.steadyAchievedShare)} achieved in the middle of the run (whole run `
            : '') +
          `${formatPercent(p.achievedShare)}` +
          (p.steadyAchievedShare ? ')' : ' achieved') +
          `, ${formatPercent(p.lateShare, 2)} late` +
          (p.floorAchievedShare
            ? `; floor (a bare wake-up loop on the same grid beside the same program, whole run): ` +
              `${formatPercent(p.floorAchievedShare)} achieved, ${formatPercent(p.floorLateShare, 2)} late`
            : '') +
          (busy ? `; machine busy (load ${load.toFixed(1)} on ${nproc} cores)` : ''),
      verdict: result,
    });
  }
  return rows;
}

function modelRows(results: BenchResults): TargetRow[] {
  const steps = results.model?.steps ?? {};
  const reason = !results.model
    ? 'the model section was not run (--sections)'
    : (results.model.notMeasured ?? 'bench/model-bench.ts printed no row for this step');
  const row = (
    what: string,
    target: string,
    value: number | undefined,
    unit: string,
    limit: number,
  ): TargetRow => ({
    what,
    target,
    measured: value === undefined ? `not measured in this run: ${reason}` : `${value.toFixed(0)} ${unit}`,
    verdict: verdict(value === undefined ? undefined : value <= limit),
  });
  const peak = (name: string) => steps[name]?.peakMb;
  return [
    row('load a 1M-sample profile file (parse + validate)', '≤ 1 s', steps['load only']?.loadMs, 'ms', 1000),
    row('build the line table, 1M samples', '≤ 1 s', steps['line table']?.buildMs, 'ms', 1000),
    row('build the call tree, 1M samples', '≤ 1 s', steps['call tree']?.buildMs, 'ms', 1000),
    row('peak RSS, load + line table (whole Node process)', '≤ 150 MB', peak('line table'), 'MB', 150),
    row('peak RSS, load + call tree (whole Node process)', '≤ 150 MB', peak('call tree'), 'MB', 150),
  ];
}

function panelRows(results: BenchResults): TargetRow[] {
  const panel = results.panel;
  const reason = !panel ? 'the panel section was not run (--sections)' : panel.notMeasured;
  if (!panel || reason || panel.paints.length === 0) {
    return [notMeasured('panel first paint, 100k-node tree', '≤ 300 ms', reason ?? 'no paint time printed')];
  }
  const paint = spread(panel.paints.map((p) => p.paintMs));
  const host = spread(panel.paints.map((p) => p.hostBuildMs));
  return [
    {
      what: 'panel first paint, 100k-node tree: page, from the profile message to painted (Chromium)',
      target: '≤ 300 ms',
      measured: `${formatSpread(paint, 'ms', 0)} over ${panel.paints.length} themes`,
      verdict: verdict(paint === undefined ? undefined : paint.median <= 300),
    },
    {
      what: 'panel first paint, 100k-node tree: host view-model build before the message is posted',
      target: 'part of what the user waits for; no separate target',
      measured: formatSpread(host, 'ms', 0),
      verdict: 'info',
    },
  ];
}

function editorRow(results: BenchResults): TargetRow {
  const what = 'program exit → annotations painted, 60 s run at 1 kHz (in VS Code)';
  const editor = results.editor;
  const reason = !editor ? 'the editor section was not run (--sections)' : editor.notMeasured;
  if (!editor || reason || editor.exitToAnnotationsMs === undefined) {
    return notMeasured(what, '≤ 300 ms', reason ?? 'no time reported');
  }
  const ms = editor.exitToAnnotationsMs;
  return {
    what: editor.seconds === 60 ? what : `${what.replace('60 s', `${editor.seconds} s`)}`,
    target: '≤ 300 ms',
    measured: `${ms} ms (${(editor.samples ?? 0).toLocaleString('en-US')} samples)`,
    verdict: verdict(ms <= 300),
  };
}

function notMeasured(what: string, target: string, reason: string): TargetRow {
  return { what, target, measured: `not measured in this run: ${reason}`, verdict: 'not measured' };
}

export function targetRows(results: BenchResults): TargetRow[] {
  return [
    ...slowdownRows(results),
    ...costRows(results.cost, results.machine.nproc),
    ...modelRows(results),
    editorRow(results),
    ...panelRows(results),
    notMeasured(
      'accuracy on ground-truth workloads',
      'function shares ±2 points; lines exact',
      'asserted by the native test suite (npm run test:native), not by the benchmark',
    ),
  ];
}
