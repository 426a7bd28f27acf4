/** The machine and software a run measured, for RESULTS.md: numbers mean little without them. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { HOTPATH_BIN, REPO_DIR } from './paths';
import { findPySpy } from './profilers';
import { SYSTEM_PYTHON } from './pythons';

export interface MachineInfo {
  cpuModel: string;
  nproc: number;
  kernel: string;
  os: string;
  memoryGb: number;
  loadAverageAtStart: number[];
  node: string;
  hotpath: string;
  gitCommit: string;
  austin: string;
  pySpy: string;
  yappi: string;
  django: string;
}

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, {
      encoding: 'utf8',
      cwd: REPO_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 15_000,
    })
      .trim()
      .split('\n')[0];
  } catch {
    return 'not available';
  }
}

function osName(): string {
  try {
    const match = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    return match ? match[1] : 'unknown';
  } catch {
    return 'unknown';
  }
}

function pythonPackageVersion(distribution: string): string {
  return run(SYSTEM_PYTHON, ['-c', `import importlib.metadata as m; print(m.version('${distribution}'))`]);
}

export function machineInfo(): MachineInfo {
  const dirty =
    run('git', ['status', '--porcelain', '--untracked-files=no']) !== '' ? ' (with local changes)' : '';
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    nproc: cpus().length,
    kernel: release(),
    os: osName(),
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    hotpath: run(process.execPath, [HOTPATH_BIN, '--version']),
    gitCommit: run('git', ['rev-parse', '--short', 'HEAD']) + dirty,
    austin: run('austin', ['-V']),
    pySpy: run(findPySpy() ?? 'py-spy', ['--version']),
    yappi: pythonPackageVersion('yappi'),
    django: pythonPackageVersion('Django'),
  };
}
