/**
 * Spill files hold the profiled program's paths and names: the sampler creates them mode 0600 and
 * never writes through something already at their path (a link planted in a shared folder, a stale
 * file); their folders are 0700. The extension's crash recovery still finds and reads them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readSpill } from '../../extension/format/spillReader';
import { loadNative } from '../../extension/native/loadNative';
import { makePrivateDir } from '../../extension/run/privateDir';
import { findOrphanedSpills, spillFileName } from '../../extension/run/spillFiles';
import { SCRIPTS_DIR } from './groundTruth-helpers';
import { startTarget } from './helpers/processes';
import { installedPythons } from './helpers/pythons';

const native = loadNative();
const python = installedPythons().find((p) => !p.staticBuild && p.minor === '3.12') ?? installedPythons()[0];
const skip = python ? false : 'no supported CPython installed';

const dir = mkdtempSync(join(tmpdir(), 'hotpath-spill-privacy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

async function refusal(spillPath: string): Promise<{ code?: string; message: string }> {
  // The path is refused before the target is looked at: this process stands in for one.
  const sampler = new native.Sampler(process.pid, { intervalUs: 1000, spillPath });
  try {
    await sampler.ready();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  await sampler.finish();
  assert.fail(`the sampler wrote to ${spillPath}`);
}

/** Samples idle.py until `samples` were taken, then kills it; resolves once the sampler finished. */
async function sampleIdle(spillPath: string, check: () => void): Promise<number> {
  const target = startTarget(python!.path, [join(SCRIPTS_DIR, 'idle.py')]);
  try {
    await target.waitFor('READY');
    let enough: () => void = () => {};
    const sampled = new Promise<void>((resolve) => (enough = resolve));
    const sampler = new native.Sampler(target.pid, {
      intervalUs: 1000,
      spillPath,
      onProgress: (p) => p.samples >= 100 && enough(),
    });
    await sampler.ready();
    check();
    await sampled;
    target.kill('SIGKILL');
    await target.exited;
    return (await sampler.finish()).sampleTime.length;
  } finally {
    target.kill('SIGKILL');
  }
}

describe('spill file privacy', () => {
  test('a symbolic link planted at the spill path is not followed', async () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'untouched');
    const link = join(dir, 'planted.spill');
    symlinkSync(victim, link);
    const error = await refusal(link);
    assert.equal(error.code, 'HOTPATH_SPILL_IO');
    assert.match(error.message, /already at that path.*never writes through an existing file or link/);
    assert.equal(readFileSync(victim, 'utf8'), 'untouched');
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link is left as it was');
    // A dangling link (its target not created yet) is not followed either.
    const dangling = join(dir, 'dangling.spill');
    symlinkSync(join(dir, 'would-be-created'), dangling);
    assert.equal((await refusal(dangling)).code, 'HOTPATH_SPILL_IO');
    assert.throws(() => statSync(join(dir, 'would-be-created')), /ENOENT/);
  });

  test('an existing file at the spill path is neither truncated nor appended to', async () => {
    const stale = join(dir, 'stale.spill');
    writeFileSync(stale, 'earlier contents');
    assert.equal((await refusal(stale)).code, 'HOTPATH_SPILL_IO');
    assert.equal(readFileSync(stale, 'utf8'), 'earlier contents');
  });

  test(
    'a spill file is readable by its owner only, whatever the umask',
    { skip, timeout: 30_000 },
    async () => {
      const spillPath = join(dir, 'fresh.spill');
      const umask = process.umask(0);
      try {
        await sampleIdle(spillPath, () => assert.equal(mode(spillPath).toString(8), '600'));
      } finally {
        process.umask(umask);
      }
      assert.equal(mode(spillPath).toString(8), '600');
    },
  );

  test(
    'the extension’s spill folder is 0700 and crash recovery still finds and reads its spills',
    { skip, timeout: 30_000 },
    async () => {
      const spillDir = join(dir, 'globalStorage', 'spill');
      await makePrivateDir(spillDir);
      assert.equal(mode(spillDir).toString(8), '700');
      // A folder an earlier version made with the default mode is narrowed.
      const loose = join(dir, 'loose');
      await makePrivateDir(loose);
      chmodSync(loose, 0o755);
      await makePrivateDir(loose);
      assert.equal(mode(loose).toString(8), '700');

      // A spill named after an extension host that has exited: what a crash leaves behind.
      const deadHost = spawnSync(process.execPath, ['-e', '0']).pid!;
      const spillPath = join(spillDir, spillFileName(deadHost, Date.now()));
      const samples = await sampleIdle(spillPath, () => {});
      assert.deepEqual(await findOrphanedSpills(spillDir), [spillPath]);
      const { profile } = readSpill(readFileSync(spillPath));
      assert.equal(profile.sampleTime.length, samples, 'every sample is recovered');
    },
  );
});
