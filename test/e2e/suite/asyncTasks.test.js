'use strict';
// Profile Current File on an asyncio program with CPython 3.14+ (hotpath.asyncTasks is on by
// default): each task gets a lane of its own in the profile, named after the task, with the task's
// node at the root of its stacks; the waiting task's time is at the line it awaits, down its await
// chain, and the running task's at its frames down to the executing one; the editor paints the
// awaiting line.
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('mocha');
const vscode = require('vscode');
const { log } = require('./lineReporter');
const {
  activateHotpath,
  currentPythons,
  lineOf,
  openFile,
  profileActiveFile,
  readProfile,
  waitFor,
} = require('./helpers');

const FILE = 'async_orders.py';

/** Each sample's lane and its frames (root first) as `name:line`. */
function samplesOf(profile) {
  const { frames, stacks, samples, strings } = profile;
  return samples.stack.map((stack, i) => {
    const path = [];
    for (let s = stack; s !== null && s >= 0; s = stacks.parent[s]) {
      const f = stacks.frame[s];
      path.push({ name: strings[frames.name[f]], line: frames.line[f] });
    }
    return { lane: samples.thread[i], frames: path.reverse() };
  });
}

describe('asyncio tasks in the editor (CPython 3.14+)', () => {
  const python = currentPythons().find((p) => !p.missing);
  let api;
  let opened;
  let profile;

  before(async function () {
    if (!python) {
      log(`      skipped: ${currentPythons()[0].missing}`);
      this.skip();
    }
    api = await activateHotpath();
    await vscode.workspace
      .getConfiguration('hotpath')
      .update('pythonPath', python.path, vscode.ConfigurationTarget.Workspace);
    opened = await openFile(FILE);
    profile = readProfile(await profileActiveFile());
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('hotpath')
      .update('pythonPath', undefined, vscode.ConfigurationTarget.Workspace);
  });

  const lane = (name) => {
    const index = profile.threads.findIndex((t) => t.name === name && t.loopThread !== undefined);
    assert.ok(index >= 0, `a lane for task ${name}: ${profile.threads.map((t) => t.name).join(', ')}`);
    return samplesOf(profile).filter((s) => s.lane === index);
  };

  it('gives each task a lane, with the task at the root of its stacks', () => {
    assert.ok(profile.meta.pythonVersion.startsWith(`${python.minor}.`), profile.meta.pythonVersion);
    for (const name of ['await-orders', 'cruncher']) {
      const samples = lane(name);
      assert.ok(samples.length > 0, `${name} was sampled`);
      const rooted = samples.filter((s) => s.frames.some((f) => f.name === `task ${name}`)).length;
      assert.ok(
        rooted / samples.length >= 0.95,
        `${name}: ${rooted} of ${samples.length} under its task node`,
      );
    }
  });

  it('shows the waiting task at the line it awaits, down its await chain', () => {
    const awaitLine = lineOf(opened.document, 'await asyncio.sleep(0.25)') + 1;
    const samples = lane('await-orders');
    const chain = samples.filter((s) => {
      const names = s.frames.map((f) => f.name);
      const at = names.indexOf('fetch_orders');
      return at >= 0 && names[at + 1] === 'slow_orders' && s.frames[at + 1].line === awaitLine;
    }).length;
    assert.ok(
      chain / samples.length >= 0.8,
      `${chain} of ${samples.length} samples at fetch_orders → slow_orders:${awaitLine}`,
    );
  });

  it('shows the running task down to the executing frame', () => {
    const samples = lane('cruncher');
    const inCrunch = samples.filter((s) => s.frames.some((f) => f.name === 'crunch')).length;
    assert.ok(
      inCrunch / samples.length >= 0.5,
      `${inCrunch} of ${samples.length} cruncher samples in crunch()`,
    );
  });

  it('paints the awaiting line in the editor', async () => {
    const awaitLine = lineOf(opened.document, 'await asyncio.sleep(0.25)') + 1;
    const painted = await waitFor(
      () => (api.annotations(opened.uri) || []).find((l) => l.line === awaitLine),
      { what: `line ${awaitLine} painted`, timeoutMs: 15_000 },
    );
    assert.ok(painted.level > 0, JSON.stringify(painted));
  });
});
