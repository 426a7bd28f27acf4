import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  findOrphanedSpills,
  isOrphanedSpill,
  isProcessAlive,
  spillFileName,
} from '../../extension/run/spillFiles';

/** The pid of a process that has certainly exited (it was waited for). */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', '0']);
  return result.pid!;
}

describe('spill files', () => {
  it('names a spill after its writer and tells a live writer from a gone one', () => {
    const mine = spillFileName(process.pid, 1700000000000);
    assert.match(mine, new RegExp(`^host${process.pid}-1700000000000-[0-9a-f]{8}\\.hotspill$`));
    assert.notEqual(spillFileName(process.pid, 1700000000000), mine, 'two runs in one millisecond');
    assert.equal(isOrphanedSpill(mine), false);
    assert.equal(
      isOrphanedSpill(spillFileName(12345, 1), () => false),
      true,
    );
    assert.equal(
      isOrphanedSpill(spillFileName(12345, 1), () => true),
      false,
    );
  });

  it('treats unnamed spills as orphans and ignores other files', () => {
    assert.equal(
      isOrphanedSpill('whatever.hotspill', () => true),
      true,
    );
    assert.equal(
      isOrphanedSpill('host12-3.hotpath.json', () => false),
      false,
    );
  });

  it('knows this process is alive and an exited one is not', () => {
    assert.equal(isProcessAlive(process.pid), true);
    assert.equal(isProcessAlive(deadPid()), false);
  });

  describe('findOrphanedSpills', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotpath-spill-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('lists only the spills of writers that are gone, and nothing for a missing folder', async () => {
      const orphan = spillFileName(deadPid(), 1);
      writeFileSync(path.join(dir, orphan), '');
      writeFileSync(path.join(dir, spillFileName(process.pid, 2)), '');
      writeFileSync(path.join(dir, 'notes.txt'), '');
      assert.deepEqual(await findOrphanedSpills(dir), [path.join(dir, orphan)]);
      assert.deepEqual(await findOrphanedSpills(path.join(dir, 'missing')), []);
    });
  });
});
