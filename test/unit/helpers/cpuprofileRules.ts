/**
 * The rules a `.cpuprofile` must keep beyond its protocol types (which
 * cdpSchema.ts checks), as Chrome DevTools and VS Code's viewers read it:
 *
 *   const read = assertCpuProfileRules(file); // throws on the first broken rule
 *   read.leafCounts // samples per `name@file:line` from positionTicks (+ placeholders' hitCount)
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { CpuProfile } from '../../../extension/format/cpuprofile';

export function assertCpuProfileRules(file: CpuProfile): {
  leafCounts: Map<string, number>;
  durationUs: number;
} {
  const { nodes, samples, timeDeltas } = file;
  assert.equal(nodes[0].callFrame.functionName, '(root)', 'the first node is the root');
  // VS Code's viewer indexes nodes by id - 1: ids are 1..N in order.
  nodes.forEach((node, i) => assert.equal(node.id, i + 1, 'node ids are 1..N in order'));
  const parents = new Map<number, number>();
  for (const node of nodes) {
    for (const child of node.children) {
      assert.ok(
        child > node.id && child <= nodes.length,
        `child ${child} of ${node.id} exists, after its parent`,
      );
      assert.ok(!parents.has(child), `node ${child} has one parent`);
      parents.set(child, node.id);
    }
  }
  assert.equal(parents.size, nodes.length - 1, 'every node but the root has a parent');

  assert.equal(samples.length, timeDeltas.length, 'one time delta per sample');
  const hits = new Map<number, number>();
  for (const id of samples) {
    assert.ok(id >= 1 && id <= nodes.length, `sample node ${id} exists`);
    hits.set(id, (hits.get(id) ?? 0) + 1);
  }
  let last = file.startTime;
  for (const delta of timeDeltas) {
    assert.ok(delta >= 0, 'time only goes forward');
    last += delta;
  }
  assert.ok(last <= file.endTime, 'the last sample is before endTime');

  const leafCounts = new Map<string, number>();
  for (const node of nodes) {
    assert.equal(node.hitCount, hits.get(node.id) ?? 0, `hitCount of node ${node.id} = its samples`);
    const { callFrame } = node;
    if (callFrame.lineNumber < 0) {
      assert.equal(node.positionTicks, undefined, 'no lines for a node with no source');
      if (node.hitCount > 0) leafCounts.set(`${callFrame.functionName}@:0`, node.hitCount);
      continue;
    }
    assert.ok(callFrame.columnNumber >= 0);
    const ticks = node.positionTicks ?? [];
    assert.equal(
      ticks.reduce((n, t) => n + t.ticks, 0),
      node.hitCount,
      `positionTicks of ${callFrame.functionName} add up to its hitCount`,
    );
    const file = callFrame.url.startsWith('file:') ? fileURLToPath(callFrame.url) : callFrame.url;
    for (const { line, ticks: count } of ticks) {
      assert.ok(line >= 1, 'positionTicks lines are 1-based');
      const key = `${callFrame.functionName}@${file}:${line}`;
      leafCounts.set(key, (leafCounts.get(key) ?? 0) + count);
    }
  }
  return { leafCounts, durationUs: file.endTime - file.startTime };
}
