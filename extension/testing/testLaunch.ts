/**
 * How a test is run under the profiler: the framework, the command line
 * (`python -m pytest file.py::Class::test`, `python -m unittest
 * pkg.test_mod.Class.test`), its working directory and `PYTHONPATH`, from the
 * workspace's test settings (the Python extension's `python.testing.*`) passed
 * in as plain values. No `vscode` import.
 */
import * as path from 'node:path';
import type { DiscoveredTest, TestStyle } from './testDiscovery';

export type TestFramework = TestStyle;

/** The `python.testing.*` settings that shape a run, as the workspace has them. */
export interface TestSettings {
  pytestEnabled?: boolean;
  unittestEnabled?: boolean;
  pytestArgs?: readonly string[];
  unittestArgs?: readonly string[];
  /** `python.testing.cwd`, with `${workspaceFolder}` not yet replaced. */
  cwd?: string;
}

export interface TestTarget {
  /** The test file, absolute. */
  file: string;
  /** The test (a function, class or method); undefined for every test of the file. */
  test?: Pick<DiscoveredTest, 'path' | 'style'>;
  /** The file's workspace folder, when it has one. */
  workspaceFolder: string | undefined;
  /** The file says it uses pytest (`mentionsPytest`). */
  mentionsPytest: boolean;
  /** Whether the file has tests only unittest-style (TestCase classes). */
  onlyUnittest: boolean;
}

export interface TestLaunch {
  framework: TestFramework;
  /** What follows the interpreter: `-m pytest …` or `-m unittest …`. */
  args: string[];
  cwd: string;
  /** Folders to put first on PYTHONPATH (unittest's top-level folder, when not the cwd). */
  pythonPath: string[];
  /** Short name for titles: `test_calc.py::TestAdd::test_small`. */
  label: string;
}

/**
 * pytest when the workspace enables it, unittest when only unittest is enabled
 * and the test is a TestCase's; with neither enabled, unittest for a file of
 * TestCases that never mentions pytest (it needs nothing installed), else pytest.
 */
export function chooseFramework(settings: TestSettings, target: TestTarget): TestFramework {
  const style = target.test?.style ?? (target.onlyUnittest ? 'unittest' : 'pytest');
  if (style === 'pytest' || settings.pytestEnabled) return 'pytest';
  if (settings.unittestEnabled) return 'unittest';
  return target.mentionsPytest ? 'pytest' : 'unittest';
}

export function testLaunch(settings: TestSettings, target: TestTarget): TestLaunch {
  const framework = chooseFramework(settings, target);
  const cwd = testCwd(settings.cwd, target);
  const base = path.basename(target.file);
  const names = target.test?.path ?? [];
  const label = [base, ...names].join('::');
  if (framework === 'pytest') {
    const relative = path.relative(cwd, target.file);
    const file = relative.startsWith('..') || path.isAbsolute(relative) ? target.file : relative;
    return {
      framework,
      args: ['-m', 'pytest', ...pytestOptions(settings.pytestArgs ?? []), [file, ...names].join('::')],
      cwd,
      pythonPath: [],
      label,
    };
  }
  const { options, topLevel } = unittestOptions(settings.unittestArgs ?? [], cwd);
  // The module is named from the top-level folder, which unittest puts on sys.path (as discovery does).
  const root = topLevel ?? cwd;
  const module = path.relative(root, target.file).replace(/\.py$/, '').split(path.sep).join('.');
  if (module.startsWith('..') || path.isAbsolute(module) || module.includes('..')) {
    throw new Error(
      `${target.file} is outside ${root}, so unittest cannot import it by name. ` +
        `Set python.testing.cwd or the -t / -s folder of python.testing.unittestArgs to a folder above it.`,
    );
  }
  return {
    framework,
    args: ['-m', 'unittest', ...options, [module, ...names].join('.')],
    cwd,
    pythonPath: root === cwd ? [] : [root],
    label,
  };
}

/** `python.testing.cwd`, else the workspace folder, else the file's folder. */
function testCwd(setting: string | undefined, target: TestTarget): string {
  const fallback = target.workspaceFolder ?? path.dirname(target.file);
  const trimmed = (setting ?? '').trim();
  if (!trimmed) return fallback;
  const replaced = trimmed
    .replace(/\$\{workspaceFolder\}/g, fallback)
    .replace(/\$\{fileDirname\}/g, path.dirname(target.file));
  return path.resolve(fallback, replaced);
}

/** pytest options that take the next argument as their value. */
const PYTEST_VALUE_OPTIONS = new Set([
  '-k',
  '-m',
  '-p',
  '-c',
  '-o',
  '-W',
  '-r',
  '--rootdir',
  '--confcutdir',
  '--basetemp',
  '--junitxml',
  '--junit-xml',
  '--maxfail',
  '--deselect',
  '--ignore',
  '--ignore-glob',
  '--tb',
  '--durations',
  '--import-mode',
  '--log-level',
  '--log-file',
  '--log-cli-level',
  '--override-ini',
  '--config-file',
  '--capture',
  '--cov',
  '--cov-report',
  '--cov-config',
  '--dist',
]);

/**
 * `python.testing.pytestArgs` without its files and folders: those choose
 * what to collect, and would run more than the one test asked for.
 */
export function pytestOptions(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-')) continue;
    // pytest-xdist would run the test in worker processes the profiler does not follow.
    if (arg === '-n' || arg === '--numprocesses') {
      i++;
      continue;
    }
    if (/^(-n\S|--numprocesses=)/.test(arg)) continue;
    out.push(arg);
    if (PYTEST_VALUE_OPTIONS.has(arg) && i + 1 < args.length) out.push(args[++i]);
  }
  return out;
}

/**
 * `python.testing.unittestArgs` are discovery's (`-v -s ./tests -p test_*.py`):
 * keep what also applies to a named test (`-v`, `-q`, `-f`, `-c`, `-b`, `-k`)
 * and take the top-level folder from `-t` (or the start folder `-s`).
 */
export function unittestOptions(
  args: readonly string[],
  cwd: string,
): { options: string[]; topLevel: string | undefined } {
  const options: string[] = [];
  let start: string | undefined;
  let top: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => (i + 1 < args.length ? args[++i] : undefined);
    if (arg === '-s' || arg === '--start-directory') start = value();
    else if (arg === '-t' || arg === '--top-level-directory') top = value();
    else if (arg === '-p' || arg === '--pattern') value();
    else if (arg === '-k') {
      const pattern = value();
      if (pattern !== undefined) options.push(arg, pattern);
    } else if (/^-(v|q|f|c|b)$|^--(verbose|quiet|failfast|catch|buffer|locals|durations)/.test(arg)) {
      options.push(arg);
    }
  }
  const folder = top ?? start;
  return { options, topLevel: folder === undefined ? undefined : path.resolve(cwd, folder) };
}

/** What a test run's exit code says, for the user; undefined when the tests passed. */
export function testOutcome(framework: TestFramework, exitCode: number | null): string | undefined {
  if (exitCode === 0) return undefined;
  if (exitCode === null) return 'did not finish';
  if (exitCode === 1) return 'failed';
  if (exitCode === 5) return 'found no test to run';
  if (framework === 'pytest') {
    if (exitCode === 2) return 'was interrupted (or a test file could not be imported)';
    if (exitCode === 3) return 'hit an internal pytest error';
    if (exitCode === 4) return 'was refused by pytest (a usage error, or pytest is not installed)';
  }
  return `exited with code ${exitCode}`;
}
