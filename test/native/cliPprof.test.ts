/**
 * `hotpath run --format pprof` on a real CPython program, read back with an
 * independent decoder (pprof-format): the program prints its own pid, its
 * threads' native ids and the lines of its hot function, and the file must say
 * the same. A profile saved as .hotpath.json and converted by `hotpath report`
 * must hold the same samples per line as the profile itself. When Go is
 * installed, `go tool pprof` (the format's reference reader) must read it too.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadProfile } from '../../extension/format/profileFile';
import { profileLineCounts } from '../unit/helpers/exportTotals';
import { pprofLeafCounts, readPprof } from '../unit/helpers/pprofRead';
import { cliWorkspace } from './helpers/cli';
import { installedPythons } from './helpers/pythons';

const python = installedPythons().find((p) => !p.staticBuild && p.minor === '3.12') ?? installedPythons()[0];
const SCRIPT = join(__dirname, 'scripts', 'pprof_target.py');

const workspace = cliWorkspace('cli-pprof');
const hotpath = workspace.run;

const goVersion = spawnSync('go', ['version'], { encoding: 'utf8' });
const go = goVersion.status === 0 ? 'go' : undefined;

describe('hotpath --format pprof', { skip: python ? false : 'no supported CPython installed' }, () => {
  test('run writes a gzipped profile.proto with the program’s threads, pid and hot lines', async () => {
    const out = join(workspace.dir, 'run.pb.gz');
    const run = await hotpath(['run', '--format', 'pprof', '-o', out, '--python', python!.path, SCRIPT]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /pprof profile \(open it with `go tool pprof/);
    const truth = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      pid: number;
      tids: Record<string, number>;
      spin: [number, number];
    };
    const file = readPprof(readFileSync(out));
    assert.deepEqual(file.sampleTypes, ['samples/count', 'wall/nanoseconds']);
    assert.equal(file.period, 1_000_000);

    const spinSamples = file.samples.filter((s) => s.stack[0].startsWith(`spin@${SCRIPT}:`));
    const spinCount = spinSamples.reduce((n, s) => n + s.values[0], 0);
    assert.ok(spinCount > 50, `${spinCount} samples in spin`);
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
    assert.ok(waiting.reduce((n, s) => n + s.values[0], 0) > 20, 'the waiter is seen waiting in wait()');
  });

  test(
    'go tool pprof reads it',
    { skip: go ? false : 'Go is not installed (go tool pprof not run)' },
    async () => {
      const out = join(workspace.dir, 'go.pb.gz');
      const run = await hotpath(['run', '--format', 'pprof', '-o', out, '--python', python!.path, SCRIPT]);
      assert.equal(run.status, 0, run.stderr);
      const top = spawnSync(go!, ['tool', 'pprof', '-top', '-lines', out], { encoding: 'utf8' });
      assert.equal(top.status, 0, top.stderr);
      assert.match(top.stdout, /Type: wall/);
      assert.match(top.stdout, new RegExp(`spin ${SCRIPT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+`));
      const tags = spawnSync(go!, ['tool', 'pprof', '-tags', out], { encoding: 'utf8' });
      assert.equal(tags.status, 0, tags.stderr);
      assert.match(tags.stdout, /thread_name: Total/);
      assert.match(tags.stdout, /: waiter$/m);
    },
  );

  test('report converts a saved profile with the same samples per line', async () => {
    const saved = join(workspace.dir, 'saved.hotpath.json');
    const run = await hotpath(['run', '--format', 'json', '-o', saved, '--python', python!.path, SCRIPT]);
    assert.equal(run.status, 0, run.stderr);
    const profile = loadProfile(readFileSync(saved, 'utf8'));
    for (const mode of ['wall', 'cpu'] as const) {
      const out = join(workspace.dir, `report-${mode}.pb.gz`);
      const flags = mode === 'cpu' ? ['--cpu'] : [];
      const report = await hotpath(['report', '--format', 'pprof', ...flags, '-o', out, saved]);
      assert.equal(report.status, 0, report.stderr);
      const file = readPprof(readFileSync(out));
      assert.equal(file.defaultSampleType, mode);
      assert.deepEqual(pprofLeafCounts(file), profileLineCounts(profile, mode).leaf, mode);
    }
  });
});
