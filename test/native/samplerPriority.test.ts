/**
 * The sampler's threads and the scheduler: sampling runs at nice 19 so the program's threads
 * always get a core first, and a watcher at normal priority takes the loop over when the
 * scheduler starves it (native/sampler/thread_priority.h).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { loadNative } from '../../extension/native/loadNative';
import { installedPythons, pythonVersions } from './helpers/pythons';
import { startTarget, writeScript } from './helpers/processes';

const native = loadNative();

const SPIN = `import sys, time
print("RUNNING", flush=True)
deadline = time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    pass
`;

// Pins the thread given on the command line and itself to one CPU, then spins there forever at
// normal priority: a core that is always busy, which the sampling thread cannot leave.
const COMPETE = `import os, sys
cpu = min(os.sched_getaffinity(0))
os.sched_setaffinity(int(sys.argv[1]), {cpu})
os.sched_setaffinity(0, {cpu})
print("PINNED", flush=True)
while True:
    pass
`;

const spin = writeScript('spin.py', SPIN);
const compete = writeScript('compete.py', COMPETE);
after(() => {
  spin.cleanup();
  compete.cleanup();
});

/** The nice value in a /proc stat line (field 19; the fields after "(comm)" start at field 3). */
function niceOf(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

/** This process's threads with the given name: their TIDs and nice values. */
function threadsNamed(name: string): { tid: number; nice: number }[] {
  const found = [];
  for (const entry of readdirSync('/proc/self/task')) {
    let comm: string;
    let stat: string;
    try {
      comm = readFileSync(`/proc/self/task/${entry}/comm`, 'utf8').trim();
      stat = readFileSync(`/proc/self/task/${entry}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    if (comm === name) found.push({ tid: Number(entry), nice: niceOf(stat) });
  }
  return found;
}

describe('Sampler threads and priorities', () => {
  const shared = installedPythons().filter((p) => !p.staticBuild);
  const python = shared.at(-1) ?? installedPythons()[0] ?? pythonVersions()[0];
  const skip = python.missingReason ?? false;

  test(
    'sampling runs at nice 19, its watcher at the priority of the host',
    { skip, timeout: 30_000 },
    async (t) => {
      const target = startTarget(python.path, [spin.path, '2']);
      const sampler = new native.Sampler(target.pid, { intervalUs: 1000 });
      try {
        // Ready comes once the sampling thread has named and lowered itself.
        await sampler.ready();
        const sampling = threadsNamed('hotpath-sampler');
        const control = threadsNamed('hotpath-control');
        assert.equal(control.length, 1, 'one watching thread');
        assert.equal(control[0].nice, niceOf(readFileSync('/proc/self/stat', 'utf8')));
        if (sampling.length === 0) {
          // Only a starved sampling thread ends before the run, when its watcher takes over.
          target.kill();
          const profile = await sampler.finish();
          assert.ok((profile.stats.normalPrioritySinceUs ?? -1) >= 0, 'the sampling thread ended early');
          t.skip('every core was busy: the watcher had already taken the loop over');
          return;
        }
        assert.equal(sampling.length, 1, 'one sampling thread');
        assert.equal(sampling[0].nice, 19);
      } finally {
        target.kill();
        await sampler.finish();
      }
      assert.equal(threadsNamed('hotpath-sampler').length, 0, 'the sampling thread ended with the run');
    },
  );

  test(
    'a sampling thread starved on a busy core hands the loop to its watcher, and sampling goes on',
    { skip, timeout: 60_000 },
    async () => {
      const target = startTarget(python.path, [spin.path, '3']);
      await target.waitFor('RUNNING');
      const sampler = new native.Sampler(target.pid, { intervalUs: 100 });
      await sampler.ready();
      // On a machine already this busy the watcher may have taken over by now: nothing to pin.
      const [sampling] = threadsNamed('hotpath-sampler');
      const competitor = sampling
        ? startTarget(python.path, [compete.path, String(sampling.tid)])
        : undefined;
      try {
        await competitor?.waitFor('PINNED');
        assert.equal(await target.exited, 0);
      } finally {
        competitor?.kill();
        target.kill();
      }
      const profile = await sampler.finish();
      const since = profile.stats.normalPrioritySinceUs;
      assert.ok(since !== undefined && since >= 0, `took the loop over (normalPrioritySinceUs: ${since})`);
      const after = profile.sampleTime.filter((t) => t > since).length;
      assert.ok(after > 0, 'samples after the hand-over');
    },
  );
});
