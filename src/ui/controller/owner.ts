/**
 * The one owner of the log worker in the page. Every request goes through
 * here, tagged with a log generation:
 * - `latest`: bumped by every open; an open's reply counts only if no newer
 *   open started since.
 * - `shown`: the generation of the log on screen; window requests (rows, hex,
 *   record…) carry it, and a reply that comes back after another log was
 *   shown is dropped.
 * Long jobs (opens, searches, shares) take a slot: a new job in a slot cancels
 * the one it replaces; any job past 300 ms shows a progress line with Cancel.
 * A worker that dies is replaced, and the controller's `onWorkerDeath` hook
 * (set by opening.ts) reopens the log from the source it kept.
 */
import { DEFAULT_DEADLINE_MS, LogWorkerClient, type Progress, RequestDropped } from '../../worker/client.ts';
import type { Reply, Request, RequestKind } from '../../worker/protocol.ts';
import { useApp } from '../store.ts';

export const state = () => useApp.getState();
export const set = (partial: Parameters<ReturnType<typeof useApp.getState>['set']>[0]) =>
  state().set(partial);
export const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** Cancelled or superseded work: not a problem to show. */
export const isDropped = (e: unknown) => e instanceof RequestDropped;

/** Jobs shorter than this finish without a progress line. */
export const PROGRESS_DELAY_MS = 300;

/** `?test-hooks` (e2e only): the worker honours test faults, and `test-deadline=<ms>` shortens the watchdog. */
function testSettings(): { testHooks: boolean; deadlineMs: number; maxDownloadBytes: number | null } {
  const params =
    typeof location === 'undefined' ? new URLSearchParams() : new URL(location.href).searchParams;
  const testHooks = params.has('test-hooks');
  const deadline = Number(params.get('test-deadline'));
  const maxBytes = Number(params.get('test-max-bytes'));
  return {
    testHooks,
    deadlineMs: testHooks && deadline > 0 ? deadline : DEFAULT_DEADLINE_MS,
    maxDownloadBytes: testHooks && maxBytes > 0 ? maxBytes : null,
  };
}
export const settings = testSettings();

let client: LogWorkerClient | null = null;
let deathHandler: (reason: string) => void = () => {};

/** Called when a worker dies (after a new one is ready to be asked). */
export function onWorkerDeath(handler: (reason: string) => void): void {
  deathHandler = handler;
}

function worker(): LogWorkerClient {
  if (!client?.alive) {
    const created: LogWorkerClient = new LogWorkerClient({
      testHooks: settings.testHooks,
      deadlineMs: settings.deadlineMs,
      onDeath: (reason) => {
        if (client === created) client = null;
        clearJobs();
        deathHandler(reason);
      },
    });
    client = created;
  }
  return client;
}

let latest = 0;
let shown = 0;

/** A new generation for an open about to start; requests about older logs still in flight are dropped. */
export function nextGeneration(): number {
  latest += 1;
  return latest;
}
export const isLatest = (generation: number) => generation === latest;
export const shownGeneration = () => shown;
export function markShown(generation: number): void {
  shown = generation;
  client?.dropOlderThan(generation);
}

/** A request about the log on screen (windows of rows, bytes, a record). Rejects with RequestDropped when another log was shown meanwhile. */
export async function ask<K extends RequestKind>(request: Request<K>): Promise<Reply<K>> {
  const generation = shown;
  const reply = await worker().request(request, generation);
  if (generation !== shown) throw new RequestDropped('stale', 'another log is shown now');
  return reply;
}

/** A request that does not concern the open log (recent logs, test faults). */
export function askGlobal<K extends RequestKind>(request: Request<K>): Promise<Reply<K>> {
  return worker().request(request, shown);
}

// ---- long jobs, their progress line and Cancel ----

/** One job per slot: a new open replaces an open, a new search a search. */
export type JobSlot = 'open' | 'view' | 'share';

interface RunningJob {
  id: number;
  slot: JobSlot;
  label: string;
  startedAt: number;
  progress: Progress | null;
}

const jobs = new Map<number, RunningJob>();
const slots = new Map<JobSlot, number>();
let progressTimer: ReturnType<typeof setTimeout> | null = null;

/** Shows the oldest job that has run past PROGRESS_DELAY_MS, or nothing. */
function publishProgress(): void {
  const now = performance.now();
  let shownJob: RunningJob | null = null;
  for (const job of jobs.values()) if (now - job.startedAt >= PROGRESS_DELAY_MS) shownJob ??= job;
  set({
    job: shownJob
      ? {
          label: shownJob.progress?.label ?? shownJob.label,
          done: shownJob.progress?.done ?? 0,
          total: shownJob.progress?.total ?? null,
        }
      : null,
  });
  if (progressTimer) clearTimeout(progressTimer);
  progressTimer = null;
  const next = [...jobs.values()].find((j) => now - j.startedAt < PROGRESS_DELAY_MS);
  if (next) progressTimer = setTimeout(publishProgress, PROGRESS_DELAY_MS - (now - next.startedAt) + 5);
}

function clearJobs(): void {
  jobs.clear();
  slots.clear();
  publishProgress();
}

/**
 * Runs a long request in `slot`, cancelling the job it replaces. Opens pass
 * their new generation; other jobs are about the log on screen.
 */
export async function runJob<K extends RequestKind>(
  slot: JobSlot,
  label: string,
  request: Request<K>,
  generation = shown,
  onProgress?: (progress: Progress) => void,
): Promise<Reply<K>> {
  const client = worker();
  const previous = slots.get(slot);
  if (previous !== undefined) client.cancel(previous, 'replaced by a newer request');
  let lastPublished = 0;
  const handle = client.start(request, generation, (progress) => {
    const job = jobs.get(handle.id);
    if (!job) return;
    job.progress = progress;
    onProgress?.(progress);
    const now = performance.now();
    if (now - job.startedAt >= PROGRESS_DELAY_MS && now - lastPublished > 100) {
      lastPublished = now;
      publishProgress();
    }
  });
  jobs.set(handle.id, { id: handle.id, slot, label, startedAt: performance.now(), progress: null });
  slots.set(slot, handle.id);
  publishProgress();
  try {
    const reply = await handle.promise;
    if (slot !== 'open' && generation !== shown)
      throw new RequestDropped('stale', 'another log is shown now');
    return reply;
  } finally {
    jobs.delete(handle.id);
    if (slots.get(slot) === handle.id) slots.delete(slot);
    publishProgress();
  }
}

/** The progress line's Cancel: stops every running job; the log on screen stays. */
export function cancelJobs(): void {
  const running = client;
  if (!running) return;
  for (const id of [...jobs.keys()]) running.cancel(id, 'cancelled by you');
}

/** Test hook, honoured only under `?test-hooks`: makes the worker throw or hang. */
export function injectWorkerFault(fault: 'throw' | 'hang'): Promise<null> {
  return askGlobal({ kind: 'testFault', fault });
}

// e2e only: the tests reach the fault hook from the page.
if (settings.testHooks && typeof window !== 'undefined')
  (window as unknown as { bpfLogTestHooks: unknown }).bpfLogTestHooks = { injectWorkerFault };
