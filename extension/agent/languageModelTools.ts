/**
 * Hotpath for the editor's AI agent: two language model tools, declared in package.json
 * (`contributes.languageModelTools`) and registered here.
 *
 * - `hotpath_profile` runs a Python file, or a test of it, under the profiler exactly as the
 *   commands do (same interpreter, settings, terminal, annotations and panel) and answers with
 *   the profile as compact text. It runs the workspace's code: VS Code asks the user to confirm
 *   first (`prepareInvocation`'s confirmation), and an untrusted workspace runs nothing.
 * - `hotpath_readProfile` answers with the profile shown now (the last run or opened) or a saved
 *   `.hotpath.json`, as the same text; it runs nothing.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadProfileFile } from '../commands/profileFileIo';
import { profileFile } from '../commands/profileFileCommands';
import { profileTests } from '../commands/profileTestCommands';
import type { Services } from '../commands/services';
import type { RawProfile } from '../model/rawProfile';
import { discoverTests } from '../testing/testDiscovery';
import { summarizeWithSources, type SummaryOptions } from './profileSummary';
import { isEveryTest, profileConfirmation, profileProgress } from './toolMessages';

export const PROFILE_TOOL = 'hotpath_profile';
export const READ_PROFILE_TOOL = 'hotpath_readProfile';

/** What the summary lists: the same knobs in both tools' inputs. */
interface SummaryInput {
  lines?: number;
  functions?: number;
  paths?: number;
  /** `wall` (default) or `cpu`. */
  mode?: string;
}

interface ProfileInput extends SummaryInput {
  /** A .py file: absolute, or relative to a workspace folder. */
  file: string;
  /** A test of the file (`test_x`, `TestX`, `TestX::test_y`, a pytest node id) or `*` for all. */
  test?: string;
  /** Arguments for a script (not for tests). */
  args?: string[];
}

interface ReadInput extends SummaryInput {
  /** A saved `.hotpath.json`; the profile shown now when absent. */
  profile?: string;
  /** Only this source file's lines and functions. */
  file?: string;
}

export function registerLanguageModelTools(services: Services): vscode.Disposable[] {
  // An editor without the language model API (older than the engine asks for) simply has no tools.
  if (typeof vscode.lm?.registerTool !== 'function') return [];
  return [
    vscode.lm.registerTool<ProfileInput>(PROFILE_TOOL, new ProfileTool(services)),
    vscode.lm.registerTool<ReadInput>(READ_PROFILE_TOOL, new ReadProfileTool(services)),
  ];
}

class ProfileTool implements vscode.LanguageModelTool<ProfileInput> {
  constructor(private readonly services: Services) {}

  prepareInvocation(
    options: vscode.LanguageModelToolInvocationPrepareOptions<ProfileInput>,
  ): vscode.PreparedToolInvocation {
    const { title, message } = profileConfirmation(options.input);
    return {
      invocationMessage: profileProgress(options.input),
      confirmationMessages: { title, message: new vscode.MarkdownString(message) },
    };
  }

  async invoke(
    options: vscode.LanguageModelToolInvocationOptions<ProfileInput>,
  ): Promise<vscode.LanguageModelToolResult> {
    const { services } = this;
    const input = options.input;
    if (!vscode.workspace.isTrusted) {
      throw new Error(
        'Hotpath runs no code in an untrusted workspace; the user must trust the workspace first. [HOTPATH_UNTRUSTED]',
      );
    }
    if (services.runs.running) {
      throw new Error(
        'A Hotpath profile is already running; wait for it to end or stop it (Hotpath: Stop Profiling).',
      );
    }
    const uri = await resolvePythonFile(input.file);
    const before = services.annotations.current?.raw;
    let testNote = '';
    if (input.test) {
      const testPath = await findTest(uri, input.test);
      await profileTests(services, uri, testPath);
      testNote = describeTestRun(input.test);
    } else {
      const args = Array.isArray(input.args) ? input.args.map(String) : [];
      await profileFile(services, uri, { kind: 'given', args, remember: false });
    }
    const shown = services.annotations.current;
    if (!shown || shown.raw === before) {
      throw new Error(
        `The run of ${input.file} gave no profile: it could not start, failed before its own code ran, ` +
          `or ended before Python could be sampled. Its output is in the Hotpath terminal.`,
      );
    }
    const outcome = input.test ? testOutcomeLine(shown.raw) : '';
    return textResult(
      testNote +
        outcome +
        (await summarizeWithSources(shown.raw, { ...summaryOptions(input), source: shown.source?.fsPath })),
    );
  }
}

class ReadProfileTool implements vscode.LanguageModelTool<ReadInput> {
  constructor(private readonly services: Services) {}

  prepareInvocation(
    options: vscode.LanguageModelToolInvocationPrepareOptions<ReadInput>,
  ): vscode.PreparedToolInvocation {
    return {
      invocationMessage: options.input.profile
        ? `Reading the Hotpath profile ${options.input.profile}`
        : 'Reading the last Hotpath profile',
    };
  }

  async invoke(
    options: vscode.LanguageModelToolInvocationOptions<ReadInput>,
  ): Promise<vscode.LanguageModelToolResult> {
    const input = options.input;
    let profile: RawProfile;
    let source: string | undefined;
    if (input.profile) {
      source = resolvePath(input.profile);
      if (!source.endsWith('.json')) {
        throw new Error(`${input.profile} is not a Hotpath profile (.hotpath.json).`);
      }
      try {
        profile = await loadProfileFile(source);
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'HOTPATH_PROFILE_UNREADABLE';
        throw new Error(`Cannot read ${input.profile}: ${(error as Error).message} [${code}]`);
      }
    } else {
      const shown = this.services.annotations.current;
      if (!shown) {
        throw new Error(
          `There is no Hotpath profile yet: profile a file or a test (${PROFILE_TOOL}), or name a saved .hotpath.json.`,
        );
      }
      profile = shown.raw;
      source = shown.source?.fsPath;
    }
    const file = input.file ? resolvePath(input.file) : undefined;
    return textResult(await summarizeWithSources(profile, { ...summaryOptions(input), source, file }));
  }
}

function textResult(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}

function summaryOptions(input: SummaryInput): SummaryOptions {
  const number = (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  return {
    lines: number(input.lines),
    functions: number(input.functions),
    paths: number(input.paths),
    mode: input.mode === 'cpu' || input.mode === 'gil' ? input.mode : 'wall',
  };
}

/** An absolute path, or one relative to the workspace folder that has it (else the first). */
function resolvePath(file: string): string {
  if (path.isAbsolute(file)) return path.normalize(file);
  const folders = vscode.workspace.workspaceFolders ?? [];
  for (const folder of folders) {
    const candidate = path.join(folder.uri.fsPath, file);
    if (folders.length === 1 || candidate.startsWith(folder.uri.fsPath)) return candidate;
  }
  throw new Error(`${file} is a relative path and no folder is open; give an absolute path.`);
}

async function resolvePythonFile(file: unknown): Promise<vscode.Uri> {
  if (typeof file !== 'string' || file.trim() === '')
    throw new Error('Give the Python file to profile (`file`).');
  const resolved = resolvePath(file.trim());
  if (!/\.pyw?$/i.test(resolved))
    throw new Error(`${file} is not a Python (.py) file. [HOTPATH_NOT_PYTHON_FILE]`);
  try {
    if (!(await fs.stat(resolved)).isFile()) throw new Error('not a file');
  } catch {
    throw new Error(`${resolved} does not exist. [HOTPATH_NO_FILE]`);
  }
  return vscode.Uri.file(resolved);
}

/**
 * The test's names in the file from what an agent writes: `test_x`, `TestX::test_y`, a pytest
 * node id (`tests/test_a.py::TestX::test_y`, parameters `[…]` dropped), dotted unittest names
 * (`TestX.test_y`); `*` or `all` for every test of the file (undefined).
 */
async function findTest(uri: vscode.Uri, test: string): Promise<string[] | undefined> {
  const wanted = test.trim();
  if (isEveryTest(wanted)) return undefined;
  const tests = discoverTests((await vscode.workspace.openTextDocument(uri)).getText());
  const parts = wanted
    .replace(/\[.*\]$/, '')
    .split(/::|\./)
    .filter((part) => part !== '' && !/^(py|pyw)$/.test(part) && !part.includes('/'));
  for (let start = 0; start < parts.length; start++) {
    const candidate = parts.slice(start).join('::');
    const found = tests.find((t) => t.path.join('::') === candidate);
    if (found) return found.path;
  }
  const known = tests.map((t) => t.path.join('::')).slice(0, 30);
  throw new Error(
    `${path.basename(uri.fsPath)} has no test ${test}. [HOTPATH_NO_TEST] Its tests: ${known.join(', ') || '(none)'}`,
  );
}

function describeTestRun(test: string): string {
  return isEveryTest(test) ? 'Ran every test of the file.\n' : `Ran the test ${test}.\n`;
}

function testOutcomeLine(profile: RawProfile): string {
  const code = profile.meta.exitCode;
  if (code === 0) return 'The tests passed.\n';
  if (code === 1) return 'The tests FAILED (exit code 1): the profile is of the failing run.\n';
  return `The test run ended with exit code ${code ?? profile.meta.exitSignal}: see the Hotpath terminal.\n`;
}
