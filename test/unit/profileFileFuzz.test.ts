/**
 * Fuzzes the loader with thousands of damaged files from a fixed seed: byte
 * flips, cuts, and structural swaps of any value for a hostile one. Whatever
 * it is given, the loader returns a profile or throws a ProfileFormatError.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadProfile, saveProfile } from '../../extension/format/profileFile';
import { ProfileFormatError } from '../../extension/format/formatError';
import { buildProfile } from './helpers/profileBuilder';
import { createView } from '../../extension/model/processors';
import { buildCallTree } from '../../extension/model/callTree';
import { buildLineTable } from '../../extension/model/lineTable';
import { seededRandom } from './helpers/seededRandom';

const HOSTILE: unknown[] = [
  null,
  true,
  -1,
  0,
  1.5,
  2 ** 32,
  2 ** 53,
  -(2 ** 53),
  1e308,
  -1e308,
  '',
  '0',
  '</script>',
  '\u0000',
  [],
  [null],
  [-1],
  [1e308],
  {},
  { length: 5 },
  { __proto__: { x: 1 } },
  'constructor',
];

const base = buildProfile({
  threads: [{ name: 'MainThread' }, { name: 'worker' }],
  samples: [
    { stack: ['main@app.py:1', 'work@app.py:9', 'deep@lib.py:3'], repeat: 3 },
    { stack: ['main@app.py:2'], onCpu: false, repeat: 2 },
    { stack: [], thread: 1, repeat: 2 },
    { stack: ['run@w.py:4', 'work@app.py:9'], thread: 1, repeat: 2 },
  ],
});
const text = saveProfile(base);

function loadsOrRejectsCleanly(input: string, label: string): void {
  try {
    const profile = loadProfile(input);
    // Whatever loads must be consistent enough for the model and to save again.
    const view = createView(profile);
    buildCallTree(view);
    buildLineTable(view);
    saveProfile(profile);
  } catch (error) {
    if (!(error instanceof ProfileFormatError)) {
      assert.fail(`${label}: threw ${String(error)} instead of a ProfileFormatError`);
    }
  }
}

/** Every value in the JSON tree, with a setter to replace it. */
function slots(root: unknown): ((value: unknown) => void)[] {
  const out: ((value: unknown) => void)[] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const key of Object.keys(node)) {
      const container = node as Record<string, unknown>;
      out.push((value) => (container[key] = value));
      walk(container[key]);
    }
  };
  walk(root);
  return out;
}

describe('profile loader fuzz', () => {
  it('survives 3000 byte-level mutations and cuts', () => {
    const next = seededRandom(0x5eed);
    for (let round = 0; round < 3000; round++) {
      let mutated = text;
      const kind = round % 3;
      if (kind === 0) {
        mutated = mutated.slice(0, Math.floor(next() * mutated.length));
      } else {
        const edits = 1 + Math.floor(next() * 4);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(next() * mutated.length);
          const replacement = kind === 1 ? String.fromCharCode(32 + Math.floor(next() * 95)) : '9999999999';
          mutated = mutated.slice(0, at) + replacement + mutated.slice(at + 1);
        }
      }
      loadsOrRejectsCleanly(mutated, `round ${round}`);
    }
  });

  it('survives 3000 structural mutations with hostile values', () => {
    const next = seededRandom(0xf00d);
    for (let round = 0; round < 3000; round++) {
      const tree = JSON.parse(text) as unknown;
      const targets = slots(tree);
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) {
        const target = targets[Math.floor(next() * targets.length)];
        target(HOSTILE[Math.floor(next() * HOSTILE.length)]);
      }
      loadsOrRejectsCleanly(JSON.stringify(tree), `structural round ${round}`);
    }
  });
});
