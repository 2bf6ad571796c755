/**
 * A long job in the worker, run in slices: between slices it yields to the
 * event loop (so a cancel, or a newer request, is read) and reports progress,
 * which is also the page's sign that the worker is alive.
 */

import type { Steps } from '../core/steps.ts';
import type { LogSummary } from './protocol.ts';

/** Thrown out of a job that was cancelled or replaced; the worker answers it as 'cancelled'. */
export class Cancelled extends Error {
  constructor(reason = 'cancelled') {
    super(reason);
    this.name = 'Cancelled';
  }
}

/** A slice's length: long enough to get work done, short enough that a cancel is read within a frame. */
export const SLICE_MS = 15;

let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];
// Node (the unit tests) drains a MessagePort's queue before its timers run; setImmediate lets them in.
const setImmediateIfAny = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;

/** Yields to the event loop: a MessageChannel task, which (unlike setTimeout) is not clamped to 4 ms. */
export function yieldToEventLoop(): Promise<void> {
  if (setImmediateIfAny) return new Promise((resolve) => setImmediateIfAny(resolve));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel?.port2.postMessage(0);
  });
}

/**
 * Runs a core pass written as steps (core/steps.ts) in slices of SLICE_MS,
 * yielding to the event loop between them so other requests are answered;
 * `afterYield` may throw to stop (Cancelled). Returns the value and the time
 * spent in the pass itself, the waits between slices left out.
 */
export async function runInSlices<T>(
  steps: Steps<T>,
  afterYield: () => void = () => {},
): Promise<{ value: T; busyMs: number }> {
  let busyMs = 0;
  let sliceStart = performance.now();
  let next = steps.next();
  while (!next.done) {
    if (performance.now() - sliceStart >= SLICE_MS) {
      busyMs += performance.now() - sliceStart;
      await yieldToEventLoop();
      afterYield();
      sliceStart = performance.now();
    }
    next = steps.next();
  }
  return { value: next.value, busyMs: busyMs + performance.now() - sliceStart };
}

export type ProgressSink = (done: number, total: number | null, label: string, partial?: LogSummary) => void;

export class Job {
  private cancelReason: string | null = null;
  private sliceStart = performance.now();
  private readonly abortController = new AbortController();

  constructor(
    readonly generation: number,
    private readonly onProgress: ProgressSink = () => {},
  ) {}

  /** For fetches and streams the job owns: aborted with the job. */
  get signal(): AbortSignal {
    return this.abortController.signal;
  }

  get cancelled(): boolean {
    return this.cancelReason !== null;
  }

  cancel(reason = 'cancelled'): void {
    if (this.cancelReason !== null) return;
    this.cancelReason = reason;
    this.abortController.abort(new Cancelled(reason));
  }

  /** Throws Cancelled when the job was cancelled. */
  check(): void {
    if (this.cancelReason !== null) throw new Cancelled(this.cancelReason);
  }

  /** True when the current slice has run its time: the caller should `pause`. Cheap enough to call every few hundred items. */
  due(): boolean {
    return performance.now() - this.sliceStart >= SLICE_MS;
  }

  /** Ends a slice: reports progress, yields, and throws Cancelled if the job was cancelled meanwhile. */
  async pause(done: number, total: number | null, label: string): Promise<void> {
    this.onProgress(done, total, label);
    await yieldToEventLoop();
    this.sliceStart = performance.now();
    this.check();
  }

  /** `partial`: a streamed open's log so far (always posted, never throttled away). */
  progress(done: number, total: number | null, label: string, partial?: LogSummary): void {
    this.onProgress(done, total, label, partial);
  }
}

/** A job nobody cancels and nobody watches: for tests and for callers with nothing to report. */
export const detachedJob = () => new Job(0);
