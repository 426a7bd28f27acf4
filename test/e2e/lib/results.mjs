// Counts e2e results across suites (extension host, UI, package) and prints them the way
// node:test does, so scripts/test.mjs adds them to `npm test`'s totals:
//   ✔ name (123 ms) / ✖ name / ﹣ name # SKIP reason, then `ℹ tests N`, `ℹ pass N`, …
import { performance } from 'node:perf_hooks';

export class Results {
  pass = 0;
  fail = 0;
  skipped = 0;
  /** @type {{ name: string, error: string }[]} */
  failures = [];

  passed(name, ms) {
    this.pass += 1;
    process.stdout.write(`✔ ${name}${ms === undefined ? '' : ` (${Math.round(ms)} ms)`}\n`);
  }

  failed(name, error) {
    this.fail += 1;
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.failures.push({ name, error: text });
    process.stdout.write(`✖ ${name}\n${text.replace(/^/gm, '    ')}\n`);
  }

  skip(name, reason) {
    this.skipped += 1;
    process.stdout.write(`﹣ ${name} # SKIP ${reason}\n`);
  }

  /** Adds counts reported by a suite that ran elsewhere (the extension host). */
  add({ pass = 0, fail = 0, skipped = 0, failures = [] }) {
    this.pass += pass;
    this.fail += fail;
    this.skipped += skipped;
    for (const failure of failures) this.failures.push({ name: failure.title, error: failure.message });
  }

  /** Runs one named check: pass, or fail with its error. */
  async run(name, fn) {
    const started = performance.now();
    try {
      await fn();
      this.passed(name, performance.now() - started);
      return true;
    } catch (error) {
      this.failed(name, error);
      return false;
    }
  }

  printSummary(durationMs) {
    const lines = [
      `ℹ tests ${this.pass + this.fail + this.skipped}`,
      `ℹ pass ${this.pass}`,
      `ℹ fail ${this.fail}`,
      `ℹ skipped ${this.skipped}`,
      `ℹ duration_ms ${Math.round(durationMs)}`,
    ];
    if (this.failures.length) {
      process.stdout.write(`\nFailures:\n`);
      for (const failure of this.failures) process.stdout.write(`  ✖ ${failure.name}\n`);
    }
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
