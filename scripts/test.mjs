// `npm test`: every check, in order, each streamed as it runs, then one
// closing line with the totals. Fails if any step fails.
//   lint → typecheck → unit → native (real CPython processes) → e2e (real VS Code)
// Pass step names to run a subset: `npm test -- unit native`. Each step's wall time is printed
// when it ends and again in the closing line, so the cost of the suite stays visible.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const steps = [
  { name: 'lint', cmd: 'npm', args: ['run', '--silent', 'lint'] },
  { name: 'typecheck', cmd: 'npm', args: ['run', '--silent', 'typecheck'] },
  { name: 'unit', cmd: 'npm', args: ['run', '--silent', 'test:unit'], counts: true },
  { name: 'native', cmd: 'npm', args: ['run', '--silent', 'test:native'], counts: true },
  {
    name: 'e2e',
    cmd: 'npm',
    args: ['run', '--silent', 'test:e2e'],
    counts: true,
    when: () => existsSync('test/e2e/run.mjs'),
  },
];

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const failedSteps = [];
/** `name 12.3s` for each step that ran, in order. */
const timings = [];
const suiteStart = performance.now();

function elapsed(since) {
  const s = (performance.now() - since) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

function run(step) {
  return new Promise((resolve) => {
    const child = spawn(step.cmd, step.args, { stdio: ['inherit', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (stream) => (chunk) => {
      stream.write(chunk);
      tail = (tail + chunk.toString()).slice(-200_000);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, tail }));
  });
}

for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  if (step.when && !step.when()) continue;
  process.stdout.write(`\n── ${step.name} ──\n`);
  const stepStart = performance.now();
  const { code, tail } = await run(step);
  const took = elapsed(stepStart);
  timings.push(`${step.name} ${took}`);
  process.stdout.write(`── ${step.name}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${took} ──\n`);
  if (step.counts) {
    // The runner's own closing summary: the last such line (todo listings may follow it).
    const num = (label) => {
      const all = [...tail.matchAll(new RegExp(`[ℹ#] ${label} (\\d+)`, 'g'))];
      return all.length ? Number(all[all.length - 1][1]) : 0;
    };
    passed += num('pass');
    failed += num('fail');
    skipped += num('skipped');
  }
  if (code !== 0) {
    failedSteps.push(step.name);
    if (!step.counts) failed += 1;
  }
}

if (failedSteps.length) process.stdout.write(`\nFailed steps: ${failedSteps.join(', ')}\n`);
process.stdout.write(
  `\n${passed} passed, ${failed} failed, ${skipped} skipped in ${elapsed(suiteStart)} (${timings.join(', ')})\n`,
);
process.exit(failedSteps.length ? 1 : 0);
