import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderCompareText } from '../../extension/format/compareText';
import { comparisonJson } from '../../extension/format/compareJson';
import { compareViews } from '../../extension/model/compare';
import { createView } from '../../extension/model/processors';
import { buildProfile } from './helpers/profileBuilder';

const VIEW = { mode: 'wall', hideLibrary: true, hideStartup: true } as const;
const HOSTILE = 'evil\x1b[2J';

describe('comparison text and JSON', () => {
  const base = buildProfile({
    samples: [
      { stack: ['main@/p/app.py:1', 'mid@/p/app.py:5', `${HOSTILE}@/p/app.py:9`], repeat: 100 },
      { stack: ['main@/p/app.py:2', 'quick@/p/app.py:20'], repeat: 300 },
    ],
  });
  const next = buildProfile({
    samples: [
      { stack: ['main@/p/app.py:1', 'mid@/p/app.py:5', `${HOSTILE}@/p/app.py:9`], repeat: 400 },
      { stack: ['main@/p/app.py:2', 'quick@/p/app.py:20'], repeat: 100 },
    ],
  });
  const comparison = compareViews(createView(base, VIEW), createView(next, VIEW));
  const text = renderCompareText(comparison, base, next, {
    baseFile: 'a.hotpath.json',
    newFile: 'b.hotpath.json',
    mode: 'wall',
    cwd: '/p',
  });

  it('lists the change where it happened, not every caller above it', () => {
    const paths = text.slice(text.indexOf('Slower call paths'));
    assert.match(paths, /main → mid → evil/);
    assert.doesNotMatch(paths.split('\n')[2] ?? '', /main → mid$/, 'mid only passes the change on');
    assert.match(
      text,
      /Faster functions \(self time\)\n\s+\u2212200 ms\s+\u221267%\s+300 ms → 100 ms\s+quick {2}app\.py:1\n/,
    );
  });

  it('writes profile strings so they cannot act on the terminal', () => {
    assert.ok(!text.includes('\x1b'), 'no escape character');
    assert.match(text, /evil\\x1b\[2J/);
  });

  it('gives scripts every entry, biggest change first, null for no ratio', () => {
    const json = JSON.parse(
      comparisonJson(comparison, { base, next, baseFile: 'a', newFile: 'b', mode: 'wall' }),
    ) as { functions: { name: string; self: { diffUs: number; ratio: number | null } }[] };
    assert.equal(json.functions[0].name, HOSTILE, 'JSON keeps the string as it is: JSON escapes it');
    assert.deepEqual(
      json.functions.map((f) => f.self.diffUs),
      [300_000, -200_000, 0, 0],
    );
  });
});
