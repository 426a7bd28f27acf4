// A mocha reporter that writes one console.log line per event. The extension host forwards
// console output line by line to whoever launched it, where stdout writes would be lost; the
// closing summary line is parsed by test/e2e/run.mjs and scripts/test-electron.mjs.
'use strict';
const Mocha = require('mocha');

/** Marks our lines among everything else the workbench logs. */
const LINE_PREFIX = '[hotpath-e2e] ';
const SUMMARY_PREFIX = `${LINE_PREFIX}summary `;

/** Logs text as lines the launcher shows (each line prefixed). */
function log(text) {
  console.log(
    String(text)
      .split('\n')
      .map((line) => LINE_PREFIX + line)
      .join('\n'),
  );
}
const { EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING } =
  Mocha.Runner.constants;

class LineReporter {
  constructor(runner) {
    const summary = { pass: 0, fail: 0, skipped: 0, failures: [] };
    const indent = () => '  '.repeat(Math.max(0, depth - 1));
    let depth = 0;
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      depth += 1;
      if (suite.title) log(`${indent()}${suite.title}`);
    });
    runner.on('suite end', () => (depth -= 1));
    runner.on(EVENT_TEST_PASS, (test) => {
      summary.pass += 1;
      log(`${indent()}  ✔ ${test.title} (${test.duration} ms)`);
    });
    runner.on(EVENT_TEST_PENDING, (test) => {
      summary.skipped += 1;
      log(`${indent()}  ﹣ ${test.title} # SKIP`);
    });
    runner.on(EVENT_TEST_FAIL, (test, error) => {
      summary.fail += 1;
      const message = error && error.stack ? error.stack : String(error);
      summary.failures.push({ title: test.fullTitle(), message });
      log(`${indent()}  ✖ ${test.title}\n${message.replace(/^/gm, `${indent()}      `)}`);
    });
    runner.once(EVENT_RUN_END, () => {
      console.log(`${SUMMARY_PREFIX}${JSON.stringify(summary)}`);
    });
  }
}

module.exports = { LINE_PREFIX, LineReporter, SUMMARY_PREFIX, log };
