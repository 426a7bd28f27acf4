/**
 * Turns the user's settings into what a run needs: working directory,
 * environment, sampling interval and arguments. No `vscode` import; the
 * command reads the settings and passes plain values in.
 */
import * as path from 'node:path';

/** The sampler accepts 50 µs (20 kHz) to 1 s (1 Hz). */
const MIN_INTERVAL_US = 50;
const MAX_INTERVAL_US = 1_000_000;

export interface CwdContext {
  /** The workspace folder of the file, when it has one. */
  workspaceFolder: string | undefined;
  /** The script being profiled. */
  file: string;
}

/**
 * `hotpath.cwd` with `${workspaceFolder}` and `${fileDirname}` replaced;
 * empty means the workspace folder of the file, else the file's folder.
 * A relative result is taken relative to that default.
 */
export function resolveCwd(setting: string, context: CwdContext): string {
  const fileDirname = path.dirname(context.file);
  const fallback = context.workspaceFolder ?? fileDirname;
  const trimmed = setting.trim();
  if (!trimmed) return fallback;
  const replaced = trimmed
    .replace(/\$\{workspaceFolder\}/g, fallback)
    .replace(/\$\{fileDirname\}/g, fileDirname);
  return path.resolve(fallback, replaced);
}

/**
 * The program's environment: the extension host's, then `hotpath.env` (null
 * removes a variable). Output goes through a pipe, not a terminal, so Python
 * is told not to buffer it; the user can still override that.
 */
export function buildEnv(
  base: NodeJS.ProcessEnv,
  overrides: Record<string, string | null | undefined>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, PYTHONUNBUFFERED: '1' };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null || value === undefined) delete env[name];
    else env[name] = String(value);
  }
  return env;
}

/** Sampling interval in µs for a rate in Hz, clamped to what the sampler accepts. */
export function intervalForRate(hz: number): number {
  if (!Number.isFinite(hz) || hz <= 0) return 1000;
  return Math.min(MAX_INTERVAL_US, Math.max(MIN_INTERVAL_US, Math.round(1_000_000 / hz)));
}

/**
 * Splits an argument line the way a POSIX shell would for plain words:
 * whitespace separates, single quotes keep everything, double quotes keep
 * everything but `\"` and `\\`, a backslash outside quotes escapes one
 * character. No expansion of any kind happens (nothing is run by a shell).
 * Throws on an unterminated quote.
 */
export function splitArgs(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) current += line[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`Unterminated ${quote === '"' ? 'double' : 'single'} quote in the arguments.`);
  if (inWord) args.push(current);
  return args;
}

/** The inverse of splitArgs, for showing remembered arguments in an input box. */
export function joinArgs(args: readonly string[]): string {
  return args
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}
