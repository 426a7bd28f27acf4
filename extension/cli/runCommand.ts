/**
 * `hotpath run` and `hotpath attach`: start a ProfileSession, keep the
 * terminal's Ctrl-C for the program, then write the profile and return the
 * exit code the CLI should end with: for run the program's own, even when profiling failed (the
 * reason is on stderr); for attach 0, or 2 when profiling failed.
 */
import { constants as osConstants } from 'node:os';
import * as path from 'node:path';
import { loadNative } from '../native/loadNative';
import type { NativeModule, TargetInfo } from '../native/nativeApi';
import { asyncTasksUnavailable } from '../session/asyncTasks';
import { checkInterpreterVersion, resolveInterpreter } from '../session/interpreter';
import { ProfileSession, type SessionResult } from '../session/profileSession';
import type { Command } from './args';
import { EXIT_HOTPATH_ERROR, printError, printNote } from './messages';
import { defaultOutputPath, writeProfile } from './output';
import { checkScriptExists, hasSyntaxError } from './scriptFile';
import { privateSpill, type PrivateSpill } from './spillFolder';
import { inTerminalForeground, reachedProgramToo } from './terminal';

type RunCommand = Extract<Command, { kind: 'run' }>;
type AttachCommand = Extract<Command, { kind: 'attach' }>;

/** Starts a session; its spill folder goes if it cannot start (finishSession removes it otherwise). */
function withSpill(spill: PrivateSpill, start: () => ProfileSession): ProfileSession {
  try {
    return start();
  } catch (error) {
    spill.remove();
    throw error;
  }
}

/** The exit status a shell would report for the program: its code, or 128 + signal number. */
function programStatus(result: SessionResult): number {
  if (result.exitSignal) return 128 + (osConstants.signals[result.exitSignal] ?? 0);
  return result.exitCode ?? 0;
}

const PASSED_ON: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

type SignalMode = 'attached' | 'sharesTerminal' | 'ownSession';

/**
 * Holds SIGINT, SIGTERM and SIGHUP while the program runs, so that the CLI survives them and
 * writes the profile once the program has ended.
 * - Attached: any of them ends sampling (the process is never signalled).
 * - In a terminal's foreground (`sharesTerminal`): a Ctrl-C reached the program directly (same
 *   process group), so it is not passed on a second time, and a second Ctrl-C escalates through
 *   stop(); a SIGINT another process sent to the CLI alone (its sender, from the addon) is passed
 *   on. SIGTERM and SIGHUP are passed on.
 * - Elsewhere the program has a session of its own and sees only what the CLI passes on: every
 *   signal, as it is (`kill -INT`, `timeout -s INT`, a supervisor or an IDE's stop button).
 */
function holdSignals(session: ProfileSession, mode: SignalMode, native: NativeModule): () => void {
  let interrupts = 0;
  let recording = false; // the senders of SIGINT are known (see below)
  const onSignal = (signal: NodeJS.Signals) => {
    if (mode === 'attached') return session.stop();
    if (signal !== 'SIGINT' || mode === 'ownSession') return session.signal(signal);
    if (recording && !reachedProgramToo(native.lastSignalOrigin(osConstants.signals.SIGINT))) {
      return session.signal(signal);
    }
    interrupts++;
    if (interrupts > 1) return session.stop();
    // The program got this Ctrl-C too; most exit at once, so only speak up if it lingers.
    setTimeout(() => {
      if (session.programRunning) {
        printNote('waiting for the program to exit (Ctrl-C again to stop it)…');
      }
    }, 1000).unref();
  };
  for (const signal of PASSED_ON) process.on(signal, onSignal);
  // After process.on: the recorder goes in front of Node's handler.
  recording = mode === 'sharesTerminal' && native.recordSignalOrigin(osConstants.signals.SIGINT);
  return () => {
    for (const signal of PASSED_ON) process.off(signal, onSignal);
  };
}

async function finishSession(
  session: ProfileSession,
  native: NativeModule,
  command: RunCommand | AttachCommand,
  signals: SignalMode,
  spill: PrivateSpill,
  nameHint: string,
  /** Why the program's own code never ran (its error is above), when it did not: no profile then. */
  neverRan?: (result: SessionResult) => Promise<string | undefined>,
): Promise<SessionResult> {
  // Held until the profile is written: a late Ctrl-C must not cut the file short.
  const release = holdSignals(session, signals, native);
  // Said at once, so that nobody waits for a profile that will not come; the program runs on.
  // The event may also come after the result (it is emitted on the next tick): say it once.
  let reported: unknown;
  const report = (error: unknown) => {
    if (error === reported) return;
    reported = error;
    printError(error);
    if (session.programRunning) printNote('the program keeps running, without profiling.');
  };
  session.on('samplerError', report);
  // --async on an interpreter without task lists: one line, and the run goes on as without it.
  const onReady = (target: TargetInfo) => {
    const unavailable = command.asyncTasks ? asyncTasksUnavailable(target.pythonVersion) : undefined;
    if (unavailable) printNote(unavailable);
  };
  session.once('ready', onReady);
  try {
    const result = await session.result;
    if (result.samplerError) report(result.samplerError);
    if (result.exitedBeforeSampling) {
      printNote('the program ended before its Python interpreter could be sampled; the profile is empty.');
    }
    const notRun = await neverRan?.(result);
    if (notRun) {
      printNote(notRun);
      return result;
    }
    const sampled = result.profile.sampleTime.length > 0;
    // An empty text report would only repeat the note above; a file asked for is still written.
    const emptyReport = !sampled && command.format === 'text' && command.output === undefined;
    // Whatever was sampled is kept, even when sampling failed part-way.
    if ((!result.samplerError || sampled) && !(result.exitedBeforeSampling && emptyReport)) {
      const destination = command.output ?? defaultOutputPath(command.format, nameHint);
      // The mode asked for is the one a saved profile opens in.
      if (command.mode && command.mode !== 'wall') result.profile.meta.mode = command.mode;
      await writeProfile(result.profile, command, destination);
    }
    return result;
  } finally {
    session.off('samplerError', report);
    session.off('ready', onReady);
    release();
    spill.remove();
  }
}

export async function runCommand(command: RunCommand): Promise<number> {
  // Fail before the program starts when the sampler is not there at all.
  const native = loadNative();
  let argv: string[];
  let interpreter: { path: string; version: string } | undefined;
  let nameHint: string;
  let neverRan: ((result: SessionResult) => Promise<string | undefined>) | undefined;
  if (command.target.type === 'script') {
    const { script, args, python } = command.target;
    checkScriptExists(script);
    const pythonPath = await resolveInterpreter(python ?? 'python3');
    const info = await checkInterpreterVersion(pythonPath);
    interpreter = { path: info.path, version: info.version };
    argv = [pythonPath, script, ...args];
    nameHint = path.basename(script).replace(/\.py$/, '');
    // Only a failed run pays for the check: a script that does not compile never ran, and a tree
    // of the interpreter's start-up would read as its profile.
    neverRan = async (result) =>
      result.exitCode !== 0 && !result.exitSignal && (await hasSyntaxError(pythonPath, script))
        ? `${script} has a syntax error (Python's message is above): it never ran, so there is no profile.`
        : undefined;
  } else {
    argv = command.target.argv;
    nameHint = guessName(argv);
  }

  const spill = privateSpill();
  const ownSession = !inTerminalForeground();
  const session = withSpill(spill, () =>
    ProfileSession.spawn({
      native,
      argv,
      interpreter,
      intervalUs: Math.round(1e6 / command.rateHz),
      spillPath: spill.path,
      stdio: 'inherit',
      ownSession,
      followChildren: command.followChildren,
      asyncTasks: command.asyncTasks,
    }),
  );
  // The program runs on after a sampler failure (said on stderr at once): its exit code is the
  // CLI's, whatever happened to the profiling, unless no Python ran under it at all (then
  // nothing was profiled and the command was probably not the one meant).
  const signals = ownSession ? 'ownSession' : 'sharesTerminal';
  const result = await finishSession(session, native, command, signals, spill, nameHint, neverRan);
  if (result.samplerError?.code === 'HOTPATH_NOT_PYTHON' && result.profile.sampleTime.length === 0) {
    return EXIT_HOTPATH_ERROR;
  }
  return programStatus(result);
}

export async function attachCommand(command: AttachCommand): Promise<number> {
  const native = loadNative();
  const spill = privateSpill();
  const session = withSpill(spill, () =>
    ProfileSession.attach({
      native,
      pid: command.pid,
      durationS: command.durationS,
      intervalUs: Math.round(1e6 / command.rateHz),
      spillPath: spill.path,
      followChildren: command.followChildren,
      asyncTasks: command.asyncTasks,
    }),
  );
  const result = await finishSession(session, native, command, 'attached', spill, `pid${command.pid}`);
  return result.samplerError ? EXIT_HOTPATH_ERROR : 0;
}

/** For `run -- python -m pytest`: "pytest"; for `run -- python app.py`: "app". */
function guessName(argv: string[]): string {
  const moduleFlag = argv.indexOf('-m');
  if (moduleFlag >= 0 && argv[moduleFlag + 1]) return argv[moduleFlag + 1];
  const script = argv.slice(1).find((a) => !a.startsWith('-'));
  return path.basename(script ?? argv[0]).replace(/\.py$/, '');
}
