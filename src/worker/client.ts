/** The page's side of the worker: typed request/response over postMessage. */
import type { Request, RequestEnvelope, ResponseEnvelope, ResponseMap } from './protocol.ts';

export class LogWorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), {
      type: 'module',
      name: 'bpf-log-worker',
    });
    this.worker.onmessage = (event: MessageEvent<ResponseEnvelope>) => {
      const response = event.data;
      const waiter = this.pending.get(response.id);
      if (!waiter) return;
      this.pending.delete(response.id);
      if (response.ok) waiter.resolve(response.value);
      else waiter.reject(new Error(response.error));
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      const error = new Error(event.message || 'the log worker failed');
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
  }

  request<K extends Request['kind']>(
    request: Extract<Request, { kind: K }>,
    transfer: Transferable[] = [],
  ): Promise<ResponseMap[K]> {
    const id = this.nextId++;
    return new Promise<ResponseMap[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, request } satisfies RequestEnvelope, transfer);
    });
  }
}
