import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { contentHash } from '../../extension/model/sourceFiles';
import type { RawProfile } from '../../extension/model/rawProfile';
import { hashUserSources } from '../../extension/run/sourceHashes';

function profileWithFiles(files: string[], cwd: string): RawProfile {
  const n = files.length;
  return {
    strings: files,
    frameFile: Uint32Array.from(files.map((_, i) => i)),
    frameName: new Uint32Array(n),
    frameLine: new Uint32Array(n).fill(1),
    frameFirstLine: new Uint32Array(n).fill(1),
    stackParent: new Int32Array(0),
    stackFrame: new Uint32Array(0),
    sampleTime: new Float64Array(0),
    sampleThread: new Uint32Array(0),
    sampleStack: new Int32Array(0),
    sampleOnCpu: new Uint8Array(0),
    threads: [],
    meta: {
      startedAt: 0,
      durationUs: 0,
      intervalUs: 1000,
      pid: 1,
      argv: [],
      pythonPath: '',
      pythonVersion: '',
      exitCode: 0,
      exitSignal: null,
      cwd,
    },
    stats: {
      ticks: 0,
      samples: 0,
      lateTicks: 0,
      droppedSamples: 0,
      meanTickCostUs: 0,
      maxDepth: 0,
      truncatedStacks: 0,
    },
  };
}

describe('hashUserSources', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotpath-hashes-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("hashes the user's files (relative ones against the cwd), skipping library, pseudo and missing files", async () => {
    writeFileSync(path.join(dir, 'app.py'), 'print(1)\n');
    writeFileSync(path.join(dir, 'helper.py'), 'x = 2\n');
    const profile = profileWithFiles(
      [
        path.join(dir, 'app.py'),
        'helper.py',
        '/usr/lib/python3.12/json/decoder.py',
        '<frozen runpy>',
        path.join(dir, 'deleted.py'),
      ],
      dir,
    );
    const hashes = await hashUserSources(profile);
    assert.deepEqual([...hashes.entries()].sort(), [
      [path.join(dir, 'app.py'), contentHash('print(1)\n')],
      [path.join(dir, 'helper.py'), contentHash('x = 2\n')],
    ]);
  });
});
