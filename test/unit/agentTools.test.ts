import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarizeProfile } from '../../extension/agent/profileSummary';
import { profileConfirmation, profileProgress } from '../../extension/agent/toolMessages';
import { buildProfile } from './helpers/profileBuilder';

const APP = '/home/user/project/app.py';
const LIB = '/home/user/project/lib.py';
const SITE = '/venv/lib/python3.12/site-packages/pkg/mod.py';
const PYTEST = '/venv/lib/python3.12/site-packages/_pytest/python.py';

function profile() {
  return buildProfile({
    samples: [
      // 60 ms in parse (lib.py:7) called from main at app.py:4, through a library call.
      { stack: [`runtest@${PYTEST}:10`, `main@${APP}:4`, `helper@${SITE}:3`, `parse@${LIB}:7`], repeat: 60 },
      // 30 ms in main itself at app.py:5.
      { stack: [`runtest@${PYTEST}:10`, `main@${APP}:5`], repeat: 30 },
      // 10 ms in pytest's own machinery: hidden, but timed.
      { stack: [`runtest@${PYTEST}:10`], repeat: 10 },
    ],
    firstLines: { [`main@${APP}`]: 3, [`parse@${LIB}`]: 6 },
  });
}

const SOURCES: Record<string, string[]> = {
  [APP]: ['', '', 'def main():', '    parse(read())', '    total = sum(range(10**6))'],
  [LIB]: ['', '', '', '', '', 'def parse(text):', '    return [line.split(",") for line in text]'],
};
const sourceLine = (file: string, line: number) => SOURCES[file]?.[line - 1];

test('a profile as text: command, hot lines with their code, functions, call paths', () => {
  const text = summarizeProfile(profile(), { source: '/p/.hotpath/run.hotpath.json', sourceLine });
  const lines = text.split('\n');
  assert.equal(lines[0], 'Command: python3 app.py (in /home/user/project)');
  assert.ok(text.includes('Saved profile: /p/.hotpath/run.hotpath.json'));
  const hot = lines.slice(lines.indexOf('Hot lines (own time · share, then time with callees):') + 1);
  assert.equal(hot[0], '  lib.py:7  60.0 ms · 60.0%  | return [line.split(",") for line in text]');
  assert.equal(hot[1], '  app.py:5  30.0 ms · 30.0%  | total = sum(range(10**6))');
  assert.ok(text.includes('  main  app.py:3  90.0 ms · 90.0% / 30.0 ms'), text);
  assert.ok(text.includes('  parse  lib.py:6  60.0 ms · 60.0% / 60.0 ms'), text);
  // The library in between and pytest's frames are merged away; the path starts at the test.
  assert.ok(text.includes('  60.0 ms · 60.0%  main (app.py:4) > parse (lib.py:7)'), text);
  assert.doesNotMatch(text, /site-packages\/pkg|runtest|helper/);
});

test('one file, fewer items, and a hard cap on the size', () => {
  const text = summarizeProfile(profile(), { file: APP, lines: 1, sourceLine });
  assert.ok(text.includes('Only app.py is listed.'));
  assert.ok(!text.includes('lib.py:7  60'), text);
  assert.ok(text.includes('app.py:5  30.0 ms'), text);
  const small = summarizeProfile(profile(), { maxChars: 400 });
  assert.ok(small.length <= 400, `${small.length} characters`);
  assert.match(small, /… \(cut to stay short/);
});

test('names from the profile are printed as text, controls escaped', () => {
  const hostile = buildProfile({ samples: [{ stack: [`evil\u001b[2J\nname@${APP}:3`], repeat: 5 }] });
  const text = summarizeProfile(hostile);
  assert.ok(!text.includes('\u001b'), 'an escape character reached the text');
  assert.match(text, /evil\\x1b\[2J\\x0aname/);
});

test("the profile tool's confirmation says what will run", () => {
  assert.deepEqual(profileConfirmation({ file: 'app.py', args: ['--fast', 'data.csv'] }), {
    title: 'Run and profile with Hotpath?',
    message:
      "Hotpath will run `app.py --fast data.csv` with the file's Python interpreter and sample where its time goes. " +
      'This runs code of the workspace.',
  });
  assert.match(
    profileConfirmation({ file: 'tests/test_a.py', test: 'TestA::test_b' }).message,
    /the test `TestA::test_b` of `tests\/test_a\.py`/,
  );
  assert.match(profileConfirmation({ file: 'test_a.py', test: '*' }).message, /every test of `test_a\.py`/);
  // A backquote in a name cannot end the code span early.
  assert.match(profileConfirmation({ file: 'a`b.py' }).message, /`a'b\.py`/);
  assert.equal(
    profileProgress({ file: 'test_a.py', test: 'test_b' }),
    'Profiling test_b in test_a.py with Hotpath',
  );
});
