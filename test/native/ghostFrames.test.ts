/**
 * No frame that had already returned: a stack read while a short call returns must not show the
 * callee under a line of its caller that never calls it (the caller's next line), on any
 * interpreter. Shapes: the plain loop, a method call, a generator, a call inside a comprehension;
 * and the callee must keep its real share of samples (cutting returned frames must not make short
 * calls vanish). The target marks every calling line (`# calls: NAME`); its own timing of its
 * `worker()` calls is the share's ground truth.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RawProfile } from '../../extension/model/rawProfile';
import { SCRIPTS_DIR, frameFile, frameName, runTarget, stackFrames } from './groundTruth-helpers';
import { pythonVersions } from './helpers/pythons';

const SCRIPT = 'ghost_loops.py';
const SHAPES = ['caller', 'method_caller', 'generator_caller', 'comprehension_caller', 'share_caller'];
/** The design target: impossible stacks ≤ 0.5% of the callees' samples. */
const MAX_IMPOSSIBLE = 0.005;

/** Line → names of the functions of the script that line calls (its `# calls:` comment). */
function callsByLine(): Map<number, Set<string>> {
  const calls = new Map<number, Set<string>>();
  readFileSync(join(SCRIPTS_DIR, SCRIPT), 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const m = /# calls: (.*)$/.exec(text);
      if (m) calls.set(i + 1, new Set(m[1].split(',').map((s) => s.trim())));
    });
  return calls;
}

/** The function's own name: "Counter.method" (3.11+ qualified names) → "method". */
function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

interface ShapeCount {
  /** Samples with a frame of the script called by the shape's function (at any depth). */
  callees: number;
  /** Of those, samples with a frame under a line of the script that does not call it. */
  impossible: number;
  /** Every sample inside the shape's function. */
  all: number;
  /** Samples inside `worker` (the share shape's callee). */
  worker: number;
  examples: string[];
}

function countShapes(profile: RawProfile): Map<string, ShapeCount> {
  const calls = callsByLine();
  const counts = new Map(
    SHAPES.map((s) => [s, { callees: 0, impossible: 0, all: 0, worker: 0, examples: [] as string[] }]),
  );
  const ours = (frame: number) => frameFile(profile, frame).endsWith(SCRIPT);
  for (const stack of profile.sampleStack) {
    if (stack < 0) continue;
    const frames = stackFrames(profile, stack).filter(ours);
    const at = frames.findIndex((f) => SHAPES.includes(frameName(profile, f)));
    if (at < 0) continue;
    const count = counts.get(frameName(profile, frames[at]))!;
    count.all++;
    if (frames.length === at + 1) continue;
    count.callees++;
    if (frames.some((f) => shortName(frameName(profile, f)) === 'worker')) count.worker++;
    for (let i = 0; i + 1 < frames.length; i++) {
      const line = profile.frameLine[frames[i]];
      const callee = shortName(frameName(profile, frames[i + 1]));
      if (calls.get(line)?.has(callee)) continue;
      count.impossible++;
      if (count.examples.length < 3) {
        count.examples.push(`${callee} under ${frameName(profile, frames[i])}:${line}`);
      }
      break;
    }
  }
  return counts;
}

for (const python of pythonVersions()) {
  test(
    `${python.label}: short calls keep their share; callees under a line that never calls them are counted`,
    { skip: python.missingReason ?? false, timeout: 120_000 },
    async (t) => {
      const { profile, truth } = await runTarget(python.path, SCRIPT, { rateHz: 10_000, args: ['1.2'] });
      const counts = countShapes(profile);
      const report = [...counts].map(
        ([shape, c]) => `${shape}: ${c.impossible}/${c.callees} of ${c.all} ${c.examples.join('; ')}`,
      );
      t.diagnostic(`impossible/callee samples of all: ${report.join(' | ')}`);
      // 3.11+ decide whether a frame runs by its own bytes (returned_frames.cc), a generator's step
      // and its caller read again together; 3.8–3.10 read the top frames twice, each caller's second
      // read between its callee's two (frame_object_top.cc): no frame that had returned, on any shape.
      await t.test('no impossible samples (≤ 0.5% of the callees)', () => {
        let callees = 0;
        let impossible = 0;
        for (const shape of SHAPES) {
          callees += counts.get(shape)!.callees;
          impossible += counts.get(shape)!.impossible;
        }
        assert.ok(
          impossible <= MAX_IMPOSSIBLE * callees,
          `${impossible} of ${callees} callee samples under a line that does not call them: ${report.join(' | ')}`,
        );
        // Short calls return while their stacks are read: the profile counts the frames cut.
        assert.ok(
          (profile.stats.returnedFramesCut ?? 0) > 0,
          'no returned frames counted in the profile stats',
        );
      });

      // The callee of 1–2 µs keeps its share of the samples (cutting or missing short calls would
      // hand their time to the caller). Reported, not failed: on an idle machine a few runs still
      // sample it short (25–38% for 41–51% measured; before ticks were jittered inside their slots
      // most runs got 20–25%, the program falling into step with an exact grid).
      await t.test(
        'short calls keep their share',
        { todo: 'idle-machine bias (CHANGELOG, Known issues)' },
        () => {
          const share = counts.get('share_caller')!;
          // The share of `worker`: the time inside its calls, over the shape's time.
          const expected = (truth.extra.workerSeconds as number) / truth.regions.share_caller;
          const sampled = share.worker / share.all;
          // A loaded machine scatters both the program's own timing and the samples; the lower bound
          // still catches a sampler that cuts most short calls away.
          const quiet = loadavg()[0] <= cpus().length;
          const [low, high] = quiet ? [0.6, 1.5] : [0.3, 2];
          t.diagnostic(
            `worker: ${(sampled * 100).toFixed(1)}% sampled, ${(expected * 100).toFixed(1)}% measured`,
          );
          assert.ok(
            sampled >= low * expected && sampled <= high * expected,
            `worker: ${(sampled * 100).toFixed(1)}% of the shape's samples, expected ${(expected * 100).toFixed(1)}% (${low}–${high}×)`,
          );
        },
      );
    },
  );
}
