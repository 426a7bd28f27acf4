import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NodeFlag, PROTOCOL_VERSION } from '../../extension/views/protocol';
import {
  MAX_TIMELINE_BINS,
  buildHeader,
  buildProfileMessage,
  buildTimeline,
  buildViewPayload,
  sanitizeFilter,
  scriptLabel,
  viewOptionsFor,
} from '../../extension/views/viewModel';
import type { CallTree, CallTreeNode } from '../../extension/model/types';
import { buildProfile } from './helpers/profileBuilder';

const SITE = '/venv/lib/python3.12/site-packages/requests/api.py';

function node(
  id: number,
  parent: number,
  children: number[],
  name: string,
  totalUs: number,
  selfUs = 0,
): CallTreeNode {
  return {
    id,
    parent,
    children,
    file: id === 0 ? '' : 'app.py',
    name,
    firstLine: id,
    line: id * 10,
    selfUs,
    totalUs,
    isLibrary: name.startsWith('lib'),
    hiddenFrames: name === 'main' ? 2 : 0,
  } as CallTreeNode;
}

describe('panel view model: tree columns', () => {
  // root ─ main ─┬ big ─ lib_call
  //              └ small
  const tree: CallTree = {
    totalUs: 100,
    nodes: [
      node(0, -1, [1], '', 100),
      node(1, 0, [2, 3], 'main', 100, 10),
      node(2, 1, [4], 'big', 60, 20),
      node(3, 1, [], 'small', 30, 30),
      node(4, 2, [], 'lib_call', 40, 40),
    ],
  };

  it('lists nodes depth first with children in the model order and parents before children', () => {
    const view = buildViewPayload(tree, []);
    const names = view.tree.name.map((i) => view.strings[i]);
    assert.deepEqual(names, ['', 'main', 'big', 'lib_call', 'small']);
    assert.deepEqual(view.tree.parent, [-1, 0, 1, 2, 1]);
    view.tree.parent.forEach((p, i) => assert.ok(p < i, `parent of ${i} comes first`));
    assert.deepEqual(view.tree.totalUs, [100, 100, 60, 40, 30]);
    assert.deepEqual(view.tree.line, [0, 10, 20, 40, 30]);
  });

  it('interns each string once and carries library flags and collapsed frame counts', () => {
    const view = buildViewPayload(tree, []);
    assert.equal(view.strings.filter((s) => s === 'app.py').length, 1);
    assert.deepEqual(view.tree.flags, [0, 0, 0, NodeFlag.library, 0]);
    assert.deepEqual(view.tree.hidden, [0, 2, 0, 0, 0]);
    assert.equal(view.totalUs, 100);
  });

  it('survives recursion deeper than the JS stack would allow', () => {
    const depth = 20_000;
    const nodes = Array.from({ length: depth }, (_, i) =>
      node(i, i - 1, i + 1 < depth ? [i + 1] : [], i === 0 ? '' : 'f', 1),
    );
    const view = buildViewPayload({ totalUs: 1, nodes }, []);
    assert.equal(view.tree.parent.length, depth);
    assert.equal(view.tree.parent[depth - 1], depth - 2);
  });
});

describe('panel view model: from a profile', () => {
  const profile = buildProfile({
    samples: [
      { stack: ['main@app.py:10', 'work@app.py:20'], repeat: 3 },
      { stack: ['main@app.py:11', `get@${SITE}:5`], repeat: 2, onCpu: false },
      { stack: ['loop@app.py:3'], thread: 1, repeat: 4 },
    ],
    threads: [{ name: 'MainThread' }, { name: 'worker' }],
  });

  it('builds the message the page draws, with a function table and a header', () => {
    const message = buildProfileMessage(
      profile,
      { mode: 'wall', showAll: true },
      { profileId: 'p', title: 'T' },
    );
    assert.equal(message.type, 'setProfile');
    assert.equal(message.version, PROTOCOL_VERSION);
    assert.equal(message.header.title, 'T');
    assert.equal(message.view.totalUs, 9000);
    const fnNames = message.view.functions.name.map((i) => message.view.strings[i]).sort();
    assert.deepEqual(fnNames, ['get', 'loop', 'main', 'work']);
    assert.deepEqual(
      message.header.threads.map((t) => [t.label, t.samples]),
      [
        ['MainThread (1000)', 5],
        ['worker (1001)', 4],
      ],
    );
  });

  it('applies the filter: threads, on-CPU only, and library frames folded unless "show all"', () => {
    const names = (m: ReturnType<typeof buildProfileMessage>) =>
      m.view.tree.name.map((i) => m.view.strings[i]);
    const ids = { profileId: 'p', title: 'T' };
    const mainOnly = buildProfileMessage(profile, { mode: 'wall', showAll: true, threads: [0] }, ids);
    assert.ok(!names(mainOnly).includes('loop'));
    const cpu = buildProfileMessage(profile, { mode: 'cpu', showAll: true }, ids);
    assert.ok(!names(cpu).includes('get'), 'waiting samples leave the on-CPU view');
    const folded = buildProfileMessage(profile, { mode: 'wall', showAll: false }, ids);
    assert.ok(!names(folded).includes('get'));
    const main = names(folded).indexOf('main');
    assert.equal(folded.view.tree.hidden[main], 1, 'main swallowed one library function');
  });

  it('reuses the header and timeline when only the filter changed', () => {
    const ids = { profileId: 'p', title: 'T' };
    const first = buildProfileMessage(profile, { mode: 'wall', showAll: false }, ids);
    const second = buildProfileMessage(profile, { mode: 'cpu', showAll: false }, ids, first);
    assert.equal(second.header, first.header);
    assert.equal(second.timeline, first.timeline);
  });
});

describe('panel view model: timeline', () => {
  it('counts running and waiting samples per thread and bin', () => {
    const profile = buildProfile({
      intervalUs: 1000,
      samples: [
        { stack: ['a@x.py:1'], repeat: 2 },
        { stack: ['a@x.py:1'], repeat: 2, onCpu: false },
        { stack: ['b@x.py:1'], thread: 1, repeat: 4, onCpu: false },
      ],
    });
    const t = buildTimeline(profile);
    assert.equal(t.lanes.length, 2);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    assert.equal(sum(t.lanes[0].running), 2);
    assert.equal(sum(t.lanes[0].waiting), 2);
    assert.equal(sum(t.lanes[1].running), 0);
    assert.equal(sum(t.lanes[1].waiting), 4);
    assert.ok(t.lanes[0].running[0] > 0, 'the first samples land in the first bins');
    assert.equal(t.lanes[0].running.length, Math.round(t.durationUs / t.binUs));
  });

  it('caps the number of bins for long runs', () => {
    const profile = buildProfile({ intervalUs: 100, samples: [{ stack: ['a@x.py:1'], repeat: 50_000 }] });
    const t = buildTimeline(profile);
    assert.equal(t.lanes[0].running.length, MAX_TIMELINE_BINS);
    assert.equal(
      t.lanes[0].running.reduce((a, b) => a + b, 0),
      50_000,
    );
  });
});

describe('panel view model: filters and labels', () => {
  it('maps "show all" onto both hiding options and drops empty parts', () => {
    assert.deepEqual(viewOptionsFor({ mode: 'cpu', showAll: false }), {
      mode: 'cpu',
      hideLibrary: true,
      hideStartup: true,
    });
    assert.deepEqual(
      viewOptionsFor({ mode: 'wall', showAll: true, threads: [], range: { start: 5, end: 5 } }),
      {
        mode: 'wall',
        hideLibrary: false,
        hideStartup: false,
      },
    );
    assert.deepEqual(
      viewOptionsFor({ mode: 'wall', showAll: true, threads: [1], range: { start: 1, end: 9 } }).range,
      {
        start: 1,
        end: 9,
      },
    );
  });

  it('sanitises a filter that came from the page', () => {
    assert.deepEqual(sanitizeFilter({ mode: 'bogus' as 'wall', showAll: 'yes' as unknown as boolean }), {
      mode: 'wall',
      showAll: false,
    });
    assert.deepEqual(
      sanitizeFilter({ mode: 'cpu', showAll: true, range: { start: 9, end: 3 }, threads: [-1] }),
      {
        mode: 'cpu',
        showAll: true,
      },
    );
    assert.deepEqual(
      sanitizeFilter({ mode: 'wall', showAll: false, range: { start: 1, end: 2 }, threads: [0, 2] }),
      {
        mode: 'wall',
        showAll: false,
        range: { start: 1, end: 2 },
        threads: [0, 2],
      },
    );
  });

  it('names the run after its script', () => {
    assert.equal(scriptLabel(['/usr/bin/python3', '/home/u/proj/slow.py', '--n', '3']), 'slow.py');
    assert.equal(scriptLabel(['python', '-m', 'pytest', 'tests']), 'pytest');
    assert.equal(scriptLabel(['python', '-c', 'print(1)']), '-c');
    assert.equal(scriptLabel(['C:\\proj\\main.py']), 'main.py');
    assert.equal(scriptLabel([]), 'profile');
  });

  it('describes the run in the header', () => {
    const profile = buildProfile({ samples: [{ stack: ['a@x.py:1'], repeat: 3 }] });
    const h = buildHeader(profile, 'Hotpath: x.py');
    assert.equal(h.title, 'Hotpath: x.py');
    assert.equal(h.stats, profile.stats);
    assert.equal(h.threads[0].samples, 3);
    assert.equal(h.threads[0].isMain, true);
  });
});
