/**
 * Big programs through the shipped CLI: 200 threads, 50,000 distinct
 * functions, a stack deeper than the sampler's cap, and the CLI's memory over
 * a long steady run. Layout-dependent cases run on the newest interpreter and
 * on one before 3.11 (frame objects, the older thread-state list).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RawProfile } from '../../extension/model/rawProfile';
import {
  depthOf,
  prepareCli,
  profileScript,
  rssBytes,
  samplesIn,
  suitePythons,
} from './scripts/faults/hotpathCli';

const { newest, pre311 } = suitePythons();
const TIMEOUT = { timeout: 90_000 };
/** The sampler's default stack depth cap (NativeSamplerOptions.maxDepth). */
const DEFAULT_MAX_DEPTH = 4096;

let scratch: { dir: string; cleanup(): void };
before(() => (scratch = prepareCli()));
after(() => scratch?.cleanup());

/** The most threads sampled in one tick (the samples of a tick share its time). */
function peakThreadsPerTick(profile: RawProfile): number {
  const perTick = new Map<number, number>();
  let peak = 0;
  for (const time of profile.sampleTime) {
    const n = (perTick.get(time) ?? 0) + 1;
    perTick.set(time, n);
    peak = Math.max(peak, n);
  }
  return peak;
}

for (const python of [newest, pre311]) {
  const skip = python ? false : 'no such CPython installed';
  describe(`load through the CLI on CPython ${python?.label ?? '(none)'}`, { skip }, () => {
    test('200 threads alive at once: every one sampled in the same tick', TIMEOUT, async () => {
      const { run, profile } = await profileScript(scratch.dir, python!, 'threads_200.py', ['200']);
      assert.equal(run.status, 0, run.stderr);
      assert.ok(profile, 'no profile written');
      assert.ok(profile.threads.length >= 201, `${profile.threads.length} threads in the profile`);
      const peak = peakThreadsPerTick(profile);
      assert.ok(peak >= 201, `at most ${peak} threads sampled in one tick`);
      const parked = new Set<number>();
      const inWorker = new Uint8Array(profile.stackParent.length);
      for (let s = 0; s < inWorker.length; s++) {
        const parent = profile.stackParent[s];
        const name = profile.strings[profile.frameName[profile.stackFrame[s]]];
        inWorker[s] = name === 'parked_worker' || (parent >= 0 && inWorker[parent] === 1) ? 1 : 0;
      }
      profile.sampleStack.forEach((stack, i) => {
        if (stack >= 0 && inWorker[stack] === 1) parked.add(profile.sampleThread[i]);
      });
      assert.ok(parked.size >= 200, `${parked.size} threads seen in parked_worker`);
      assert.ok(samplesIn(profile, 'main_while_parked') > 20, 'the main thread sampled meanwhile');
    });

    test(
      '50,000 functions from exec: the profile loads, every frame is real and interned once',
      TIMEOUT,
      async () => {
        const count = 50_000;
        const { run, profile } = await profileScript(
          scratch.dir,
          python!,
          'functions_50k.py',
          [String(count)],
          {
            extra: ['--rate', '5000'],
          },
        );
        assert.equal(run.status, 0, run.stderr);
        assert.ok(profile, 'no profile written');
        const seen = new Set<string>();
        const generated = new Set<number>();
        for (let f = 0; f < profile.frameName.length; f++) {
          const file: string = profile.strings[profile.frameFile[f]];
          const name: string = profile.strings[profile.frameName[f]];
          const line: number = profile.frameLine[f];
          const key = `${file}\0${name}\0${line}\0${profile.frameFirstLine[f]}`;
          assert.ok(!seen.has(key), `frame ${name} (${file}:${line}) interned twice`);
          seen.add(key);
          const index = /^<gen-(\d+)>$/.exec(file)?.[1];
          if (index === undefined) continue;
          // Module code of each exec'd source runs too (the def statement).
          assert.ok(name === `fn_${index}` || name === '<module>', `"${name}" sampled in ${file}`);
          assert.ok(Number(index) < count, `${file}: no such source was compiled`);
          assert.equal(profile.frameFirstLine[f], 1, `${name} first line`);
          // A module's first instruction (RESUME, 3.11+) belongs to no line: 0, "unknown".
          const lowest = name === '<module>' ? 0 : 1;
          assert.ok(line >= lowest && line <= 5, `${name} at line ${line}, outside its 5-line source`);
          if (name !== '<module>') generated.add(Number(index));
        }
        assert.ok(generated.size >= 200, `only ${generated.size} generated functions sampled`);
        // Frames are only interned when sampled: a table far larger than what was sampled is a leak.
        assert.ok(
          profile.frameName.length <= 6 * generated.size + 500,
          `${profile.frameName.length} frames for ${generated.size} sampled functions`,
        );
      },
    );

    test(
      'a stack 5,000 deep: cut at the depth cap, innermost frames kept, counted as truncated',
      TIMEOUT,
      async () => {
        const { run, profile } = await profileScript(scratch.dir, python!, 'deep_stack.py', ['5000']);
        assert.equal(run.status, 0, run.stderr);
        assert.ok(profile, 'no profile written');
        assert.equal(profile.stats.maxDepth, DEFAULT_MAX_DEPTH);
        assert.ok(profile.stats.truncatedStacks > 0, 'truncated stacks are counted');
        let atTheBottom = 0;
        for (const stack of profile.sampleStack) {
          if (stack < 0) continue;
          const depth = depthOf(profile, stack);
          assert.ok(depth <= DEFAULT_MAX_DEPTH, `a stack ${depth} frames deep`);
          const innermost = profile.strings[profile.frameName[profile.stackFrame[stack]]];
          // spin() is only called at the bottom, 5,003 frames below <module>.
          if (innermost === 'spin') {
            assert.equal(depth, DEFAULT_MAX_DEPTH, 'a stack at the bottom is cut at exactly the cap');
            atTheBottom++;
          }
        }
        assert.ok(atTheBottom > 20, `${atTheBottom} samples at the bottom of the recursion`);
        assert.ok(
          profile.stats.truncatedStacks >= atTheBottom,
          `${profile.stats.truncatedStacks} truncated, ${atTheBottom} samples at the bottom`,
        );
      },
    );
  });
}

/**
 * The CLI process (JS and the native sampler in it) over 20 s at 1 kHz of a steady program:
 * once every stack has been seen, memory may grow by the sample records only. RSS is read
 * from /proc when the program says its steady part starts and ends.
 */
describe('memory of a long run', () => {
  const python = newest;
  test(
    '20 s at 1 kHz: RSS growth per sample stays within the sample record plus 200 bytes',
    { timeout: 90_000, skip: python ? false : 'no CPython installed' },
    async (t) => {
      const rss: Record<string, number> = {};
      const { run, profile } = await profileScript(scratch.dir, python!, 'steady.py', ['2', '17'], {
        stdout: 'drain',
        onStdout: (text, cliPid) => {
          for (const marker of ['STEADY-START', 'STEADY-END']) {
            if (text.includes(marker)) rss[marker] = rssBytes(cliPid);
          }
        },
      });
      assert.equal(run.status, 0, run.stderr);
      assert.ok(profile, 'no profile written');
      assert.ok(rss['STEADY-START'] && rss['STEADY-END'], `markers seen: ${Object.keys(rss).join(', ')}`);
      const steadySamples = samplesIn(profile, 'steady');
      assert.ok(steadySamples > 10_000, `${steadySamples} samples in the steady part`);
      // In memory a sample is a time (8 bytes), a thread (4), a stack (4) and an on-CPU flag (1).
      const SAMPLE_RECORD_BYTES = 17;
      const growthPerSample = (rss['STEADY-END'] - rss['STEADY-START']) / steadySamples;
      assert.ok(
        growthPerSample < SAMPLE_RECORD_BYTES + 200,
        `RSS grew ${((rss['STEADY-END'] - rss['STEADY-START']) / 2 ** 20).toFixed(2)} MiB over ` +
          `${steadySamples} samples: ${growthPerSample.toFixed(0)} bytes per sample`,
      );
      t.diagnostic(
        `# CLI RSS ${(rss['STEADY-START'] / 2 ** 20).toFixed(1)} → ${(rss['STEADY-END'] / 2 ** 20).toFixed(1)} MiB ` +
          `over ${steadySamples} samples (${growthPerSample.toFixed(1)} bytes/sample)`,
      );
    },
  );
});
