/** Runs a helper script of the benchmark (a harness, a latency probe) and collects what it prints. */
import { spawn } from 'node:child_process';

export interface Collected {
  /** Exit code, or null when killed at the time-out or never started. */
  code: number | null;
  /** stdout and stderr together, in the order they came. */
  output: string;
  /** Set when the command could not be started. */
  startError?: string;
}

export function collectOutput(argv: string[], cwd: string, timeoutMs: number): Promise<Collected> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, output, startError: err.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
