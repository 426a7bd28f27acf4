/**
 * Loading a 1M-sample profile and building the model for it is measured by
 * bench/model-bench.ts (the model's own benchmark); this runs it in a fresh
 * process and keeps what it printed. When it prints a JSON object on a line of
 * its own, the numbers in it fill the target rows.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, REPO_DIR } from './paths';

export const MODEL_BENCH = join(BENCH_DIR, 'model-bench.ts');

export interface ModelBenchResult {
  command: string[];
  /** Why it was not measured, when it was not. */
  notMeasured?: string;
  output: string;
  json?: Record<string, unknown>;
}

export function runModelBench(log: (line: string) => void): Promise<ModelBenchResult> {
  const command = [process.execPath, '--import', 'tsx', '--expose-gc', 'bench/model-bench.ts'];
  if (!existsSync(MODEL_BENCH)) {
    return Promise.resolve({ command, output: '', notMeasured: 'bench/model-bench.ts does not exist yet' });
  }
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', (err) => resolve({ command, output, notMeasured: `could not start: ${err.message}` }));
    child.on('close', (code) => {
      for (const line of output.trim().split('\n')) log(`  ${line}`);
      let json: Record<string, unknown> | undefined;
      for (const line of output.split('\n').reverse()) {
        const trimmed = line.trim();
        if (!trimmed.startsWith('{')) continue;
        try {
          json = JSON.parse(trimmed) as Record<string, unknown>;
          break;
        } catch {
          // not the summary line
        }
      }
      resolve({
        command,
        output,
        json,
        notMeasured: code === 0 ? undefined : `bench/model-bench.ts exited with code ${code}`,
      });
    });
  });
}
