/**
 * Reads a pprof file with an independent decoder (the `pprof-format` package,
 * not Hotpath's writer) into plain values the tests compare:
 *
 *   const file = readPprof(gzippedBytes);
 *   file.samples[0].stack // leaf first, `name@file:line`
 *   file.samples[0].labels.thread_name
 *
 * It also checks what every pprof reader relies on: string 0 is empty, ids
 * are unique and non-zero, and every reference points at something that exists.
 */
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';

export interface PprofSampleRead {
  stack: string[];
  values: number[];
  labels: Record<string, string | number>;
}

export interface PprofRead {
  sampleTypes: string[];
  periodType: string;
  period: number;
  defaultSampleType: string;
  timeNanos: bigint;
  durationNanos: number;
  comments: string[];
  samples: PprofSampleRead[];
  functions: { name: string; systemName: string; file: string; startLine: number }[];
  locationCount: number;
}

const n = (value: number | bigint): number => Number(value);

export function readPprof(gzipped: Uint8Array): PprofRead {
  assert.equal(gzipped[0], 0x1f, 'gzip magic');
  assert.equal(gzipped[1], 0x8b, 'gzip magic');
  const profile = Profile.decode(gunzipSync(gzipped));
  const strings = profile.stringTable.strings;
  assert.equal(strings[0], '', 'string_table[0] is ""');
  const str = (index: number | bigint): string => {
    const i = n(index);
    assert.ok(i >= 0 && i < strings.length, `string index ${i} in range`);
    return strings[i];
  };
  const functions = new Map<number, { name: string; systemName: string; file: string; startLine: number }>();
  for (const fn of profile.function) {
    const id = n(fn.id);
    assert.ok(id > 0 && !functions.has(id), `function id ${id} unique and non-zero`);
    functions.set(id, {
      name: str(fn.name),
      systemName: str(fn.systemName),
      file: str(fn.filename),
      startLine: n(fn.startLine),
    });
  }
  const mappings = new Set(profile.mapping.map((m) => n(m.id)));
  const locations = new Map<number, string>();
  for (const location of profile.location) {
    const id = n(location.id);
    assert.ok(id > 0 && !locations.has(id), `location id ${id} unique and non-zero`);
    assert.ok(n(location.mappingId) === 0 || mappings.has(n(location.mappingId)), 'location mapping exists');
    assert.equal(location.line.length, 1, 'one line per location (Python has no inlining)');
    const fn = functions.get(n(location.line[0].functionId));
    assert.ok(fn, `location ${id} points at a function`);
    locations.set(id, `${fn.name}@${fn.file}:${n(location.line[0].line)}`);
  }
  const sampleTypes = profile.sampleType.map((t) => `${str(t.type)}/${str(t.unit)}`);
  const samples = profile.sample.map((sample) => {
    assert.equal(sample.value.length, sampleTypes.length, 'one value per sample type');
    const labels: Record<string, string | number> = {};
    for (const label of sample.label) labels[str(label.key)] = n(label.str) ? str(label.str) : n(label.num);
    return {
      stack: sample.locationId.map((id) => {
        const text = locations.get(n(id));
        assert.ok(text !== undefined, `sample location ${id} exists`);
        return text;
      }),
      values: sample.value.map(n),
      labels,
    };
  });
  assert.ok(profile.periodType, 'period_type is set');
  return {
    sampleTypes,
    periodType: `${str(profile.periodType.type)}/${str(profile.periodType.unit)}`,
    period: n(profile.period),
    defaultSampleType: str(profile.defaultSampleType),
    timeNanos: BigInt(profile.timeNanos),
    durationNanos: n(profile.durationNanos),
    comments: profile.comment.map(str),
    samples,
    functions: [...functions.values()],
    locationCount: locations.size,
  };
}

/** Samples per leaf `name@file:line`, added up over the file's samples (values[0] is the count). */
export function pprofLeafCounts(file: PprofRead): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sample of file.samples) {
    const leaf = sample.stack[0];
    counts.set(leaf, (counts.get(leaf) ?? 0) + sample.values[0]);
  }
  return counts;
}
