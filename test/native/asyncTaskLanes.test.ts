/**
 * `hotpath run --async` against a real asyncio program (async_lanes.py) that records its own
 * ground truth: on CPython 3.14+ (static and shared layouts) every task gets a lane of its own,
 * nested under the tasks awaiting it (gather, TaskGroup), a waiting task's time goes to the line
 * it awaits at and the running task's to its frames down to the executing one, in the shares the
 * program measured; a task that ends early or is cancelled stops being sampled when it ends, and
 * thousands of short tasks are read. `attach --async` reads a running program's tasks the same
 * way, each thread's event loop its own. On 3.8–3.13 `--async` says in one line what it cannot do.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadProfile } from '../../extension/format/profileFile';
import type { RawProfile } from '../../extension/model/rawProfile';
import { recordsAsyncTasks } from '../../extension/session/asyncTasks';
import { SCRIPTS_DIR } from './groundTruth-helpers';
import { cliWorkspace } from './helpers/cli';
import { startTarget } from './helpers/processes';
import { pythonVersions } from './helpers/pythons';

const SCRIPT = join(SCRIPTS_DIR, 'async_lanes.py');

interface Truth {
  lifetime: Record<string, number>;
  spent: { fetch: { slow: number; quick: number }; cruncher: { crunch: number } };
  lines: { slow: number; quick: number };
  cancelled?: boolean;
}

const workspace = cliWorkspace('async-lanes');

/** `hotpath run --async` of the script with `python`, the profile saved to `out`. */
function runAsync(python: string, out: string) {
  return workspace.run(['run', '--async', '--python', python, '--format', 'json', '-o', out, SCRIPT]);
}

/** Each sample of the profile: its lane, whether on a CPU, its frames root first. */
function samplesOf(p: RawProfile) {
  return Array.from(p.sampleThread, (thread, i) => {
    const frames: { name: string; line: number; file: string }[] = [];
    for (let s = p.sampleStack[i]; s >= 0; s = p.stackParent[s]) {
      const f = p.stackFrame[s];
      frames.push({ name: p.strings[p.frameName[f]], line: p.frameLine[f], file: p.strings[p.frameFile[f]] });
    }
    return { thread, time: p.sampleTime[i], onCpu: p.sampleOnCpu[i] === 1, frames: frames.reverse() };
  });
}

type Sample = ReturnType<typeof samplesOf>[number];

/**
 * The share of a lane's time its samples matching `which` stand for, each weighed by the gap to
 * the lane's next sample: ticks are late now and then on a busy machine (most often while the
 * program computes, as the sampler waits for a core), and a count, or gaps capped as the model
 * caps them, would then under-weigh what the program did at those moments.
 */
function share(lane: Sample[], which: (s: Sample) => boolean): number {
  let all = 0;
  let matched = 0;
  lane.forEach((s, i) => {
    const weight = i + 1 < lane.length ? Math.min(lane[i + 1].time - s.time, 50_000) : 1000;
    all += weight;
    if (which(s)) matched += weight;
  });
  return matched / all;
}

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual.toFixed(3)}, the program measured ${expected.toFixed(3)} (±${tolerance})`,
  );
}

describe('hotpath run/attach --async: asyncio task lanes', () => {
  const pythons = pythonVersions().filter((p) => !p.missingReason);
  for (const python of pythons.filter((p) => recordsAsyncTasks(p.version))) {
    test(`each task on its own lane, against the program's own record: ${python.label}`, async () => {
      const out = join(workspace.dir, `lanes-${python.label.replace(/\W/g, '_')}.json`);
      const run = await runAsync(python.path, out);
      assert.equal(run.status, 0, run.stderr);
      const truth = JSON.parse(run.stdout.trim().split('\n').pop() as string) as Truth;
      const profile = loadProfile(readFileSync(out, 'utf8'));
      const samples = samplesOf(profile);
      const loop = profile.threads.findIndex((t) => t.isMain);
      const lane = (name: string) => {
        const index = profile.threads.findIndex((t) => t.name === name && t.loopThread !== undefined);
        assert.ok(index >= 0, `a lane for task ${name}: ${profile.threads.map((t) => t.name).join(', ')}`);
        assert.equal(profile.threads[index].loopThread, loop, `${name} runs on the main thread's loop`);
        return samples.filter((s) => s.thread === index);
      };
      const tasks = (s: { frames: { name: string }[] }) =>
        s.frames.filter((f) => f.name.startsWith('task ')).map((f) => f.name);
      // The program's own frames (a task's node is in its coroutine's file too, named `task NAME`).
      const mine = (s: { frames: { file: string; name: string; line: number }[] }) =>
        s.frames.filter((f) => f.file === SCRIPT && !f.name.startsWith('task '));

      // Nesting: every task under the tasks awaiting it (gather, TaskGroup), by name.
      const nesting: Record<string, string[]> = {
        main: ['task main'],
        fetch: ['task main', 'task fetch'],
        cruncher: ['task main', 'task cruncher'],
        group: ['task main', 'task group'],
        'child-a': ['task main', 'task group', 'task child-a'],
        'child-b': ['task main', 'task group', 'task child-b'],
        early: ['task main', 'task early'],
        doomed: ['task doomed'],
      };
      for (const [name, path] of Object.entries(nesting)) {
        const own = lane(name);
        assert.ok(own.length > 0, `${name} was sampled`);
        const nested = own.filter((s) => tasks(s).join('/') === path.join('/')).length;
        assert.ok(nested / own.length >= 0.95, `${name}: ${nested} of ${own.length} samples under ${path}`);
      }

      // A waiting task's time is at the line it awaits, in the shares the program measured.
      const fetch = lane('fetch');
      const at = (line: number) =>
        share(
          fetch,
          (s) =>
            mine(s).some((f) => f.name === 'slow_call' || f.name === 'quick_call') &&
            mine(s).pop()?.line === line,
        );
      near(
        at(truth.lines.slow),
        truth.spent.fetch.slow / truth.lifetime.fetch,
        0.08,
        'fetch awaiting slow_call',
      );
      near(
        at(truth.lines.quick),
        truth.spent.fetch.quick / truth.lifetime.fetch,
        0.08,
        'fetch awaiting quick_call',
      );
      // A task the loop has just switched to can be read with its node and no frames yet: a
      // sample or two, never the task's waits.
      const onCpuWithoutFrames = fetch.filter((s) => s.onCpu && mine(s).length === 0).length;
      assert.ok(
        onCpuWithoutFrames <= Math.max(2, 0.01 * fetch.length),
        `a waiting task is off the CPU (${onCpuWithoutFrames} of ${fetch.length} samples on it without frames)`,
      );

      // The running task: its frames down to the executing one, on its lane and not the loop's.
      const cruncher = lane('cruncher');
      const crunching = cruncher.filter((s) => mine(s).pop()?.name === 'crunch');
      near(
        share(cruncher, (s) => mine(s).pop()?.name === 'crunch'),
        truth.spent.cruncher.crunch / truth.lifetime.cruncher,
        0.1,
        'cruncher in crunch()',
      );
      assert.ok(crunching.filter((s) => s.onCpu).length >= 0.9 * crunching.length, 'crunch() runs on a CPU');
      assert.deepEqual(
        mine(crunching[0]).map((f) => f.name),
        ['cruncher', 'crunch'],
      );
      const loopCrunch = samples.filter(
        (s) => s.thread === loop && s.frames.some((f) => f.name === 'crunch'),
      ).length;
      assert.ok(
        loopCrunch <= 0.03 * crunching.length,
        `${loopCrunch} crunch() samples left on the loop thread`,
      );

      // A task that ends early, and one cancelled, are sampled while they live: from the first
      // sample of its lane to the last (a count would depend on how regular the ticks were).
      const span = (name: string) => {
        const times = lane(name).map((s) => s.time);
        return Math.max(...times) - Math.min(...times);
      };
      near(span('early') / span('main'), truth.lifetime.early / truth.lifetime.main, 0.05, 'early lives');
      assert.equal(truth.cancelled, true);
      near(span('doomed') / span('main'), truth.lifetime.doomed / truth.lifetime.main, 0.05, 'doomed lives');
      // (A task the loop had just switched to when its thread's stack was read has no frames.)
      assert.ok(lane('doomed').every((s) => (mine(s)[0]?.name ?? 'doomed') === 'doomed'));

      // Thousands of short tasks: each one read is a lane, under the swarm once its gather awaits
      // it (a task created a moment before is on its own), in tiny() (or just stepped into it, its
      // frames not read yet). (The main task is Task-1
      // until it names itself: a lane of its own too.)
      const short = profile.threads.flatMap((t, i) =>
        t.loopThread !== undefined && /^Task-\d+$/.test(t.name) ? [i] : [],
      );
      assert.ok(short.length > 0 && short.length <= 3000, `${short.length} short tasks`);
      const shortSamples = samples.filter((s) => short.includes(s.thread));
      const paths = new Set(
        shortSamples.map((s) => `${tasks(s).slice(0, -1).join('/')}:${mine(s).pop()?.name ?? ''}`),
      );
      const listed = [...paths].join(', ');
      assert.ok(
        [...paths].some((p) => p.startsWith('task main/task swarm:')),
        listed,
      );
      assert.ok(
        [...paths].some((p) => p.endsWith(':tiny')),
        listed,
      );
      assert.deepEqual(
        [...paths].filter(
          (p) => !['task main/task swarm:tiny', 'task main/task swarm:', ':tiny', ':', ':main'].includes(p),
        ),
        [],
      );
      assert.ok(profile.stats.droppedSamples <= 0.01 * profile.stats.samples);
    });
  }

  const current = pythons.find((p) => recordsAsyncTasks(p.version));
  test(
    'attach --async: the tasks of a running program, each on its lane, nested as it awaits',
    { skip: current ? false : 'no CPython 3.14+ installed' },
    async () => {
      // async_tasks.py: tasks that stand still at known lines, one spinning in compute().
      const target = startTarget(current!.path, [join(SCRIPTS_DIR, 'async_tasks.py')]);
      try {
        await target.waitFor('READY');
        const out = join(workspace.dir, 'attached.json');
        const run = await workspace.run([
          'attach',
          '--async',
          '--duration',
          '1',
          '--format',
          'json',
          '-o',
          out,
          String(target.pid),
        ]);
        assert.equal(run.status, 0, run.stderr);
        const profile = loadProfile(readFileSync(out, 'utf8'));
        const samples = samplesOf(profile);
        const paths = (name: string) => {
          const lane = profile.threads.findIndex((t) => t.name === name && t.loopThread !== undefined);
          assert.ok(lane >= 0, `a lane for ${name}: ${profile.threads.map((t) => t.name).join(', ')}`);
          return new Set(
            samples
              .filter((s) => s.thread === lane)
              .map((s) =>
                s.frames.filter((f) => f.name.startsWith('task ') || f.file.endsWith('async_tasks.py')),
              )
              .map((fs) => fs.map((f) => f.name).join(' > ')),
          );
        };
        assert.deepEqual(
          [...paths('await-orders')],
          ['task main > task await-orders > await_orders > fetch_orders > slow_orders'],
        );
        assert.deepEqual(
          [...paths('child-1')],
          ['task main > task group-parent > task child-1 > child_wait'],
        );
        const spinner = [...paths('spinner-task')];
        assert.ok(
          spinner.includes('task main > task spinner-task > spin > compute'),
          `the running task down to the executing frame: ${spinner.join(' | ')}`,
        );
        assert.equal(target.child.exitCode, null, 'the program runs on');
      } finally {
        target.kill('SIGKILL');
        await target.exited;
      }
    },
  );

  test(
    'attach --async: two threads, two event loops, each task on its own loop thread',
    { skip: current ? false : 'no CPython 3.14+ installed' },
    async () => {
      const target = startTarget(current!.path, [join(SCRIPTS_DIR, 'async_two_loops.py')]);
      try {
        await target.waitFor('READY');
        const [left, right] = target.stdout().split('\n')[0].split(' ');
        const out = join(workspace.dir, 'two-loops.json');
        const run = await workspace.run([
          'attach',
          '--async',
          '--duration',
          '0.5',
          '--format',
          'json',
          '-o',
          out,
          String(target.pid),
        ]);
        assert.equal(run.status, 0, run.stderr);
        const profile = loadProfile(readFileSync(out, 'utf8'));
        for (const [name, ident] of [
          ['left', left],
          ['right', right],
        ]) {
          const lane = profile.threads.find((t) => t.name === name && t.loopThread !== undefined);
          assert.ok(lane, `a lane for ${name}`);
          const loop = profile.threads[lane.loopThread!];
          assert.equal(loop.ident, ident, `${name} runs on the loop of thread ${ident}, not ${loop.name}`);
          assert.equal(loop.name, `loop-${name}`);
        }
      } finally {
        target.kill('SIGKILL');
        await target.exited;
      }
    },
  );

  for (const python of pythons.filter(
    (p) => !recordsAsyncTasks(p.version) && ['3.11', '3.13'].includes(p.minor),
  )) {
    test(`--async on ${python.label}: one line says it needs 3.14, and the threads are profiled`, async () => {
      const out = join(workspace.dir, `old-${python.label.replace(/\W/g, '_')}.json`);
      const run = await runAsync(python.path, out);
      assert.equal(run.status, 0, run.stderr);
      const said = run.stderr.split('\n').filter((l) => /asyncio tasks/.test(l));
      assert.equal(said.length, 1, run.stderr);
      assert.match(
        said[0],
        /^hotpath: asyncio tasks need CPython 3\.14 or newer.*Python 3\.1[13]\.\d+: profiling its threads as usual\.$/,
      );
      const profile = loadProfile(readFileSync(out, 'utf8'));
      assert.ok(profile.threads.every((t) => t.loopThread === undefined));
      assert.ok(profile.sampleTime.length > 0);
    });
  }
});
