'use strict';
// Export Profile… writes every sample of the shown profile: with every frame, and with library
// frames merged into their callers (a thread that runs only library code is then one
// "[hidden frames]" line, not dropped). The command takes its answers as an argument too, which is
// how these tests skip the quick pick and the save dialog.
const assert = require('node:assert/strict');
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { gunzipSync } = require('node:zlib');
const { before, describe, it } = require('mocha');
const { Profile } = require('pprof-format');
const vscode = require('vscode');
const { activateHotpath, openFile, profileActiveFile, readProfile, workspaceDir } = require('./helpers');

const SCRIPT = 'stdlib_thread.py';
const SOURCE = `import json, threading

data = [{"id": i, "tags": ["a", "b"], "x": i / 3} for i in range(20000)]


def user_work():
    for _ in range(4):
        json.loads(json.dumps(data))


# Not one frame of this thread is the script's own: threading, then json.
worker = threading.Thread(target=json.dumps, args=(data * 10,), name="stdlib-only")
worker.start()
user_work()
worker.join()
`;

function collapsedTotal(text) {
  return text
    .trimEnd()
    .split('\n')
    .reduce((sum, line) => {
      const match = /^(.+) (\d+)$/.exec(line);
      assert.ok(match, `a collapsed line ends with its count: ${JSON.stringify(line)}`);
      return sum + Number(match[2]);
    }, 0);
}

describe('Export Profile…', () => {
  let samples;

  before(async () => {
    await activateHotpath();
    writeFileSync(path.join(workspaceDir(), SCRIPT), SOURCE);
    await openFile(SCRIPT);
    samples = readProfile(await profileActiveFile()).samples.stack.length;
    assert.ok(samples > 50, `only ${samples} samples`);
  });

  it('collapsed stacks hold every sample, with every frame or with library frames merged', async () => {
    const all = path.join(workspaceDir(), 'export-all.collapsed.txt');
    await vscode.commands.executeCommand('hotpath.exportProfile', { format: 'collapsed', target: all });
    const allText = readFileSync(all, 'utf8');
    assert.equal(collapsedTotal(allText), samples);
    assert.match(allText, /^stdlib-only;.*threading\.py.*;dumps \(.*json.*\) \d+$/m, 'library frames kept');

    const merged = path.join(workspaceDir(), 'export-merged.collapsed.txt');
    await vscode.commands.executeCommand('hotpath.exportProfile', {
      format: 'collapsed',
      hideLibrary: true,
      target: merged,
    });
    const mergedText = readFileSync(merged, 'utf8');
    assert.equal(collapsedTotal(mergedText), samples);
    assert.match(mergedText, /^stdlib-only;\[hidden frames\] \d+$/m, 'the library-only thread is kept');
    assert.doesNotMatch(mergedText, /json[\\/]/, 'no library frame left');
  });

  it('speedscope holds every thread that was sampled', async () => {
    const target = path.join(workspaceDir(), 'export.speedscope.json');
    await vscode.commands.executeCommand('hotpath.exportProfile', { format: 'speedscope', target });
    const file = JSON.parse(readFileSync(target, 'utf8'));
    const names = file.profiles.map((p) => p.name);
    assert.ok(
      names.some((name) => name.startsWith('stdlib-only')),
      names.join(', '),
    );
    for (const p of file.profiles) assert.equal(p.samples.length, p.weights.length);
  });

  it('the HTML report holds the whole profile and the profiled script, inline and under a policy', async () => {
    const target = path.join(workspaceDir(), 'export.html');
    await vscode.commands.executeCommand('hotpath.exportProfile', { format: 'html', target });
    const html = readFileSync(target, 'utf8');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
    assert.doesNotMatch(html, /<script[^>]* src=|<link /, 'nothing is loaded from outside the file');
    const block = (id) => {
      const match = new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(html);
      assert.ok(match, `the report has its ${id} block`);
      return JSON.parse(match[1]);
    };
    assert.equal(block('hotpath-profile').samples.stack.length, samples);
    const script = block('hotpath-sources').files.find((f) => f.file.endsWith(SCRIPT));
    assert.equal(script && script.text, SOURCE, 'the profiled script is embedded as it is on disk');
  });

  it('pprof holds every sample, read back with an independent decoder', async () => {
    const target = path.join(workspaceDir(), 'export.pb.gz');
    await vscode.commands.executeCommand('hotpath.exportProfile', { format: 'pprof', target });
    const profile = Profile.decode(gunzipSync(readFileSync(target)));
    const strings = profile.stringTable.strings;
    assert.deepEqual(
      profile.sampleType.map((t) => `${strings[Number(t.type)]}/${strings[Number(t.unit)]}`),
      ['samples/count', 'wall/nanoseconds'],
    );
    const count = profile.sample.reduce((sum, sample) => sum + Number(sample.value[0]), 0);
    assert.equal(count, samples);
    const threads = new Set(
      profile.sample.flatMap((sample) =>
        sample.label
          .filter((l) => strings[Number(l.key)] === 'thread_name')
          .map((l) => strings[Number(l.str)]),
      ),
    );
    assert.ok(threads.has('stdlib-only'), [...threads].join(', '));
  });

  it('a .cpuprofile holds every sample, one node per thread under the root', async () => {
    const target = path.join(workspaceDir(), 'export.cpuprofile');
    await vscode.commands.executeCommand('hotpath.exportProfile', { format: 'cpuprofile', target });
    const file = JSON.parse(readFileSync(target, 'utf8'));
    assert.equal(file.samples.length, samples);
    assert.equal(file.timeDeltas.length, samples);
    const threads = file.nodes[0].children.map((id) => file.nodes[id - 1].callFrame.functionName);
    assert.ok(
      threads.some((name) => name.startsWith('stdlib-only')),
      threads.join(', '),
    );
  });

  it("VS Code's own .cpuprofile viewer reads it: its CodeLens times land on the Python functions", async () => {
    const target = path.join(workspaceDir(), 'viewer.cpuprofile');
    await vscode.commands.executeCommand('hotpath.exportProfile', { format: 'cpuprofile', target });
    // The built-in table viewer builds its model and registers its lenses when it opens the file.
    await vscode.commands.executeCommand(
      'vscode.openWith',
      vscode.Uri.file(target),
      'jsProfileVisualizer.cpuprofile.table',
    );
    const script = vscode.Uri.file(path.join(workspaceDir(), SCRIPT));
    const defLine = SOURCE.split('\n').indexOf('def user_work():');
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', script);
    const viewer = lenses.filter((lens) => /ms Self Time, .*ms Total$/.test(lens.command?.title ?? ''));
    assert.ok(
      viewer.some((lens) => lens.range.start.line === defLine),
      `the viewer's lenses: ${viewer.map((l) => `${l.range.start.line}: ${l.command.title}`).join('; ')}`,
    );
    const total = viewer.find((lens) => lens.range.start.line === defLine).command.title;
    assert.ok(Number(/, ([\d.,]+)ms Total/.exec(total)[1].replace(/,/g, '')) > 0, total);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('a Firefox Profiler file holds every sample, a track per thread', async () => {
    const target = path.join(workspaceDir(), 'export.firefox.json');
    await vscode.commands.executeCommand('hotpath.exportProfile', { format: 'firefox', target });
    const file = JSON.parse(readFileSync(target, 'utf8'));
    assert.equal(
      file.threads.reduce((sum, thread) => sum + thread.samples.data.length, 0),
      samples,
    );
    const names = file.threads.map((thread) => thread.name);
    assert.ok(names.includes('stdlib-only'), names.join(', '));
  });
});
