/**
 * Finds the tests of a Python file the way pytest and unittest collect them
 * by default, from the source alone (nothing is imported or run): module-level
 * `test*` functions, `Test*` classes (nested ones too) and their `test*`
 * methods, and `unittest.TestCase` subclasses (whatever their name) with their
 * `test*` methods. Decorated, async and parametrised tests are tests like any
 * other; a parametrised test is run with all of its cases. No `vscode` import.
 */
import { logicalLines } from './pythonLines';

export type TestStyle = 'pytest' | 'unittest';

export interface DiscoveredTest {
  /** Names from the module down: `['test_sum']`, `['TestMath']`, `['TestMath', 'test_add']`. */
  path: string[];
  kind: 'function' | 'class';
  /** unittest: in (or being) a TestCase subclass, which `python -m unittest` can run; else pytest. */
  style: TestStyle;
  /** 0-based line of the `def` or `class`. */
  defLine: number;
  /** 0-based line of its first decorator, or of the `def`/`class` itself: where a CodeLens goes. */
  line: number;
  /** Decorated with `parametrize` (pytest runs every case). */
  parametrized: boolean;
}

interface Scope {
  indent: number;
  kind: 'class' | 'def';
  /** Test class path, for classes that collect tests. */
  path?: string[];
  style?: TestStyle;
}

const IDENTIFIER = String.raw`[\p{L}_][\p{L}\p{N}_]*`;
const DEF = new RegExp(String.raw`^(?:async\s+)?def\s+(${IDENTIFIER})`, 'u');
const CLASS = new RegExp(String.raw`^class\s+(${IDENTIFIER})\s*(?:\[[^\]]*\]\s*)?(?:\((.*)\))?\s*:`, 'u');
/** A base naming a TestCase: `unittest.TestCase`, `TestCase`, `IsolatedAsyncioTestCase`, Django's. */
const TESTCASE_BASE = /(^|\.)\w*TestCase$/;

export function discoverTests(source: string): DiscoveredTest[] {
  const tests: DiscoveredTest[] = [];
  const stack: Scope[] = [];
  /** Classes of this file that are TestCases, so their subclasses are too. */
  const testCaseClasses = new Set<string>();
  let decoratorLine: number | undefined;
  let parametrized = false;

  for (const { line, indent, text } of logicalLines(source)) {
    while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
    const parent = stack[stack.length - 1];
    if (text.startsWith('@')) {
      decoratorLine ??= line;
      if (/\bparametri[sz]e\b/.test(text)) parametrized = true;
      continue;
    }
    const lensLine = decoratorLine ?? line;
    const wasParametrized = parametrized;
    decoratorLine = undefined;
    parametrized = false;

    const def = DEF.exec(text);
    if (def) {
      const name = def[1];
      // Tests live at module level or in a test class; a def inside a def is a helper.
      const collects = parent === undefined || parent.path !== undefined;
      if (collects && name.startsWith('test')) {
        tests.push({
          path: [...(parent?.path ?? []), name],
          kind: 'function',
          style: parent?.style ?? 'pytest',
          defLine: line,
          line: lensLine,
          parametrized: wasParametrized,
        });
      }
      stack.push({ indent, kind: 'def' });
      continue;
    }
    const cls = CLASS.exec(text);
    if (cls) {
      const name = cls[1];
      const bases = splitBases(cls[2] ?? '');
      const isTestCase = bases.some((base) => TESTCASE_BASE.test(base) || testCaseClasses.has(base));
      const underTestClass = parent !== undefined && parent.path !== undefined;
      const collects = parent === undefined || underTestClass;
      let scope: Scope = { indent, kind: 'class' };
      if (collects && isTestCase && parent === undefined) {
        testCaseClasses.add(name);
        scope = { indent, kind: 'class', path: [name], style: 'unittest' };
      } else if (collects && name.startsWith('Test')) {
        scope = { indent, kind: 'class', path: [...(parent?.path ?? []), name], style: 'pytest' };
      }
      if (scope.path) {
        tests.push({
          path: scope.path,
          kind: 'class',
          style: scope.style!,
          defLine: line,
          line: lensLine,
          parametrized: wasParametrized,
        });
      }
      stack.push(scope);
    }
  }
  // A class with no test in it is nothing to run.
  return tests.filter(
    (test) =>
      test.kind === 'function' ||
      tests.some((other) => other.kind === 'function' && startsWith(other.path, test.path)),
  );
}

/** True when the file itself says it uses pytest (imports it, or its fixtures and marks). */
export function mentionsPytest(source: string): boolean {
  return /^\s*(import\s+pytest\b|from\s+_?pytest\b)/m.test(source);
}

function splitBases(bases: string): string[] {
  return bases
    .split(',')
    .map((base) => base.trim())
    .filter((base) => base !== '' && !base.includes('='));
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return path.length > prefix.length && prefix.every((name, i) => path[i] === name);
}
