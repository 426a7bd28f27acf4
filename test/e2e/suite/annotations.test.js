'use strict';
const assert = require('node:assert/strict');
const { before, describe, it } = require('mocha');
const {
  TIME_PATTERN,
  activateHotpath,
  awaitHotpathLenses,
  hoverText,
  lineOf,
  openFile,
  profileActiveFile,
  readProfile,
} = require('./helpers');

// word_frequency.py spends most of its time in the list-membership test of unique_words.
const EXAMPLE = 'word_frequency.py';
const HOT_CODE = 'if word not in vocabulary:';

describe('annotations after Profile Current File', () => {
  let opened;
  let profile;

  before(async () => {
    await activateHotpath();
    opened = await openFile(EXAMPLE);
    profile = readProfile(await profileActiveFile());
  });

  it('saves a profile of the file with samples on the hot line', () => {
    assert.equal(profile.format, 'hotpath-profile');
    assert.ok(profile.samples.stack.length > 100, `only ${profile.samples.stack.length} samples`);
    const hotLine = lineOf(opened.document, HOT_CODE) + 1;
    const fileIndex = profile.strings.findIndex((s) => s.endsWith(`/${EXAMPLE}`));
    assert.ok(fileIndex >= 0, `${EXAMPLE} is not in the profile's strings`);
    const frames = profile.frames.line
      .map((line, frame) => ({ line, frame }))
      .filter(
        ({ frame }) => profile.frames.file[frame] === fileIndex && profile.frames.line[frame] === hotLine,
      );
    assert.ok(frames.length > 0, `no frame of ${EXAMPLE}:${hotLine}`);
  });

  it('paints the hot line, and no line that never ran', async () => {
    const api = await activateHotpath();
    const shown = api.annotations(opened.uri);
    assert.ok(shown && shown.length > 0, 'no annotations shown for the file');
    const hotLine = lineOf(opened.document, HOT_CODE) + 1;
    const hot = shown.find((line) => line.line === hotLine);
    assert.ok(hot, `no annotation on line ${hotLine}; annotated: ${shown.map((l) => l.line)}`);
    assert.match(hot.inline || '', TIME_PATTERN);
    assert.ok(hot.hot, 'the hot line is not marked hot');
    // The module docstring (lines 1–6) never runs.
    assert.deepEqual(
      shown.filter((line) => line.line >= 2 && line.line <= 6).map((line) => line.line),
      [],
    );
  });

  it('shows a CodeLens with times above the profiled functions', async () => {
    const lenses = await awaitHotpathLenses(opened.uri);
    const defLine = lineOf(opened.document, 'def unique_words');
    const lens = lenses.find((candidate) => candidate.range.start.line === defLine);
    assert.ok(
      lens,
      `no lens on line ${defLine + 1} (def unique_words); lenses on ${lenses.map((l) => l.range.start.line + 1)}`,
    );
    assert.match(lens.command.title, TIME_PATTERN);
    assert.match(lens.command.title, /%/);
  });

  it('explains the hot line in its hover', async () => {
    const hot = lineOf(opened.document, HOT_CODE);
    const text = await hoverText(opened.uri, hot, 12);
    assert.match(text, /Hotpath/);
    assert.match(text, new RegExp(`line ${hot + 1}\\b`));
    assert.match(text, TIME_PATTERN);
    // Its own (self) share must dominate: the profiled program spends most of its time here.
    const self = /\|\s*self\s*\|[^|]*\|\s*([\d.]+)\s*%/.exec(text);
    assert.ok(self, `no self share in the hover:\n${text}`);
    assert.ok(Number(self[1]) >= 20, `self share of the hot line is only ${self[1]}%`);
  });

  it('has no hover on a line that never ran', async () => {
    // Line 3 is inside the module docstring.
    const text = await hoverText(opened.uri, 2, 2);
    assert.doesNotMatch(text, /Hotpath/);
  });
});
