import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadProfile, saveProfile } from '../../extension/format/profileFile';
import { ProfileFormatError } from '../../extension/format/formatError';
import type { ProfileFormatErrorCode } from '../../extension/format/formatError';
import { buildProfile } from './helpers/profileBuilder';

const profile = buildProfile({
  threads: [{ name: 'MainThread' }, { name: 'wörker </script>', tid: 77 }],
  firstLines: { 'work@app.py': 8 },
  samples: [
    { stack: ['main@app.py:1', 'work@app.py:9'], repeat: 3 },
    { stack: ['main@app.py:2'], onCpu: false, repeat: 2 },
    { stack: [], thread: 1, repeat: 1 },
    { stack: ['run@../ü/naïve;path.py:4'], thread: 1, time: 1234.567 },
  ],
});

/** The saved profile as an object to poke at. */
function saved(): Record<string, Record<string, unknown>> {
  return JSON.parse(saveProfile(profile));
}

function rejects(text: string, code: ProfileFormatErrorCode, message: RegExp): void {
  assert.throws(
    () => loadProfile(text),
    (error: unknown) => {
      assert.ok(error instanceof ProfileFormatError, `not a ProfileFormatError: ${String(error)}`);
      assert.equal(error.code, code);
      assert.match(error.message, message);
      return true;
    },
  );
}

function withChange(change: (file: Record<string, Record<string, unknown>>) => void): string {
  const file = saved();
  change(file);
  return JSON.stringify(file);
}

describe('profile file', () => {
  it('round-trips every column, thread, meta and stat', () => {
    const text = saveProfile(profile);
    const loaded = loadProfile(text);
    assert.deepEqual(loaded, profile);
    assert.equal(saveProfile(loaded), text);
  });

  it('starts with the format name and version and delta-encodes times in nanoseconds', () => {
    const file = saved();
    assert.equal(file.format as unknown, 'hotpath-profile');
    assert.equal(file.version as unknown, 3);
    assert.deepEqual(
      (file.samples.timeDeltaNs as number[]).slice(0, 4),
      [0, 1_000_000, 1_000_000, 1_000_000],
    );
  });

  it('keeps when sampling went back to normal priority, and leaves the field out when it never did', () => {
    const busy = { ...profile, stats: { ...profile.stats, normalPrioritySinceUs: 250_500.5 } };
    assert.equal(loadProfile(saveProfile(busy)).stats.normalPrioritySinceUs, 250_500.5);
    assert.ok(!('normalPrioritySinceUs' in loadProfile(saveProfile(profile)).stats));
  });

  it('keeps the dropped samples by reason, and leaves the field out when the profile had none', () => {
    const torn = {
      ...profile,
      stats: { ...profile.stats, droppedSamples: 4, droppedByReason: { loop: 3, cutShort: 1 } },
    };
    assert.deepEqual(loadProfile(saveProfile(torn)).stats.droppedByReason, { loop: 3, cutShort: 1 });
    assert.ok(!('droppedByReason' in loadProfile(saveProfile(profile)).stats));
  });

  it('keeps the recovered flag and sub-microsecond times', () => {
    const recovered = { ...profile, meta: { ...profile.meta, recovered: true } };
    const loaded = loadProfile(saveProfile(recovered));
    assert.equal(loaded.meta.recovered, true);
    assert.equal(loaded.sampleTime[loaded.sampleTime.length - 1], 1234.567);
  });

  describe('rejects with a clear error', () => {
    it('text that is not JSON or is truncated', () => {
      rejects('', 'HOTPATH_PROFILE_NOT_JSON', /not valid JSON/);
      rejects(saveProfile(profile).slice(0, 200), 'HOTPATH_PROFILE_NOT_JSON', /truncated or corrupt/);
    });

    it('JSON that is not a profile', () => {
      rejects('[]', 'HOTPATH_PROFILE_NOT_A_PROFILE', /not a Hotpath profile/);
      rejects('null', 'HOTPATH_PROFILE_NOT_A_PROFILE', /not a Hotpath profile/);
      rejects('{"format":"speedscope"}', 'HOTPATH_PROFILE_NOT_A_PROFILE', /"format": "hotpath-profile"/);
    });

    it('a future or unknown version', () => {
      rejects(
        withChange((f) => ((f as Record<string, unknown>).version = 4)),
        'HOTPATH_PROFILE_FUTURE_VERSION',
        /newer Hotpath.*Update/,
      );
      rejects(
        withChange((f) => ((f as Record<string, unknown>).version = '1')),
        'HOTPATH_PROFILE_INVALID',
        /^version/,
      );
      rejects(
        withChange((f) => ((f as Record<string, unknown>).version = 0)),
        'HOTPATH_PROFILE_INVALID',
        /^version/,
      );
    });

    const cases: [string, (f: Record<string, Record<string, unknown>>) => void, RegExp][] = [
      ['missing section', (f) => delete f.frames, /^frames: expected an object, found undefined/],
      [
        'string of the wrong type',
        (f) => ((f as Record<string, unknown>).strings = ['a', 5]),
        /^strings\[1\]: expected a string/,
      ],
      ['string with NUL', (f) => ((f as Record<string, unknown>).strings = ['a\0b']), /NUL/],
      ['huge string', (f) => ((f as Record<string, unknown>).strings = ['x'.repeat(70_000)]), /longer than/],
      [
        'frame file out of range',
        (f) => ((f.frames.file as number[])[0] = 999),
        /^frames\.file\[0\]: expected an integer from 0 to/,
      ],
      ['negative line', (f) => ((f.frames.line as number[])[1] = -1), /^frames\.line\[1\]/],
      ['fractional line', (f) => ((f.frames.line as number[])[1] = 1.5), /^frames\.line\[1\]/],
      ['huge line', (f) => ((f.frames.firstLine as number[])[0] = 1e300), /^frames\.firstLine\[0\]/],
      [
        'line as a string',
        (f) => ((f.frames.line as unknown[])[0] = '7'),
        /^frames\.line\[0\].*the string "7"/,
      ],
      [
        'column length mismatch',
        (f) => (f.frames.name as number[]).pop(),
        /^frames\.name: expected 4 entries, found 3/,
      ],
      [
        'stack parent after the stack',
        (f) => ((f.stacks.parent as number[])[0] = 1),
        /^stacks\.parent\[0\]: a stack's parent must come before it/,
      ],
      ['stack frame out of range', (f) => ((f.stacks.frame as number[])[0] = 99), /^stacks\.frame\[0\]/],
      ['sample stack out of range', (f) => ((f.samples.stack as number[])[0] = 50), /^samples\.stack\[0\]/],
      ['sample stack below -1', (f) => ((f.samples.stack as number[])[0] = -2), /^samples\.stack\[0\]/],
      ['sample thread out of range', (f) => ((f.samples.thread as number[])[2] = 2), /^samples\.thread\[2\]/],
      ['onCpu not 0 or 1', (f) => ((f.samples.onCpu as number[])[0] = 2), /^samples\.onCpu\[0\]/],
      [
        'time delta not an integer',
        (f) => ((f.samples.timeDeltaNs as number[])[1] = 0.5),
        /^samples\.timeDeltaNs\[1\]/,
      ],
      [
        'time overflowing',
        (f) => ((f.samples.timeDeltaNs as number[])[1] = 9_007_199_254_740_000),
        /^samples\.timeDeltaNs\[2\]: time is out of range/,
      ],
      [
        'thread ident not a number',
        (f) =>
          (((f as unknown as Record<string, unknown[]>).threads[0] as Record<string, unknown>).ident = '0x1'),
        /^threads\[0\]\.ident/,
      ],
      [
        'thread as a string',
        (f) => ((f as unknown as Record<string, unknown[]>).threads[1] = 'x'),
        /^threads\[1\]: expected an object/,
      ],
      ['meta interval zero', (f) => (f.meta.intervalUs = 0), /^meta\.intervalUs/],
      ['meta argv of numbers', (f) => (f.meta.argv = [1]), /^meta\.argv\[0\]/],
      ['meta exit code as text', (f) => (f.meta.exitCode = 'ok'), /^meta\.exitCode/],
      ['meta recovered as text', (f) => (f.meta.recovered = 'yes'), /^meta\.recovered/],
      ['stats negative', (f) => (f.stats.samples = -1), /^stats\.samples/],
      [
        'stats drop reason as text',
        (f) => (f.stats.droppedByReason = { loop: 'many' }),
        /^stats\.droppedByReason\.loop/,
      ],
      ['stats drop reasons as a list', (f) => (f.stats.droppedByReason = [1]), /^stats\.droppedByReason/],
      [
        'stats priority time negative',
        (f) => (f.stats.normalPrioritySinceUs = -1),
        /^stats\.normalPrioritySinceUs/,
      ],
    ];
    for (const [name, change, message] of cases) {
      it(name, () => rejects(withChange(change), 'HOTPATH_PROFILE_INVALID', message));
    }
  });

  it('loads hostile but well-formed strings as plain data', () => {
    const hostile = buildProfile({
      threads: [{ name: '\u001b[31mred\u001b[0m' }],
      samples: [{ stack: ['<img src=x onerror=alert(1)>@../../etc/passwd</script>:1'] }],
    });
    const loaded = loadProfile(saveProfile(hostile));
    assert.ok(loaded.strings.includes('../../etc/passwd</script>'));
    assert.equal(loaded.threads[0].name, '\u001b[31mred\u001b[0m');
  });
});

describe('profile file saving', () => {
  it('never writes a string the loader would refuse', () => {
    const odd = buildProfile({ samples: [{ stack: ['a\0b@x.py:1'] }] });
    odd.strings.push('y'.repeat(70_000));
    const loaded = loadProfile(saveProfile(odd));
    assert.ok(loaded.strings.includes('a\uFFFDb'));
    assert.equal(loaded.strings[loaded.strings.length - 1].length, 65_536);
  });
});
