// `npm run test:e2e`: the extension as users get it, in a real VS Code.
//   1. package: what the VSIX holds
//   2. start: `npm start` serves the examples and stops on Ctrl-C
//   3. extension host: test/e2e/suite/*.test.js inside code-server's extension host
//   4. ui: Playwright in Chromium, clicking through the workbench
//   5. trust: suite/trust.test.js in a workbench with Workspace Trust on (an untrusted folder)
// Builds and packages first when the sources are newer than the VSIX, installs code-server
// into test/e2e/.tools/ on first use, and runs one server at a time. Screenshots and server logs
// go to artifacts/e2e/. Closes with node:test-style counts for scripts/test.mjs.
//
// Usage: node test/e2e/run.mjs [package] [start] [extension-host] [ui] [trust]   (default: all)
// Env: HOTPATH_E2E_ONLY=<file name part> / HOTPATH_E2E_GREP=<pattern> narrow the
// extension-host suite; HOTPATH_CHROMIUM=<path> picks the browser.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { codeServerInstalled, ensureCodeServer, TOOLS_DIR } from '../../scripts/ensure-code-server.mjs';
import { packageExtension, vsixPath } from '../../scripts/package.mjs';
import { pytestPython } from '../../scripts/pytest-venv.mjs';
import { runExtensionHostSuite } from './extensionHostSuite.mjs';
import { findChromium } from './lib/browser.mjs';
import { Results } from './lib/results.mjs';
import { acquireRunLock } from './lib/runLock.mjs';
import { ROOT } from './lib/workspace.mjs';
import { runPackageSuite } from './packageSuite.mjs';
import { runStartSuite } from './startSuite.mjs';
import { runTrustSuite } from './trustSuite.mjs';
import { runUiSuite } from './uiSuite.mjs';

const SUITES = ['package', 'start', 'extension-host', 'ui', 'trust'];
const ARTIFACTS = path.join(ROOT, 'artifacts', 'e2e');
// What the VSIX is made from: newer than the VSIX means package again.
const PACKAGE_INPUTS = [
  'extension',
  'webview',
  'build/Release/hotpath.node',
  'package.json',
  '.vscodeignore',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'scripts/build.mjs',
];

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stats = statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

function needsPackaging(vsix) {
  if (!existsSync(vsix)) return true;
  const built = statSync(vsix).mtimeMs;
  return PACKAGE_INPUTS.some((input) => newestMtime(path.join(ROOT, input)) > built);
}

async function main() {
  const started = performance.now();
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !SUITES.includes(name));
  if (unknown.length) {
    process.stderr.write(`Unknown suite(s) ${unknown.join(', ')}; choose from ${SUITES.join(', ')}.\n`);
    return 2;
  }
  const suites = requested.length ? requested : SUITES;
  const results = new Results();

  await acquireRunLock((message) => process.stdout.write(message));
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });

  let vsix = vsixPath();
  if (needsPackaging(vsix)) {
    process.stdout.write('Building and packaging the VSIX…\n');
    vsix = await packageExtension();
  } else {
    process.stdout.write(`Using ${path.relative(ROOT, vsix)} (up to date).\n`);
  }

  if (suites.includes('package')) await runPackageSuite({ vsix, results });

  const serverSuites = suites.filter((suite) => suite !== 'package');
  // Suites that drive the workbench in a browser; `start` only needs the server.
  const browserSuites = new Set(['extension-host', 'ui', 'trust']);
  const hasChromium = Boolean(findChromium());
  if (serverSuites.length && !codeServerInstalled()) {
    process.stdout.write(`Installing code-server into ${TOOLS_DIR} (first run only, about 3 minutes)…\n`);
    const installStarted = performance.now();
    await ensureCodeServer();
    const seconds = ((performance.now() - installStarted) / 1000).toFixed(0);
    process.stdout.write(`code-server installed in ${seconds} s.\n`);
  }
  if (serverSuites.length) {
    // Profile test runs real pytest: an environment with it, which the servers' extension hosts
    // and the UI suite find in these variables (made once, about 10 s; kept in test/.work/).
    const pytest = pytestPython();
    if ('python' in pytest) process.env.HOTPATH_E2E_PYTEST_PYTHON = pytest.python;
    else process.env.HOTPATH_E2E_PYTEST_MISSING = pytest.missing;
  }
  for (const suite of serverSuites) {
    if (browserSuites.has(suite) && !hasChromium) {
      // The one environment where these tests cannot run: no browser to drive the workbench.
      results.skip(
        `${suite} suite`,
        'Chromium is not installed (run .ci/install-system-deps or `apt-get install chromium`, or set HOTPATH_CHROMIUM)',
      );
      continue;
    }
    process.stdout.write(`\n── e2e: ${suite} ──\n`);
    const artifacts = path.join(ARTIFACTS, suite);
    mkdirSync(artifacts, { recursive: true });
    if (suite === 'start') await runStartSuite({ results });
    else if (suite === 'extension-host') await runExtensionHostSuite({ vsix, artifacts, results });
    else if (suite === 'trust') await runTrustSuite({ vsix, artifacts, results });
    else await runUiSuite({ vsix, artifacts, results });
  }

  results.printSummary(performance.now() - started);
  process.stdout.write(`Screenshots and logs: ${path.relative(process.cwd(), ARTIFACTS) || '.'}\n`);
  return results.fail > 0 ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.stdout.write('ℹ tests 1\nℹ pass 0\nℹ fail 1\nℹ skipped 0\n');
  process.exitCode = 1;
}
