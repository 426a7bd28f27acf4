import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildAnnotations,
  functionLensTitle,
  heatLevel,
  hotLineLensTitle,
  isNestedCode,
} from '../../extension/views/annotationModel';
import { resolveProfilePath } from '../../extension/model/sourceFiles';
import type { FunctionStats, LineStats, LineTable } from '../../extension/model/types';

function line(lineNo: number, totalUs: number, selfUs: number): LineStats {
  return { line: lineNo, totalUs, selfUs, totalSamples: totalUs / 1000, selfSamples: selfUs / 1000 };
}

function fn(file: string, name: string, firstLine: number, totalUs: number, selfUs: number): FunctionStats {
  return {
    key: `${file}\0${name}\0${firstLine}`,
    file,
    name,
    firstLine,
    totalUs,
    selfUs,
    samples: totalUs / 1000,
    isLibrary: false,
  };
}

describe('CodeLens texts', () => {
  it('label the module and each function by name', () => {
    assert.equal(
      functionLensTitle({ name: '<module>', totalUs: 2_000_000, selfUs: 400, share: 1 }),
      '$(flame) module: 2.00 s total · < 1 ms self · 100%',
    );
    assert.equal(
      functionLensTitle({ name: 'main', totalUs: 1_990_000, selfUs: 0, share: 0.995 }),
      '$(flame) main: 1.99 s total · no self time · 99.5%',
    );
  });

  it('give a hot line its time and share above it', () => {
    assert.equal(
      hotLineLensTitle({ totalUs: 1_230_000, selfUs: 1_200_000, share: 0.456 }),
      '$(flame) hot line: 1.23 s · 45.6% (self 1.20 s)',
    );
  });

  it('know which code objects are nested in a function', () => {
    for (const name of [
      '<listcomp>',
      '<dictcomp>',
      '<setcomp>',
      '<genexpr>',
      '<lambda>',
      'normalise.<locals>.<listcomp>',
      'Model.fit.<locals>.<lambda>',
    ])
      assert.ok(isNestedCode(name), name);
    for (const name of ['<module>', 'listcomp', 'main', '<locals>', 'f.<locals>.inner', 'x<lambda>'])
      assert.ok(!isNestedCode(name), name);
  });
});

describe('heatLevel', () => {
  it('rises with the share, from 1 to 5', () => {
    assert.equal(heatLevel(0.001), 1);
    assert.equal(heatLevel(0.005), 2);
    assert.equal(heatLevel(0.03), 3);
    assert.equal(heatLevel(0.1), 4);
    assert.equal(heatLevel(0.15), 5);
    assert.equal(heatLevel(1), 5);
  });
});

describe('resolveProfilePath', () => {
  it('keeps absolute paths, resolves relative ones against the cwd, skips pseudo-files', () => {
    assert.equal(resolveProfilePath('/a/b/../c.py', '/x'), '/a/c.py');
    assert.equal(resolveProfilePath('script.py', '/work/proj'), '/work/proj/script.py');
    assert.equal(resolveProfilePath('<frozen importlib._bootstrap>', '/x'), undefined);
    assert.equal(resolveProfilePath('<string>', '/x'), undefined);
    assert.equal(resolveProfilePath('', '/x'), undefined);
  });
});

describe('buildAnnotations', () => {
  const table: LineTable = {
    totalUs: 10_000_000,
    files: new Map([
      [
        '/proj/main.py',
        new Map([
          [3, line(3, 10_000_000, 0)],
          [7, line(7, 6_000_000, 6_000_000)],
          [8, line(8, 50_000, 50_000)],
          [0, line(0, 1_000, 1_000)],
        ]),
      ],
      ['lib/util.py', new Map([[12, line(12, 3_950_000, 300_000)]])],
      ['<frozen runpy>', new Map([[1, line(1, 10_000_000, 0)]])],
    ]),
  };
  const functions = [
    fn('/proj/main.py', 'main', 2, 10_000_000, 0),
    fn('/proj/main.py', 'work', 6, 6_050_000, 6_050_000),
    fn('lib/util.py', 'helper', 10, 3_950_000, 300_000),
    fn('<frozen runpy>', '_run_module_as_main', 1, 10_000_000, 0),
  ];
  const result = buildAnnotations(table, functions, '/proj', { thresholdPercent: 1 });

  it('keys files by absolute path and leaves out files that are not on disk', () => {
    assert.deepEqual([...result.keys()].sort(), ['/proj/lib/util.py', '/proj/main.py']);
  });

  it('skips line 0, sorts lines and sets heat levels, inline labels and hot spots', () => {
    const main = result.get('/proj/main.py')!;
    assert.deepEqual(
      main.lines.map((l) => [l.line, l.level, l.inline, l.hot]),
      [
        [3, 5, '10.0 s · 100%', false],
        [7, 5, '6.00 s · 60.0%', true],
        [8, 2, undefined, false],
      ],
    );
  });

  it('gives each function a CodeLens title with its name, total, self and share', () => {
    const main = result.get('/proj/main.py')!;
    assert.deepEqual(
      main.functions.map((f) => [f.name, f.firstLine, f.title]),
      [
        ['main', 2, '$(flame) main: 10.0 s total · no self time · 100%'],
        ['work', 6, '$(flame) work: 6.05 s total · 6.05 s self · 60.5%'],
      ],
    );
  });

  it('gives comprehensions, generator expressions and lambdas no CodeLens of their own', () => {
    const nested = buildAnnotations(
      table,
      [
        fn('/proj/main.py', 'work', 6, 6_050_000, 50_000),
        fn('/proj/main.py', '<listcomp>', 7, 6_000_000, 6_000_000),
        fn('/proj/main.py', '<genexpr>', 8, 50_000, 50_000),
        fn('/proj/main.py', '<lambda>', 8, 50_000, 50_000),
      ],
      '/proj',
      { thresholdPercent: 1 },
    );
    assert.deepEqual(
      nested.get('/proj/main.py')!.functions.map((f) => f.name),
      ['work'],
    );
  });

  it("says a function's time is summed over threads when it is more than the run lasted", () => {
    // 10 s of samples in a 4 s run: several threads ran main at once; work's 6.05 s too.
    const threaded = buildAnnotations(table, functions, '/proj', { thresholdPercent: 1, wallUs: 4_000_000 });
    const titles = threaded.get('/proj/main.py')!.functions.map((f) => f.title);
    assert.deepEqual(titles, [
      '$(flame) main: 10.0 s total (summed over threads) · no self time · 100%',
      '$(flame) work: 6.05 s total (summed over threads) · 6.05 s self · 60.5%',
    ]);
    const single = buildAnnotations(table, functions, '/proj', { thresholdPercent: 1, wallUs: 10_000_000 });
    assert.ok(single.get('/proj/main.py')!.functions.every((f) => !f.title.includes('threads')));
  });

  it('honours the threshold: 0 labels every sampled line, 100 only a 100% line', () => {
    const all = buildAnnotations(table, functions, '/proj', { thresholdPercent: 0 });
    assert.ok(all.get('/proj/main.py')!.lines.every((l) => l.inline !== undefined));
    const none = buildAnnotations(table, functions, '/proj', { thresholdPercent: 100 });
    assert.deepEqual(
      none
        .get('/proj/main.py')!
        .lines.filter((l) => l.inline)
        .map((l) => l.line),
      [3],
    );
  });

  it('gives no shares for an empty profile instead of dividing by zero', () => {
    const empty = buildAnnotations(
      { totalUs: 0, files: new Map([['/a.py', new Map([[1, line(1, 0, 0)]])]]) },
      [],
      '/',
      { thresholdPercent: 1 },
    );
    assert.equal(empty.size, 0);
  });
});
