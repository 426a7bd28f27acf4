/**
 * Regressions of the CPython reader found by the sampling engine, each checked
 * against real interpreters through the dev tools in native/tools/:
 * - attach found the pre-3.11 version by reading the whole libpython (≈ 100 ms)
 *   and could report "3.8" instead of "3.8.18";
 * - thread states that are being created or torn down, and deep stacks that
 *   span datastack chunks, must never show up as threads or frames that are
 *   not there.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pythonVersions } from './helpers/pythons';
import { startTarget } from './helpers/processes';

const ROOT = join(__dirname, '..', '..');
const TOOLS = join(ROOT, 'native', 'tools');
const SOURCES = ['native/python', 'native/os', 'native/os/linux'];

const work = mkdtempSync(join(tmpdir(), 'hotpath-regressions-'));
const dumpStacks = join(work, 'dump_stacks');
const stressCheck = join(work, 'stress_check');
const CHURN = join(TOOLS, 'targets', 'thread_churn.py');

/** Builds the native/tools programs as native/tools/README.md describes. */
function buildTools(mains: string[]): void {
  const sources = SOURCES.flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.cc'))
      .map((f) => join(ROOT, dir, f)),
  );
  const objects = join(work, 'obj');
  mkdirSync(objects);
  const flags = ['-O1', '-std=c++17', `-I${join(ROOT, 'native')}`];
  execFileSync('g++', [...flags, '-c', ...sources], { cwd: objects, stdio: 'inherit' });
  const linked = readdirSync(objects).map((o) => join(objects, o));
  for (const main of mains) {
    const output = join(work, main.replace(/\.cc$/, ''));
    execFileSync('g++', [...flags, join(TOOLS, main), ...linked, '-o', output], { stdio: 'inherit' });
  }
}

function run(cmd: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const PARKED = 'print("READY", flush=True)\nimport time\ntime.sleep(60)';

/** dump_stacks `--samples N --interval US --quiet` on a target started with `args`, once READY. */
async function sampleTarget(
  python: string,
  args: string[],
  samples: number,
  intervalUs: number,
): Promise<{ status: number | null; out: string }> {
  const target = startTarget(python, args);
  try {
    await target.waitFor('READY');
    const flags = ['--samples', String(samples), '--interval', String(intervalUs), '--quiet'];
    return run(dumpStacks, [String(target.pid), ...flags]);
  } finally {
    target.kill();
  }
}

before(() => buildTools(['dump_stacks.cc', 'stress_check.cc']));

after(() => rmSync(work, { recursive: true, force: true }));

describe('attach', () => {
  for (const python of pythonVersions()) {
    const skip = python.missingReason ?? false;

    test(
      `${python.label}: reports major.minor.micro and reads no more than a few kB of files`,
      { skip },
      async () => {
        const target = startTarget(python.path, ['-c', PARKED]);
        try {
          await target.waitFor('READY');
          const r = run(dumpStacks, [String(target.pid), '--quiet']);
          assert.equal(r.status, 0, r.out);
          const version = /^Python (\S+) /m.exec(r.out)?.[1];
          assert.equal(version, python.version, r.out);
          // The whole libpython is 13-31 MB; the maps file and the target's comm are a few kB.
          // ELF symbols and the version string come from a mapping, not read() calls.
          const bytes = Number(/attach [\d.]+ ms \((\d+) bytes read from files\)/.exec(r.out)?.[1]);
          assert.ok(bytes < 256 * 1024, `attach read ${bytes} bytes of files:\n${r.out}`);
        } finally {
          target.kill();
        }
      },
    );
  }
});

const IDLE = join(ROOT, 'test', 'native', 'scripts', 'idle.py');

/**
 * The run state of a thread comes from /proc, one system call each, except for the GIL holder:
 * it is running Python code. idle.py's worker computes (holding the GIL) while its main thread
 * waits: about one state read a sample (the main thread's), not two.
 */
describe('the GIL holder is on-CPU without a /proc read', () => {
  for (const python of pythonVersions()) {
    test(
      `${python.label}: a computing thread and a waiting one cost about one state read a sample`,
      {
        skip: python.missingReason ?? false,
      },
      async () => {
        const r = await sampleTarget(python.path, [IDLE], 300, 1000);
        assert.equal(r.status, 0, r.out);
        const reads = Number(/([\d.]+) state reads\/sample/.exec(r.out)?.[1] ?? NaN);
        // 2 when both threads are read; the worker lets the GIL go now and then (switch interval,
        // 5 ms), so a little over 1.
        assert.ok(reads >= 0.9 && reads <= 1.5, r.out);
      },
    );
  }
});

// Objects built in a loop: 3.14+ specialise the class call and run __init__ under a trampoline
// frame, and clear a returning frame's f_executable before popping it.
const CONSTRUCTING = [
  'class Point:',
  '    def __init__(self, x):',
  '        self.x = x',
  'def build(n):',
  '    return [Point(i) for i in range(n)]',
  'print("READY", flush=True)',
  'while True:',
  '    build(1000)',
].join('\n');

/**
 * A stack read whole is read again only when it changed while it was read. 3.14's `__init__`
 * trampoline (a code object whose first traceable instruction lies past its end, so that CPython
 * never shows it) failed the code-object check and a frame that had just returned (its
 * f_executable cleared) failed the frame check: about half the samples of this program were read
 * twice or more, and some dropped (3.13: 635 and 81 of 4,000; 3.14: 1,441 and 226). Now 0 and 0.
 */
describe('frames CPython hides or is popping do not make a stack read again', () => {
  // 3.13+: where the trampoline and the cleared frames are. (3.12 re-reads 4–5% of this
  // program's samples for another reason: frames on the C stack found unmapped.)
  for (const python of pythonVersions().filter((p) => Number(p.minor.split('.')[1]) >= 13)) {
    test(
      `${python.label}: under 5% of samples re-read while building objects`,
      {
        skip: python.missingReason ?? false,
      },
      async () => {
        const r = await sampleTarget(python.path, ['-c', CONSTRUCTING], 4000, 100);
        assert.equal(r.status, 0, r.out);
        const retries = Number(/retries (\d+)/.exec(r.out)?.[1] ?? NaN);
        const notOk = Number(/not-ok samples (\d+)/.exec(r.out)?.[1] ?? NaN);
        assert.ok(retries < 200, `${retries} of 4000 samples read again:\n${r.out}`);
        assert.ok(notOk < 40, `${notOk} of 4000 samples not whole:\n${r.out}`);
      },
    );
  }
});

// Recursion 0 → 60 → 0 frames over and over, inside one datastack chunk on 3.11+.
const GROWING = [
  'def up(n):',
  '    if n:',
  '        up(n - 1)',
  'print("READY", flush=True)',
  'while True:',
  '    up(60)',
].join('\n');

/**
 * On 3.11+ a thread's datastack top is read a moment before its frames, and a stack that grew in
 * between has frames beyond what the chunk's read covered. They come with the rest of the chunk
 * in one read (about 1.4 system calls a sample on 3.11 and 3.12, 1.2 on 3.13); read one by one,
 * as they once were, they cost 2.3–3.7 on 3.11 and 3.12 (and stacks read that way lean shallow).
 */
const CALLS_LIMIT = 2.2;
describe('a stack that grew while it was read costs one more read, not one per frame', () => {
  for (const python of pythonVersions().filter((p) => Number(p.minor.split('.')[1]) >= 11)) {
    test(
      `${python.label}: recursion swinging 0–60 frames, back-to-back samples`,
      {
        skip: python.missingReason ?? false,
      },
      async () => {
        const target = startTarget(python.path, ['-c', GROWING]);
        try {
          await target.waitFor('READY');
          const r = run(dumpStacks, [String(target.pid), '--samples', '3000', '--quiet']);
          assert.equal(r.status, 0, r.out);
          const calls = Number(/([\d.]+) syscalls\/sample/.exec(r.out)?.[1] ?? NaN);
          assert.ok(calls <= CALLS_LIMIT, r.out);
        } finally {
          target.kill();
        }
      },
    );
  }
});

/** What each thread_churn.py mode may show: function names, files, and the deepest stack. */
const CHURN_MODES = {
  // 30 `down` + lambda + short_lived + run + _bootstrap_inner + _bootstrap.
  threads: { samples: 3000, names: 'down,<lambda>,short_lived,spawn,park,<module>', maxDepth: 35 },
  // 701 `step` + oscillate + <module>.
  chunks: { samples: 2000, names: 'step,oscillate,<module>', maxDepth: 703 },
  exiting: {
    samples: 100_000,
    names: 'down,<lambda>,short_lived,spawn,park,<module>,late_exit_handler',
    maxDepth: 35,
  },
  forking: { samples: 1000, names: 'down,<lambda>,fork_forever,park,<module>', maxDepth: 34 },
} as const;

describe('threads and stacks that change while they are read', () => {
  for (const python of pythonVersions()) {
    const skip = python.missingReason ?? false;
    for (const [mode, expect] of Object.entries(CHURN_MODES)) {
      test(
        `${python.label}: ${mode} — no thread without ident or TID, none twice, no frame that is not there`,
        { skip },
        async () => {
          const target = startTarget(python.path, [CHURN, mode]);
          try {
            await target.waitFor(`${target.pid}\n`);
            const r = run(stressCheck, [
              String(target.pid),
              '--samples',
              String(expect.samples),
              '--max-depth',
              String(expect.maxDepth),
              '--names',
              expect.names,
              '--files',
              // Finalisation runs library code of its own: contextlib's __exit__ was seen there on
              // 3.11 (2 frames in 160,000 thread-samples).
              mode === 'exiting'
                ? 'threading.py,_weakrefset.py,contextlib.py'
                : 'threading.py,_weakrefset.py',
              // A chain cut short (read through a freed or stale frame) ends elsewhere. Not
              // checked during finalisation, where C code calls Python from anywhere (atexit,
              // finalizers, thread shutdown).
              ...(mode === 'exiting' ? [] : ['--outermost', '<module>,_bootstrap']),
            ]);
            const problems = Number(/problems (\d+):/.exec(r.out)?.[1] ?? NaN);
            const threadSamples = Number(/thread-samples (\d+)/.exec(r.out)?.[1] ?? NaN);
            // A non-zero exit must mean problems were found, not that the tool failed.
            assert.ok(r.status === 0 || problems > 0, r.out);
            // A race the checks cannot tell from a real state is rare but possible (seen once: 2
            // frames in 231,450 thread-samples while threads exit on 3.11); the bugs this guards
            // against showed thousands per 30,000.
            assert.ok(problems <= Math.floor(threadSamples / 50_000), r.out);
            // Every sample saw the interpreter, including those taken while it shut down.
            assert.match(r.out, /samples [1-9]\d* /);
          } finally {
            target.kill();
          }
        },
      );
    }
  }
});
