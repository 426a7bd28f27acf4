/**
 * Reads a Gecko profile (the Firefox Profiler's input format) as the format's
 * documentation describes it (docs-developer/gecko-profile-format.md of
 * firefox-devtools/profiler), not through Hotpath's writer types: tables are
 * `{ schema: {column: index}, data: rows }`, stacks point at a prefix stack and
 * a frame, frames at a location string, samples at a stack and a time in ms.
 * Frame locations are parsed with the grammar the profiler gives JavaScript
 * frames, `functionName (url:line[:column])`.
 *
 *   const read = readGecko(JSON.parse(text)); // asserts the structure as it goes
 *   read.threads[0].leafCounts // samples per `name@file:line` (file: the URL's path)
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

/** The profiler's pattern for a JavaScript frame location (see _extractJsFunction in its processing). */
const JS_LOCATION = /^(.*) \((.+?):([0-9]+)(?::([0-9]+))?\)$/;

export interface GeckoThreadRead {
  name: string;
  tid: number;
  pid: number;
  times: number[];
  /** Category name of each sample (its leaf frame's). */
  categories: string[];
  cpuDeltas: (number | null)[];
  leafCounts: Map<string, number>;
  /** Functions as the profiler would make them: name, file, first line. */
  functions: Set<string>;
}

type Table = { schema: Record<string, number>; data: unknown[][] };

function table(value: unknown, columns: string[], where: string): Table {
  const t = value as Table;
  assert.ok(t && typeof t.schema === 'object' && Array.isArray(t.data), `${where}: a { schema, data } table`);
  for (const column of columns)
    assert.ok(Number.isInteger(t.schema[column]), `${where}: schema has ${column}`);
  return t;
}

export function readGecko(profile: Record<string, unknown>): {
  meta: Record<string, unknown>;
  threads: GeckoThreadRead[];
} {
  const meta = profile.meta as Record<string, unknown>;
  assert.ok(meta, 'meta');
  assert.ok(Number.isInteger(meta.version) && (meta.version as number) > 0, 'meta.version');
  assert.ok(typeof meta.interval === 'number' && meta.interval > 0, 'meta.interval (ms)');
  assert.ok(typeof meta.startTime === 'number', 'meta.startTime (ms since the epoch)');
  const categories = meta.categories as { name: string; color: string; subcategories: string[] }[];
  assert.ok(Array.isArray(categories) && categories.length > 0, 'meta.categories');
  for (const c of categories)
    assert.ok(c.name && c.color && c.subcategories.length > 0, 'a category has name, color, subcategories');
  assert.ok(
    categories.some((c) => c.color === 'grey'),
    'a grey category: the profiler’s default',
  );
  for (const key of ['libs', 'pausedRanges', 'processes', 'threads']) {
    assert.ok(Array.isArray(profile[key]), `${key} is a list`);
  }

  const threads = (profile.threads as Record<string, unknown>[]).map((thread, t) => {
    const where = `threads[${t}]`;
    assert.equal(typeof thread.name, 'string', `${where}.name`);
    assert.ok(Number.isInteger(thread.tid) && Number.isInteger(thread.pid), `${where}: tid and pid`);
    assert.equal(typeof thread.processType, 'string', `${where}.processType`);
    assert.equal(typeof thread.registerTime, 'number', `${where}.registerTime`);
    const strings = thread.stringTable as string[];
    assert.ok(Array.isArray(strings), `${where}.stringTable`);
    table(thread.markers, ['name', 'startTime', 'endTime', 'phase', 'category', 'data'], `${where}.markers`);
    const frames = table(
      thread.frameTable,
      [
        'location',
        'relevantForJS',
        'innerWindowID',
        'implementation',
        'line',
        'column',
        'category',
        'subcategory',
      ],
      `${where}.frameTable`,
    );
    const stacks = table(thread.stackTable, ['prefix', 'frame'], `${where}.stackTable`);
    const samples = table(thread.samples, ['stack', 'time'], `${where}.samples`);
    assert.ok(
      'eventDelay' in samples.schema || 'responsiveness' in samples.schema,
      'eventDelay or responsiveness',
    );

    const f = frames.schema;
    const frameInfo = frames.data.map((row, i) => {
      const location = strings[row[f.location] as number];
      assert.equal(typeof location, 'string', `frame ${i}: location is a string index`);
      const category = row[f.category] as number | null;
      assert.ok(
        category === null || (Number.isInteger(category) && category < categories.length),
        'frame category',
      );
      if (category !== null) {
        const sub = row[f.subcategory] as number;
        assert.ok(
          Number.isInteger(sub) && sub < categories[category].subcategories.length,
          'frame subcategory',
        );
      }
      const line = row[f.line] as number | null;
      assert.ok(line === null || (Number.isInteger(line) && line > 0), 'frame line: 1-based or null');
      const match = JS_LOCATION.exec(location);
      const file = match ? (match[2].startsWith('file:') ? fileURLToPath(match[2]) : match[2]) : '';
      return {
        name: match ? match[1] : location,
        file,
        firstLine: match ? Number(match[3]) : 0,
        line: line ?? 0,
        category,
      };
    });
    const s = stacks.schema;
    const stackFrame = stacks.data.map((row, i) => {
      const prefix = row[s.prefix] as number | null;
      assert.ok(
        prefix === null || (Number.isInteger(prefix) && prefix < i),
        `stack ${i}: prefix comes first`,
      );
      const frame = row[s.frame] as number;
      assert.ok(Number.isInteger(frame) && frame < frameInfo.length, `stack ${i}: frame exists`);
      return frame;
    });
    const stackCategory = (stack: number): number => {
      for (
        let node: number | null = stack;
        node !== null;
        node = stacks.data[node][s.prefix] as number | null
      ) {
        const category = frameInfo[stackFrame[node]].category;
        if (category !== null) return category;
      }
      return categories.findIndex((c) => c.color === 'grey');
    };

    const sm = samples.schema;
    const times: number[] = [];
    const sampleCategories: string[] = [];
    const cpuDeltas: (number | null)[] = [];
    const leafCounts = new Map<string, number>();
    for (const row of samples.data) {
      const stack = row[sm.stack] as number | null;
      const time = row[sm.time] as number;
      assert.ok(
        typeof time === 'number' && (times.length === 0 || time >= times[times.length - 1]),
        'times ascend',
      );
      times.push(time);
      if ('threadCPUDelta' in sm) cpuDeltas.push(row[sm.threadCPUDelta] as number | null);
      if (stack === null) continue;
      assert.ok(Number.isInteger(stack) && stack < stackFrame.length, 'sample stack exists');
      sampleCategories.push(categories[stackCategory(stack)].name);
      const leaf = frameInfo[stackFrame[stack]];
      const key = `${leaf.name}@${leaf.file}:${leaf.line}`;
      leafCounts.set(key, (leafCounts.get(key) ?? 0) + 1);
    }
    const functions = new Set(
      frameInfo.filter((fr) => fr.file).map((fr) => `${fr.name}@${fr.file}:${fr.firstLine}`),
    );
    return {
      name: thread.name as string,
      tid: thread.tid as number,
      pid: thread.pid as number,
      times,
      categories: sampleCategories,
      cpuDeltas,
      leafCounts,
      functions,
    };
  });
  return { meta, threads };
}

/** Samples per leaf `name@file:line` over all threads. */
export function geckoLeafCounts(threads: GeckoThreadRead[]): Map<string, number> {
  const total = new Map<string, number>();
  for (const t of threads) for (const [k, n] of t.leafCounts) total.set(k, (total.get(k) ?? 0) + n);
  return total;
}
