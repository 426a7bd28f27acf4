/**
 * Runs one profile at a time, spawned or attached: wires the program to a
 * terminal, shows progress, stops on request, and when the run ends saves the
 * profile and hands it to the presenter (editor paint, panel, status bar).
 * Everything sampled until a crash, kill or Stop is kept.
 */
import { formatCount } from '../model/displayFormat';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { AnnotationController } from '../editor/annotationController';
import type { RawProfile } from '../model/rawProfile';
import { scriptLabel } from '../views/viewModel';
import { ProfileSession, type SessionResult } from '../session/profileSession';
import type { NativeProgress } from '../native/nativeApi';
import { profileSince } from '../model/profileSince';
import { setting } from '../contributions/settings';
import { LiveProfile } from './liveProfile';
import { toHotpathError } from '../session/errors';
import type { ProfileStorage } from './profileStorage';
import { ProgramTerminal } from './programTerminal';
import { progressText, type RunStatusBar, showRunProgress } from './runProgress';
import { testOutcome, type TestFramework } from '../testing/testLaunch';
import { hashUserSources } from './sourceHashes';
import { samplesInUserCode } from './userCode';

export type RunRequest =
  | {
      kind: 'spawn';
      /** [interpreter, script, ...args] */
      argv: string[];
      cwd: string;
      env: NodeJS.ProcessEnv;
      interpreter: { path: string; version: string };
      intervalUs: number;
      /** Sample the processes the program starts too (`hotpath.followSubprocesses`). */
      followChildren: boolean;
      /** Record asyncio tasks with each sample (`hotpath.asyncTasks`). */
      asyncTasks: boolean;
      /** Short name for titles: the script's file name. */
      label: string;
      resource: vscode.Uri;
      /** A test run: its exit code says whether the tests passed. */
      test?: { framework: TestFramework };
    }
  | {
      kind: 'attach';
      pid: number;
      durationS: number | undefined;
      intervalUs: number;
      asyncTasks: boolean;
      label: string;
    };

/** The program terminal's name: one terminal serves every run. */
export const TERMINAL_NAME = 'Hotpath';

/**
 * Shows a finished profile everywhere (editor, panel, status bar): the one
 * path every profile takes, `presentProfile`. Resolves once it is painted.
 */
export type ProfilePresenter = (
  profile: RawProfile,
  options: { source?: vscode.Uri; hashes: ReadonlyMap<string, string>; label: string },
) => Promise<void>;

/** Shows the samples so far of a running program (editor paint, the open panel). */
export type LivePresenter = (profile: RawProfile, label: string) => Promise<void>;

/** Where a run counts from after a Reset, on the sampler's clock, and its samples then. */
interface ResetPoint {
  atUs: number;
  samples: number;
}

export class RunController implements vscode.Disposable {
  private session: ProfileSession | undefined;
  /** The run's samples so far, followed while it runs (the `hotpath.live.enabled` setting). */
  private live: LiveProfile | undefined;
  /** The sampler's latest progress and when it came (performance.now()): the clock Reset reads. */
  private lastProgress: { progress: NativeProgress; at: number } | undefined;
  private resetPoint: ResetPoint | undefined;
  private terminal: ProgramTerminal | undefined;
  /** The terminal of the current or last run: none for an attached process. */
  private runTerminal: ProgramTerminal | undefined;
  private readonly changed = new vscode.EventEmitter<boolean>();
  /** Fires true when a run starts and false when it has ended. */
  readonly onDidChangeRunning = this.changed.event;

  constructor(
    private readonly storage: ProfileStorage,
    private readonly annotations: AnnotationController,
    private readonly statusBar: RunStatusBar,
    private readonly present: ProfilePresenter,
    private readonly log: (message: string) => void = () => undefined,
    private readonly presentLive?: LivePresenter,
  ) {}

  get running(): boolean {
    return this.session !== undefined;
  }

  stop(): void {
    this.session?.stop();
  }

  /**
   * Keeps the program running and starts counting again from now: the live
   * view and the run's final profile hold only what comes after (one request
   * at a time, for a server). Read on the sampler's clock from its latest
   * progress, so it is as exact as that is recent (progress comes ~4 times a second).
   */
  reset(): void {
    if (!this.session) return;
    const last = this.lastProgress;
    if (!last) return;
    const atUs = last.progress.elapsedUs + (performance.now() - last.at) * 1000;
    this.resetPoint = { atUs, samples: last.progress.samples };
    this.live?.resetAt(atUs);
    this.statusBar.counting(this.runLabel ?? '', progressText(this.sinceReset(last.progress)));
    void this.live?.update();
  }

  /** The run's label while one runs (the status bar's name for it). */
  private runLabel: string | undefined;

  /** Progress counted from the last Reset, if there was one. */
  private sinceReset(progress: NativeProgress): NativeProgress {
    const reset = this.resetPoint;
    if (!reset) return progress;
    return {
      ...progress,
      elapsedUs: Math.max(0, progress.elapsedUs - reset.atUs),
      samples: Math.max(0, progress.samples - reset.samples),
    };
  }

  /** Runs until the program ends or is stopped; never rejects for problems of the program. */
  async run(request: RunRequest): Promise<void> {
    if (this.session) throw new Error('A profile is already running.');
    const spillPath = await this.storage.newSpillPath();
    let session: ProfileSession;
    try {
      session = this.start(request, spillPath);
    } catch (error) {
      const failure = toHotpathError(error);
      void vscode.window.showErrorMessage(`Hotpath: ${failure.message} [${failure.code}]`);
      return;
    }
    this.session = session;
    this.resetPoint = undefined;
    this.lastProgress = undefined;
    this.runLabel = request.label;
    this.setRunning(true);
    this.statusBar.running(request.label);
    // The worker that builds the annotations starts while the program runs, not after it ends.
    this.annotations.prepare();
    this.startLive(request, spillPath);

    const progress = showRunProgress(`Profiling ${request.label}`, session.result);
    session.on('progress', (p) => {
      this.lastProgress = { progress: p, at: performance.now() };
      const text = progressText(this.sinceReset(p));
      progress.update(this.resetPoint ? `${text} since Reset` : text);
      if (this.resetPoint) this.statusBar.counting(request.label, text);
      else this.statusBar.running(request.label, text);
    });
    session.on('samplerError', (error) => {
      this.runTerminal?.notice(`Hotpath: sampling stopped: ${error.message} [${error.code}]`);
    });

    let result: SessionResult;
    try {
      result = await session.result;
    } catch (error) {
      // Only spawning itself can fail (HOTPATH_SPAWN_FAILED).
      const failure = toHotpathError(error);
      this.runTerminal?.notice(`Hotpath: ${failure.message}`);
      void vscode.window.showErrorMessage(`Hotpath: ${failure.message} [${failure.code}]`);
      await fs.rm(spillPath, { force: true });
      this.finishRun();
      this.restoreStatus();
      return;
    } finally {
      this.runTerminal?.ended();
      // Nothing live is painted once the run's own profile is on its way.
      await this.stopLive();
    }
    this.finishRun();
    const profile = this.countedFromReset(result.profile);
    // The mode the run was asked for is the one its panel and saved file open in.
    const mode = setting('timeMode');
    if (mode !== 'wall') profile.meta.mode = mode;
    await this.complete(request, { ...result, profile }, spillPath);
  }

  /** The run's profile from the last Reset on (the whole run without one). */
  private countedFromReset(profile: RawProfile): RawProfile {
    return this.resetPoint ? profileSince(profile, this.resetPoint.atUs) : profile;
  }

  private startLive(request: RunRequest, spillPath: string): void {
    const presentLive = this.presentLive;
    const on = presentLive !== undefined && setting('live.enabled');
    // Read by bench/liveUpdates.mjs, which compares runs with live updates on and off.
    this.log(`run: live updates ${on ? 'on' : 'off'}`);
    if (!on) return;
    const meta =
      request.kind === 'spawn'
        ? { argv: request.argv, cwd: request.cwd, pythonPath: request.interpreter.path }
        : { argv: [], cwd: '' };
    this.live = new LiveProfile({
      spillPath,
      meta,
      show: (profile) => presentLive(profile, request.label),
      log: this.log,
    });
    this.live.start();
  }

  private async stopLive(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    if (!live) return;
    await live.stop();
    this.log(`run: ${live.updates} live updates shown`);
  }

  private start(request: RunRequest, spillPath: string): ProfileSession {
    if (request.kind === 'attach') {
      this.runTerminal = undefined;
      return ProfileSession.attach({
        pid: request.pid,
        durationS: request.durationS,
        intervalUs: request.intervalUs,
        spillPath,
        asyncTasks: request.asyncTasks,
      });
    }
    // One terminal for every run, so runs neither pile up terminals nor close and reopen the
    // panel area (which would lose the height the user gave it); a new one once the user closed it.
    if (!this.terminal || this.terminal.closed) {
      this.terminal?.dispose();
      this.terminal = new ProgramTerminal(TERMINAL_NAME);
    }
    const terminal = this.terminal;
    this.runTerminal = terminal;
    terminal.begin(() => this.stop());
    terminal.show();
    terminal.notice(`Profiling ${request.argv.map(quoteForDisplay).join(' ')}  (in ${request.cwd})`);
    const session = ProfileSession.spawn({
      argv: request.argv,
      cwd: request.cwd,
      env: request.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      interpreter: request.interpreter,
      intervalUs: request.intervalUs,
      spillPath,
      followChildren: request.followChildren,
      asyncTasks: request.asyncTasks,
    });
    const child = session.child;
    child?.stdout?.on('data', (chunk: Buffer) => terminal.output(chunk, 'stdout'));
    child?.stderr?.on('data', (chunk: Buffer) => terminal.output(chunk, 'stderr'));
    terminal.attachInput(child?.stdin ?? null);
    return session;
  }

  private async complete(request: RunRequest, result: SessionResult, spillPath: string): Promise<void> {
    const { profile, samplerError } = result;
    const samples = profile.sampleTime.length;
    this.runTerminal?.notice(exitLine(result, samples));
    if (samplerError) {
      void vscode.window.showErrorMessage(`Hotpath: ${samplerError.message} [${samplerError.code}]`);
    }
    if (samples === 0) {
      await fs.rm(spillPath, { force: true });
      this.restoreStatus();
      if (profile.meta.countedFromUs !== undefined) {
        void vscode.window.showWarningMessage(
          `Hotpath: no samples were taken from ${request.label} after the Reset, so there is no profile to show.`,
        );
      } else if (result.exitedBeforeSampling) {
        void vscode.window.showWarningMessage(
          `Hotpath: ${request.label} ended before Python could be sampled, so there is no profile. ` +
            `Check the terminal for errors; very short programs finish before the first sample.`,
        );
      } else if (!samplerError) {
        void vscode.window.showWarningMessage(`Hotpath: no samples were taken from ${request.label}.`);
      }
      return;
    }
    const failedToStart =
      request.kind === 'spawn' &&
      result.exitCode !== 0 &&
      profile.meta.countedFromUs === undefined &&
      samplesInUserCode(profile) === 0;
    if (failedToStart) {
      // A syntax error or a failing import: the traceback in the terminal is the answer, not a
      // profile of the interpreter's start-up.
      await fs.rm(spillPath, { force: true });
      this.restoreStatus();
      this.runTerminal?.show();
      void vscode.window.showWarningMessage(
        `Hotpath: ${request.label} ${result.exitSignal ? `was killed by ${result.exitSignal}` : `exited with code ${result.exitCode}`} ` +
          `before any of its own code ran (see the terminal for the error), so there is no profile to show.`,
      );
      return;
    }
    const outcome =
      request.kind === 'spawn' && request.test && !result.exitSignal
        ? testOutcome(request.test.framework, result.exitCode)
        : undefined;
    if (outcome) {
      // The profile of a failing test is what the user asked for; the failure is said beside it.
      this.runTerminal?.notice(`Hotpath: the test run ${outcome}; its profile is shown.`);
      void vscode.window.showWarningMessage(
        `Hotpath: ${request.label} ${outcome} (see the terminal); its profile is shown.`,
      );
    }
    const hashes = await hashUserSources(profile);
    // Paint first (the user is waiting for it; saving a long run takes longer than painting it).
    await this.annotations.show(profile, hashes);
    if (result.exitedAt !== undefined) {
      // What the user waits for after their program ends (bench/README.md: exit → annotations).
      const ms = performance.now() - result.exitedAt;
      this.log(`run: program exit → annotations painted in ${ms.toFixed(0)} ms (${samples} samples)`);
    }
    let source: vscode.Uri | undefined;
    try {
      const file = await this.storage.save(
        profile,
        request.kind === 'spawn' ? request.resource : undefined,
        hashes,
      );
      source = vscode.Uri.file(file);
      this.runTerminal?.notice(`Profile saved to ${file}`);
      await fs.rm(spillPath, { force: true });
    } catch (error) {
      void vscode.window.showWarningMessage(
        `Hotpath: the profile could not be saved (${(error as Error).message}) [HOTPATH_PROFILE_SAVE_FAILED]. ` +
          `It is shown, and its samples are kept in ${spillPath}.`,
      );
    }
    // Presented once saved, so that the panel knows its file and a window reload restores it; the
    // paint above is kept as it is (the presenter only records where the profile is saved).
    await this.present(profile, { source, hashes, label: request.label });
  }

  /** A run without a profile: the status bar names the profile still shown, if any. */
  private restoreStatus(): void {
    const shown = this.annotations.current;
    if (shown) this.statusBar.finished(scriptLabel(shown.raw.meta.argv), shown.raw.meta);
    else this.statusBar.hide();
  }

  private finishRun(): void {
    this.session = undefined;
    this.runLabel = undefined;
    this.setRunning(false);
  }

  private setRunning(running: boolean): void {
    void vscode.commands.executeCommand('setContext', 'hotpath.running', running);
    this.changed.fire(running);
  }

  dispose(): void {
    void this.live?.stop();
    this.session?.stop();
    this.changed.dispose();
    this.terminal?.dispose();
  }
}

function exitLine(result: SessionResult, samples: number): string {
  const how =
    result.exitSignal !== null
      ? `was killed by ${result.exitSignal}`
      : result.exitCode !== null
        ? `exited with code ${result.exitCode}`
        : 'was detached';
  return `\r\nHotpath: the program ${how}; ${formatCount(samples)} samples.`;
}

function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
