import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildProfileMessage } from '../../extension/views/viewModel';
import { buildProfile } from './helpers/profileBuilder';

describe('panel view model: flame chart', () => {
  const SITE = '/venv/lib/python3.12/site-packages/lib/io.py';
  const profile = buildProfile({
    samples: [
      { stack: ['main@app.py:10', 'load@app.py:20'], repeat: 3, time: 0 },
      { stack: ['main@app.py:10', 'load@app.py:21'], repeat: 2 },
      { stack: ['main@app.py:11', `read@${SITE}:5`], repeat: 2, onCpu: false },
      { stack: ['main@app.py:12', 'save@app.py:30'], repeat: 1 },
      // A gap of 10 intervals: the thread was not sampled, the run stops.
      { stack: ['main@app.py:12', 'save@app.py:30'], repeat: 2, time: 18_000 },
      { stack: ['spin@app.py:3'], thread: 1, repeat: 4, time: 0 },
    ],
    threads: [{ name: 'MainThread' }, { name: 'worker' }],
  });
  const ids = { profileId: 'p', title: 'T' };
  const runs = (m: ReturnType<typeof buildProfileMessage>, lane = 0) => {
    const l = m.chart!.lanes[lane];
    return l.node.map((n, i) => [m.view.strings[m.view.tree.name[n]], l.start[i], l.end[i]]);
  };

  it('is sent only when asked for', () => {
    assert.equal(buildProfileMessage(profile, { mode: 'wall', showAll: false }, ids).chart, undefined);
  });

  it('gives each thread its runs of one call-tree node, merging lines and hidden frames', () => {
    const m = buildProfileMessage(profile, { mode: 'wall', showAll: false, chart: true }, ids);
    assert.deepEqual(
      m.chart!.lanes.map((l) => l.thread),
      [0, 1],
    );
    // load's two lines are one node; the library read folds into main.
    assert.deepEqual(runs(m), [
      ['load', 0, 5000],
      ['main', 5000, 7000],
      ['save', 7000, 8000],
      ['save', 18_000, 20_000],
    ]);
    assert.deepEqual(runs(m, 1), [['spin', 0, 4000]]);
    // Every chart node is a node of the message's tree: its parent chain reaches the root.
    const load = m.chart!.lanes[0].node[0];
    assert.equal(m.view.strings[m.view.tree.name[m.view.tree.parent[load]]], 'main');
  });

  it('keeps only the samples of the filter, and finds nodes under thread roots', () => {
    const cpu = buildProfileMessage(profile, { mode: 'cpu', showAll: true, chart: true, threads: [0] }, ids);
    assert.equal(cpu.chart!.lanes.length, 1);
    assert.ok(!runs(cpu).some(([name]) => name === 'read'), 'waiting samples are not on a CPU');
    const split = buildProfileMessage(
      profile,
      { mode: 'wall', showAll: false, chart: true, threadRoots: true },
      ids,
    );
    assert.deepEqual(runs(split, 1), [['spin', 0, 4000]]);
    const spin = split.chart!.lanes[1].node[0];
    assert.equal(split.view.strings[split.view.tree.name[split.view.tree.parent[spin]]], 'worker (1001)');
  });
});
