// Run by the arm64 Node under qemu-user (test/native/arm64Emulated.test.ts): samples process PID
// with the addon at ADDON every INTERVAL_US µs, prints "ready" once the interpreter is read, and
// when the process has exited prints the profile's columns as one JSON line. Plain CommonJS: the
// emulated Node runs it as it is, without the test runner's TypeScript loader.
//   node arm64SampleDriver.cjs ADDON PID INTERVAL_US
'use strict';

const [addon, pid, intervalUs] = process.argv.slice(2);
const { Sampler } = require(addon);

let finishing = false;
const sampler = new Sampler(Number(pid), {
  intervalUs: Number(intervalUs),
  // The interpreter starts slowly under emulation.
  startTimeoutMs: 120_000,
  onProgress(progress) {
    if (!progress.targetAlive && !finishing) {
      finishing = true;
      sampler.finish().then(print, fail);
    }
  },
});

function print(profile) {
  const columns = {};
  for (const [key, value] of Object.entries(profile)) {
    columns[key] = ArrayBuffer.isView(value) ? Array.from(value) : value;
  }
  process.stdout.write(`${JSON.stringify(columns)}\n`);
}

function fail(error) {
  process.stderr.write(`${error.code ?? 'ERROR'}: ${error.message}\n`);
  process.exit(1);
}

sampler.ready().then(() => process.stdout.write('ready\n'), fail);
