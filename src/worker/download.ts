/**
 * `?src=` downloads, in the worker: the body is read as a stream into a
 * buffer that grows with what arrived (never with what the server claims),
 * and refused past the cap, declared or actual.
 */
import { formatCount } from '../core/index.ts';
import type { Job } from './job.ts';

/** The kernel's largest log buffer: no log is bigger. */
export const MAX_DOWNLOAD_BYTES = 1 << 30;

/**
 * Bytes gathered as they arrive. One place to hook in later: an index built
 * while the body streams (issue 11) reads `view()` after each `append`.
 */
export class ByteSink {
  private buffer: Uint8Array<ArrayBuffer>;
  length = 0;

  constructor(
    readonly maxBytes: number,
    sizeHint = 0,
  ) {
    // A hint is only a hint: never more than the cap, and the buffer grows past it if the body does.
    this.buffer = new Uint8Array(Math.max(1024, Math.min(sizeHint, maxBytes)));
  }

  /** Adds a chunk; false (and nothing added) when it would pass the cap. */
  append(chunk: Uint8Array): boolean {
    const needed = this.length + chunk.length;
    if (needed > this.maxBytes) return false;
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(Math.min(this.maxBytes, Math.max(needed, this.buffer.length * 2)));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    this.length = needed;
    return true;
  }

  view(): Uint8Array<ArrayBuffer> {
    return this.buffer.subarray(0, this.length);
  }
}

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
  const reader = response.body?.getReader();
  let received = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!reader) {
        controller.close();
        return;
      }
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (e) {
        job.check();
        void reader.cancel().catch(() => {});
        controller.error(
          new DownloadError(
            `The download of ${url} broke off after ${n(received)} bytes: ${e instanceof Error ? e.message : String(e)}`,
          ),
        );
        return;
      }
      if (chunk.done) {
        controller.close();
        return;
      }
      received += chunk.value.length;
      if (received > maxBytes) {
        void reader.cancel().catch(() => {});
        controller.error(refuse('it sent more than that'));
        return;
      }
      controller.enqueue(chunk.value);
    },
    cancel(reason) {
      return reader?.cancel(reason);
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

export async function download(url: string, maxBytes: number, job: Job): Promise<Uint8Array> {
  const { response, declared, refuse } = await request(url, maxBytes, job);
  const sink = new ByteSink(maxBytes, declared ?? 0);
  const reader = response.body?.getReader();
  if (!reader) return sink.view();
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (e) {
        job.check();
        throw new DownloadError(
          `The download of ${url} broke off after ${n(sink.length)} bytes: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      if (chunk.done) break;
      if (!sink.append(chunk.value)) throw refuse(`it sent more than that`);
      job.progress(sink.length, declared, `Downloading ${url}`);
      job.check();
    }
  } finally {
    // Stops the transfer when we stopped reading early (refused, cancelled).
    void reader.cancel().catch(() => {});
  }
  return sink.view();
}
