import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const EXTENSION = path.resolve(__dirname, '../../extension');

/** folder → the folders of extension/ its files import from (type-only imports count too). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const name of readdirSync(EXTENSION, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.ts')) continue;
    const folder = name.split(path.sep)[0];
    if (folder === name) continue; // extension.ts: activation wires every folder together
    const uses = graph.get(folder) ?? new Set<string>();
    graph.set(folder, uses);
    const text = readFileSync(path.join(EXTENSION, name), 'utf8');
    for (const m of text.matchAll(/from '(\.\.?\/[^']+)'/g)) {
      const target = path.relative(EXTENSION, path.resolve(path.dirname(path.join(EXTENSION, name)), m[1]));
      const to = target.split(path.sep)[0];
      if (to !== folder && !to.startsWith('..')) uses.add(to);
    }
  }
  return graph;
}

/** A path of folders from `from` back to itself, or undefined. */
function cycleFrom(graph: Map<string, Set<string>>, from: string): string[] | undefined {
  const walk = (at: string, trail: string[]): string[] | undefined => {
    for (const next of graph.get(at) ?? []) {
      if (next === from) return [...trail, next];
      if (!trail.includes(next)) {
        const found = walk(next, [...trail, next]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(from, [from]);
}

describe('extension/ folders', () => {
  it('import each other one way only: no cycle between folders', () => {
    const graph = folderGraph();
    assert.ok(graph.size > 5, 'the folders were found');
    const cycles = [...graph.keys()].map((f) => cycleFrom(graph, f)).filter((c) => c !== undefined);
    assert.deepEqual(
      cycles.map((c) => c.join(' → ')),
      [],
    );
  });

  it('keep views/ below editor/ and panel/, which do not import each other', () => {
    const graph = folderGraph();
    for (const [from, to] of [
      ['editor', 'panel'],
      ['panel', 'editor'],
      ['views', 'editor'],
      ['views', 'panel'],
    ]) {
      assert.equal(graph.get(from)?.has(to), false, `${from}/ imports ${to}/`);
    }
  });
});
