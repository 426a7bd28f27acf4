import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { biggestChanges, compareViews, type ComparedEntry } from '../../extension/model/compare';
import { createView } from '../../extension/model/processors';
import { loadProfile } from '../../extension/format/profileFile';
import { buildProfile } from './helpers/profileBuilder';

const VIEW = { mode: 'wall', hideLibrary: true, hideStartup: true } as const;

const byName = <T extends { name: string }>(entries: readonly T[], name: string): T => {
  const found = entries.find((e) => e.name === name);
  assert.ok(found, `no entry for ${name}`);
  return found;
};

describe('comparing two runs', () => {
  const base = buildProfile({
    firstLines: { 'work@app.py': 4, 'gone@app.py': 12 },
    samples: [
      { stack: ['main@app.py:1', 'work@app.py:5'], repeat: 4 },
      { stack: ['main@app.py:2', 'other@app.py:8'], repeat: 4 },
      { stack: ['main@app.py:3', 'gone@app.py:13'], repeat: 2 },
    ],
  });
  // `work` moved two lines down (code was added above it), got slower; `other` got faster;
  // `gone` is no longer called; `fresh` is new.
  const next = buildProfile({
    firstLines: { 'work@app.py': 6, 'fresh@app.py': 20 },
    samples: [
      { stack: ['main@app.py:1', 'work@app.py:7'], repeat: 8 },
      { stack: ['main@app.py:2', 'other@app.py:8'], repeat: 2 },
      { stack: ['main@app.py:3', 'fresh@app.py:21'], repeat: 2 },
    ],
  });
  const comparison = compareViews(createView(base, VIEW), createView(next, VIEW));

  it('compares runs that ended by themselves as measured', () => {
    assert.equal(comparison.scale, 'absolute');
    assert.equal(comparison.baseFactor, 1);
    assert.match(comparison.reason, /ran to their end/);
  });

  it('matches functions by file and qualified name, whatever their first line', () => {
    const work = byName(comparison.functions, 'work');
    assert.equal(work.status, 'changed');
    assert.equal(work.firstLine, 6, 'the new run’s def line');
    assert.deepEqual(
      [work.total.baseUs, work.total.newUs, work.total.diffUs, work.total.ratio],
      [4000, 8000, 4000, 2],
    );
    const other = byName(comparison.functions, 'other');
    assert.deepEqual([other.self.diffUs, other.self.ratio], [-2000, 0.5]);
  });

  it('keeps new and vanished entries', () => {
    const fresh = byName(comparison.functions, 'fresh');
    assert.equal(fresh.status, 'new');
    assert.equal(fresh.total.ratio, undefined);
    assert.equal(fresh.total.diffUs, 2000);
    const gone = byName(comparison.functions, 'gone');
    assert.equal(gone.status, 'vanished');
    assert.deepEqual(
      [gone.total.newUs, gone.total.diffUs, gone.total.ratio, gone.firstLine],
      [0, -2000, 0, 12],
    );
  });

  it('matches lines by file and line', () => {
    const line = (n: number) => comparison.lines.find((l) => l.file === 'app.py' && l.line === n);
    assert.equal(line(5)?.status, 'vanished');
    assert.equal(line(7)?.status, 'new');
    assert.deepEqual([line(1)?.total.diffUs, line(1)?.self.diffUs], [4000, 0]);
    assert.deepEqual([line(8)?.self.baseUs, line(8)?.self.newUs], [4000, 2000]);
    assert.equal(line(2)?.status, 'changed');
  });

  it('matches a line that edits moved between the runs where the editor says it went', () => {
    // Two lines were added above `work` after the baseline: its line 5 is now line 7.
    const moved = compareViews(createView(base, VIEW), createView(next, VIEW), 'auto', (_file, line) =>
      line >= 4 && line < 12 ? line + 2 : line === 13 ? undefined : line,
    );
    const line = (n: number) => moved.lines.find((l) => l.line === n);
    assert.equal(line(7)?.status, 'changed');
    assert.deepEqual([line(7)?.self.baseUs, line(7)?.self.newUs], [4000, 8000]);
    assert.equal(line(5), undefined);
    assert.equal(line(10)?.status, 'vanished', 'line 8 moved to 10; the new run has nothing there');
    assert.equal(
      moved.lines.find((l) => l.line === 13),
      undefined,
      'a line the edit replaced has no match',
    );
  });

  it('matches call paths by their functions from the root', () => {
    const path = (names: string[]) =>
      comparison.paths.find(
        (p) =>
          comparison.pathIds
            .frames(p.id)
            .map((f) => f.name)
            .join('/') === names.join('/'),
      );
    assert.deepEqual([path(['main'])?.total.baseUs, path(['main'])?.total.newUs], [10_000, 12_000]);
    assert.equal(path(['main', 'work'])?.total.diffUs, 4000);
    assert.equal(path(['main', 'gone'])?.status, 'vanished');
    assert.equal(path(['main', 'fresh'])?.status, 'new');
    assert.equal(comparison.paths.length, 5);
  });

  it('compares runs cut short per second of wall-clock time', () => {
    const stopped = structuredClone(next);
    stopped.meta = {
      ...next.meta,
      exitCode: null,
      exitSignal: 'SIGINT',
      durationUs: base.meta.durationUs * 2,
    };
    const perSecond = compareViews(createView(base, VIEW), createView(stopped, VIEW));
    assert.equal(perSecond.scale, 'perSecond');
    assert.equal(perSecond.baseFactor, 2);
    const work = byName(perSecond.functions, 'work');
    // 4 ms in a run half as long is 8 ms in the new run's time: no change.
    assert.deepEqual([work.total.scaledBaseUs, work.total.diffUs, work.total.ratio], [8000, 0, 1]);
  });

  it('compares shares of each run when asked', () => {
    const shares = compareViews(createView(base, VIEW), createView(next, VIEW), 'share');
    assert.equal(shares.scale, 'share');
    assert.equal(shares.baseFactor, 12_000 / 10_000);
    assert.match(shares.reason, /shares/);
    const work = byName(shares.functions, 'work');
    assert.ok(Math.abs(work.total.scaledBaseUs - 4800) < 1e-9);
  });

  it('calls a change of a few samples noise', () => {
    const other = byName(comparison.functions, 'other');
    assert.equal(other.total.significant, false, '4 → 2 samples');
    const bigBase = buildProfile({ samples: [{ stack: ['f@a.py:1'], repeat: 400 }] });
    const bigNext = buildProfile({ samples: [{ stack: ['f@a.py:1'], repeat: 600 }] });
    const big = compareViews(createView(bigBase, VIEW), createView(bigNext, VIEW));
    assert.equal(big.functions[0].total.significant, true, '400 → 600 samples');
    const sameNext = buildProfile({ samples: [{ stack: ['f@a.py:1'], repeat: 420 }] });
    const same = compareViews(createView(bigBase, VIEW), createView(sameNext, VIEW));
    assert.equal(same.functions[0].total.significant, false, '400 → 420 samples');
  });
});

describe('comparing two recorded runs (test/unit/fixtures/compare_*.hotpath.json)', () => {
  const fixture = (name: string) => loadProfile(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));
  const base = fixture('compare_base.hotpath.json');
  const slower = fixture('compare_slower.hotpath.json');
  const comparison = compareViews(createView(base, VIEW), createView(slower, VIEW));
  const names = (entries: readonly (ComparedEntry & { name: string })[]) => entries.map((e) => e.name);

  it('finds the function made three times slower, and nothing else slower', () => {
    const { slower: worse, faster } = biggestChanges(comparison.functions, 'self', 5);
    assert.equal(worse[0]?.name, 'transform');
    const transform = byName(comparison.functions, 'transform');
    assert.ok(
      transform.self.ratio !== undefined && transform.self.ratio > 2.2 && transform.self.ratio < 3.8,
      `transform's self time ×${transform.self.ratio}`,
    );
    // parse and render did the same work: their change is noise, not a finding.
    assert.ok(!names(worse).includes('parse') && !names(faster).includes('parse'), 'parse unchanged');
    assert.ok(!names(worse).includes('render') && !names(faster).includes('render'), 'render unchanged');
  });

  it('puts the slower time on the lines of the slower loop', () => {
    const { slower: worse } = biggestChanges(comparison.lines, 'self', 3);
    assert.ok(worse.length > 0);
    for (const line of worse) {
      assert.equal(line.file, '/home/user/project/compare_target.py');
      assert.ok(line.line >= 16 && line.line <= 21, `line ${line.line} is in transform`);
    }
  });

  it('puts it on the path main → transform', () => {
    const { slower: worse } = biggestChanges(comparison.paths, 'total', 3);
    const frames = worse.map((p) =>
      comparison.pathIds
        .frames(p.id)
        .map((f) => f.name)
        .join(' → '),
    );
    assert.ok(frames.includes('<module> → main → transform'), frames.join('; '));
  });
});
