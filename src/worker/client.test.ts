import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogWorkerClient, RequestDropped, WorkerDied } from './client.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

/** Stands in for the browser's Worker: records what the page posts, lets the test answer or fail. */
class FakeWorker {
  static last: FakeWorker | null = null;
  posted: ToWorker[] = [];
  terminated = false;
  onmessage: ((event: { data: FromWorker }) => void) | null = null;
  onerror: ((event: { message: string; preventDefault: () => void }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  constructor() {
    FakeWorker.last = this;
  }
  postMessage(message: ToWorker) {
    this.posted.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  answer(message: FromWorker) {
    this.onmessage?.({ data: message });
  }
}

beforeEach(() => {
  vi.stubGlobal('Worker', FakeWorker);
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const fake = () => FakeWorker.last as FakeWorker;

describe('LogWorkerClient', () => {
  it('tags requests with their generation and resolves with the reply', async () => {
    const client = new LogWorkerClient();
    const rows = client.request({ kind: 'rows', start: 0, count: 2 }, 7);
    expect(fake().posted[0]).toMatchObject({
      type: 'request',
      id: 1,
      generation: 7,
      request: { kind: 'rows' },
    });
    fake().answer({ type: 'reply', id: 1, generation: 7, ok: true, value: [] });
    await expect(rows).resolves.toEqual([]);
  });

  it('cancels: the waiter is rejected at once and the worker told', async () => {
    const client = new LogWorkerClient();
    const handle = client.start({ kind: 'lineCount' }, 1);
    client.cancel(handle.id);
    await expect(handle.promise).rejects.toBeInstanceOf(RequestDropped);
    expect(fake().posted[1]).toEqual({ type: 'cancel', id: handle.id });
    // A late reply for it is ignored.
    fake().answer({ type: 'reply', id: handle.id, generation: 1, ok: true, value: 3 });
  });

  it('passes progress on, and drops waiters for older logs', async () => {
    const client = new LogWorkerClient();
    const progress = vi.fn();
    const old = client.start(
      { kind: 'view', filter: { types: null, query: 'x', regex: false }, sort: null },
      1,
      progress,
    );
    fake().answer({ type: 'progress', id: old.id, done: 5, total: 10, label: 'Searching' });
    expect(progress).toHaveBeenCalledWith({ done: 5, total: 10, label: 'Searching' });
    client.dropOlderThan(2);
    await expect(old.promise).rejects.toMatchObject({ reason: 'cancelled' });
  });

  it('a worker silent past the deadline while a request waits is declared dead: every waiter rejected, onDeath called', async () => {
    const onDeath = vi.fn();
    const client = new LogWorkerClient({ deadlineMs: 2000, onDeath });
    const a = client.request({ kind: 'rows', start: 0, count: 1 }, 1);
    const b = client.request({ kind: 'record', index: 0 }, 1);
    vi.advanceTimersByTime(1500);
    expect(onDeath).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1500);
    await expect(a).rejects.toBeInstanceOf(WorkerDied);
    await expect(b).rejects.toBeInstanceOf(WorkerDied);
    expect(onDeath).toHaveBeenCalledWith(
      expect.stringMatching(/did not answer for 2 s \(2 requests were waiting\)/),
    );
    expect(fake().terminated).toBe(true);
    expect(client.alive).toBe(false);
    await expect(client.request({ kind: 'lineCount' }, 1)).rejects.toBeInstanceOf(WorkerDied);
  });

  it('an idle worker is not watched; progress counts as a sign of life', async () => {
    const onDeath = vi.fn();
    const client = new LogWorkerClient({ deadlineMs: 2000, onDeath });
    vi.advanceTimersByTime(10_000);
    const long = client.start(
      { kind: 'view', filter: { types: null, query: 'x', regex: true }, sort: null },
      1,
    );
    for (let t = 0; t < 10; t++) {
      vi.advanceTimersByTime(1000);
      fake().answer({ type: 'progress', id: long.id, done: t, total: 10, label: 'Searching' });
    }
    expect(onDeath).not.toHaveBeenCalled();
    fake().answer({ type: 'reply', id: long.id, generation: 1, ok: true, value: { total: 0, error: null } });
    await expect(long.promise).resolves.toEqual({ total: 0, error: null });
  });

  it('a worker that throws is declared dead', async () => {
    const onDeath = vi.fn();
    const client = new LogWorkerClient({ onDeath });
    const pending = client.request({ kind: 'lineCount' }, 1);
    fake().onerror?.({ message: 'Uncaught Error: boom', preventDefault: () => {} });
    await expect(pending).rejects.toThrow('The log worker stopped: it failed: Uncaught Error: boom.');
    expect(onDeath).toHaveBeenCalledTimes(1);
  });
});
