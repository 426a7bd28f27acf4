/**
 * Program exit → annotations painted, inside VS Code: test/e2e/editorLatency.mjs profiles a
 * script of a given length in a real workbench (code-server, the packaged extension, Chromium)
 * and reports what the extension measured between the program's exit and the painted editor.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { collectOutput } from './collectOutput';
import { REPO_DIR } from './paths';

const SCRIPT = join(REPO_DIR, 'test', 'e2e', 'editorLatency.mjs');
const TOOLS = join(REPO_DIR, 'test', 'e2e', '.tools');
/** The run itself, code-server's start and the extension install. */
const TIMEOUT_MS = 600_000;

export interface EditorBenchResult {
  command: string[];
  /** Length of the profiled run, s. */
  seconds: number;
  notMeasured?: string;
  exitToAnnotationsMs?: number;
  samples?: number;
}

export function runEditorBench(seconds: number, log: (line: string) => void): Promise<EditorBenchResult> {
  const command = [process.execPath, 'test/e2e/editorLatency.mjs', '--seconds', String(seconds)];
  const missing = !existsSync(join(REPO_DIR, 'dist', 'extension.js'))
    ? 'the extension is not built (npm run build)'
    : !existsSync(TOOLS) && !process.env.HOTPATH_E2E_TOOLS
      ? 'code-server is not installed (npm test installs it into test/e2e/.tools)'
      : undefined;
  if (missing) return Promise.resolve({ command, seconds, notMeasured: missing });
  return collectOutput([command[0], SCRIPT, ...command.slice(2)], REPO_DIR, TIMEOUT_MS).then(
    ({ code, output, startError }) => {
      if (startError) return { command, seconds, notMeasured: `could not start: ${startError}` };
      const match = /exit → annotations: (\d+) ms \((\d+) samples\)/.exec(output);
      if (!match) {
        const reason = output.trim().split('\n').slice(-2).join(' / ');
        return { command, seconds, notMeasured: `exit code ${code}: ${reason}` };
      }
      log(`  exit → annotations ${match[1]} ms (${match[2]} samples)`);
      return { command, seconds, exitToAnnotationsMs: Number(match[1]), samples: Number(match[2]) };
    },
  );
}
