/**
 * "Profile test" above each pytest and unittest test function and class of a
 * test file (`test_*.py`, `*_test.py`, or any file with TestCase classes),
 * found by parsing the document (nothing is imported). Off with
 * `hotpath.testCodeLens`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { commandCall } from '../contributions/commandIds';
import { setting, settingChanged } from '../contributions/settings';
import { discoverTests, type DiscoveredTest } from '../testing/testDiscovery';

/** pytest's default `python_files`; unittest's `test*.py` is wider, and its tests are found by class. */
const TEST_FILE = /^(test_.*|.*_test)\.py$/;

export class TestLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly watcher = vscode.workspace.onDidChangeConfiguration((event) => {
    if (settingChanged(event, 'testCodeLens')) this.changed.fire();
  });
  /** The last parse per document version: lenses are asked for on every scroll and edit pause. */
  private readonly parsed = new Map<string, { version: number; tests: DiscoveredTest[] }>();

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return [];
    if (!setting('testCodeLens', document.uri)) return [];
    const tests = this.testsOf(document).filter(
      (test) => test.style === 'unittest' || TEST_FILE.test(path.basename(document.uri.fsPath)),
    );
    return tests.map((test) => {
      const what = test.kind === 'class' ? `the tests of ${test.path.join('::')}` : test.path.join('::');
      return new vscode.CodeLens(new vscode.Range(test.line, 0, test.line, 0), {
        title: test.kind === 'class' ? '$(flame) Profile tests' : '$(flame) Profile test',
        tooltip: `Run ${what}${test.parametrized ? ' (every case)' : ''} under Hotpath and paint where the time goes`,
        ...commandCall('hotpath.profileTest', document.uri, test.path),
      });
    });
  }

  private testsOf(document: vscode.TextDocument): DiscoveredTest[] {
    const key = document.uri.toString();
    const cached = this.parsed.get(key);
    if (cached && cached.version === document.version) return cached.tests;
    const tests = discoverTests(document.getText());
    this.parsed.set(key, { version: document.version, tests });
    return tests;
  }

  /** Forgets a closed document's parse. */
  forget(document: vscode.TextDocument): void {
    this.parsed.delete(document.uri.toString());
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
