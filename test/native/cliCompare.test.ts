/**
 * `hotpath report --compare` on two real runs of a real program: the program is run once, then
 * edited as a developer would (code added above a function, which moves it, and that function
 * made six times slower), run again, and the two saved profiles compared by the shipped CLI.
 * The comparison must name the slowed function first, matched across its move; bad files must be
 * refused with a reason. Whether the unchanged functions stay within noise depends on the
 * machine's load between the runs, so that is tested on recorded runs (test/unit/compare.test.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { cliWorkspace } from './helpers/cli';
import { installedPythons } from './helpers/pythons';

const python = installedPythons().find((p) => !p.staticBuild && p.minor === '3.12') ?? installedPythons()[0];
const skip = python ? false : 'no supported CPython installed';

/** The program of the recorded comparison fixtures: `transform` does `factor` times the work. */
const ORIGINAL = readFileSync(join(__dirname, '..', 'unit', 'fixtures', 'compare_target.py'), 'utf8');

const ADDED = `
def describe(value):
    """Added between the runs: moves transform down."""
    return f"value={value}"
`;

/** The edit between the runs: a function added above `transform`, and its loop run six times as often. */
function edited(source: string): string {
  const slower = source.replace('for _ in range(factor):', 'for _ in range(factor * 6):');
  assert.notEqual(slower, source, 'the fixture still has the loop to slow down');
  return slower.replace('def transform(', `${ADDED.trimStart()}\n\ndef transform(`);
}

/** Where `def transform` is in the edited program. */
const TRANSFORM_LINE = edited(ORIGINAL).split('\n').indexOf('def transform(n, factor):') + 1;

const workspace = cliWorkspace('cli-compare');
const hotpath = workspace.run;

interface ChangeJson {
  diffUs: number;
  ratio: number | null;
  significant: boolean;
}
interface ComparisonJson {
  format: string;
  scale: string;
  functions: { name: string; firstLine: number; status: string; self: ChangeJson; total: ChangeJson }[];
  lines: { line: number; self: ChangeJson }[];
  paths: { frames: { name: string }[]; total: ChangeJson }[];
}

describe('hotpath report --compare', { skip }, () => {
  let base = '';
  let next = '';
  before(async () => {
    const script = join(workspace.dir, 'compare_target.py');
    base = join(workspace.dir, 'before.hotpath.json');
    next = join(workspace.dir, 'after.hotpath.json');
    writeFileSync(script, ORIGINAL);
    const first = await hotpath(['run', '--python', python!.path, '--format', 'json', '-o', base, script]);
    assert.equal(first.status, 0, first.stderr);
    writeFileSync(script, edited(ORIGINAL));
    const second = await hotpath(['run', '--python', python!.path, '--format', 'json', '-o', next, script]);
    assert.equal(second.status, 0, second.stderr);
  });

  test('text: the slowed function first, and its call path', async () => {
    const run = await hotpath(['report', '--compare', base, next]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Hotpath comparison\n/);
    assert.match(run.stdout, /Both programs ran to their end: times compared as measured/);
    const slower = section(run.stdout, 'Slower functions (self time)');
    assert.match(
      slower[0] ?? '',
      new RegExp(
        `^\\s+\\+\\S+ m?s\\s+(×\\d|\\+\\d+%)\\S*\\s.*\\stransform\\s+compare_target\\.py:${TRANSFORM_LINE}$`,
      ),
      run.stdout,
    );
    const paths = section(run.stdout, 'Slower call paths (total time)');
    // Listed whatever else the machine's load slowed down between the runs.
    assert.ok(
      paths.some((line) => line.endsWith('<module> → main → transform')),
      run.stdout,
    );
  });

  test('json: every entry, the slowed function matched across its move', async () => {
    const run = await hotpath(['report', '--compare', '--format', 'json', base, next]);
    assert.equal(run.status, 0, run.stderr);
    const comparison = JSON.parse(run.stdout) as ComparisonJson;
    assert.equal(comparison.format, 'hotpath-comparison');
    assert.equal(comparison.scale, 'absolute');
    // The slowed function is the biggest rise in self time. (A machine busier during one run than
    // the other can make an unchanged function's fall bigger: only rises are ranked here.)
    const rises = comparison.functions.filter((f) => f.self.diffUs > 0);
    const transform = rises.reduce((a, b) => (b.self.diffUs > a.self.diffUs ? b : a), rises[0]);
    assert.equal(
      transform?.name,
      'transform',
      `the biggest rise in self time:\n${run.stdout.slice(0, 3000)}`,
    );
    assert.equal(transform.status, 'changed', 'matched by name although its def line moved');
    assert.equal(transform.firstLine, TRANSFORM_LINE);
    assert.ok(transform.self.significant);
    assert.ok(transform.self.ratio !== null && transform.self.ratio > 1.5, `×${transform.self.ratio}`);
    for (const name of ['parse', 'render', 'main']) {
      assert.ok(
        comparison.functions.some((f) => f.name === name && f.status === 'changed'),
        name,
      );
    }
    assert.ok(comparison.lines.length > 0 && comparison.paths.length > 0);
  });

  test('-o writes the comparison to a file', async () => {
    const out = join(workspace.dir, 'comparison.txt');
    const run = await hotpath(['report', '--compare', base, next, '-o', out, '--scale', 'share']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /comparison written to/);
  });

  test('a corrupt or wrong file is refused with the reason', async () => {
    const corrupt = join(workspace.dir, 'corrupt.hotpath.json');
    writeFileSync(corrupt, '{"format": "hotpath-profile", "version": 1, "strings": [');
    const bad = await hotpath(['report', '--compare', base, corrupt]);
    assert.equal(bad.status, 2);
    assert.match(
      bad.stderr,
      /corrupt\.hotpath\.json is not a usable Hotpath profile.*HOTPATH_PROFILE_NOT_JSON/s,
    );

    const speedscope = join(workspace.dir, 'before.speedscope.json');
    assert.equal((await hotpath(['report', '--format', 'speedscope', '-o', speedscope, base])).status, 0);
    const wrong = await hotpath(['report', '--compare', speedscope, next]);
    assert.equal(wrong.status, 2);
    assert.match(
      wrong.stderr,
      /before\.speedscope\.json is not a usable Hotpath profile.*HOTPATH_PROFILE_NOT_A_PROFILE/s,
    );

    const missing = await hotpath(['report', '--compare', base, join(workspace.dir, 'nope.json')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /Cannot read .*nope\.json: no such file/);
  });

  test('usage errors name what is wrong', async () => {
    for (const [args, message] of [
      [['report', '--compare', base], /takes two profile files/],
      [['report', '--compare', base, next, '--format', 'pprof'], /writes text or json/],
      [['report', '--compare', base, next, '--scale', 'weekly'], /--scale must be one of/],
      [['report', '--scale', 'share', base], /--scale applies to/],
    ] as const) {
      const run = await hotpath([...args]);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, message);
    }
  });
});

/** The entry lines under a heading of the text report. */
function section(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    out.push(line);
  }
  return out;
}
