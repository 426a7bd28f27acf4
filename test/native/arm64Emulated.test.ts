/**
 * The linux-arm64 VSIX, run for real as far as an x86_64 machine allows: its addon, cross-built
 * for aarch64 and loaded by an arm64 Node, samples arm64 CPython 3.11 (the generated layouts) and
 * 3.14 (layouts from _Py_DebugOffsets), and its CLI bundle profiles 3.11; everything runs under
 * qemu-user (helpers/arm64.ts says why the emulated sampler can read the emulated interpreter).
 * The targets record their own ground truth, as in groundTruth.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadProfile } from '../../extension/format/profileFile';
import {
  lineOf,
  samplesIn,
  SCRIPTS_DIR,
  selfLines,
  type StackColumns,
  topLine,
  type Truth,
} from './groundTruth-helpers';
import {
  ARM64_PYTHONS,
  arm64Vsix,
  arm64MissingReason,
  buildArm64Addon,
  runArm64Node,
  sampleWithArm64Addon,
} from './helpers/arm64';
import { buildCli } from './helpers/cli';

const missing = arm64MissingReason();
/** Shares scatter more under emulation (every instruction of both processes is translated). */
const SHARE_TOLERANCE = 0.05;
/** 200 Hz: an emulated tick costs a few hundred µs. */
const INTERVAL_US = 5000;

/** busy.py's functions and hot lines, and alpha's share of alpha + beta against its record. */
function checkBusy(profile: StackColumns, truth: Truth): void {
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
}

describe('linux-arm64 under qemu-user', { skip: missing ?? false }, () => {
  let dir = '';
  let app: { cli: string; addon: string; pythons: Map<string, string> };
  let addon = '';

  before(() => {
    buildCli();
    buildArm64Addon(); // here rather than in packaging, so that its errors show as they are
    dir = mkdtempSync(join(tmpdir(), 'hotpath-arm64-'));
    app = arm64Vsix(dir);
    addon = app.addon;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const readTruth = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Truth;

  /** `script` run by arm64 CPython `version` and sampled by the addon in the arm64 Node. */
  async function sampleScript(version: string, script: string) {
    const truthPath = join(dir, `${script}-${version}.json`);
    const profile = await sampleWithArm64Addon(
      addon,
      app.pythons.get(version)!,
      script,
      truthPath,
      INTERVAL_US,
    );
    return { profile, truth: readTruth(truthPath) };
  }

  test("the linux-arm64 VSIX's addon is an aarch64 binary that the arm64 Node loads", async () => {
    const header = readFileSync(addon).subarray(0, 20);
    assert.equal(header.toString('latin1', 1, 4), 'ELF');
    assert.equal(header.readUInt16LE(18), 183, 'e_machine is EM_AARCH64');
    const probe = `const m = require(${JSON.stringify(addon)}); console.log(process.arch, typeof m.Sampler, m.version)`;
    const run = await runArm64Node(['-e', probe]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^arm64 function hotpath-native /);
  });

  for (const { version } of ARM64_PYTHONS) {
    test(`arm64 CPython ${version} is an aarch64 build`, () => {
      const code = 'import platform, sys; print(platform.machine(), "%d.%d" % sys.version_info[:2])';
      const run = spawnSync(app.pythons.get(version)!, ['-c', code], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout.trim(), `aarch64 ${version}`);
    });

    test(`busy.py on arm64 CPython ${version}: functions, hot lines and shares`, async () => {
      const { profile, truth } = await sampleScript(version, 'busy.py');
      assert.equal(profile.pythonVersion.split('.').slice(0, 2).join('.'), version);
      checkBusy(profile, truth);
    });

    test(`arm64 CPython ${version}: the GIL holder is found where this build keeps it`, async () => {
      const { profile } = await sampleScript(version, 'gil_sleep.py');
      const onCpuShare = (name: string): number => {
        const samples = samplesIn(profile, name);
        assert.ok(samples.length >= 40, `${samples.length} samples in ${name}`);
        return samples.filter((i) => profile.sampleOnCpu[i] === 1).length / samples.length;
      };
      // Sleeping with the GIL: on-CPU by the holder rule. Sleeping without: the kernel's 'S'.
      assert.ok(onCpuShare('holding') >= 0.9, `holding the GIL: ${onCpuShare('holding')} on-CPU`);
      assert.ok(onCpuShare('releasing') <= 0.1, `GIL released: ${onCpuShare('releasing')} on-CPU`);
    });
  }

  test("the VSIX's CLI profiles busy.py on arm64 CPython 3.11", async () => {
    const out = join(dir, 'busy.hotpath.json');
    const truthPath = join(dir, 'busy-cli.json');
    const python = app.pythons.get('3.11')!;
    const run = await runArm64Node(
      [
        app.cli,
        'run',
        '--rate',
        '200',
        '--python',
        python,
        '--format',
        'json',
        '-o',
        out,
        'busy.py',
        truthPath,
      ],
      // The script starts its measured work once it reads a line; the sampler is reading it by
      // then, since the interpreter comes up slower under qemu than the sampler attaches.
      { cwd: SCRIPTS_DIR, input: 'go\n' },
    );
    assert.equal(run.status, 0, `hotpath run failed:\n${run.stdout}\n${run.stderr}`);
    const profile = loadProfile(readFileSync(out, 'utf8'));
    assert.equal(profile.meta.pythonVersion.slice(0, 5), '3.11.');
    checkBusy(profile, readTruth(truthPath));
  });
});
