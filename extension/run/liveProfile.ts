/**
 * The samples so far of a running program, followed through its spill file:
 * every `intervalMs` the bytes appended since the last look are read (on
 * libuv's threads, not the extension host's), parsed once into the growing
 * profile (format/spillReader.ts), and a snapshot is handed to `show`. The
 * next look is scheduled only when `show` has settled, so at most one update
 * is in flight and none waits behind it: the next one reads the newest
 * samples. A slow update (a long run's views take longer to build) spaces the
 * updates out so that they take at most a tenth of the time. No `vscode`
 * import: unit-tested on real spill files.
 */
import { promises as fs } from 'node:fs';
import type { ProfileMeta, RawProfile } from '../model/rawProfile';
import { profileSince } from '../model/profileSince';
import { SpillReader } from '../format/spillReader';

/** About once a second, as the user expects of a live view. */
export const LIVE_INTERVAL_MS = 1000;
/** Updates never take more than this share of the time (the worker's and the host's). */
const BUSY_SHARE = 0.1;
/** Read at most this much per look, so a burst (attaching late to a big spill) is spread out. */
const READ_CHUNK = 1 << 20;
const MAX_READ_PER_LOOK = 32 << 20;

export interface LiveProfileOptions {
  spillPath: string;
  /** What the spill does not record: the command line, working directory, interpreter path. */
  meta: Pick<ProfileMeta, 'argv' | 'cwd'> & Partial<Pick<ProfileMeta, 'pythonPath'>>;
  /** Shows a snapshot; the next update waits until it settles. */
  show(profile: RawProfile): Promise<void>;
  intervalMs?: number;
  log?(message: string): void;
}

export class LiveProfile {
  private readonly reader = new SpillReader();
  private file: fs.FileHandle | undefined;
  private position = 0;
  private readonly buffer = Buffer.alloc(READ_CHUNK);
  private timer: NodeJS.Timeout | undefined;
  /** The update in flight, if any. */
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Samples (and reset) of the last snapshot shown: an unchanged profile is not shown again. */
  private shownSamples = -1;
  private shownFrom = -1;
  private fromUs = 0;
  private failed = false;
  private shownCount = 0;

  constructor(private readonly options: LiveProfileOptions) {}

  /** Starts following the spill; the first update comes after one interval. */
  start(): void {
    this.schedule(this.options.intervalMs ?? LIVE_INTERVAL_MS);
  }

  /**
   * Counts from `fromUs` (µs on the sampler's clock) on: later snapshots hold
   * only the samples from then.
   */
  resetAt(fromUs: number): void {
    this.fromUs = Math.max(this.fromUs, fromUs);
  }

  /** Snapshots handed to `show` so far. */
  get updates(): number {
    return this.shownCount;
  }

  /** Samples read from the spill so far (the whole run's, a reset notwithstanding). */
  get samples(): number {
    return this.reader.samples;
  }

  /** Stops updating; resolves once an update in flight has settled (nothing is shown after). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.file?.close().catch(() => undefined);
    this.file = undefined;
  }

  /** One look at the spill now (the timer's work; tests call it to step deterministically). */
  update(): Promise<void> {
    if (this.running) return this.running;
    const running = this.look().finally(() => {
      this.running = undefined;
    });
    this.running = running;
    return running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.failed) return;
    this.timer = setTimeout(() => {
      const started = performance.now();
      void this.update().then(() => {
        const took = performance.now() - started;
        this.schedule(Math.max(this.options.intervalMs ?? LIVE_INTERVAL_MS, took / BUSY_SHARE));
      });
    }, delayMs);
    // A live view never keeps a process alive on its own.
    this.timer.unref();
  }

  private async look(): Promise<void> {
    if (this.stopped || this.failed) return;
    try {
      if (!(await this.readNew())) return;
    } catch (error) {
      // A spill that is not one (or unreadable): the run goes on, its profile comes at the end.
      this.failed = true;
      this.options.log?.(`live: stopped following ${this.options.spillPath}: ${(error as Error).message}`);
      return;
    }
    const samples = this.reader.samples;
    if (this.stopped || samples === 0 || (samples === this.shownSamples && this.fromUs === this.shownFrom))
      return;
    this.shownSamples = samples;
    this.shownFrom = this.fromUs;
    this.shownCount++;
    try {
      await this.options.show(this.snapshot());
    } catch (error) {
      this.options.log?.(`live: an update failed: ${(error as Error).message}`);
    }
  }

  /** The profile so far, counted from the last reset, with the run's facts the spill lacks. */
  snapshot(): RawProfile {
    const raw = this.reader.snapshot();
    const { recovered: _notRecovered, ...meta } = raw.meta;
    const { argv, cwd, pythonPath } = this.options.meta;
    return profileSince(
      { ...raw, meta: { ...meta, argv, cwd, pythonPath: pythonPath || meta.pythonPath, live: true } },
      this.fromUs,
    );
  }

  /** Reads what was appended since the last look; false when the spill does not exist yet. */
  private async readNew(): Promise<boolean> {
    if (!this.file) {
      try {
        this.file = await fs.open(this.options.spillPath, 'r');
      } catch (error) {
        // The sampler creates it once the interpreter is up.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    }
    for (let read = 0; read < MAX_READ_PER_LOOK && !this.stopped;) {
      const { bytesRead } = await this.file.read(this.buffer, 0, this.buffer.length, this.position);
      if (bytesRead === 0) break;
      this.position += bytesRead;
      read += bytesRead;
      this.reader.push(this.buffer.subarray(0, bytesRead));
    }
    return true;
  }
}
