/**
 * The sampler against what real CPython programs record about themselves, on
 * every installed interpreter: function shares and hot lines of busy loops,
 * threads (running and sleeping), recursion 1,000 deep, non-ASCII names, and
 * the shapes of Python code (nested-class methods, lambdas, generators,
 * coroutines). Targets live in test/native/scripts/.
 */
import assert from 'node:assert/strict';
import { cpus, loadavg } from 'node:os';
import { describe, test } from 'node:test';
import type { RawProfile } from '../../extension/model/rawProfile';
import { buildFunctionTable } from '../../extension/model/functionTable';
import { createView } from '../../extension/model/processors';
import {
  frameFile,
  frameName,
  lineOf,
  runTarget,
  samplesIn,
  samplesOfThread,
  selfLines,
  stackFrames,
  topLine,
} from './groundTruth-helpers';
import { pythonVersions } from './helpers/pythons';

/**
 * The design target is ±2 points (bench/ measures it on a quiet machine). The
 * test allows 3, and only asserts shares when the machine is not overloaded:
 * with a load average of 15 on 2 cores (seen while building), the program and
 * the sampler are descheduled in long random stretches and a 0.9 s run scatters
 * by 10 points. The per-sample check holds under any load.
 */
const SHARE_TOLERANCE = 0.03;

function machineIsQuiet(): boolean {
  return loadavg()[0] <= cpus().length;
}

/** [function, start, end] in seconds since the Unix epoch, as busy.py records them. */
type Slice = [string, number, number];

/**
 * Of the main thread's samples taken inside a recorded slice (away from its
 * edges), the share whose stack contains the slice's function. The sampler's
 * wall clock and the program's may differ by a few ms (startedAt is read just
 * before the first tick), so the best offset within ±10 ms is used. A tick
 * descheduled between its timestamp and its reads (a loaded machine) can land
 * in the next slice, hence 90% rather than 100%; a sampler showing the wrong
 * function stays near the 50–67% that guessing gives.
 */
function sliceAgreement(
  profile: RawProfile,
  slices: Slice[],
  samplesByFunction: Record<string, number[]>,
): { share: number; judged: number; offsetMs: number } {
  const MARGIN_S = 0.005;
  const sets = new Map(Object.entries(samplesByFunction).map(([name, list]) => [name, new Set(list)]));
  const mainThread = profile.threads.findIndex((thread) => thread.isMain);
  const samples = [...profile.sampleTime.keys()].filter((i) => profile.sampleThread[i] === mainThread);
  let best = { share: 0, judged: 0, offsetMs: 0 };
  for (let offsetMs = -10; offsetMs <= 10; offsetMs += 0.5) {
    let judged = 0;
    let agree = 0;
    let slice = 0;
    for (const i of samples) {
      const at = (profile.meta.startedAt + offsetMs) / 1000 + profile.sampleTime[i] / 1e6;
      while (slice < slices.length && slices[slice][2] < at) slice++;
      if (slice >= slices.length) break;
      const [name, start, end] = slices[slice];
      if (at < start + MARGIN_S || at > end - MARGIN_S) continue;
      judged++;
      if (sets.get(name)?.has(i)) agree++;
    }
    const share = fraction(agree, judged);
    if (share > best.share) best = { share, judged, offsetMs };
  }
  return best;
}
/**
 * Fewest samples a busy region of 0.5 s or more must get at 1 kHz: a tenth of
 * the nominal count, so that a loaded machine starving the sampler does not
 * fail a test about names or stacks (accuracy has its own assertions).
 */
const MIN_SAMPLES = 50;
/** Where a region is short or its ticks are slow: enough to show that the stack is real. */
const PRESENT = 10;

function assertShare(label: string, measured: number, expected: number): void {
  assert.ok(
    Math.abs(measured - expected) <= SHARE_TOLERANCE,
    `${label}: sampled share ${(measured * 100).toFixed(1)}% vs measured ${(expected * 100).toFixed(1)}%`,
  );
}

function fraction(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

interface ThreadTruth {
  tid: number;
  ident: string;
}

for (const python of pythonVersions()) {
  describe(`ground truth on CPython ${python.label}`, { skip: python.missingReason ?? false }, () => {
    test('busy functions: each sample shows what the program was doing, shares match, the hot line is the top line', async (t) => {
      const { profile, truth, result } = await runTarget(python.path, 'busy.py');
      assert.equal(result.samplerError, null);
      assert.equal(result.exitCode, 0);
      const main = samplesIn(profile, 'main');
      assert.ok(main.length > MIN_SAMPLES, `only ${main.length} samples in main() for 0.9 s at 1 kHz`);
      const inAlpha = samplesIn(profile, 'alpha', main);
      const inBeta = samplesIn(profile, 'beta', main);
      const agreement = sliceAgreement(profile, truth.extra.slices as Slice[], {
        alpha: inAlpha,
        beta: inBeta,
      });
      assert.ok(
        agreement.judged > MIN_SAMPLES,
        `only ${agreement.judged} samples inside the recorded slices`,
      );
      assert.ok(
        agreement.share >= 0.9,
        `${(agreement.share * 100).toFixed(1)}% of ${agreement.judged} samples show the function the program ` +
          `was in at that instant (best clock offset ${agreement.offsetMs} ms)`,
      );
      t.diagnostic(
        `${(agreement.share * 100).toFixed(1)}% of ${agreement.judged} samples agree (offset ${agreement.offsetMs} ms)`,
      );
      const { alpha, beta, main: mainSeconds } = truth.regions;
      const shares: [string, number, number][] = [
        ['alpha', fraction(inAlpha.length, main.length), alpha / mainSeconds],
        ['beta', fraction(inBeta.length, main.length), beta / mainSeconds],
      ];
      if (machineIsQuiet()) {
        for (const [name, measured, expected] of shares) assertShare(name, measured, expected);
      } else {
        t.diagnostic(
          `shares not asserted: load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores ` +
            `(${shares.map(([n, m, e]) => `${n} ${(m * 100).toFixed(1)}% vs ${(e * 100).toFixed(1)}%`).join(', ')})`,
        );
      }
      assert.equal(topLine(selfLines(profile, 'alpha')), lineOf('busy.py', '# HOT alpha'));
      assert.equal(topLine(selfLines(profile, 'beta')), lineOf('busy.py', '# HOT beta'));
      const alphaFrame = [...profile.frameName.keys()].find((f) => frameName(profile, f) === 'alpha');
      assert.notEqual(alphaFrame, undefined);
      assert.equal(profile.frameFirstLine[alphaFrame!], lineOf('busy.py', 'def alpha('));
      assert.match(frameFile(profile, alphaFrame!), /scripts\/busy\.py$/);
      assert.equal(profile.meta.pythonVersion, python.version);
    });

    test('threads: ids and names, the busy one on-CPU, the sleeping one off-CPU', async () => {
      const { profile, truth, result } = await runTarget(python.path, 'threads.py');
      assert.equal(result.samplerError, null);
      const expected = truth.extra as Record<'main' | 'cruncher' | 'sleeper', ThreadTruth>;
      for (const name of ['main', 'cruncher', 'sleeper'] as const) {
        const thread = profile.threads.find((t) => t.tid === expected[name].tid);
        assert.ok(
          thread,
          `thread ${name} (tid ${expected[name].tid}) not in ${JSON.stringify(profile.threads)}`,
        );
        assert.equal(thread.ident, expected[name].ident, `ident of ${name}`);
        assert.equal(thread.isMain, name === 'main', `isMain of ${name}`);
        if (name !== 'main') assert.equal(thread.name, name);
      }
      const onCpuShare = (tid: number, fn: string) => {
        const samples = samplesIn(profile, fn, samplesOfThread(profile, tid));
        assert.ok(samples.length > MIN_SAMPLES, `only ${samples.length} samples in ${fn}`);
        return fraction(samples.filter((i) => profile.sampleOnCpu[i] === 1).length, samples.length);
      };
      const crunching = onCpuShare(expected.cruncher.tid, 'crunch');
      const dozing = onCpuShare(expected.sleeper.tid, 'doze');
      assert.ok(crunching >= 0.7, `busy thread on-CPU in only ${(crunching * 100).toFixed(0)}% of samples`);
      // "Mostly off-CPU": up to 17% was seen on a heavily loaded machine (CPython 3.9).
      assert.ok(dozing <= 0.25, `sleeping thread on-CPU in ${(dozing * 100).toFixed(0)}% of samples`);
    });

    test("threads that reuse a joined thread's ident stay apart, each with its own name", async (t) => {
      const { profile, truth, result } = await runTarget(python.path, 'reused_idents.py');
      assert.equal(result.samplerError, null);
      const rounds = truth.extra as Record<string, ThreadTruth>;
      const idents = new Set(Object.values(rounds).map((r) => r.ident));
      t.diagnostic(`${Object.keys(rounds).length} rounds, ${idents.size} distinct idents`);
      for (const [name, expected] of Object.entries(rounds)) {
        const matches = profile.threads.filter((th) => th.tid === expected.tid);
        assert.equal(
          matches.length,
          1,
          `thread ${name} (tid ${expected.tid}): ${JSON.stringify(profile.threads)}`,
        );
        assert.equal(matches[0].ident, expected.ident, `ident of ${name}`);
        assert.equal(matches[0].name, name);
        const samples = samplesIn(profile, 'crunch', samplesOfThread(profile, expected.tid));
        assert.ok(samples.length > MIN_SAMPLES / 4, `only ${samples.length} samples of ${name} in crunch`);
      }
    });

    test('recursion 1,000 deep: full depth sampled, the function counted once per sample', async () => {
      const { profile, result } = await runTarget(python.path, 'recursion.py');
      assert.equal(result.samplerError, null);
      const inDescend = samplesIn(profile, 'descend');
      // Before 3.11 every one of the 1,000 frames is its own read, so ticks are slow here.
      assert.ok(inDescend.length >= PRESENT, `only ${inDescend.length} samples in descend()`);
      const depths = inDescend.map(
        (i) =>
          stackFrames(profile, profile.sampleStack[i]).filter((f) => frameName(profile, f) === 'descend')
            .length,
      );
      const deepest = Math.max(...depths);
      assert.equal(deepest, 1000, `deepest descend() chain sampled: ${deepest}`);
      assert.ok(depths.filter((d) => d === 1000).length >= 0.9 * depths.length, 'most samples at the bottom');
      const view = createView(profile);
      const descend = buildFunctionTable(view).find((f) => f.name === 'descend');
      assert.ok(descend);
      assert.ok(
        descend.totalUs <= view.totalUs * (1 + 1e-9), // the same weights summed in another order
        `descend total ${descend.totalUs} µs > profile ${view.totalUs} µs`,
      );
      assert.equal(descend.samples, inDescend.length, 'each sample counted once in the function table');
    });

    test('non-ASCII file and function names', async () => {
      const { profile, result } = await runTarget(python.path, 'données_é.py');
      assert.equal(result.samplerError, null);
      const frames = [...profile.frameName.keys()].filter((f) => frameName(profile, f) === '計算');
      assert.ok(frames.length > 0, `計算 not among ${[...new Set(profile.strings)].slice(0, 40).join(', ')}`);
      assert.ok(frames.every((f) => frameFile(profile, f).endsWith('/données_é.py')));
      assert.ok(samplesIn(profile, '計算').length > MIN_SAMPLES);
    });

    test('nested-class methods, lambdas, generators and coroutines', async () => {
      const { profile, result } = await runTarget(python.path, 'shapes.py');
      assert.equal(result.samplerError, null);
      const qualified = Number(python.minor.split('.')[1]) >= 11; // co_qualname appeared in 3.11
      const method = qualified ? 'Outer.Inner.method' : 'method';
      // 3.11+ qualifies a nested lambda: lambda_work.<locals>.<lambda>.
      const lambda = qualified ? 'lambda_work.<locals>.<lambda>' : '<lambda>';
      for (const name of [method, lambda, 'produce', 'crunch']) {
        const count = samplesIn(profile, name).length;
        assert.ok(count >= PRESENT, `${name}: ${count} samples for 0.4 s at 1 kHz`);
      }
      if (!qualified) assert.equal(samplesIn(profile, 'Outer.Inner.method').length, 0);
      // A generator frame runs on top of its consumer; a coroutine on top of the event loop.
      const produced = samplesIn(profile, 'produce');
      // A sample caught while the generator yields sees its frame already unlinked from its
      // caller; the reader rejects such a stack (and reads it again) instead of keeping it cut off.
      const rooted = samplesIn(profile, '<module>', produced).length;
      assert.ok(
        rooted >= 0.99 * produced.length,
        `${produced.length - rooted} of ${produced.length} produce() samples cut off`,
      );
      const crunched = samplesIn(profile, 'crunch');
      assert.ok(
        samplesIn(profile, 'run', crunched).length >= 0.9 * crunched.length,
        'crunch under asyncio.run',
      );
    });
  });
}
