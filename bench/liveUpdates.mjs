// What the live view costs, measured in the real workbench: a program that works for --seconds S
// (default 60) at 1 kHz is profiled with Profile Current File with `hotpath.live.enabled` off and
// on, in alternating order (--pairs N, default 1), in one code-server and one run of this script.
// The program measures itself: the units of work it did (its speed), and the CPU time of the
// process that spawned it (the extension host: its JS thread, and the whole process with the
// sampler and the view worker) from its first unit to its last. Its profile's panel is open
// during every measured run (a warm-up run opens it), so a live update builds both the editor's
// annotations and the panel's view. Prints a table and writes bench/LIVE.md. Not a test.
//   npm run build && npm run bench:live -- --seconds 60 [--pairs 1]   (--seconds 10: a quick check)
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../test/e2e/lib/browser.mjs';
import { startCodeServer } from '../test/e2e/lib/codeServer.mjs';
import { packageVsix } from '../test/e2e/lib/packageVsix.mjs';
import { Workbench } from '../test/e2e/lib/workbench.mjs';
import { makeWorkspace } from '../test/e2e/lib/workspace.mjs';
import { logTexts } from '../test/e2e/lib/serverLogs.mjs';

const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const seconds = option('seconds', 60);
const pairs = option('pairs', 1);
const WARM_UP_S = 5;
const SCRIPT = 'live_cost.py';
const HOT = 'total += i * i  # one unit of work';
const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'LIVE.md');

/** The program: works for a given time and writes what it did and what its parent spent. */
function program(resultFile, runSeconds) {
  return `import json, os, sys, time

CLK = os.sysconf("SC_CLK_TCK")


def cpu_s(stat):
    """utime + stime of a /proc stat file, in seconds."""
    with open(stat) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK


def host_cpu():
    """The extension host (this program's parent): the whole process, and its JS thread."""
    pid = os.getppid()
    return cpu_s(f"/proc/{pid}/stat"), cpu_s(f"/proc/{pid}/task/{pid}/stat")


def unit():
    total = 0
    for i in range(2000):
        ${HOT}
    return total


def main(seconds):
    host0, js0 = host_cpu()
    cpu0 = time.process_time()
    started = time.monotonic()
    units = 0
    while time.monotonic() - started < seconds:
        unit()
        units += 1
    elapsed = time.monotonic() - started
    host1, js1 = host_cpu()
    result = {
        "units": units,
        "seconds": elapsed,
        "programCpuS": time.process_time() - cpu0,
        "hostCpuS": host1 - host0,
        "hostJsCpuS": js1 - js0,
    }
    with open(${JSON.stringify(resultFile)}, "w") as f:
        json.dump(result, f)


main(${runSeconds})
`;
}

/** The extension's output channel, as code-server writes it. */
function extensionLog(userData) {
  return logTexts(userData)
    .filter((text) => text.includes('run: live updates'))
    .join('\n');
}

const count = (text, pattern) => (text.match(pattern) ?? []).length;

const scratch = mkdtempSync(path.join(tmpdir(), 'hotpath-live-bench-'));
const workspace = makeWorkspace();
const resultFile = path.join(scratch, 'result.json');
let server;
let browser;
let status = 1;
try {
  const vsix = path.join(scratch, 'hotpath.vsix');
  packageVsix(vsix, { quiet: true });
  const script = path.join(workspace.dir, SCRIPT);
  // There before the server starts: Quick Open lists the files it found then.
  writeFileSync(script, program(resultFile, WARM_UP_S));
  server = await startCodeServer({
    workspace: workspace.dir,
    vsix,
    keepState: true,
    logFile: path.join(scratch, 'code-server.log'),
  });
  // The workspace's settings: the workbench watches its folder (code-server does not watch the
  // user settings file for changes made behind its back).
  const settingsFile = path.join(workspace.dir, '.vscode', 'settings.json');
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
  browser = await launchBrowser();
  const bench = new Workbench(browser.page, scratch);
  await bench.open(server.workbenchUrl(workspace.dir));

  /** One profiled run with live updates on or off; resolves with the program's own report. */
  const run = async (live, runSeconds) => {
    writeFileSync(script, program(resultFile, runSeconds));
    writeFileSync(settingsFile, JSON.stringify({ ...settings, 'hotpath.live.enabled': live }, null, 2));
    rmSync(resultFile, { force: true });
    const before = extensionLog(server.state.userData);
    const ended = count(before, /program exit → annotations painted/g);
    // The workbench reads a changed settings file within a second or so; the log says which
    // setting each run had, and a run that had the wrong one is refused below.
    await browser.page.waitForTimeout(3_000);
    await bench.runCommand('Hotpath: Profile Current File');
    const deadline = Date.now() + (runSeconds + 120) * 1000;
    let log = before;
    while (!existsSync(resultFile) || count(log, /program exit → annotations painted/g) <= ended) {
      if (Date.now() > deadline) throw new Error('the run did not end');
      await browser.page.waitForTimeout(250);
      log = extensionLog(server.state.userData);
    }
    const added = log.slice(before.length);
    const mode = /run: live updates (on|off)/.exec(added)?.[1];
    if (mode !== (live ? 'on' : 'off')) throw new Error(`the run had live updates ${mode}, not as set`);
    const updates = Number(/run: (\d+) live updates shown/.exec(added)?.[1] ?? 0);
    return { ...JSON.parse(readFileSync(resultFile, 'utf8')), updates, load: loadavg()[0] };
  };

  await bench.openFile(SCRIPT, 'def unit');
  // Warm-up: opens the program's panel (kept open), starts the view worker.
  await run(true, WARM_UP_S);
  const rows = [];
  for (let pair = 0; pair < pairs; pair++) {
    const order = pair % 2 === 0 ? [false, true] : [true, false];
    for (const live of order) {
      const row = { live, ...(await run(live, seconds)) };
      rows.push(row);
      process.stdout.write(`${JSON.stringify(row)}\n`);
    }
  }

  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const of = (live) => rows.filter((row) => row.live === live);
  const rate = (row) => row.units / row.seconds;
  // Per CPU second of the program: what contention for the cores (another process running)
  // disturbs much less than the wall-clock rate.
  const cpuRate = (row) => row.units / row.programCpuS;
  const share = (row, key) => (100 * row[key]) / row.seconds;
  const summary = (live) => ({
    rate: median(of(live).map(rate)),
    cpuRate: median(of(live).map(cpuRate)),
    host: median(of(live).map((row) => share(row, 'hostCpuS'))),
    js: median(of(live).map((row) => share(row, 'hostJsCpuS'))),
    updates: median(of(live).map((row) => row.updates)),
  });
  const off = summary(false);
  const on = summary(true);
  const slowdown = off.rate / on.rate;
  const cpuSlowdown = off.cpuRate / on.cpuRate;
  const cores = availableParallelism();
  const busy = rows.some((row) => row.load > cores);
  const lines = [
    '# Live updates: their cost',
    '',
    `Generated by \`npm run bench:live -- --seconds ${seconds} --pairs ${pairs}\` on ` +
      `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (see bench/README.md, "Live updates").`,
    `A program working for ${seconds} s, profiled at 1 kHz in code-server with its panel open, ` +
      `live updates off and on in alternating order; medians of ${pairs} run(s) each.`,
    '',
    '| live updates | program speed (units/s) | units per CPU second | extension host CPU, whole process (% of a core) | its JS thread (% of a core) | updates shown | load avg (1 min) |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.live ? 'on' : 'off'} | ${rate(row).toFixed(1)} | ${cpuRate(row).toFixed(1)} | ` +
        `${share(row, 'hostCpuS').toFixed(1)} | ` +
        `${share(row, 'hostJsCpuS').toFixed(1)} | ${row.updates} | ${row.load.toFixed(2)} |`,
    ),
    '',
    `Program slowdown, live on / off: ×${slowdown.toFixed(3)} in wall-clock speed, ×${cpuSlowdown.toFixed(3)} ` +
      `per CPU second (target ≤ ×1.02 at 1 kHz)` +
      (busy ? `; ⚠ inconclusive for wall-clock time: the load average was above the ${cores} cores.` : '.'),
    `Extension host CPU added by live updates: ${(on.host - off.host).toFixed(1)} points of a core ` +
      `for the whole process (sampler, view worker and JS thread; ${off.host.toFixed(1)}% → ${on.host.toFixed(1)}%), ` +
      `${(on.js - off.js).toFixed(1)} on its JS thread (${off.js.toFixed(1)}% → ${on.js.toFixed(1)}%).`,
    '',
  ];
  writeFileSync(OUT, lines.join('\n'));
  process.stdout.write(`\n${lines.join('\n')}\n`);
  status = 0;
} catch (error) {
  process.stdout.write(`FAIL ${error.stack ?? error.message}\n`);
} finally {
  await browser?.close();
  await server?.stop();
  if (server) rmSync(path.dirname(server.state.userData), { recursive: true, force: true });
  workspace.remove();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);
