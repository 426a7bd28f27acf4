/**
 * Builds panel views, and the editor's annotations and hover neighbours, on a
 * worker thread (viewWorker.ts) so the extension host never stalls on a big
 * profile. One worker serves every panel and the editor; it is started on
 * first use and again after it dies. Per profile and kind of request (a lane)
 * at most one runs at a time: a request made meanwhile waits, and a newer one
 * replaces it (its promise rejects with SupersededError), so dragging a time
 * range across the timeline never queues up stale builds. No `vscode`
 * import: unit-tested.
 */
import { Worker } from 'node:worker_threads';
import type { EditorAnnotations } from './editorViews';
import type { LineNeighbours } from './lineNeighbours';
import type { RawProfile } from '../model/rawProfile';
import type { ViewOptions } from '../model/types';
import type { FilterState, SetProfileMessage } from './protocol';
import type { FromViewWorker, ToViewWorker } from './viewWorkerProtocol';
import { liveDelta } from './liveDelta';
import type { CompareScale } from '../model/compareScale';
import type { LineEdit } from '../model/lineTracking';

/** A build that a newer request for the same profile replaced before it started. */
export class SupersededError extends Error {
  constructor() {
    super('superseded by a newer view request');
    this.name = 'SupersededError';
  }
}

interface Job {
  /** The caller's key for the profile (a panel's id, the editor's): what forget() names. */
  key: string;
  /** The profile's key in the worker: one per profile object, however many callers show it. */
  workerKey: string;
  /** Requests in one lane run one at a time, and the newest waiting one replaces the others. */
  lane: string;
  raw: RawProfile;
  /** A second profile the request needs (the baseline of a comparison), held like the first. */
  baseline?: { workerKey: string; raw: RawProfile };
  /** The request for the worker; each profile only when the worker has not got it. */
  request(
    requestId: number,
    workerKey: string,
    raw: RawProfile | undefined,
    baseline: { workerKey: string; raw: RawProfile | undefined } | undefined,
  ): ToViewWorker;
  /** Settles the caller's promise from the worker's answer (not 'missing'). */
  settle(message: FromViewWorker): void;
  reject(error: Error): void;
  /** The raw profile was sent once for this job already (the worker said it was missing). */
  resent?: boolean;
}

/** What the editor compares its profile with. */
export interface AnnotateBaseline {
  raw: RawProfile;
  scale: CompareScale | 'auto';
  /** Edits made since the baseline was taken, per absolute path: where its lines are now. */
  moves: [string, LineEdit[]][];
}

export interface ViewBuilderOptions {
  /** Path of the worker script (dist/viewWorker.js when bundled). */
  workerPath: string;
  /** Node flags for the worker; default none. */
  execArgv?: string[];
}

export class ViewBuilder {
  private worker: Worker | undefined;
  private nextId = 1;
  /** Worker keys of the profiles the current worker holds. */
  private readonly sent = new Set<string>();
  /** One worker key per profile object: a panel and the editor showing one profile share its copy. */
  private readonly workerKeys = new WeakMap<RawProfile, string>();
  /** Caller key → the worker key of the profile it shows, and worker key → its callers. */
  private readonly profileOf = new Map<string, string>();
  private readonly callersOf = new Map<string, Set<string>>();
  private nextWorkerKey = 1;
  private readonly running = new Map<number, Job>();
  private readonly waiting = new Map<string, Job>();
  /** The last live snapshot the worker was sent, whole or as a delta (see asLiveDelta). */
  private liveSent: RawProfile | undefined;
  private disposed = false;

  constructor(private readonly options: ViewBuilderOptions) {}

  /**
   * The whole setProfile message for `raw` under `filter`. With `reuse`, its
   * header and timeline are kept and only the filtered views are built.
   */
  build(
    key: string,
    raw: RawProfile,
    filter: FilterState,
    ids: { profileId: string; title: string },
    reuse?: Pick<SetProfileMessage, 'header' | 'timeline'>,
    baseline?: { raw: RawProfile; label: string },
  ): Promise<SetProfileMessage> {
    return this.enqueue<SetProfileMessage>(
      key,
      key,
      raw,
      (requestId, workerKey, withRaw, held) => ({
        kind: 'build',
        requestId,
        key: workerKey,
        raw: withRaw,
        filter,
        ids,
        whole: reuse === undefined,
        baseline:
          baseline && held ? { key: held.workerKey, raw: held.raw, label: baseline.label } : undefined,
      }),
      (message, resolve, reject) => {
        if (message.kind !== 'built') return false;
        const { header, timeline } = reuse ?? message.message;
        // The request's own filter object: callers compare filters by identity to reuse a view.
        if (header && timeline) resolve({ ...message.message, filter, header, timeline });
        else reject(new Error('the view worker sent no header or timeline'));
        return true;
      },
      baseline?.raw ?? null,
    );
  }

  /**
   * The editor's annotations of `raw` under `options` (the newest request per profile wins), with
   * each line's change from `baseline` when given (compareAnnotations.ts).
   */
  annotate(
    key: string,
    raw: RawProfile,
    options: ViewOptions,
    thresholdPercent: number,
    baseline?: AnnotateBaseline,
  ): Promise<EditorAnnotations> {
    return this.enqueue<EditorAnnotations>(
      `${key}\u0000annotate`,
      key,
      raw,
      (requestId, workerKey, withRaw, held) => ({
        kind: 'annotate',
        requestId,
        key: workerKey,
        raw: withRaw,
        options,
        thresholdPercent,
        baseline:
          baseline && held
            ? { key: held.workerKey, raw: held.raw, scale: baseline.scale, moves: baseline.moves }
            : undefined,
      }),
      (message, resolve) => {
        if (message.kind !== 'annotated') return false;
        resolve(message.annotations);
        return true;
      },
      baseline?.raw ?? null,
    );
  }

  /** Callers and callees of every line of one file (its path as the profile recorded it). */
  neighbours(
    key: string,
    raw: RawProfile,
    options: ViewOptions,
    recordedPath: string,
  ): Promise<Map<number, LineNeighbours>> {
    const lane = `${key}\u0000neighbours\u0000${recordedPath}`;
    return this.enqueue<Map<number, LineNeighbours>>(
      lane,
      key,
      raw,
      (requestId, workerKey, withRaw) => ({
        kind: 'neighbours',
        requestId,
        key: workerKey,
        raw: withRaw,
        options,
        recordedPath,
      }),
      (message, resolve) => {
        if (message.kind !== 'neighbours') return false;
        resolve(message.lines);
        return true;
      },
    );
  }

  private enqueue<T>(
    lane: string,
    key: string,
    raw: RawProfile,
    request: Job['request'],
    answer: (message: FromViewWorker, resolve: (value: T) => void, reject: (error: Error) => void) => boolean,
    /** The baseline a comparing request needs; null when it compares nothing (its last one is dropped). */
    baseline?: RawProfile | null,
  ): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('the view builder was disposed'));
    return new Promise<T>((resolve, reject) => {
      const baselineKey = `${lane}\u0000baseline`;
      if (baseline === null) this.forget(baselineKey);
      const job: Job = {
        key,
        workerKey: this.workerKeyFor(key, raw),
        baseline: baseline
          ? { workerKey: this.workerKeyFor(baselineKey, baseline), raw: baseline }
          : undefined,
        lane,
        raw,
        request,
        reject,
        settle: (message) => {
          if (answer(message, resolve, reject)) return;
          if (message.kind === 'failed') {
            const error = new Error(message.error);
            if (message.stack) error.stack = message.stack;
            reject(error);
          } else {
            reject(new Error(`the view worker answered ${message.kind}, not what was asked`));
          }
        },
      };
      if (this.isRunning(lane)) {
        this.waiting.get(lane)?.reject(new SupersededError());
        this.waiting.set(lane, job);
      } else {
        this.start(job);
      }
    });
  }

  /** Starts the worker ahead of the first request (it takes tens of ms to start). */
  warm(): void {
    if (this.disposed) return;
    const worker = this.ensureWorker();
    // Idle, it must not keep a process alive.
    if (this.running.size === 0) worker.unref();
  }

  /** The worker may drop this profile (its panel closed, or it was replaced). */
  forget(key: string): void {
    // A panel's or the editor's baseline goes with it.
    if (!key.endsWith('\u0000baseline')) {
      this.forget(`${key}\u0000baseline`);
      this.forget(`${key}\u0000annotate\u0000baseline`);
    }
    for (const [lane, job] of [...this.waiting]) {
      if (job.key !== key) continue;
      job.reject(new SupersededError());
      this.waiting.delete(lane);
    }
    const workerKey = this.profileOf.get(key);
    if (workerKey === undefined) return;
    this.profileOf.delete(key);
    this.release(key, workerKey);
  }

  /** The worker's key for `raw`, noting that `callerKey` now shows it. */
  private workerKeyFor(callerKey: string, raw: RawProfile): string {
    let workerKey = this.workerKeys.get(raw);
    if (workerKey === undefined) {
      workerKey = `profile-${this.nextWorkerKey++}`;
      this.workerKeys.set(raw, workerKey);
    }
    const previous = this.profileOf.get(callerKey);
    if (previous !== workerKey) {
      if (previous !== undefined) this.release(callerKey, previous);
      this.profileOf.set(callerKey, workerKey);
      let callers = this.callersOf.get(workerKey);
      if (!callers) this.callersOf.set(workerKey, (callers = new Set()));
      callers.add(callerKey);
    }
    return workerKey;
  }

  /** The worker drops a profile once no caller shows it any more. */
  private release(callerKey: string, workerKey: string): void {
    const callers = this.callersOf.get(workerKey);
    callers?.delete(callerKey);
    if (callers && callers.size > 0) return;
    this.callersOf.delete(workerKey);
    if (this.sent.delete(workerKey)) this.send({ kind: 'forget', key: workerKey });
  }

  dispose(): void {
    this.disposed = true;
    this.failAll(new Error('the view builder was disposed'));
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private start(job: Job): void {
    const requestId = this.nextId++;
    const worker = this.ensureWorker();
    // Referenced while it works, so a process awaiting a view does not exit meanwhile.
    if (this.running.size === 0) worker.ref();
    this.running.set(requestId, job);
    const withRaw = !this.sent.has(job.workerKey);
    this.sent.add(job.workerKey);
    const base = job.baseline;
    const withBaseline = base !== undefined && !this.sent.has(base.workerKey);
    if (base) this.sent.add(base.workerKey);
    const message = job.request(
      requestId,
      job.workerKey,
      withRaw ? job.raw : undefined,
      base && { workerKey: base.workerKey, raw: withBaseline ? base.raw : undefined },
    );
    this.send(this.asLiveDelta(message, job.resent === true));
  }

  /**
   * A live snapshot goes to the worker as what it adds to the last one sent
   * (unless `whole`: the worker said it lacked the base). The worker keeps the
   * last live profile it was sent the same way (viewWorker.ts), so both sides
   * agree on the base: a whole profile sent replaces it, or ends it when not live.
   */
  private asLiveDelta(message: ToViewWorker, whole: boolean): ToViewWorker {
    if (message.kind === 'forget' || !message.raw) return message;
    const raw = message.raw;
    const base = this.liveSent;
    this.liveSent = raw.meta.live ? raw : undefined;
    const live = raw.meta.live && base && !whole ? liveDelta(base, raw) : undefined;
    return live ? { ...message, raw: undefined, live } : message;
  }

  private isRunning(lane: string): boolean {
    for (const job of this.running.values()) if (job.lane === lane) return true;
    return false;
  }

  private send(message: ToViewWorker): void {
    this.ensureWorker().postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // Not the host's own flags (an inspector port, a loader): the worker needs none.
    const worker = new Worker(this.options.workerPath, { execArgv: this.options.execArgv ?? [] });
    worker.on('message', (m: FromViewWorker) => this.onMessage(m));
    worker.on('error', (error) => this.onWorkerGone(worker, error));
    worker.on('exit', (code) =>
      this.onWorkerGone(worker, new Error(`the view worker stopped (exit code ${code})`)),
    );
    this.worker = worker;
    return worker;
  }

  private onMessage(message: FromViewWorker): void {
    const job = this.running.get(message.requestId);
    if (!job) return;
    this.running.delete(message.requestId);
    // An idle worker must not keep a process (the CLI, a test) alive.
    if (this.running.size === 0) this.worker?.unref();
    if (message.kind === 'missing' && !job.resent) {
      // The worker lost the profile (restarted): send it again, once.
      this.sent.delete(job.workerKey);
      if (job.baseline) this.sent.delete(job.baseline.workerKey);
      job.resent = true;
      this.start(job);
      return;
    }
    if (message.kind === 'missing') job.reject(new Error('the view worker does not hold the profile'));
    else job.settle(message);
    this.startWaiting(job.lane);
  }

  private startWaiting(lane: string): void {
    const next = this.waiting.get(lane);
    if (!next) return;
    this.waiting.delete(lane);
    this.start(next);
  }

  private onWorkerGone(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.sent.clear();
    this.liveSent = undefined;
    // Builds in flight are lost with the worker; the waiting ones start on a new worker.
    const lost = [...this.running.values()];
    this.running.clear();
    for (const job of lost) job.reject(error);
    if (this.disposed) return;
    for (const lane of [...this.waiting.keys()]) this.startWaiting(lane);
  }

  private failAll(error: Error): void {
    for (const job of this.running.values()) job.reject(error);
    for (const job of this.waiting.values()) job.reject(error);
    this.running.clear();
    this.waiting.clear();
  }
}
