/** Renders one run's results as the Markdown of bench/RESULTS.md (also printed at the end of a run). */
import { relative } from 'node:path';
import { REPO_DIR } from './paths';
import type { AgreementPoint } from './agreement';
import type { CaseResult, CaseSummary } from './overhead';
import type { BenchResults } from './results';
import type { PhaseResult } from './phases';
import type { CostPoint } from './samplerCost';
import { formatPercent, formatRatio, formatSpread, spread } from './stats';
import type { TargetRow } from './targets';
import { targetRows } from './targets';
import { WORKLOADS } from './workloads';

function table(header: string[], rows: string[][]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`),
  ].join('\n');
}

const shellQuote = (arg: string): string =>
  /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * An argument as a reader would type it from the repository root: the run's
 * private copy of bin/hotpath.js is shown as bin/hotpath.js, the repository's
 * own paths relative to it, Node as `node`.
 */
function displayArg(arg: string, index: number): string {
  if (index === 0 && arg === process.execPath) return 'node';
  if (/\/hotpath-bench-[^/]+\/hotpath\/bin\/hotpath\.js$/.test(arg)) return 'bin/hotpath.js';
  if (arg.startsWith(`${REPO_DIR}/`)) return relative(REPO_DIR, arg);
  return arg;
}

export function commandLine(argv: string[]): string {
  return argv.map((arg, i) => shellQuote(displayArg(arg, i))).join(' ');
}

/** The summary of one profiler on the Django workload, for the headline. */
function djangoCase(results: BenchResults, profilerId: string): CaseSummary | undefined {
  return results.overhead.find((c) => c.workload.startsWith('Django') && c.profilerId === profilerId)
    ?.summary;
}

export function headline(results: BenchResults): string {
  const rows = [
    ['A/A control (no profiler on either side)', djangoCase(results, 'control')],
    ['Hotpath 1 kHz', djangoCase(results, 'hotpath-1k')],
    ['Hotpath 10 kHz', djangoCase(results, 'hotpath-10k')],
    ['py-spy 1 kHz', djangoCase(results, 'pyspy-1k')],
    ['py-spy 10 kHz', djangoCase(results, 'pyspy-10k')],
    ['cProfile', djangoCase(results, 'cprofile')],
    ['yappi', djangoCase(results, 'yappi')],
  ] as const;
  const hot1 = djangoCase(results, 'hotpath-1k');
  const cprof = djangoCase(results, 'cprofile');
  if (!hot1?.wall || !cprof?.wall) return 'Headline not available: the Django overhead cases did not run.';
  const n = Math.min(hot1.wall.n, cprof.wall.n);
  const parts = rows
    .filter(([, s]) => s?.wall)
    .map(([label, s]) => `${label} wall ${formatRatio(s?.wall)}, CPU ${formatRatio(s?.cpu)}`);
  const load = Math.max(hot1.loadAverage?.median ?? 0, cprof.loadAverage?.median ?? 0);
  const busy =
    load > results.machine.nproc
      ? ` The machine was busy (load ${load.toFixed(1)} on ${results.machine.nproc} cores): the wall ratios are ` +
        'inconclusive, the CPU-time ratios are the steadier numbers.'
      : '';
  return (
    `Django template render ×4000, slowdown of the program (median, min–max over ${n} paired runs): ` +
    `${parts.join('; ')}.${busy}`
  );
}

function targetsTable(rows: TargetRow[]): string {
  const mark = {
    pass: '✅ pass',
    fail: '❌ fail',
    'not measured': '— not measured',
    info: 'ℹ info',
    inconclusive: '⚠ inconclusive',
  } as const;
  return table(
    ['what', 'target', 'measured (median, min–max)', 'result'],
    rows.map((r) => [r.what, r.target, r.measured, mark[r.verdict]]),
  );
}

/** The first line of an error, cut to a table cell's length; the full text is in results.json. */
function firstLine(message: string): string {
  const line = message.split('\n')[0];
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}

function agreementTable(points: AgreementPoint[]): string {
  return table(
    ['CPython', 'sampler', 'runs', 'alpha: truth', 'alpha: stacks', 'error (pp)', 'stacks taken'],
    points.map((p) => {
      if (!p.runs.length) {
        const why = p.skipped ?? `failed: ${firstLine(p.errors[0] ?? '—')}`;
        return [p.python, p.profiler, '0', why, '', '', ''];
      }
      return [
        p.python,
        p.profiler,
        String(p.runs.length) + (p.errors.length ? ` (${p.errors.length} failed)` : ''),
        formatPercent(spread(p.runs.map((r) => r.truthShare))),
        formatPercent(spread(p.runs.map((r) => r.sampledShare))),
        formatSpread(p.errorPoints, '', 1),
        formatPercent(p.takenShare, 0),
      ];
    }),
  );
}

function overheadTable(cases: CaseResult[]): string {
  return table(
    [
      'workload',
      'CPython',
      'profiler',
      'pairs',
      'load avg',
      'base wall',
      'wall ×',
      'CPU ×',
      'program sys time Δ',
      'end-to-end ×',
      'profiler process CPU',
      'sampler thread CPU',
      'achieved rate',
      'late',
      'dropped',
      'µs/sample',
    ],
    cases.map((c) => {
      const s = c.summary;
      if (!s) {
        const why = c.skipped?.startsWith('does not run')
          ? c.skipped
          : `failed: ${firstLine(c.errors[0] ?? c.skipped ?? '—')}`;
        return [c.workload, c.python, c.profiler, '0', '', '—', why, ...Array<string>(9).fill('')];
      }
      return [
        c.workload,
        c.python,
        c.profiler,
        String(c.pairs.length) + (c.errors.length ? ` (${c.errors.length} failed)` : ''),
        formatSpread(s.loadAverage, '', 1),
        formatSpread(s.baseWallS, 's', 2),
        formatRatio(s.wall),
        formatRatio(s.cpu),
        s.sysDeltaS
          ? formatSpread(
              {
                ...s.sysDeltaS,
                median: s.sysDeltaS.median * 1000,
                min: s.sysDeltaS.min * 1000,
                max: s.sysDeltaS.max * 1000,
              },
              'ms',
              0,
            )
          : '—',
        formatRatio(s.endToEnd),
        s.ownCpuShare ? formatPercent(s.ownCpuShare) : '—',
        s.samplerCpuShare ? formatPercent(s.samplerCpuShare) : '—',
        s.achievedShare ? formatPercent(s.achievedShare) : '—',
        s.lateShare ? formatPercent(s.lateShare, 2) : '—',
        s.droppedShare ? formatPercent(s.droppedShare, 2) : '—',
        s.meanTickCostUs ? formatSpread(s.meanTickCostUs, '', 1) : '—',
      ];
    }),
  );
}

function phasesTable(results: PhaseResult[]): string {
  const rows = results.map((r) => {
    const s = r.summary;
    const runs =
      `${r.runs.length} × ${r.seconds} s` +
      (r.errors.length ? ` (${r.errors.length} failed: ${firstLine(r.errors[0])})` : '');
    if (!s) return [r.workload, r.python, r.profiler, runs, '0', '—', '—', '—', '—', '—'];
    return [
      r.workload,
      r.python,
      r.profiler,
      runs,
      String(s.pairs),
      formatSpread(s.unitsPerPhase, '', 0),
      formatSpread(s.offUnitUs, 'µs', 0),
      formatRatio(s.ratio),
      `${s.interval.low.toFixed(3)}–${s.interval.high.toFixed(3)} (${(s.interval.coverage * 100).toFixed(1)}%)`,
      s.achieved ? formatPercent(s.achieved) : '—',
    ];
  });
  return table(
    [
      'workload',
      'CPython',
      'profiler',
      'runs',
      'phase pairs',
      'units per phase',
      'unit time, off',
      'on / off ×',
      "median's interval",
      'achieved rate (on)',
    ],
    rows,
  );
}

function costTable(points: CostPoint[]): string {
  return table(
    [
      'CPython',
      'rate',
      'depth',
      'µs/sample',
      'achieved rate',
      'achieved (steady)',
      'floor: bare loop achieved',
      'late',
      'dropped samples',
      'sampler CPU (steady)',
      'sampler CPU incl. attach',
      'thread busy',
      'sampled / program time',
      'max depth seen',
      'load avg',
    ],
    points.map((p) =>
      p.error
        ? [
            p.python,
            `${p.rateHz} Hz`,
            String(p.depth),
            `failed: ${firstLine(p.error)}`,
            ...Array<string>(11).fill(''),
          ]
        : [
            p.python,
            `${p.rateHz} Hz`,
            String(p.depth),
            formatSpread(p.meanTickCostUs, '', 1),
            formatPercent(p.achievedShare),
            formatPercent(p.steadyAchievedShare),
            formatPercent(p.floorAchievedShare),
            formatPercent(p.lateShare, 2),
            formatSpread(p.droppedSamples, '', 0),
            formatPercent(p.samplerCpuShare),
            formatPercent(p.samplerCpuShareWithAttach),
            formatPercent(p.busyShare),
            formatSpread(p.coverage, '', 2),
            String(p.maxDepthSeen),
            formatSpread(p.loadAverage, '', 1),
          ],
    ),
  );
}

function commandsSection(results: BenchResults): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  const addLine = (line: string) => {
    if (!seen.has(line)) {
      seen.add(line);
      lines.push(line);
    }
  };
  const add = (argv: string[]) => addLine(commandLine(argv));
  for (const c of results.overhead) if (c.command.length) add(c.command);
  for (const r of results.phases ?? []) {
    const workload = WORKLOADS.find((w) => w.title === r.workload);
    const python = results.pythons.find((p) => p.label === r.python);
    if (workload && python) {
      const spec = `HOTPATH_BENCH_PHASES=${r.seconds}:UNITS.bin`;
      addLine(`${spec} ${commandLine([python.path, workload.script, ...workload.args])}`);
    }
  }
  for (const p of [...results.cost, ...results.depth, ...results.syscalls]) add(p.command);
  if (results.model) add(results.model.command);
  if (results.panel) add(results.panel.command);
  if (results.editor) add(results.editor.command);
  return ['```sh', ...lines, '```'].join('\n');
}

export function renderResults(results: BenchResults): string {
  const m = results.machine;
  const o = results.options;
  const sections: string[] = [
    '# Benchmark results',
    '',
    `Measured ${results.startedAt} – ${results.finishedAt} with \`${results.invocation}\`` +
      (o.quick ? ' (**--quick**: reduced workloads, not comparable to a full run)' : '') +
      '. How to read every number: [README.md](README.md).',
    '',
    '## Headline',
    '',
    headline(results),
    '',
    '## Targets',
    '',
    targetsTable(targetRows(results)),
    '',
  ];
  if (results.overhead.length) {
    sections.push(
      '## Program slowdown (paired runs)',
      '',
      `${o.pairs} pairs per row, each pair back to back in alternating order, all rows interleaved round by round. ` +
        '"wall ×" and "CPU ×" are profiled / base of the workload\'s measured section (its own timer); ' +
        '"program sys time Δ" is how much more kernel time the measured section took profiled than unprofiled ' +
        '(reads by an out-of-process sampler can cost the target kernel time); ' +
        '"end-to-end ×" is the whole command, start-up and profile output included. ' +
        '"profiler process CPU" is the CPU of an out-of-process profiler\'s whole process (for Hotpath: the ' +
        'CLI, Node start-up and profile writing included) over the profiled wall time; "sampler thread CPU" is ' +
        "the steady CPU rate of Hotpath's sampling thread alone (CPU seconds per second, middle of the run).",
      '',
      overheadTable(results.overhead),
      '',
    );
  }
  if (results.agreement?.length) {
    sections.push(
      '## Agreement with ground truth',
      '',
      'bench/workloads/shares.py alternates two busy functions, alpha 20 ms and beta 10 ms, for a few ' +
        'seconds and measures the time each took; every sampler profiles it (all threads, its default ' +
        'mode but py-spy\'s --nonblocking, as above). "error" is |share of the stacks in alpha − alpha\'s ' +
        'share of the time| in percentage points; "stacks taken" is the stacks written per second of the ' +
        'whole profiled command (start-up included) over the rate asked for.',
      '',
      agreementTable(results.agreement),
      '',
    );
  }
  if (results.phases?.length) {
    sections.push(
      '## Program slowdown, sampler on and off in phases of one run',
      '',
      `Each workload runs its unit of work (one render, one round, one descent, one produced item) for ` +
        `${o.phaseSeconds} s, ${o.phaseRuns} runs per row, and records when each unit ends; the harness ` +
        `switches Hotpath's sampler (the addon of this build) on and off in alternating ${o.phaseMs} ms ` +
        'phases, an on phase lasting from attaching to the profile being back. "on / off ×" is each on ' +
        "phase's mean unit time over the mean of its two neighbouring off phases' (median, min–max over the " +
        'phase pairs); "median\'s interval" is the distribution-free interval of that median (its coverage ' +
        'in brackets). The A/A control switches nothing: the spread of its ratios is the noise of the method ' +
        'on this machine.',
      '',
      phasesTable(results.phases),
      '',
    );
  }
  if (results.cost.length) {
    sections.push(
      '## Sampler cost by CPython version (1 thread, 30 frames)',
      '',
      `fixed_depth.py holds one thread at 30 Python frames for ${o.costSeconds} s; ${o.costReps} runs per row. ` +
        '"sampler CPU (steady)" is the sampling thread\'s CPU seconds per second over the middle of the run ' +
        '(30–90% of its life, read from /proc every 100 ms); "sampler CPU incl. attach" is all its CPU, attaching to ' +
        'the interpreter included, over the sampled duration; ' +
        '"thread busy" is mean tick cost × ticks over the same duration (wall time inside ticks).',
      '',
      costTable(results.cost),
      '',
    );
  }
  if (results.depth.length) {
    sections.push('## Sampler cost by stack depth', '', costTable(results.depth), '');
  }
  if (results.syscallsSkipped) {
    sections.push('## System calls per tick', '', `Not measured: ${results.syscallsSkipped}.`, '');
  } else if (results.syscalls.length) {
    sections.push(
      '## System calls per tick',
      '',
      'Counted by the kernel (`perf stat` syscall tracepoints around `hotpath run` at 1 kHz), divided by the ' +
        'ticks the sampler reports. "program sys time per tick" is the extra kernel time of the program\'s ' +
        'measured section against an unprofiled run, per tick: what the reads cost the target.',
      '',
      table(
        [
          'workload',
          'CPython',
          'ticks',
          'process_vm_readv / tick',
          'pread64 / tick',
          'µs/tick',
          'program sys time per tick',
        ],
        results.syscalls.map((p) =>
          p.error || !p.perTick
            ? [p.workload, p.python, `failed: ${firstLine(p.error ?? '')}`, '', '', '', '']
            : [
                p.workload,
                p.python,
                String(p.ticks),
                p.perTick.process_vm_readv.toFixed(2),
                p.perTick.pread64.toFixed(2),
                (p.meanTickCostUs ?? NaN).toFixed(1),
                `${(p.programSysUsPerTick ?? NaN).toFixed(1)} µs`,
              ],
        ),
      ),
      '',
    );
  }
  sections.push('## Model: 1M-sample profile', '');
  if (!results.model) sections.push('Not run (--sections).', '');
  else if (results.model.notMeasured && !results.model.output)
    sections.push(`Not measured: ${results.model.notMeasured}.`, '');
  else sections.push('Output of `bench/model-bench.ts`:', '', '```', results.model.output.trim(), '```', '');
  sections.push('## Panel: first paint of a 100k-node tree', '');
  if (!results.panel) sections.push('Not run (--sections).', '');
  else if (results.panel.notMeasured) sections.push(`Not measured: ${results.panel.notMeasured}.`, '');
  else {
    sections.push(
      'From `test/e2e/webview-harness/harness.ts`: the shipped page in Chromium, fed by the real host-side view model.',
      '',
      table(
        ['theme', 'host view-model build', 'page: message → first paint'],
        results.panel.paints.map((p) => [p.theme, `${p.hostBuildMs} ms`, `${p.paintMs} ms`]),
      ),
      '',
    );
    if (results.panel.failures.length) {
      sections.push(`Functional checks that failed: ${results.panel.failures.join('; ')}`, '');
    }
  }
  sections.push('## Editor: program exit → annotations painted', '');
  if (!results.editor) sections.push('Not run (--sections).', '');
  else if (results.editor.notMeasured) sections.push(`Not measured: ${results.editor.notMeasured}.`, '');
  else {
    sections.push(
      `From \`test/e2e/editorLatency.mjs\`: a ${results.editor.seconds} s run at 1 kHz profiled with Profile ` +
        'Current File in a real VS Code (code-server, the packaged extension, Chromium); the ' +
        "extension's own measurement from the program's exit to the painted editor (session end, " +
        'model, decorations).',
      '',
      table(
        ['run', 'samples', 'exit → annotations'],
        [
          [
            `${results.editor.seconds} s at 1 kHz`,
            (results.editor.samples ?? 0).toLocaleString('en-US'),
            `${results.editor.exitToAnnotationsMs} ms`,
          ],
        ],
      ),
      '',
    );
  }
  sections.push(
    '## Machine',
    '',
    table(
      ['', ''],
      [
        ['CPU', `${m.cpuModel}, ${m.nproc} cores (nproc)`],
        ['memory', `${m.memoryGb} GB`],
        ['OS, kernel', `${m.os}, ${m.kernel}`],
        ['load average at start', m.loadAverageAtStart.join(', ')],
        ['Node', m.node],
        ['Hotpath', `${m.hotpath}, commit ${m.gitCommit}`],
        [
          'Hotpath build measured',
          results.hotpathBuild
            ? Object.entries(results.hotpathBuild)
                .map(([file, at]) => `${file} ${at}`)
                .join('; ')
            : '—',
        ],
        [
          'CPython',
          results.pythons
            .map((p) => (p.missing ? `${p.label} (missing: ${p.missing})` : `${p.label} ${p.path}`))
            .join('; '),
        ],
        ['Django (Debian)', m.django],
        ['yappi (Debian)', m.yappi],
        ['austin (Debian)', m.austin],
        ['py-spy (pip, bench/setup.sh)', m.pySpy],
      ],
    ),
    '',
    '## Exact commands',
    '',
    'Every profiled command as run, from the repository root (`OUT.json` is a temporary file; the unprofiled ' +
      'run is the same command without the profiler; Hotpath ran from a copy of this build, see above). Each ran ' +
      'under `bench/lib/timed_exec.py`, which adds nothing to the measured section.',
    '',
    commandsSection(results),
    '',
  );
  return sections.join('\n');
}
