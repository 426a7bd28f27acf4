// The benchmark reads py-spy's achieved rate from the summary it prints when it stops.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePySpyStats } from '../../bench/lib/pyspy';

describe('parsePySpyStats', () => {
  test("reads py-spy 0.4's closing summary", () => {
    const stdout = [
      'py-spy> Sampling process 10000 times a second. Press Control-C to exit.',
      '',
      'py-spy> Stopped sampling because process exited',
      "py-spy> Wrote raw flamegraph data to '/tmp/out.txt'. Samples: 533 Errors: 843",
      'py-spy> You can use the flamegraph.pl script from https://github.com/brendangregg/flamegraph to generate a SVG',
    ].join('\n');
    assert.deepEqual(parsePySpyStats(stdout), { samples: 533, errors: 843 });
  });

  test('no summary (py-spy crashed or was killed): nothing, rather than zeros', () => {
    assert.equal(parsePySpyStats('py-spy> Sampling process 1000 times a second.\n'), undefined);
  });
});
