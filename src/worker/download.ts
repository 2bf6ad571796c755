/**
 * `?src=` downloads, in the worker: the body is streamed into the open
 * (streamOpen.ts), counted as it arrives (never trusting what the server
 * claims), and refused past the cap, declared or actual.
 */
import { formatCount } from '../core/index.ts';
import type { Job } from './job.ts';

/** The kernel's largest log buffer: no log is bigger. */
export const MAX_DOWNLOAD_BYTES = 1 << 30;

/** A failure to explain to the user as it is (not a bug). */
export class DownloadError extends Error {}

const n = formatCount;

/**
 * The body of `url` as a stream, for an open that indexes as it arrives: the
 * declared size checked before the first byte, the bytes sent counted as
 * they come (past `maxBytes` the stream fails with the refusal), and a broken
 * transfer explained.
 */
export async function downloadStream(
  url: string,
  maxBytes: number,
  job: Job,
): Promise<{ body: ReadableStream<Uint8Array>; declared: number | null }> {
  const { response, declared, refuse } = await request(url, maxBytes, job);
  const source = response.body;
  // A fetch body is a byte stream: a reader's own buffer (BYOB) is handed through to it, so the
  // body lands in the buffer the open reuses (streamOpen.ts) rather than in fresh memory per chunk.
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = source?.getReader({ mode: 'byob' }) ?? null;
  } catch {
    // Not a byte stream: read its chunks as they come.
  }
  const chunks = byob ? null : (source?.getReader() ?? null);
  let received = 0;
  const body = new ReadableStream({
    type: 'bytes',
    async pull(controller) {
      const request = controller.byobRequest;
      let chunk: ReadableStreamReadResult<Uint8Array<ArrayBuffer>>;
      try {
        if (byob) {
          const view = request?.view;
          chunk = await byob.read(
            view ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : new Uint8Array(64 << 10),
          );
        } else if (chunks) chunk = (await chunks.read()) as ReadableStreamReadResult<Uint8Array<ArrayBuffer>>;
        else chunk = { done: true, value: undefined };
      } catch (e) {
        job.check();
        void (byob ?? chunks)?.cancel().catch(() => {});
        controller.error(
          new DownloadError(
            `The download of ${url} broke off after ${n(received)} bytes: ${e instanceof Error ? e.message : String(e)}`,
          ),
        );
        return;
      }
      if (chunk.done) {
        controller.close();
        // A reader waiting with its buffer gets it back, empty (from the body's reader, when it went there).
        const empty = (chunk as { value?: Uint8Array<ArrayBuffer> }).value;
        if (request?.view && empty) request.respondWithNewView(empty);
        else request?.respond(0);
        return;
      }
      received += chunk.value.length;
      if (received > maxBytes) {
        void (byob ?? chunks)?.cancel().catch(() => {});
        controller.error(refuse('it sent more than that'));
        return;
      }
      // Filled in the reader's own buffer (moved to the body's reader and back): say so. Otherwise
      // enqueue, which also fills a waiting reader's buffer.
      if (byob && request?.view) request.respondWithNewView(chunk.value);
      else controller.enqueue(chunk.value);
    },
    cancel(reason) {
      return (byob ?? chunks)?.cancel(reason);
    },
  });
  return { body, declared };
}

async function request(url: string, maxBytes: number, job: Job) {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'omit', cache: 'no-store', signal: job.signal });
  } catch (e) {
    job.check();
    throw new DownloadError(
      `Could not download ${url}: the server did not answer, or it does not let other sites read the file (CORS: it must send Access-Control-Allow-Origin). Download it yourself and drop it here.${e instanceof Error && e.name !== 'TypeError' ? ` (${e.message})` : ''}`,
    );
  }
  if (!response.ok) {
    void response.body?.cancel().catch(() => {});
    throw new DownloadError(
      `Could not download ${url}: the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
    );
  }
  const declared = Number(response.headers.get('content-length')) || null;
  const refuse = (what: string) =>
    new DownloadError(
      `Refused ${url}: ${what}, more than the ${n(maxBytes)} bytes this app opens (the kernel's largest log buffer). Download it yourself and cut it, or open it with bpflog.`,
    );
  if (declared !== null && declared > maxBytes) {
    void response.body?.cancel().catch(() => {});
    throw refuse(`the server declares ${n(declared)} bytes`);
  }
  return { response, declared, refuse };
}
