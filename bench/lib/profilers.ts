/**
 * The profilers compared side by side, each as the command line a user would
 * type, with its output sent to a scratch file or /dev/null so that only the
 * cost of profiling is measured.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { FloorMode } from './floor';
import { ticker, tickerCommand } from './floor';
import { HOTPATH_BIN, WORK_DIR } from './paths';
import type { Interpreter } from './pythons';
import { SYSTEM_PYTHON } from './pythons';

export type ProfilerId =
  | 'none'
  | 'control'
  | 'hotpath-1k'
  | 'hotpath-10k'
  | 'cprofile'
  | 'yappi'
  | 'austin'
  | 'pyspy-1k'
  | 'pyspy-10k'
  | 'cpython-sampling-1k'
  | 'cpython-sampling-10k'
  | 'floor-wake-10k'
  | 'floor-stat-10k'
  | 'floor-readv-10k'
  | 'floor-busy-10k';

export interface Profiler {
  id: ProfilerId;
  label: string;
  /** Hotpath's sampling rate; the harness reads its statistics from the profile it wrote. */
  hotpathRateHz?: number;
  /** py-spy's sampling rate; the harness reads its sample counts from what it prints (pyspy.ts). */
  pySpyRateHz?: number;
  /** CPython 3.15's own sampler's rate; the harness counts the stacks in its collapsed output. */
  collapsedRateHz?: number;
  /** Argv that runs `script args` with `python` under this profiler; `out` is a scratch file. */
  command(python: string, script: string, args: string[], out: string): string[];
  /** Null when it can run on this interpreter, else why not (checked without running it). */
  unavailable(python: Interpreter): string | null;
}

let hotpathBin = HOTPATH_BIN;

/** Runs Hotpath from this copy of bin/hotpath.js from now on (see snapshot.ts). */
export function useHotpathBin(bin: string): void {
  hotpathBin = bin;
}

export function hotpathCommand(
  python: string,
  rateHz: number,
  script: string,
  args: string[],
  out: string,
): string[] {
  return [
    process.execPath,
    hotpathBin,
    'run',
    '--python',
    python,
    '--rate',
    String(rateHz),
    '--format',
    'json',
    '-o',
    out,
    script,
    ...args,
  ];
}

function hotpath(rateHz: number): Profiler {
  return {
    id: rateHz === 1000 ? 'hotpath-1k' : 'hotpath-10k',
    label: `Hotpath ${rateHz / 1000} kHz`,
    hotpathRateHz: rateHz,
    command: (python, script, args, out) => hotpathCommand(python, rateHz, script, args, out),
    unavailable: () => null,
  };
}

/** Not a profiler: one part of a sample's work at 10 kHz (lib/floor.ts). */
function floor(mode: FloorMode, what: string): Profiler {
  return {
    id: `floor-${mode}-10k`,
    label: `floor: ${what} at 10 kHz`,
    command: (python, script, args) => tickerCommand(mode, [python, script, ...args]),
    unavailable: () => {
      const t = ticker();
      return 'error' in t ? t.error : null;
    },
  };
}

let austinPath: string | null | undefined;
function findAustin(): string | null {
  if (austinPath === undefined) {
    try {
      austinPath = execFileSync('sh', ['-c', 'command -v austin'], { encoding: 'utf8' }).trim() || null;
    } catch {
      austinPath = null;
    }
  }
  return austinPath;
}

/** bench/setup.sh installs py-spy into a virtual environment of its own; else one on PATH. */
export const PYSPY_VENV_BIN = `${WORK_DIR}/venv/bin/py-spy`;
let pySpyPath: string | null | undefined;
export function findPySpy(): string | null {
  if (pySpyPath === undefined) {
    if (existsSync(PYSPY_VENV_BIN)) {
      pySpyPath = PYSPY_VENV_BIN;
    } else {
      try {
        pySpyPath = execFileSync('sh', ['-c', 'command -v py-spy'], { encoding: 'utf8' }).trim() || null;
      } catch {
        pySpyPath = null;
      }
    }
  }
  return pySpyPath;
}

// --nonblocking: py-spy's default stops the program for every sample (ptrace), which
// Hotpath never does; compared like with like, both read the running program.
function pySpy(rateHz: number): Profiler {
  return {
    id: rateHz === 1000 ? 'pyspy-1k' : 'pyspy-10k',
    label: `py-spy ${rateHz / 1000} kHz`,
    pySpyRateHz: rateHz,
    command: (python, script, args, out) => [
      findPySpy() ?? 'py-spy',
      'record',
      '--nonblocking',
      '--rate',
      String(rateHz),
      '--format',
      'raw',
      '-o',
      out,
      '--',
      python,
      script,
      ...args,
    ],
    unavailable: (python) => {
      if (!findPySpy()) return 'py-spy is not installed (bench/setup.sh installs it with pip)';
      const [major, minor] = majorMinor(python);
      // Checked on this machine: py-spy 0.4.2 panics in its sampling thread on 3.15.2.
      if (major === 3 && minor >= 15) return `py-spy 0.4 does not support CPython ${python.version}`;
      return null;
    },
  };
}

/** Major and minor of an interpreter's version ("3.15.2" → [3, 15]). */
function majorMinor(python: Interpreter): [number, number] {
  const [major, minor] = python.version.split('.').map(Number);
  return [major, minor];
}

/** 3.15+ only: the sampler that ships with CPython (`profiling.sampling`), all threads, collapsed stacks. */
function cpythonSampling(rateHz: number): Profiler {
  return {
    id: rateHz === 1000 ? 'cpython-sampling-1k' : 'cpython-sampling-10k',
    label: `CPython sampler ${rateHz / 1000} kHz`,
    collapsedRateHz: rateHz,
    command: (python, script, args, out) => [
      python,
      '-m',
      'profiling.sampling',
      'run',
      '-a',
      '-r',
      String(rateHz),
      '--collapsed',
      '-o',
      out,
      script,
      ...args,
    ],
    unavailable: (python) => {
      const [major, minor] = majorMinor(python);
      return major === 3 && minor >= 15 ? null : `profiling.sampling ships with CPython 3.15 and later`;
    },
  };
}

export const PROFILERS: readonly Profiler[] = [
  {
    id: 'none',
    label: 'none',
    command: (python, script, args) => [python, script, ...args],
    unavailable: () => null,
  },
  {
    // A/A control: the unprofiled command again, so its row shows the spread of
    // ratios this machine gives when nothing differs between the two sides.
    id: 'control',
    label: 'none (A/A control)',
    command: (python, script, args) => [python, script, ...args],
    unavailable: () => null,
  },
  hotpath(1000),
  hotpath(10_000),
  {
    id: 'cprofile',
    label: 'cProfile',
    command: (python, script, args) => [python, '-m', 'cProfile', '-o', '/dev/null', script, ...args],
    unavailable: () => null,
  },
  {
    id: 'yappi',
    label: 'yappi',
    command: (python, script, args) => [python, '-m', 'yappi', '-o', '/dev/null', script, ...args],
    unavailable: (python) =>
      python.path === SYSTEM_PYTHON ? null : "Debian's python3-yappi is installed for /usr/bin/python3 only",
  },
  {
    id: 'austin',
    label: 'austin 1 kHz',
    // Same rate as Hotpath's default, so the two out-of-process samplers compare.
    command: (python, script, args) => ['austin', '-i', '1000', '-o', '/dev/null', python, script, ...args],
    unavailable: (python) => {
      if (!findAustin()) return 'austin is not installed (bench/setup.sh installs it)';
      const [major, minor] = majorMinor(python);
      // Debian's austin 1.0.1 predates CPython 3.11's frame layout: it gives up with
      // "Interpreter state search timed out" (exit 33), checked on this machine.
      if (major === 3 && minor >= 11)
        return `austin 1.0.1 (Debian) does not support CPython ${python.version}`;
      return null;
    },
  },
  pySpy(1000),
  pySpy(10_000),
  cpythonSampling(1000),
  cpythonSampling(10_000),
  floor('wake', 'wake-ups only'),
  floor('stat', 'wake-up + /proc stat read'),
  floor('readv', 'wake-up + 8-page process_vm_readv'),
  floor('busy', 'wake-up + 30 µs of computing'),
];

export function profiler(id: ProfilerId): Profiler {
  const found = PROFILERS.find((p) => p.id === id);
  if (!found) throw new Error(`unknown profiler ${id}`);
  return found;
}
