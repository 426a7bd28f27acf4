/**
 * The shipped CLI's GIL mode and `<GC>` switch on real programs: `run --mode gil` saves a format-3
 * profile that records the holder and the mode, `report` then shows GIL time by default and wall
 * time when asked; `--hide-gc` takes the `<GC>` frames out of the text report.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SCRIPTS_DIR } from './groundTruth-helpers';
import { cliWorkspace } from './helpers/cli';
import { installedPythons } from './helpers/pythons';

const workspace = cliWorkspace('gil-mode');
const python = installedPythons().find((p) => p.minor === '3.12') ?? installedPythons()[0];

describe(
  'hotpath run --mode gil, --hide-gc',
  { skip: python ? false : 'no supported CPython installed' },
  () => {
    test('run --mode gil: the profile keeps the holder and the mode; report shows GIL time, --mode wall all', async () => {
      const script = join(SCRIPTS_DIR, 'gil_threads.py');
      const out = join(workspace.dir, 'gil.hotpath.json');
      const run = await workspace.run([
        'run',
        '--mode',
        'gil',
        '--format',
        'json',
        '-o',
        out,
        '--python',
        python!.path,
        script,
        join(workspace.dir, 't.json'),
      ]);
      assert.equal(run.status, 0, run.stderr);
      const file = JSON.parse(readFileSync(out, 'utf8'));
      assert.equal(file.version, 3);
      assert.equal(file.meta.mode, 'gil');
      assert.equal(file.samples.gil.length, file.samples.thread.length);
      assert.ok(file.samples.gil.includes(1), 'some sample held the GIL');

      const gil = await workspace.run(['report', out]);
      assert.equal(gil.status, 0, gil.stderr);
      assert.match(gil.stdout, /Shown .* of GIL time/);
      assert.match(gil.stdout, /\bsteady\b/);
      const wall = await workspace.run(['report', '--mode', 'wall', out]);
      assert.match(wall.stdout, /Shown .* of wall-clock time/);
      assert.match(wall.stdout, /\bsleeper\b/, 'the sleeper has wall-clock time');
    });

    test('--hide-gc: the text report has no <GC> frame; without it, it has', async () => {
      const script = join(SCRIPTS_DIR, 'gc_cycles.py');
      const out = join(workspace.dir, 'gc.hotpath.json');
      const run = await workspace.run([
        'run',
        '--format',
        'json',
        '-o',
        out,
        '--python',
        python!.path,
        script,
        join(workspace.dir, 'g.json'),
      ]);
      assert.equal(run.status, 0, run.stderr);
      const shown = await workspace.run(['report', out]);
      assert.match(shown.stdout, /<GC>\s+<interpreter>:0/);
      const hidden = await workspace.run(['report', '--hide-gc', out]);
      assert.equal(hidden.status, 0, hidden.stderr);
      assert.doesNotMatch(hidden.stdout, /<GC>/);
      assert.match(hidden.stdout, /\bcollect_now\b/);
    });

    test('--mode gil on a profile from before the record: a clear refusal', async () => {
      const old = join(__dirname, '..', 'unit', 'fixtures', 'two_threads.hotpath.json');
      const run = await workspace.run(['report', '--mode', 'gil', old]);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /--mode gil needs a profile that recorded which thread held the GIL/);
      assert.equal(run.stdout, '');
    });
  },
);
