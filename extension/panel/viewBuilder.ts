/**
 * Builds panel views on a worker thread (viewWorker.ts) so the extension host
 * never stalls on a big profile. One worker serves every panel; it is started
 * on first use and again after it dies. Per profile at most one build runs at
 * a time: a request made meanwhile waits, and a newer one replaces it (its
 * promise rejects with SupersededError), so dragging a time range across the
 * timeline never queues up stale builds. No `vscode` import: unit-tested.
 */
import { Worker } from 'node:worker_threads';
import type { RawProfile } from '../model/rawProfile';
import type { FilterState, SetProfileMessage } from './protocol';
import type { FromViewWorker, ToViewWorker } from './viewWorkerProtocol';

/** A build that a newer request for the same profile replaced before it started. */
export class SupersededError extends Error {
  constructor() {
    super('superseded by a newer view request');
    this.name = 'SupersededError';
  }
}

interface Job {
  key: string;
  raw: RawProfile;
  filter: FilterState;
  ids: { profileId: string; title: string };
  reuse: Pick<SetProfileMessage, 'header' | 'timeline'> | undefined;
  resolve(message: SetProfileMessage): void;
  reject(error: Error): void;
  /** The raw profile was sent once for this job already (the worker said it was missing). */
  resent?: boolean;
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
  /** Profiles the current worker holds. */
  private readonly sent = new Set<string>();
  private readonly running = new Map<number, Job>();
  private readonly waiting = new Map<string, Job>();
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
  ): Promise<SetProfileMessage> {
    if (this.disposed) return Promise.reject(new Error('the view builder was disposed'));
    return new Promise<SetProfileMessage>((resolve, reject) => {
      const job: Job = { key, raw, filter, ids, reuse, resolve, reject };
      if (this.isRunning(key)) {
        this.waiting.get(key)?.reject(new SupersededError());
        this.waiting.set(key, job);
      } else {
        this.start(job);
      }
    });
  }

  /** The worker may drop this profile (its panel closed, or it was replaced). */
  forget(key: string): void {
    this.waiting.get(key)?.reject(new SupersededError());
    this.waiting.delete(key);
    if (this.sent.delete(key)) this.send({ kind: 'forget', key });
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
    const withRaw = !this.sent.has(job.key);
    this.sent.add(job.key);
    this.send({
      kind: 'build',
      requestId,
      key: job.key,
      raw: withRaw ? job.raw : undefined,
      filter: job.filter,
      ids: job.ids,
      whole: job.reuse === undefined,
    });
  }

  private isRunning(key: string): boolean {
    for (const job of this.running.values()) if (job.key === key) return true;
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
      this.sent.delete(job.key);
      job.resent = true;
      this.start(job);
      return;
    }
    if (message.kind === 'built') {
      const { header, timeline } = job.reuse ?? message.message;
      // The request's own filter object: callers compare filters by identity to reuse a view.
      if (header && timeline) job.resolve({ ...message.message, filter: job.filter, header, timeline });
      else job.reject(new Error('the view worker sent no header or timeline'));
    } else if (message.kind === 'failed') {
      const error = new Error(message.error);
      if (message.stack) error.stack = message.stack;
      job.reject(error);
    } else {
      job.reject(new Error('the view worker does not hold the profile'));
    }
    this.startWaiting(job.key);
  }

  private startWaiting(key: string): void {
    const next = this.waiting.get(key);
    if (!next) return;
    this.waiting.delete(key);
    this.start(next);
  }

  private onWorkerGone(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.sent.clear();
    // Builds in flight are lost with the worker; the waiting ones start on a new worker.
    const lost = [...this.running.values()];
    this.running.clear();
    for (const job of lost) job.reject(error);
    if (this.disposed) return;
    for (const key of [...this.waiting.keys()]) this.startWaiting(key);
  }

  private failAll(error: Error): void {
    for (const job of this.running.values()) job.reject(error);
    for (const job of this.waiting.values()) job.reject(error);
    this.running.clear();
    this.waiting.clear();
  }
}
