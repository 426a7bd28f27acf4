import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NodeFlag } from '../../extension/views/protocol';
import { buildProfileMessage, sanitizeFilter } from '../../extension/views/viewModel';
import { buildProfile } from './helpers/profileBuilder';

describe('panel view model: one root per thread', () => {
  const profile = buildProfile({
    samples: [
      { stack: ['main@app.py:10', 'work@app.py:20'], repeat: 3 },
      { stack: ['main@app.py:11'], repeat: 1 },
      { stack: ['work@app.py:21'], thread: 1, repeat: 5 },
      { stack: ['work@app.py:22'], thread: 2, repeat: 2, onCpu: false },
    ],
    threads: [{ name: 'MainThread' }, { name: 'worker-a' }, { name: 'worker-b' }],
  });
  const ids = { profileId: 'p', title: 'T' };
  const rows = (m: ReturnType<typeof buildProfileMessage>) =>
    m.view.tree.parent.map((parent, i) => ({
      parent,
      name: m.view.strings[m.view.tree.name[i]],
      totalUs: m.view.tree.totalUs[i],
      thread: (m.view.tree.flags[i] & NodeFlag.thread) !== 0,
    }));

  it('puts each thread under a root of its own, named by its label, heaviest first', () => {
    const m = buildProfileMessage(profile, { mode: 'wall', showAll: true, threadRoots: true }, ids);
    const r = rows(m);
    const threads = r.filter((n) => n.thread);
    assert.deepEqual(
      threads.map((n) => [n.name, n.totalUs, n.parent]),
      [
        ['worker-a (1001)', 5000, 0],
        ['MainThread (1000)', 4000, 0],
        ['worker-b (1002)', 2000, 0],
      ],
    );
    assert.equal(m.view.totalUs, 11_000);
    // Parents precede children and each thread's frames hang under its root.
    r.forEach((n, i) => assert.ok(n.parent < i));
    const main = r.findIndex((n) => n.name === 'main');
    assert.equal(r[r[main].parent].name, 'MainThread (1000)');
    const works = r.map((n, i) => ({ ...n, i })).filter((n) => n.name === 'work');
    assert.equal(works.length, 3, 'work is a node under each thread');
    // The function table is the same as without thread roots.
    const merged = buildProfileMessage(profile, { mode: 'wall', showAll: true }, ids);
    assert.deepEqual(m.view.functions.totalUs.sort(), merged.view.functions.totalUs.sort());
  });

  it('keeps the other filters: a thread selection and On CPU', () => {
    const m = buildProfileMessage(
      profile,
      { mode: 'cpu', showAll: true, threadRoots: true, threads: [0, 2] },
      ids,
    );
    const threads = rows(m).filter((n) => n.thread);
    // worker-b only waited: nothing of it is on a CPU, so it has no root.
    assert.deepEqual(
      threads.map((n) => n.name),
      ['MainThread (1000)'],
    );
  });

  it('survives the page filter round trip only when set', () => {
    assert.equal(sanitizeFilter({ mode: 'wall', showAll: false, threadRoots: true }).threadRoots, true);
    assert.equal('threadRoots' in sanitizeFilter({ mode: 'wall', showAll: false }), false);
    assert.equal(
      'threadRoots' in
        sanitizeFilter({ mode: 'wall', showAll: false, threadRoots: 'yes' as unknown as boolean }),
      false,
    );
  });
});
