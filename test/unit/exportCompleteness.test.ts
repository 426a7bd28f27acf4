/**
 * Every export holds every sample: whatever frames are hidden, the sample
 * counts of the collapsed stacks, the weights of the speedscope file, the
 * values of the pprof file and the samples of the .cpuprofile and of the
 * Firefox Profiler file add up to the profile's (its on-CPU samples with --cpu). Profiles here have samples with
 * no user frame at all (a stdlib-only program, `python -m`),
 * threads sampled with no Python frames, and user code under library code.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatView } from '../../extension/cli/output';
import { exportCollapsed } from '../../extension/format/collapsed';
import { toCpuProfile } from '../../extension/format/cpuprofile';
import { exportFirefoxProfile } from '../../extension/format/firefox';
import { exportViewOptions } from '../../extension/format/exportPaths';
import { exportPprof } from '../../extension/format/pprof';
import { toSpeedscope } from '../../extension/format/speedscope';
import type { ViewOptions } from '../../extension/model/types';
import { collapsedTotal, profileTotals, speedscopeTotalUs } from './helpers/exportTotals';
import { assertCpuProfileRules } from './helpers/cpuprofileRules';
import { readGecko } from './helpers/geckoRead';
import { readPprof } from './helpers/pprofRead';
import { buildProfile } from './helpers/profileBuilder';

const STDLIB = '/usr/lib/python3.12';
const RUNPY = `<module>@${STDLIB}/runpy.py:1`;
const RUN_MODULE = `_run_module_as_main@${STDLIB}/runpy.py:198`;

/** `python -m json.tool`: not one frame of the user's own. */
const libraryOnly = buildProfile({
  samples: [
    {
      stack: [RUN_MODULE, `main@${STDLIB}/json/tool.py:40`, `load@${STDLIB}/json/__init__.py:293`],
      repeat: 7,
    },
    { stack: [RUN_MODULE, `main@${STDLIB}/json/tool.py:41`], repeat: 3, onCpu: false },
    { stack: [], repeat: 2 },
    { stack: [RUNPY], repeat: 1 },
  ],
});

/** A script whose time is mostly in the stdlib, with a worker thread and a thread with no frames. */
const mixed = buildProfile({
  threads: [{ name: 'MainThread' }, { name: 'worker', isMain: false }, { name: 'native', isMain: false }],
  intervalUs: 250,
  samples: [
    { stack: ['<module>@/home/u/app.py:3', `loads@${STDLIB}/json/__init__.py:346`], repeat: 40 },
    { stack: [RUN_MODULE, '<module>@/home/u/app.py:5', `sub@${STDLIB}/re/__init__.py:185`], repeat: 25 },
    {
      stack: [`_bootstrap@${STDLIB}/threading.py:995`, `wait@${STDLIB}/threading.py:320`],
      thread: 1,
      onCpu: false,
      repeat: 30,
    },
    { stack: [`_bootstrap@${STDLIB}/threading.py:995`, 'job@/home/u/app.py:20'], thread: 1, repeat: 5 },
    { stack: [], thread: 2, onCpu: false, repeat: 9 },
    { stack: ['<module>@/home/u/app.py:3'], repeat: 4, time: 1_000_000 },
    { stack: [`compile@${STDLIB}/re/_compiler.py:740`], repeat: 3 },
  ],
});

const VIEWS: [string, ViewOptions][] = [
  ['every frame', exportViewOptions(false)],
  ['library frames merged', exportViewOptions(true)],
  ['on-CPU, every frame', exportViewOptions(false, 'cpu')],
  ['on-CPU, library frames merged', exportViewOptions(true, 'cpu')],
  ['start-up frames only hidden', { mode: 'wall', hideLibrary: false, hideStartup: true }],
];

describe('every export holds every sample', () => {
  for (const [profileName, profile] of [
    ['a library-only program', libraryOnly],
    ['a script mostly in the stdlib', mixed],
  ] as const) {
    for (const [viewName, options] of VIEWS) {
      it(`${profileName}, ${viewName}: every export's counts and times add up`, async () => {
        const want = profileTotals(profile, options.mode);
        assert.ok(want.samples > 0);
        assert.equal(collapsedTotal(exportCollapsed(profile, options)), want.samples);
        const us = speedscopeTotalUs(toSpeedscope(profile, options));
        assert.ok(Math.abs(us - want.us) < 0.01, `speedscope weights ${us} µs, profile ${want.us} µs`);
        const pprof = readPprof(await exportPprof(profile, options));
        assert.equal(
          pprof.samples.reduce((n, s) => n + s.values[0], 0),
          want.samples,
          'pprof counts',
        );
        const ns = pprof.samples.reduce((n, s) => n + s.values[1], 0);
        assert.ok(
          Math.abs(ns - want.us * 1000) <= pprof.samples.length,
          `pprof ${ns} ns, profile ${want.us} µs`,
        );
        const cpuprofile = toCpuProfile(profile, options);
        const { durationUs } = assertCpuProfileRules(cpuprofile);
        assert.equal(cpuprofile.samples.length, want.samples, 'cpuprofile samples');
        assert.ok(Math.abs(durationUs - want.us) <= 1, `cpuprofile ${durationUs} µs, profile ${want.us} µs`);
        const gecko = readGecko(JSON.parse(exportFirefoxProfile(profile, options)));
        assert.equal(
          gecko.threads.reduce((n, t) => n + t.times.length, 0),
          want.samples,
          'Firefox Profiler samples',
        );
      });
    }
  }

  it('merges a library-only stack into "[hidden frames]" and keeps user code under library code', () => {
    const text = exportCollapsed(mixed, exportViewOptions(true));
    assert.equal(
      text,
      'MainThread;[hidden frames] 3\n' +
        'MainThread;<module> (/home/u/app.py:3) 44\n' +
        'MainThread;<module> (/home/u/app.py:5) 25\n' +
        'worker;[hidden frames] 30\n' +
        'worker;job (/home/u/app.py:20) 5\n' +
        'native;[no Python frames] 9\n',
    );
  });

  it('keeps every frame by default, library and start-up frames included', () => {
    const text = exportCollapsed(libraryOnly);
    assert.match(
      text,
      /^MainThread;_run_module_as_main \(.*runpy\.py:198\);main \(.*tool\.py:40\);load \(.*\) 7$/m,
    );
    assert.match(text, /^MainThread;\[no Python frames\] 2$/m);
    const frames = toSpeedscope(libraryOnly).shared.frames.map((f) => f.name);
    assert.deepEqual(frames.sort(), [
      '<module>',
      '[no Python frames]',
      '_run_module_as_main',
      'load',
      'main',
    ]);
  });
});

describe('the CLI formats’ views', () => {
  const base = { hideGc: false, showAll: false, hideLibrary: false };
  it('exports keep every frame unless --hide-library; the text tree hides them unless --show-all', () => {
    for (const format of ['speedscope', 'collapsed', 'pprof', 'cpuprofile', 'firefox'] as const) {
      assert.equal(formatView({ ...base, format }).hideLibrary, false);
      assert.equal(formatView({ ...base, format, showAll: true }).hideLibrary, false);
      assert.equal(formatView({ ...base, format, hideLibrary: true }).hideLibrary, true);
      assert.equal(formatView({ ...base, format, mode: 'cpu' }).mode, 'cpu');
    }
    assert.equal(formatView({ ...base, format: 'text' }).hideLibrary, true);
    assert.equal(formatView({ ...base, format: 'text', showAll: true }).hideLibrary, false);
  });
});
