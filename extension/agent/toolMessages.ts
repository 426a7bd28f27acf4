/**
 * What the profile tool tells the user before and while it runs: the confirmation VS Code shows
 * (it runs the workspace's code, so the user says yes first) and the progress line. Built from
 * the agent's input alone, so it says exactly what will run. No `vscode` import.
 */

export interface ProfileRequest {
  file: string;
  test?: string;
  args?: readonly string[];
}

export function profileConfirmation(request: ProfileRequest): { title: string; message: string } {
  const code = (text: string) => '`' + text.replace(/`/g, "'") + '`';
  const what = request.test
    ? `${isEveryTest(request.test) ? 'every test' : `the test ${code(request.test)}`} of ${code(request.file)}`
    : code([request.file, ...(request.args ?? [])].join(' '));
  return {
    title: 'Run and profile with Hotpath?',
    message:
      `Hotpath will run ${what} with the file's Python interpreter and sample where its time goes. ` +
      'This runs code of the workspace.',
  };
}

export function profileProgress(request: ProfileRequest): string {
  return `Profiling ${request.test ? `${request.test} in ${request.file}` : request.file} with Hotpath`;
}

/** `*` or `all`: every test of the file. */
export function isEveryTest(test: string): boolean {
  const trimmed = test.trim();
  return trimmed === '*' || trimmed.toLowerCase() === 'all';
}
