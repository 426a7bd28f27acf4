/**
 * The export formats from `hotpath run` on a real CPython program, each read
 * back with a reader that is not Hotpath's writer: pprof with pprof-format (and
 * `go tool pprof`, the format's reference reader, when Go is installed), the
 * .cpuprofile against the DevTools protocol's published types and the format's
 * rules, the Firefox Profiler file as the Gecko format's documentation reads. The program prints its own pid, its threads' native ids and the lines
 * of its hot function, and each file must say the same. A profile saved as
 * .hotpath.json and converted by `hotpath report` must hold the same samples
 * per line as the profile itself.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import type { CpuProfile } from '../../extension/format/cpuprofile';
import { loadProfile } from '../../extension/format/profileFile';
import { assertProtocolType } from '../unit/helpers/cdpSchema';
import { assertCpuProfileRules } from '../unit/helpers/cpuprofileRules';
import { profileLineCounts } from '../unit/helpers/exportTotals';
import { geckoLeafCounts, readGecko } from '../unit/helpers/geckoRead';
import { pprofLeafCounts, readPprof } from '../unit/helpers/pprofRead';
import { cliWorkspace } from './helpers/cli';
import { installedPythons } from './helpers/pythons';

const python = installedPythons().find((p) => !p.staticBuild && p.minor === '3.12') ?? installedPythons()[0];
const SCRIPT = join(__dirname, 'scripts', 'formats_target.py');

const workspace = cliWorkspace('cli-formats');
const hotpath = workspace.run;

const goVersion = spawnSync('go', ['version'], { encoding: 'utf8' });
const go = goVersion.status === 0 ? 'go' : undefined;

/** What the program says about itself. */
interface Truth {
  pid: number;
  tids: Record<string, number>;
  spin: [number, number];
}

/** Runs the target under `hotpath run --format FORMAT -o FILE`; returns the file and what it printed. */
async function runTarget(format: string, file: string): Promise<Truth> {
  const out = resolve(workspace.dir, file);
  const run = await hotpath(['run', '--format', format, '-o', out, '--python', python!.path, SCRIPT]);
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Truth;
}

/** A saved profile of the target converted by `hotpath report` to each mode: [mode, profile, file path]. */
async function reportTarget(format: string, suffix: string) {
  const saved = join(workspace.dir, `${format}.hotpath.json`);
  await runTarget('json', saved);
  const profile = loadProfile(readFileSync(saved, 'utf8'));
  const outputs: { mode: 'wall' | 'cpu'; out: string }[] = [];
  for (const mode of ['wall', 'cpu'] as const) {
    const out = join(workspace.dir, `report-${mode}${suffix}`);
    const flags = mode === 'cpu' ? ['--cpu'] : [];
    const report = await hotpath(['report', '--format', format, ...flags, '-o', out, saved]);
    assert.equal(report.status, 0, report.stderr);
    outputs.push({ mode, out });
  }
  return { profile, outputs };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('hotpath export formats', { skip: python ? false : 'no supported CPython installed' }, () => {
  test('pprof: the program’s threads, pid and hot lines', async () => {
    const truth = await runTarget('pprof', 'run.pb.gz');
    const file = readPprof(readFileSync(join(workspace.dir, 'run.pb.gz')));
    assert.deepEqual(file.sampleTypes, ['samples/count', 'wall/nanoseconds']);
    assert.equal(file.period, 1_000_000);

    const spinSamples = file.samples.filter((s) => s.stack[0].startsWith(`spin@${SCRIPT}:`));
    const spinCount = spinSamples.reduce((n, s) => n + s.values[0], 0);
    // Enough samples that the checks below are about something (a loaded machine samples less often).
    assert.ok(spinCount > 10, `${spinCount} samples in spin`);
    for (const sample of spinSamples) {
      const line = Number(sample.stack[0].split(':').pop());
      assert.ok(line >= truth.spin[0] && line <= truth.spin[1], `spin sampled at line ${line}`);
      assert.equal(sample.labels.thread_name, 'MainThread');
      assert.equal(sample.labels.thread_id, truth.tids.MainThread);
      assert.equal(sample.labels.pid, truth.pid);
      assert.match(sample.stack[1], /^main@/);
    }
    const spin = file.functions.find((f) => f.name === 'spin');
    assert.deepEqual(spin, { name: 'spin', systemName: 'spin', file: SCRIPT, startLine: truth.spin[0] });

    const waiter = file.samples.filter((s) => s.labels.thread_name === 'waiter');
    assert.ok(waiter.length > 0, 'the waiter thread is in the profile');
    for (const sample of waiter) assert.equal(sample.labels.thread_id, truth.tids.waiter);
    const waiting = waiter.filter(
      (s) => s.stack[0].startsWith('wait@') && s.labels.thread_state === 'waiting',
    );
    assert.ok(waiting.reduce((n, s) => n + s.values[0], 0) > 5, 'the waiter is seen waiting in wait()');
  });

  test(
    'pprof: go tool pprof reads it',
    { skip: go ? false : 'Go is not installed (go tool pprof not run)' },
    async () => {
      await runTarget('pprof', 'go.pb.gz');
      const out = join(workspace.dir, 'go.pb.gz');
      const top = spawnSync(go!, ['tool', 'pprof', '-top', '-lines', out], { encoding: 'utf8' });
      assert.equal(top.status, 0, top.stderr);
      assert.match(top.stdout, /Type: wall/);
      assert.match(top.stdout, new RegExp(`spin ${escape(SCRIPT)}:\\d+`));
      const tags = spawnSync(go!, ['tool', 'pprof', '-tags', out], { encoding: 'utf8' });
      assert.equal(tags.status, 0, tags.stderr);
      assert.match(tags.stdout, /thread_name: Total/);
      assert.match(tags.stdout, /: waiter$/m);
    },
  );

  test('pprof: report converts a saved profile with the same samples per line', async () => {
    const { profile, outputs } = await reportTarget('pprof', '.pb.gz');
    for (const { mode, out } of outputs) {
      const file = readPprof(readFileSync(out));
      assert.equal(file.defaultSampleType, mode);
      assert.deepEqual(pprofLeafCounts(file), profileLineCounts(profile, mode).leaf, mode);
    }
  });

  test('cpuprofile: a DevTools Profiler.Profile with the program’s threads and hot lines', async () => {
    const truth = await runTarget('cpuprofile', 'run.cpuprofile');
    const file = JSON.parse(readFileSync(join(workspace.dir, 'run.cpuprofile'), 'utf8')) as CpuProfile;
    assertProtocolType(file, 'Profiler.Profile');
    assertCpuProfileRules(file);
    const threads = file.nodes[0].children.map((id) => file.nodes[id - 1].callFrame.functionName);
    assert.ok(threads.includes(`MainThread (tid ${truth.tids.MainThread})`), threads.join(', '));
    assert.ok(threads.includes(`waiter (tid ${truth.tids.waiter})`), threads.join(', '));
    const spin = file.nodes.filter((n) => n.callFrame.functionName === 'spin');
    assert.equal(spin.length, 1, 'one spin node: one path to it');
    assert.deepEqual(spin[0].callFrame, {
      functionName: 'spin',
      scriptId: spin[0].callFrame.scriptId,
      url: pathToFileURL(SCRIPT).href,
      lineNumber: truth.spin[0] - 1,
      columnNumber: 0,
    });
    assert.ok(spin[0].hitCount > 10, `${spin[0].hitCount} samples in spin`);
    for (const { line } of spin[0].positionTicks ?? []) {
      assert.ok(line >= truth.spin[0] && line <= truth.spin[1], `spin sampled at line ${line}`);
    }
  });

  test('cpuprofile: report converts a saved profile with the same samples per line', async () => {
    const { profile, outputs } = await reportTarget('cpuprofile', '.cpuprofile');
    for (const { mode, out } of outputs) {
      const file = JSON.parse(readFileSync(out, 'utf8')) as CpuProfile;
      assertProtocolType(file, 'Profiler.Profile');
      // Counted as the format must: a frame's unknown line (0, e.g. a `.pth` file's code at start-up)
      // at its function's first line.
      const expected = profileLineCounts(profile, mode, { unknownLineAtFirstLine: true }).leaf;
      assert.deepEqual(assertCpuProfileRules(file).leafCounts, expected, mode);
    }
  });

  test('firefox: a track per thread, the hot lines, the waiter idle', async () => {
    const truth = await runTarget('firefox', 'run.firefox.json');
    const { threads } = readGecko(JSON.parse(readFileSync(join(workspace.dir, 'run.firefox.json'), 'utf8')));
    const main = threads.find((t) => t.name === 'MainThread');
    const waiter = threads.find((t) => t.name === 'waiter');
    assert.ok(main && waiter, threads.map((t) => t.name).join(', '));
    assert.equal(main.tid, truth.tids.MainThread);
    assert.equal(waiter.tid, truth.tids.waiter);
    assert.equal(main.pid, truth.pid);
    assert.ok(main.functions.has(`spin@${SCRIPT}:${truth.spin[0]}`), [...main.functions].join(', '));
    let spin = 0;
    for (const [key, count] of main.leafCounts) {
      if (!key.startsWith(`spin@${SCRIPT}:`)) continue;
      const line = Number(key.split(':').pop());
      assert.ok(line >= truth.spin[0] && line <= truth.spin[1], `spin sampled at line ${line}`);
      spin += count;
    }
    assert.ok(spin > 10, `${spin} samples in spin`);
    const idle = waiter.categories.filter((c) => c === 'Idle').length;
    assert.ok(
      idle > 5 && idle >= waiter.categories.length / 2,
      `the waiter is idle in ${idle} of ${waiter.categories.length} samples`,
    );
  });

  test('firefox: report converts a saved profile with the same samples per line', async () => {
    const { profile, outputs } = await reportTarget('firefox', '.firefox.json');
    for (const { mode, out } of outputs) {
      const { threads } = readGecko(JSON.parse(readFileSync(out, 'utf8')));
      assert.deepEqual(geckoLeafCounts(threads), profileLineCounts(profile, mode).leaf, mode);
    }
  });
});
