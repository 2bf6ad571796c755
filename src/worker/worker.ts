/// <reference lib="webworker" />
/** The log worker's entry: routes messages to the host, which owns the bytes and the index. */
import { WorkerHost } from './host.ts';
import type { ToWorker } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

// The page names the worker with "test-hooks" only when it runs with `?test-hooks` (e2e).
const host = new WorkerHost((message, transfer = []) => self.postMessage(message, transfer), {
  testHooks: self.name.includes('test-hooks'),
});

self.onmessage = (event: MessageEvent<ToWorker>) => host.receive(event.data);
