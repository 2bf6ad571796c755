/**
 * The page's side of the worker: typed requests over postMessage, each
 * tagged with a log generation, cancellable, and never left pending: when
 * the worker throws, crashes or stays silent past the deadline while a
 * request waits, every waiter is rejected with WorkerDied and `onDeath` runs
 * (the controller then starts a new client).
 */
import type { FromWorker, LogSummary, Reply, Request, RequestKind, ToWorker } from './protocol.ts';

/** A request that ended without a value for a reason other than a bug: cancelled, or about a log no longer open. */
export class RequestDropped extends Error {
  constructor(
    readonly reason: 'cancelled' | 'stale',
    message: string,
  ) {
    super(message);
    this.name = 'RequestDropped';
  }
}

export class WorkerDied extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerDied';
  }
}

export interface Progress {
  done: number;
  total: number | null;
  label: string;
  /** A streamed open: the log so far. */
  partial?: LogSummary;
}

export interface ClientOptions {
  /** Silence (no reply, no progress) while a request waits, after which the worker is declared dead. */
  deadlineMs?: number;
  /** Lets the worker honour test-only requests (`?test-hooks`). */
  testHooks?: boolean;
  onDeath?: (reason: string) => void;
}

/** Long enough for the slowest single step (indexing the 71 MB log is ~2 s), short enough to notice a wedge. */
export const DEFAULT_DEADLINE_MS = 20_000;

interface Waiter {
  generation: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: Progress) => void;
}

export interface RequestHandle<K extends RequestKind> {
  id: number;
  promise: Promise<Reply<K>>;
}

export class LogWorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Waiter>();
  private lastHeard = performance.now();
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private dead = false;
  private readonly deadlineMs: number;

  constructor(private readonly options: ClientOptions = {}) {
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), {
      type: 'module',
      name: options.testHooks ? 'bpf-log-worker test-hooks' : 'bpf-log-worker',
    });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.die(`it failed: ${event.message || 'an uncaught error'}`);
    };
    this.worker.onmessageerror = () => this.die('a message from it could not be read');
  }

  get alive(): boolean {
    return !this.dead;
  }

  private receive(message: FromWorker): void {
    this.lastHeard = performance.now();
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    if (message.type === 'progress') {
      waiter.onProgress?.({
        done: message.done,
        total: message.total,
        label: message.label,
        ...(message.partial ? { partial: message.partial } : {}),
      });
      return;
    }
    this.pending.delete(message.id);
    this.stopWatchdogIfIdle();
    if (message.ok) waiter.resolve(message.value);
    else if (message.reason === 'error') waiter.reject(new Error(message.error));
    else waiter.reject(new RequestDropped(message.reason, message.error));
  }

  /** Sends a request about log `generation`; the handle's id cancels it. */
  start<K extends RequestKind>(
    request: Request<K>,
    generation: number,
    onProgress?: (progress: Progress) => void,
  ): RequestHandle<K> {
    const id = this.nextId++;
    const promise = new Promise<Reply<K>>((resolve, reject) => {
      if (this.dead) {
        reject(new WorkerDied('the log worker is gone'));
        return;
      }
      this.pending.set(id, { generation, resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.startWatchdog();
      this.worker.postMessage({ type: 'request', id, generation, request } satisfies ToWorker);
    });
    return { id, promise };
  }

  request<K extends RequestKind>(request: Request<K>, generation: number): Promise<Reply<K>> {
    return this.start(request, generation).promise;
  }

  /** Stops a request: its promise rejects at once with RequestDropped('cancelled'); the worker stops at its next slice. */
  cancel(id: number, why = 'cancelled'): void {
    const waiter = this.pending.get(id);
    if (!waiter) return;
    this.pending.delete(id);
    this.stopWatchdogIfIdle();
    this.worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
    waiter.reject(new RequestDropped('cancelled', why));
  }

  /** Rejects waiters for logs older than `generation`: their replies would be dropped anyway. */
  dropOlderThan(generation: number): void {
    for (const [id, waiter] of this.pending)
      if (waiter.generation < generation) this.cancel(id, 'a newer log was opened');
  }

  terminate(): void {
    this.dead = true;
    this.worker.terminate();
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    const error = new WorkerDied('the log worker was stopped');
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  private die(reason: string): void {
    if (this.dead) return;
    const pendingCount = this.pending.size;
    this.dead = true;
    this.worker.terminate();
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    const error = new WorkerDied(`The log worker stopped: ${reason}.`);
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    this.options.onDeath?.(`${reason}${pendingCount ? ` (${pendingCount} requests were waiting)` : ''}`);
  }

  private startWatchdog(): void {
    if (this.watchdog) return;
    this.lastHeard = performance.now();
    this.watchdog = setInterval(
      () => {
        if (this.pending.size > 0 && performance.now() - this.lastHeard > this.deadlineMs)
          this.die(`it did not answer for ${Math.round(this.deadlineMs / 1000)} s`);
      },
      Math.min(1000, this.deadlineMs / 4),
    );
  }

  private stopWatchdogIfIdle(): void {
    if (this.pending.size === 0 && this.watchdog) {
      clearInterval(this.watchdog);
      this.watchdog = null;
    }
  }
}
