/**
 * Export to pprof (profile.proto, gzipped): the format of `go tool pprof` and of
 * the continuous-profiling systems (Grafana Pyroscope, Parca, Cloud Profiler).
 *
 * - One Function per Python function (name, file, first line) and one Location
 *   per (function, line): pprof's line view is then Hotpath's line view.
 * - One Sample per (thread, stack, running or waiting), leaf first, with two
 *   values: how many samples and how many nanoseconds they stand for, of wall
 *   time (`wall/nanoseconds`) or, with the on-CPU view, of CPU time
 *   (`cpu/nanoseconds`); the period is the sampling interval.
 * - Labels: `thread_name`, `thread_id` (the OS TID), `pid`, and `thread_state`
 *   (`running` / `waiting`, from the sampler's per-sample on-CPU flag).
 * - Every sample the view keeps is written (see exportPaths.ts), those with no
 *   visible frame under a placeholder function.
 *
 * pprof has no timeline: the order and times of samples are not kept.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import { createView, DEFAULT_VIEW, visibleStackTree } from '../model/processors';
import { exportPathOf, PATH_ID_OFFSET, placeholderName } from './exportPaths';
import { ProtobufWriter } from './protobufWriter';

/** Field numbers of profile.proto (github.com/google/pprof/proto/profile.proto). */
const PROFILE = {
  sampleType: 1,
  sample: 2,
  mapping: 3,
  location: 4,
  function: 5,
  stringTable: 6,
  timeNanos: 9,
  durationNanos: 10,
  periodType: 11,
  period: 12,
  comment: 13,
  defaultSampleType: 14,
} as const;
const VALUE_TYPE = { type: 1, unit: 2 } as const;
const SAMPLE = { locationId: 1, value: 2, label: 3 } as const;
const LABEL = { key: 1, str: 2, num: 3 } as const;
const MAPPING = { id: 1, filename: 5, hasFunctions: 7, hasFilenames: 8, hasLineNumbers: 9 } as const;
const LOCATION = { id: 1, mappingId: 2, line: 4 } as const;
const LINE = { functionId: 1, line: 2 } as const;
const FUNCTION = { id: 1, name: 2, systemName: 3, filename: 4, startLine: 5 } as const;

/** The one mapping every location points at: the interpreter, already symbolised. */
const MAPPING_ID = 1;

interface PprofSample {
  locations: number[];
  count: number;
  us: number;
  thread: number;
  onCpu: boolean;
}

/** The profile as profile.proto bytes (not gzipped). */
export function encodePprof(profile: RawProfile, options: ViewOptions = DEFAULT_VIEW): Uint8Array {
  const view = createView(profile, options);
  const { sampleThread, sampleOnCpu, frameLine } = profile;
  const { frameFunction, functions, sampleWeight } = view.index;

  const strings = ['']; // string_table[0] must be ""
  const stringIds = new Map<string, number>([['', 0]]);
  const str = (text: string): number => {
    let id = stringIds.get(text);
    if (id === undefined) {
      id = strings.length;
      strings.push(text);
      stringIds.set(text, id);
    }
    return id;
  };

  // Functions and locations, numbered from 1 in order of first use.
  const functionIds = new Map<number, number>(); // function index (placeholders < 0) → id
  const functionRows: { name: number; file: number; startLine: number }[] = [];
  const functionId = (fn: number): number => {
    let id = functionIds.get(fn);
    if (id === undefined) {
      id = functionRows.length + 1;
      if (fn < 0) functionRows.push({ name: str(placeholderName(fn)), file: 0, startLine: 0 });
      else {
        const info = functions[fn];
        functionRows.push({
          name: str(info.name || '<unknown>'),
          file: str(info.file),
          startLine: info.firstLine,
        });
      }
      functionIds.set(fn, id);
    }
    return id;
  };
  const locationIds = new Map<string, number>(); // `${function id}:${line}` → id
  const locationRows: { functionId: number; line: number }[] = [];
  const locationId = (fn: number, line: number): number => {
    const fid = functionId(fn);
    const key = `${fid}:${line}`;
    let id = locationIds.get(key);
    if (id === undefined) {
      id = locationRows.length + 1;
      locationRows.push({ functionId: fid, line });
      locationIds.set(key, id);
    }
    return id;
  };

  // Frames are (function, line) already; keying paths by frame keeps one path per distinct stack.
  const paths = visibleStackTree(view, (frame) => frame);
  const pathLocations: (number[] | undefined)[] = new Array(paths.parent.length);
  const locationsOf = (path: number): number[] => {
    if (path < 0) return [locationId(path, 0)];
    let known = pathLocations[path];
    if (known) return known;
    known = [];
    const { stackFrame } = profile;
    for (let p = path; p >= 0; p = paths.parent[p]) {
      const frame = stackFrame[paths.stack[p]];
      known.push(locationId(frameFunction[frame], frameLine[frame]));
    }
    pathLocations[path] = known;
    return known;
  };

  // Samples aggregated per (thread, path, on-CPU): far fewer than samples.
  const idCount = paths.parent.length + PATH_ID_OFFSET;
  const byKey = new Map<number, PprofSample>();
  for (let i = 0; i < sampleThread.length; i++) {
    if (!view.keep[i]) continue;
    const path = exportPathOf(view, paths, i);
    const onCpu = sampleOnCpu[i] ? 1 : 0;
    const key = (sampleThread[i] * idCount + path + PATH_ID_OFFSET) * 2 + onCpu;
    let sample = byKey.get(key);
    if (!sample) {
      sample = { locations: locationsOf(path), count: 0, us: 0, thread: sampleThread[i], onCpu: onCpu === 1 };
      byKey.set(key, sample);
    }
    sample.count++;
    sample.us += sampleWeight[i];
  }
  const samples = [...byKey.keys()].sort((a, b) => a - b).map((key) => byKey.get(key) as PprofSample);

  // GIL time is a part of wall-clock time, named as such.
  const timeKind = options.mode === 'cpu' ? 'cpu' : options.mode === 'gil' ? 'gil' : 'wall';
  const sampleTypes = [
    { type: str('samples'), unit: str('count') },
    { type: str(timeKind), unit: str('nanoseconds') },
  ];
  const labelKeys = {
    threadName: str('thread_name'),
    threadId: str('thread_id'),
    pid: str('pid'),
    state: str('thread_state'),
    running: str('running'),
    waiting: str('waiting'),
  };
  const threadNames = profile.threads.map((t) => str(t.name || 'thread'));
  const { meta } = profile;
  const comments = [
    str(`Hotpath profile of ${meta.argv.join(' ') || `pid ${meta.pid}`}`),
    str(`Python ${meta.pythonVersion} (${meta.pythonPath})`),
  ];
  const mappingFile = str(meta.pythonPath || 'python');

  const out = new ProtobufWriter();
  for (const t of sampleTypes)
    out.message(PROFILE.sampleType, (m) => {
      m.varint(VALUE_TYPE.type, t.type);
      m.varint(VALUE_TYPE.unit, t.unit);
    });
  for (const sample of samples) {
    out.message(PROFILE.sample, (m) => {
      m.packed(SAMPLE.locationId, sample.locations);
      m.packed(SAMPLE.value, [sample.count, Math.round(sample.us * 1000)]);
      const info = profile.threads[sample.thread];
      m.message(SAMPLE.label, (l) => {
        l.varint(LABEL.key, labelKeys.threadName);
        l.varint(LABEL.str, threadNames[sample.thread] ?? str(`thread ${sample.thread}`));
      });
      if (info && info.tid > 0)
        m.message(SAMPLE.label, (l) => {
          l.varint(LABEL.key, labelKeys.threadId);
          l.varint(LABEL.num, info.tid);
        });
      if (meta.pid > 0)
        m.message(SAMPLE.label, (l) => {
          l.varint(LABEL.key, labelKeys.pid);
          l.varint(LABEL.num, meta.pid);
        });
      m.message(SAMPLE.label, (l) => {
        l.varint(LABEL.key, labelKeys.state);
        l.varint(LABEL.str, sample.onCpu ? labelKeys.running : labelKeys.waiting);
      });
    });
  }
  out.message(PROFILE.mapping, (m) => {
    m.varint(MAPPING.id, MAPPING_ID);
    m.varint(MAPPING.filename, mappingFile);
    // Names, files and lines are all there: pprof must not try to symbolise addresses.
    m.bool(MAPPING.hasFunctions, true);
    m.bool(MAPPING.hasFilenames, true);
    m.bool(MAPPING.hasLineNumbers, true);
  });
  locationRows.forEach((row, k) =>
    out.message(PROFILE.location, (m) => {
      m.varint(LOCATION.id, k + 1);
      m.varint(LOCATION.mappingId, MAPPING_ID);
      m.message(LOCATION.line, (l) => {
        l.varint(LINE.functionId, row.functionId);
        l.varint(LINE.line, row.line);
      });
    }),
  );
  functionRows.forEach((row, k) =>
    out.message(PROFILE.function, (m) => {
      m.varint(FUNCTION.id, k + 1);
      m.varint(FUNCTION.name, row.name);
      m.varint(FUNCTION.systemName, row.name);
      m.varint(FUNCTION.filename, row.file);
      m.varint(FUNCTION.startLine, row.startLine);
    }),
  );
  for (const text of strings) out.string(PROFILE.stringTable, text);
  out.varint(PROFILE.timeNanos, BigInt(Math.round(meta.startedAt * 1000)) * 1000n);
  out.varint(PROFILE.durationNanos, Math.round(meta.durationUs * 1000));
  out.message(PROFILE.periodType, (m) => {
    m.varint(VALUE_TYPE.type, sampleTypes[1].type);
    m.varint(VALUE_TYPE.unit, sampleTypes[1].unit);
  });
  out.varint(PROFILE.period, Math.round((meta.intervalUs > 0 ? meta.intervalUs : 1000) * 1000));
  out.packed(PROFILE.comment, comments);
  out.varint(PROFILE.defaultSampleType, sampleTypes[1].type);
  return out.finish();
}

/** The gzipped file, as `go tool pprof` and the profiling services take it (compressed off the thread). */
export async function exportPprof(profile: RawProfile, options?: ViewOptions): Promise<Uint8Array> {
  return promisify(gzip)(encodePprof(profile, options));
}
