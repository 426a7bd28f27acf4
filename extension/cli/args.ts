/**
 * Command-line parsing for `hotpath`: turns argv into one typed command or a
 * UsageError (exit code 2, message says what was wrong and points to --help).
 * `run`: options go before the script or `--`; everything after belongs to the program.
 * `attach`, `dump` and `report`: options and the PID / file in any order, as in most commands.
 */

import { EXPORT_FORMATS, type ExportFormat } from '../format/exportFormats';
import type { CompareScale } from '../model/compareScale';
import type { TimeMode } from '../model/types';

export const TIME_MODE_NAMES: readonly TimeMode[] = ['wall', 'cpu', 'gil'];

/** The text report, the profile file, and every export (one list: format/exportFormats.ts). */
export type OutputFormat = 'text' | 'json' | ExportFormat;
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', ...EXPORT_FORMATS];

export const MIN_RATE_HZ = 1;
export const MAX_RATE_HZ = 20_000;
export const DEFAULT_RATE_HZ = 1000;

/** How the profile is rendered, shared by run, attach and report. */
export interface RenderOptions {
  format: OutputFormat;
  /** -o FILE; undefined picks the per-command default destination. */
  output?: string;
  /**
   * --mode wall|cpu|gil (--cpu is --mode cpu): which samples count in the text tree and exports.
   * Undefined: the mode the profile was taken in (run: wall).
   */
  mode?: TimeMode;
  /** --hide-gc: the garbage collector's time counts for the line that set it off, no `<GC>` frame. */
  hideGc: boolean;
  /** --show-all: keep library and start-up frames in the text tree (exports keep them anyway). */
  showAll: boolean;
  /** --hide-library: merge library and start-up frames into their callers in the exports too. */
  hideLibrary: boolean;
}

export interface SamplingArgs {
  rateHz: number;
  /** Sample the processes the program starts too (run: unless --no-subprocesses; attach: --subprocesses). */
  followChildren: boolean;
  /** --async: record asyncio tasks with each sample (CPython 3.14+). */
  asyncTasks: boolean;
}

export type Command =
  | { kind: 'help'; topic?: HelpTopic }
  | { kind: 'version' }
  | ({
      kind: 'run';
      /** A script (run with `python`) or an arbitrary command given after `--`. */
      target:
        | { type: 'script'; script: string; args: string[]; python?: string }
        | { type: 'command'; argv: string[] };
    } & RenderOptions &
      SamplingArgs)
  | ({ kind: 'attach'; pid: number; durationS?: number } & RenderOptions & SamplingArgs)
  | ({ kind: 'report'; file: string } & RenderOptions)
  | ({
      /** `report --compare BASE NEW`: what got faster and slower from BASE to NEW. */
      kind: 'compare';
      base: string;
      next: string;
      scale: CompareScale | 'auto';
    } & RenderOptions)
  | { kind: 'dump'; pid: number; json: boolean; async: boolean; subprocesses: boolean }
  | { kind: 'mcp' };

type CommandName = 'run' | 'attach' | 'report' | 'dump' | 'mcp';
export type HelpTopic = CommandName;
const COMMANDS: readonly string[] = ['run', 'attach', 'report', 'dump', 'mcp'] satisfies CommandName[];

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type OptionName =
  | 'rate'
  | 'format'
  | 'output'
  | 'python'
  | 'duration'
  | 'cpu'
  | 'mode'
  | 'hide-gc'
  | 'show-all'
  | 'hide-library'
  | 'subprocesses'
  | 'no-subprocesses'
  | 'compare'
  | 'scale'
  | 'json'
  | 'async'
  | 'help';

const WITH_VALUE = new Set<OptionName>(['rate', 'format', 'output', 'python', 'duration', 'scale', 'mode']);
const ALIASES: Record<string, OptionName> = { o: 'output', h: 'help' };
const ALLOWED: Record<CommandName, ReadonlySet<OptionName>> = {
  run: new Set([
    'rate',
    'format',
    'output',
    'python',
    'cpu',
    'mode',
    'hide-gc',
    'show-all',
    'hide-library',
    'no-subprocesses',
    'async',
    'help',
  ]),
  attach: new Set([
    'rate',
    'format',
    'output',
    'duration',
    'cpu',
    'mode',
    'hide-gc',
    'show-all',
    'hide-library',
    'subprocesses',
    'async',
    'help',
  ]),
  report: new Set([
    'format',
    'output',
    'cpu',
    'mode',
    'hide-gc',
    'show-all',
    'hide-library',
    'compare',
    'scale',
    'help',
  ]),
  dump: new Set(['json', 'async', 'subprocesses', 'help']),
  mcp: new Set(['help']),
};

interface Scanned {
  options: Map<OptionName, string>;
  /**
   * run: everything from the first positional argument on (options after it belong to the
   * program). attach, report: every positional argument, wherever it stood.
   */
  rest: string[];
  /** True when `--` separated the options from `rest`. */
  dashDash: boolean;
}

/** Reads options; stops at `--`, and for run at the first positional argument. */
function scan(command: CommandName, args: string[]): Scanned {
  const options = new Map<OptionName, string>();
  const positional: string[] = [];
  let i = 0;
  while (i < args.length) {
    const arg = args[i];
    if (arg === '--') return { options, rest: [...positional, ...args.slice(i + 1)], dashDash: true };
    if (!arg.startsWith('-') || arg === '-') {
      if (command === 'run') break;
      positional.push(arg);
      i++;
      continue;
    }
    const long = arg.startsWith('--');
    const body = arg.slice(long ? 2 : 1);
    const eq = body.indexOf('=');
    const rawName = eq >= 0 ? body.slice(0, eq) : body;
    const name = (long ? rawName : ALIASES[rawName]) as OptionName | undefined;
    if (!name || !ALLOWED[command].has(name)) {
      throw new UsageError(`unknown option ${arg} for \`hotpath ${command}\``);
    }
    if (WITH_VALUE.has(name)) {
      let value: string | undefined;
      if (eq >= 0) value = body.slice(eq + 1);
      else value = args[++i];
      if (value === undefined) throw new UsageError(`option ${arg} needs a value`);
      options.set(name, value);
    } else {
      if (eq >= 0) throw new UsageError(`option ${arg.slice(0, arg.indexOf('='))} takes no value`);
      options.set(name, '');
    }
    i++;
  }
  return { options, rest: [...positional, ...args.slice(i)], dashDash: false };
}

function renderOptions(options: Map<OptionName, string>): RenderOptions {
  const format = options.get('format') ?? 'text';
  if (!OUTPUT_FORMATS.includes(format as OutputFormat)) {
    throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')} (got "${format}")`);
  }
  if (options.has('show-all') && options.has('hide-library')) {
    throw new UsageError('--show-all keeps library frames and --hide-library hides them: give one of them');
  }
  return {
    format: format as OutputFormat,
    output: options.get('output') || undefined,
    mode: timeMode(options),
    hideGc: options.has('hide-gc'),
    showAll: options.has('show-all'),
    hideLibrary: options.has('hide-library'),
  };
}

function timeMode(options: Map<OptionName, string>): TimeMode | undefined {
  const raw = options.get('mode');
  if (raw === undefined) return options.has('cpu') ? 'cpu' : undefined;
  if (!TIME_MODE_NAMES.includes(raw as TimeMode)) {
    throw new UsageError(`--mode must be one of ${TIME_MODE_NAMES.join(', ')} (got "${raw}")`);
  }
  if (options.has('cpu') && raw !== 'cpu') {
    throw new UsageError(`--cpu is --mode cpu: give one of --cpu and --mode ${raw}`);
  }
  return raw as TimeMode;
}

function rate(options: Map<OptionName, string>): number {
  const raw = options.get('rate');
  if (raw === undefined) return DEFAULT_RATE_HZ;
  const hz = Number(raw);
  if (!Number.isFinite(hz) || hz < MIN_RATE_HZ || hz > MAX_RATE_HZ) {
    throw new UsageError(
      `--rate must be a number of samples per second from ${MIN_RATE_HZ} to ${MAX_RATE_HZ} (got "${raw}")`,
    );
  }
  return hz;
}

/** The one process id `attach` and `dump` take. */
function processId(rest: string[], command: string, usage: string): number {
  if (rest.length !== 1) {
    const got = rest.length ? rest.map((a) => `"${a}"`).join(' ') : 'none';
    throw new UsageError(`${command} takes exactly one process id (got ${got}): ${usage}`);
  }
  const pid = Number(rest[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new UsageError(`"${rest[0]}" is not a process id`);
  return pid;
}

export function parseArgs(argv: string[]): Command {
  const [first, ...args] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    const topic = args[0];
    return topic !== undefined && COMMANDS.includes(topic)
      ? { kind: 'help', topic: topic as HelpTopic }
      : { kind: 'help' };
  }
  if (first === '--version' || first === '-V' || first === 'version') return { kind: 'version' };
  if (!COMMANDS.includes(first)) {
    throw new UsageError(
      first.endsWith('.py')
        ? `unknown command "${first}" — did you mean \`hotpath run ${first}\`?`
        : `unknown command "${first}"`,
    );
  }
  const name = first as CommandName;
  const { options, rest, dashDash } = scan(name, args);
  if (options.has('help')) return { kind: 'help', topic: name };

  if (name === 'mcp') {
    if (rest.length > 0) throw new UsageError('mcp takes no arguments: `hotpath mcp`');
    return { kind: 'mcp' };
  }

  if (name === 'dump')
    return {
      kind: 'dump',
      pid: processId(rest, 'dump', '`hotpath dump PID [--json] [--async] [--subprocesses]`'),
      json: options.has('json'),
      async: options.has('async'),
      subprocesses: options.has('subprocesses'),
    };

  if (first === 'run') {
    const sampling = {
      rateHz: rate(options),
      followChildren: !options.has('no-subprocesses'),
      asyncTasks: options.has('async'),
    };
    if (dashDash) {
      if (rest.length === 0) throw new UsageError('nothing to run after `--`');
      if (options.has('python'))
        throw new UsageError('--python applies to a script; after `--` give the full command');
      return { kind: 'run', target: { type: 'command', argv: rest }, ...renderOptions(options), ...sampling };
    }
    const [script, ...scriptArgs] = rest;
    if (script === undefined) throw new UsageError('no script given: `hotpath run script.py [args…]`');
    return {
      kind: 'run',
      target: { type: 'script', script, args: scriptArgs, python: options.get('python') || undefined },
      ...renderOptions(options),
      ...sampling,
    };
  }

  if (first === 'attach') {
    const pid = processId(rest, 'attach', '`hotpath attach PID [--duration S]`');
    const rawDuration = options.get('duration');
    let durationS: number | undefined;
    if (rawDuration !== undefined) {
      durationS = Number(rawDuration);
      if (!Number.isFinite(durationS) || durationS <= 0) {
        throw new UsageError(`--duration must be a positive number of seconds (got "${rawDuration}")`);
      }
    }
    return {
      kind: 'attach',
      pid,
      durationS,
      ...renderOptions(options),
      rateHz: rate(options),
      followChildren: options.has('subprocesses'),
      asyncTasks: options.has('async'),
    };
  }

  if (options.has('compare')) return compareArgs(options, rest);
  if (options.has('scale')) throw new UsageError('--scale applies to `hotpath report --compare BASE NEW`');
  if (rest.length !== 1) throw new UsageError('report takes exactly one profile file: `hotpath report FILE`');
  return { kind: 'report', file: rest[0], ...renderOptions(options) };
}

/** The names --scale takes, as the user types them. */
const SCALE_NAMES: Record<string, CompareScale | 'auto'> = {
  auto: 'auto',
  absolute: 'absolute',
  'per-second': 'perSecond',
  share: 'share',
};

function compareArgs(options: Map<OptionName, string>, files: string[]): Command {
  if (files.length !== 2) {
    throw new UsageError(
      `--compare takes two profile files, the baseline first (got ${files.length}): \`hotpath report --compare BASE.hotpath.json NEW.hotpath.json\``,
    );
  }
  const render = renderOptions(options);
  if (render.format !== 'text' && render.format !== 'json') {
    throw new UsageError(`--compare writes text or json (got --format ${render.format})`);
  }
  const scaleName = options.get('scale') ?? 'auto';
  const scale = SCALE_NAMES[scaleName];
  if (scale === undefined) {
    throw new UsageError(
      `--scale must be one of ${Object.keys(SCALE_NAMES).join(', ')} (got "${scaleName}")`,
    );
  }
  return { kind: 'compare', base: files[0], next: files[1], scale, ...render };
}
