// Samples dropped as torn reads must stay rare even where the stack changes fastest:
// generator-based context managers (contextlib, Django's template contexts) push and pop
// several frames per microsecond, faster than one stack can be read. They used to lose 20–58%
// of samples on every version (a frame popped or pushed between the read of a pointer and the
// read of what it points to).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadProfile } from '../../extension/format/profileFile';
import { pythonVersions } from './helpers/pythons';

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(__dirname, 'scripts', 'context_managers.py');

for (const python of pythonVersions()) {
  test(
    `${python.label}: generator-based context managers drop under 5% of samples`,
    { skip: python.missingReason ?? false },
    () => {
      const out = path.join(mkdtempSync(path.join(tmpdir(), 'hotpath-drop-')), 'p.hotpath.json');
      const run = spawnSync(
        process.execPath,
        [
          path.join(ROOT, 'bin', 'hotpath.js'),
          'run',
          '--python',
          python.path,
          '--format',
          'json',
          '-o',
          out,
          SCRIPT,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(run.status, 0, run.stderr);
      const { stats } = loadProfile(readFileSync(out, 'utf8'));
      const share = stats.droppedSamples / (stats.samples + stats.droppedSamples);
      assert.ok(share < 0.05, `${(share * 100).toFixed(1)}% of samples dropped`);
    },
  );
}
