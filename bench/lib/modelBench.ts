/**
 * Loading a 1M-sample profile and building the model for it is measured by
 * bench/model-bench.ts (the model's own benchmark); this runs it in a fresh
 * process, keeps what it printed, and reads its table back (one row per step:
 * name, load ms, build ms, peak RSS) to fill the target rows.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, REPO_DIR } from './paths';

export const MODEL_BENCH = join(BENCH_DIR, 'model-bench.ts');

export interface ModelStep {
  loadMs: number;
  buildMs: number;
  peakMb: number;
}

export interface ModelBenchResult {
  command: string[];
  /** Why it was not measured, when it was not. */
  notMeasured?: string;
  output: string;
  /** Rows of its table by step name ("load only", "line table", "call tree", …). */
  steps: Record<string, ModelStep>;
}

/** "call tree        812     640     143 MB" → one step. */
const STEP_ROW = /^(.+?)\s+(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?) MB\s*$/;

export function parseModelBench(output: string): Record<string, ModelStep> {
  const steps: Record<string, ModelStep> = {};
  for (const line of output.split('\n')) {
    const m = STEP_ROW.exec(line.trim());
    if (m) steps[m[1].trim()] = { loadMs: Number(m[2]), buildMs: Number(m[3]), peakMb: Number(m[4]) };
  }
  return steps;
}

export function runModelBench(log: (line: string) => void): Promise<ModelBenchResult> {
  const command = [process.execPath, '--import', 'tsx', 'bench/model-bench.ts'];
  if (!existsSync(MODEL_BENCH)) {
    return Promise.resolve({
      command,
      output: '',
      steps: {},
      notMeasured: 'bench/model-bench.ts does not exist yet',
    });
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
    child.on('error', (err) =>
      resolve({ command, output, steps: {}, notMeasured: `could not start: ${err.message}` }),
    );
    child.on('close', (code) => {
      for (const line of output.trim().split('\n')) log(`  ${line}`);
      resolve({
        command,
        output,
        steps: parseModelBench(output),
        notMeasured: code === 0 ? undefined : `bench/model-bench.ts exited with code ${code}`,
      });
    });
  });
}
