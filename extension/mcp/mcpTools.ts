/**
 * The tools `hotpath mcp` serves: `profile` runs a Python script, a module or any command under
 * the sampler (as `hotpath run` does, its output captured instead of shown) and answers with the
 * profile as the same compact text the editor's agent tools give; `read_profile` reads the last
 * profile of this server or a saved `.hotpath.json`. An MCP client runs this server on the user's
 * behalf and asks them before a tool runs code, as it does for its shell tools. No `vscode` import.
 */
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { summarizeWithSources, type SummaryOptions } from '../agent/profileSummary';
import { loadProfile, saveProfile } from '../format/profileFile';
import type { RawProfile } from '../model/rawProfile';
import { loadNative } from '../native/loadNative';
import { checkInterpreterVersion, resolveInterpreter } from '../session/interpreter';
import { ProfileSession } from '../session/profileSession';

export interface McpTool {
  name: string;
  title: string;
  description: string;
  inputSchema: object;
  call(args: Record<string, unknown>): Promise<string>;
}

/** The program's output kept for the answer: its last lines say how it ended. */
const OUTPUT_TAIL_BYTES = 2_000;
const MAX_PROFILE_BYTES = 512 * 1024 * 1024;

const SUMMARY_PROPERTIES = {
  file: { type: 'string', description: "List only this source file's lines and functions." },
  lines: { type: 'number', minimum: 1, maximum: 50, description: 'How many hot lines (default 15).' },
  functions: { type: 'number', minimum: 1, maximum: 50, description: 'How many functions (default 15).' },
  paths: { type: 'number', minimum: 1, maximum: 50, description: 'How many hottest call paths (default 5).' },
  mode: {
    type: 'string',
    enum: ['wall', 'cpu', 'gil'],
    description: 'wall (default): elapsed time; cpu: running only; gil: the thread holding the GIL only.',
  },
};

export function mcpTools(): McpTool[] {
  let last: { profile: RawProfile; source?: string } | undefined;
  return [
    {
      name: 'profile',
      title: 'Profile a Python program',
      description:
        "Runs a Python script (or `python -m module`, or any command that runs Python, such as `python -m pytest tests/test_x.py::test_y`) under Hotpath's sampling profiler and returns where the time went as compact text: the command, duration and exit code, the hot lines with their source code and share of the time, the functions with total and own time, and the hottest call paths; standard-library, site-packages and test-runner frames are merged into the code that called them. The program's output is captured and its last lines returned. This runs code.",
      inputSchema: {
        type: 'object',
        properties: {
          script: { type: 'string', description: 'The Python file to run (relative to cwd or absolute).' },
          args: { type: 'array', items: { type: 'string' }, description: 'Arguments for the script.' },
          python: {
            type: 'string',
            description: 'The interpreter for the script (default python3 on PATH).',
          },
          command: {
            type: 'array',
            items: { type: 'string' },
            description:
              'Instead of script: the whole command, e.g. ["python3", "-m", "pytest", "tests/test_a.py::test_b"].',
          },
          cwd: { type: 'string', description: 'Working directory (default: where the server runs).' },
          durationS: {
            type: 'number',
            minimum: 0.1,
            description: 'Stop the program after this many seconds (for servers).',
          },
          rate: {
            type: 'number',
            minimum: 1,
            maximum: 20000,
            description: 'Samples per second (default 1000).',
          },
          save: { type: 'string', description: 'Also write the profile to this .hotpath.json file.' },
          ...SUMMARY_PROPERTIES,
        },
      },
      async call(args) {
        const run = await profileProgram(args);
        let source: string | undefined;
        if (typeof args.save === 'string' && args.save !== '') {
          source = path.resolve(run.cwd, args.save);
          await fs.writeFile(source, saveProfile(run.profile), { mode: 0o600 });
        }
        last = { profile: run.profile, source };
        const summary = await summarizeWithSources(run.profile, { ...summaryOptions(args, run.cwd), source });
        return `${summary}\nProgram output (last lines):\n${run.output || '(none)'}\n`;
      },
    },
    {
      name: 'read_profile',
      title: 'Read a Hotpath profile',
      description:
        "Returns a Hotpath profile as compact text, running nothing: this server's last profile, or a saved .hotpath.json (from `hotpath run --format json`, the VS Code extension's .hotpath/ folder, or profile's save). Lists the hot lines with their code, the functions and the hottest call paths.",
      inputSchema: {
        type: 'object',
        properties: {
          profile: {
            type: 'string',
            description: "A saved .hotpath.json; this server's last profile when left out.",
          },
          ...SUMMARY_PROPERTIES,
        },
      },
      async call(args) {
        if (typeof args.profile === 'string' && args.profile !== '') {
          const file = path.resolve(args.profile);
          if ((await fs.stat(file)).size > MAX_PROFILE_BYTES)
            throw new Error(`${file} is too large to read.`);
          const profile = loadProfile(await fs.readFile(file, 'utf8'));
          return summarizeWithSources(profile, { ...summaryOptions(args, process.cwd()), source: file });
        }
        if (!last) throw new Error('No profile yet: call profile first, or give a saved .hotpath.json.');
        return summarizeWithSources(last.profile, {
          ...summaryOptions(args, process.cwd()),
          source: last.source,
        });
      },
    },
  ];
}

function summaryOptions(args: Record<string, unknown>, cwd: string): SummaryOptions {
  const number = (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  return {
    file: typeof args.file === 'string' && args.file !== '' ? path.resolve(cwd, args.file) : undefined,
    lines: number(args.lines),
    functions: number(args.functions),
    paths: number(args.paths),
    mode: args.mode === 'cpu' || args.mode === 'gil' ? args.mode : 'wall',
  };
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

/** Runs the program under the sampler with its output captured; throws when there is no profile. */
async function profileProgram(
  args: Record<string, unknown>,
): Promise<{ profile: RawProfile; output: string; cwd: string }> {
  const cwd = path.resolve(typeof args.cwd === 'string' && args.cwd !== '' ? args.cwd : process.cwd());
  const command = strings(args.command);
  let argv: string[];
  let interpreter: { path: string; version: string } | undefined;
  if (command && command.length > 0) {
    argv = command;
  } else if (typeof args.script === 'string' && args.script !== '') {
    const script = path.resolve(cwd, args.script);
    await fs.access(script).catch(() => {
      throw new Error(`${script} does not exist. [HOTPATH_SCRIPT_NOT_FOUND]`);
    });
    const python = await resolveInterpreter(typeof args.python === 'string' ? args.python : 'python3');
    const info = await checkInterpreterVersion(python);
    interpreter = { path: info.path, version: info.version };
    argv = [python, script, ...(strings(args.args) ?? [])];
  } else {
    throw new Error('Give a script to run (script, with args) or the whole command (command).');
  }
  const rate = typeof args.rate === 'number' && args.rate >= 1 && args.rate <= 20_000 ? args.rate : 1000;
  // The spill file in a folder of its own (0700), as `hotpath run` keeps it.
  const spillDir = mkdtempSync(path.join(tmpdir(), 'hotpath-mcp-'));
  try {
    const session = ProfileSession.spawn({
      native: loadNative(),
      argv,
      cwd,
      interpreter,
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
      // Never the server's stdout: that is the protocol's channel.
      stdio: ['ignore', 'pipe', 'pipe'],
      intervalUs: Math.round(1e6 / rate),
      spillPath: path.join(spillDir, 'run.spill'),
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
    };
    session.child?.stdout?.on('data', keep);
    session.child?.stderr?.on('data', keep);
    const duration = typeof args.durationS === 'number' && args.durationS > 0 ? args.durationS : undefined;
    const timer = duration === undefined ? undefined : setTimeout(() => session.stop(), duration * 1000);
    const result = await session.result.finally(() => clearTimeout(timer));
    if (result.profile.sampleTime.length === 0) {
      const why = result.samplerError
        ? `${result.samplerError.message} [${result.samplerError.code}]`
        : 'no samples';
      throw new Error(`${argv.join(' ')} gave no profile (${why}). Its output:\n${output}`);
    }
    return { profile: result.profile, output: output.trimEnd(), cwd };
  } finally {
    rmSync(spillDir, { recursive: true, force: true });
  }
}
