import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { samplerThread, type ExecResult, type ThreadUsage } from '../../bench/lib/exec';

function thread(comm: string, series: [number, number][], timeslices = 10): ThreadUsage {
  return { tid: comm.length, comm, cpu_s: series.at(-1)?.[1] ?? 0, timeslices, series };
}

function result(threads: ThreadUsage[]): ExecResult {
  return { argv: [], wallS: 1, cpuS: 1, maxrssKb: 0, exitCode: 0, threads, stderrTail: '', stdoutTail: '' };
}

describe('the sampler threads of a benchmark run', () => {
  it('adds the control and the lowered thread up, reading by reading', () => {
    const control = thread('hotpath-control', [
      [0.1, 0.25],
      [0.2, 0.5],
      [0.3, 0.75],
    ]);
    // Appears at the second reading, ends before the third.
    const lowered = thread('hotpath-sampler', [[0.2, 0.125]]);
    const node = thread('node', [[0.1, 5]], 1000);
    const both = samplerThread(result([node, lowered, control]))!;
    assert.equal(both.comm, 'hotpath-control+hotpath-sampler');
    assert.deepEqual(both.series, [
      [0.1, 0.25],
      [0.2, 0.625],
      [0.3, 0.875],
    ]);
    assert.equal(both.cpu_s, 0.875);
    assert.equal(both.timeslices, 20);
  });

  it('falls back to the thread scheduled most often for a build that names none', () => {
    const busy = thread('node', [[0.1, 0.2]], 900);
    assert.equal(samplerThread(result([thread('V8 worker', [[0.1, 0.3]], 5), busy])), busy);
  });
});
