/// <reference lib="webworker" />
/** The log worker: owns the bytes and the index; answers the page's requests. */
import type { RequestEnvelope, ResponseEnvelope, ResponseMap } from './protocol.ts';
import { LogSession } from './session.ts';

declare const self: DedicatedWorkerGlobalScope;

let session: LogSession | null = null;

/**
 * After the first rows are out, build the search text a slice at a time, one
 * slice a task, so the first search is fast and no request waits on more
 * than one slice.
 */
function prepareSoon(opened: LogSession): void {
  const step = () => {
    if (session === opened && opened.prepareSearchStep()) setTimeout(step, 0);
  };
  setTimeout(step, 100);
}

function need(): LogSession {
  if (!session) throw new Error('no log is open');
  return session;
}

async function handle(
  envelope: RequestEnvelope,
): Promise<{ value: ResponseMap[keyof ResponseMap]; transfer: Transferable[] }> {
  const r = envelope.request;
  switch (r.kind) {
    case 'open':
      session = null; // let the previous log's memory go before decoding the next
      session = await LogSession.open(new Uint8Array(r.buffer), r.name, r.options);
      prepareSoon(session);
      return { value: session.summary(), transfer: [] };
    case 'reopen':
      return { value: need().reopen(r.options), transfer: [] };
    case 'view':
      return { value: need().setView(r.filter, r.sort), transfer: [] };
    case 'rows':
      return { value: need().rows(r.start, r.count), transfer: [] };
    case 'position':
      return { value: need().position(r.index), transfer: [] };
    case 'record':
      return { value: need().record(r.index), transfer: [] };
    case 'bytes': {
      const bytes = need().byteRange(r.start, r.end);
      return { value: bytes, transfer: [bytes.buffer] };
    }
    case 'recordAt':
      return { value: need().recordAt(r.offset), transfer: [] };
    case 'lines':
      return { value: need().lines(r.start, r.count), transfer: [] };
    case 'hexPage': {
      const page = need().hexPage(r.start, r.end);
      return { value: page, transfer: [page.bytes.buffer] };
    }
    case 'original': {
      const copy = need().bytes.slice();
      return { value: copy, transfer: [copy.buffer] };
    }
  }
}

self.onmessage = (event: MessageEvent<RequestEnvelope>) => {
  const envelope = event.data;
  handle(envelope).then(
    ({ value, transfer }) =>
      self.postMessage({ id: envelope.id, ok: true, value } satisfies ResponseEnvelope, transfer),
    (error: unknown) =>
      self.postMessage({
        id: envelope.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      } satisfies ResponseEnvelope),
  );
};
