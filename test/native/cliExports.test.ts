/**
 * The shipped `hotpath` command's exports on a real program that spends its
 * time in the standard library (`python -m json.tool`: not one frame of the
 * user's own): every format holds every sample the run recorded, with every
 * frame by default and with library frames merged on request.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadProfile } from '../../extension/format/profileFile';
import type { SpeedscopeFile } from '../../extension/format/speedscope';
import { collapsedTotal, profileTotals, speedscopeTotalUs } from '../unit/helpers/exportTotals';
import { cliWorkspace } from './helpers/cli';
import { installedPythons } from './helpers/pythons';

const python = installedPythons().find((p) => !p.staticBuild && p.minor === '3.12') ?? installedPythons()[0];

const workspace = cliWorkspace('cli-exports');
const hotpath = workspace.run;

/** A JSON document that takes json.tool a few hundred milliseconds to parse and indent. */
function writeDocument(): string {
  const items = Array.from({ length: 60_000 }, (_, i) => ({
    id: i,
    name: `item ${i}`,
    tags: ['a', 'b', String(i % 7)],
    nested: { x: i / 3, ok: i % 2 === 0 },
  }));
  const file = join(workspace.dir, 'document.json');
  writeFileSync(file, JSON.stringify(items));
  return file;
}

describe('hotpath CLI exports', { skip: python ? false : 'no supported CPython installed' }, () => {
  test('a stdlib-only run: every format holds every sample, with or without library frames', async () => {
    const document = writeDocument();
    const program = ['--', python!.path, '-m', 'json.tool', document, join(workspace.dir, 'pretty.json')];
    const saved = join(workspace.dir, 'stdlib.hotpath.json');
    const run = await hotpath(['run', '--format', 'json', '-o', saved, ...program]);
    assert.equal(run.status, 0, run.stderr);
    const profile = loadProfile(readFileSync(saved, 'utf8'));
    const all = profileTotals(profile);
    assert.ok(all.samples > 100, `${all.samples} samples`);

    for (const options of [[], ['--hide-library'], ['--cpu'], ['--cpu', '--hide-library']]) {
      const label = `report ${options.join(' ')}`;
      const want = profileTotals(profile, options.includes('--cpu') ? 'cpu' : 'wall');
      const collapsed = await hotpath(['report', '--format', 'collapsed', ...options, saved]);
      assert.equal(collapsed.status, 0, collapsed.stderr);
      assert.equal(collapsedTotal(collapsed.stdout), want.samples, `${label}: collapsed`);
      const speedscope = await hotpath(['report', '--format', 'speedscope', ...options, saved]);
      assert.equal(speedscope.status, 0, speedscope.stderr);
      const us = speedscopeTotalUs(JSON.parse(speedscope.stdout) as SpeedscopeFile);
      assert.ok(Math.abs(us - want.us) < 1, `${label}: speedscope ${us} µs, profile ${want.us} µs`);
      if (options.includes('--hide-library')) {
        // Nothing of the user's own: all of it is library time merged away, none of it lost.
        assert.match(collapsed.stdout, /^MainThread;\[hidden frames\] \d+$/m);
      } else {
        assert.match(
          collapsed.stdout,
          /;(dump|_iterencode\w*|raw_decode|decode|load|main) \(.*json.*\) \d+$/m,
        );
      }
    }

    // Straight from a run, as in the report that found nothing: every frame, every sample.
    const direct = join(workspace.dir, 'direct.collapsed.txt');
    const collapsedRun = await hotpath(['run', '--format', 'collapsed', '-o', direct, ...program]);
    assert.equal(collapsedRun.status, 0, collapsedRun.stderr);
    const text = readFileSync(direct, 'utf8');
    assert.ok(collapsedTotal(text) > 100, text);
    assert.match(text, /json[\\/]tool\.py/);
  });
});
