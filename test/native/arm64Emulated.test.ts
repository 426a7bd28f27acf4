/**
 * The linux-arm64 build, run for real as far as an x86_64 machine allows: the addon cross-built
 * for aarch64, loaded by an arm64 Node and driving the shipped CLI bundle, samples an arm64
 * CPython; all three run under qemu-user (helpers/arm64.ts says why the emulated sampler can read
 * the emulated interpreter). The targets record their own ground truth, as in groundTruth.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadProfile } from '../../extension/format/profileFile';
import type { RawProfile } from '../../extension/model/rawProfile';
import { lineOf, samplesIn, SCRIPTS_DIR, selfLines, topLine, type Truth } from './groundTruth-helpers';
import {
  ARM64_PYTHON_VERSION,
  arm64App,
  arm64MissingReason,
  buildArm64Addon,
  runArm64Node,
} from './helpers/arm64';
import { buildCli } from './helpers/cli';

const missing = arm64MissingReason();
/** Shares scatter more under emulation (every instruction of both processes is translated). */
const SHARE_TOLERANCE = 0.05;

describe('linux-arm64 under qemu-user', { skip: missing ?? false }, () => {
  let dir = '';
  let app: { cli: string; python: string };
  let addon = '';

  before(() => {
    buildCli();
    addon = buildArm64Addon();
    dir = mkdtempSync(join(tmpdir(), 'hotpath-arm64-'));
    app = arm64App(dir, addon);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** `hotpath run` of a ground-truth script under the emulated CLI; the saved profile and truth. */
  async function profileScript(script: string): Promise<{ profile: RawProfile; truth: Truth }> {
    const out = join(dir, `${script}.hotpath.json`);
    const truthPath = join(dir, `${script}.truth.json`);
    const run = await runArm64Node(
      [
        app.cli,
        'run',
        '--rate',
        '200',
        '--python',
        app.python,
        '--format',
        'json',
        '-o',
        out,
        script,
        truthPath,
      ],
      // The script starts its measured work once it reads a line; the sampler is reading it by
      // then, since the interpreter comes up slower under qemu than the sampler attaches.
      { cwd: SCRIPTS_DIR, input: 'go\n' },
    );
    assert.equal(run.status, 0, `hotpath run ${script} failed:\n${run.stdout}\n${run.stderr}`);
    return {
      profile: loadProfile(readFileSync(out, 'utf8')),
      truth: JSON.parse(readFileSync(truthPath, 'utf8')) as Truth,
    };
  }

  test('the addon is an aarch64 binary that the arm64 Node loads', async () => {
    const header = readFileSync(addon).subarray(0, 20);
    assert.equal(header.toString('latin1', 1, 4), 'ELF');
    assert.equal(header.readUInt16LE(18), 183, 'e_machine is EM_AARCH64');
    const probe = `const m = require(${JSON.stringify(addon)}); console.log(process.arch, typeof m.Sampler, m.version)`;
    const run = await runArm64Node(['-e', probe]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^arm64 function hotpath-native /);
  });

  test(`busy.py on arm64 CPython ${ARM64_PYTHON_VERSION}: functions, hot lines and shares`, async () => {
    const { profile, truth } = await profileScript('busy.py');
    assert.equal(profile.meta.pythonVersion.slice(0, 4), ARM64_PYTHON_VERSION);
    const alpha = samplesIn(profile, 'alpha').length;
    const beta = samplesIn(profile, 'beta').length;
    assert.ok(alpha + beta >= 100, `only ${alpha + beta} samples in alpha and beta`);
    assert.equal(topLine(selfLines(profile, 'alpha')), lineOf('busy.py', '# HOT alpha'));
    assert.equal(topLine(selfLines(profile, 'beta')), lineOf('busy.py', '# HOT beta'));
    if (loadavg()[0] <= cpus().length) {
      const sampled = alpha / (alpha + beta);
      const measured = truth.regions.alpha / (truth.regions.alpha + truth.regions.beta);
      assert.ok(
        Math.abs(sampled - measured) <= SHARE_TOLERANCE,
        `alpha's share: sampled ${sampled.toFixed(3)}, measured ${measured.toFixed(3)}`,
      );
    }
  });

  test('the GIL holder is found where the arm64 build keeps it', async () => {
    const { profile } = await profileScript('gil_sleep.py');
    const onCpuShare = (name: string): number => {
      const samples = samplesIn(profile, name);
      assert.ok(samples.length >= 40, `${samples.length} samples in ${name}`);
      return samples.filter((i) => profile.sampleOnCpu[i] === 1).length / samples.length;
    };
    // Sleeping with the GIL: on-CPU by the holder rule. Sleeping without: the kernel's 'S'.
    assert.ok(onCpuShare('holding') >= 0.9, `holding the GIL: ${onCpuShare('holding')} on-CPU`);
    assert.ok(onCpuShare('releasing') <= 0.1, `GIL released: ${onCpuShare('releasing')} on-CPU`);
  });

  test('the interpreter sampled is an aarch64 build', () => {
    const run = spawnSync(app.python, ['-c', 'import platform; print(platform.machine())'], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'aarch64');
  });
});
