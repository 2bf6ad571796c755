/**
 * Opens a log as its bytes arrive (issue 11): a File's stream or a `?src=`
 * body, through DecompressionStream when it is gzip, into a LogStream (one
 * buffer that grows in place, indexed as it grows). After the first chunk
 * and then every PARTIAL_INTERVAL_MS, `onPartial` gets a provisional
 * DecodedLog over the records complete so far, so the page shows rows while
 * the rest is read. The returned log is final: truncation verdict, END,
 * byte order.
 */
import {
  type DecodedLog,
  type Diagnostic,
  decodeLog,
  diagnostic,
  formatCount,
  gunzip,
  isGzip,
  LogStream,
  MAX_LOG_BYTES,
} from '../core/index.ts';
import type { Job } from './job.ts';
import type { OpenOptions } from './protocol.ts';
import { provisionalLog } from './provisional.ts';

/** How often the page is told about what arrived: each tick re-runs its view. */
export const PARTIAL_INTERVAL_MS = 200;

export interface StreamOpenInput {
  /** The bytes as stored or sent (gzip or not). */
  body: ReadableStream<Uint8Array>;
  /** Bytes `body` will give, when known (a file's size, a Content-Length): for progress. */
  total: number | null;
  /** Bytes of log kept at most (after inflating). */
  maxBytes?: number;
  /** A File: when the stream inflater fails, the core's gunzip reads it whole for its exact diagnostics. */
  blob?: Blob;
  /** The progress line's words. */
  label: string;
  /** Checked on every chunk: throws to stop (a refused download). */
  onRaw?: (bytesRead: number) => void;
}

export interface StreamProgress {
  /** Bytes of `body` read (compressed bytes for gzip). */
  rawRead: number;
  total: number | null;
  /** Bytes of log so far (inflated). */
  logBytes: number;
}

export interface StreamOpenResult {
  log: DecodedLog;
  compressedSize: number | null;
  loadDiagnostics: Diagnostic[];
  /** Milliseconds from the start to the first partial, and to the end. */
  timings: { gunzip: number; index: number; firstRows: number | null };
}

/** A read of a chunk reader: `value` is valid until the next read when the reader reuses its buffer. */
type ChunkRead = () => Promise<ReadableStreamReadResult<Uint8Array>>;

/** Bytes a BYOB read asks for at a time: of 64 KiB to 4 MiB, the fastest for a 1 GiB file in Chromium 156. */
export const STAGING_BYTES = 256 << 10;

interface ChunkReader {
  /** The next chunk. With `reuse`, it lies in the reader's one buffer and is valid until the next read. */
  read: ChunkRead;
  cancel(): Promise<void>;
  /** Reads land in one reused buffer (a byte stream); false: each chunk is the stream's own. */
  reuse: boolean;
}

/**
 * Reads a stream chunk by chunk. A byte stream (a File's, a fetch body's) is
 * read BYOB into one buffer used over and over: otherwise the browser gives
 * each chunk fresh memory, and the first write to fresh memory is a page
 * fault per 4 KiB. For a 1 GiB file in Chromium 156 on this 2-core VM, that
 * was 1.7 s of the worker's 3.4 s of CPU just to read; the copy into the
 * log's buffer then faulted as much again (reading and keeping it took 6.3 s
 * with fresh chunks, 3.9 s through one 256 KiB buffer).
 */
function chunkReader(body: ReadableStream<Uint8Array>): ChunkReader {
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = body.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream: its chunks are its own.
  }
  if (!byob) {
    const reader = body.getReader();
    return { read: () => reader.read(), cancel: () => reader.cancel(), reuse: false };
  }
  const byteReader = byob;
  let staging: Uint8Array<ArrayBuffer> | null = null;
  const chunks: ChunkReader = {
    reuse: true,
    cancel: () => byteReader.cancel(),
    async read() {
      // A BYOB read transfers the buffer it fills; the filled view's buffer is the same memory, to reuse.
      const view = chunks.reuse && staging ? staging : new Uint8Array(STAGING_BYTES);
      const next = await byteReader.read(view);
      if (next.done) return { done: true, value: undefined };
      if (chunks.reuse) staging = new Uint8Array(next.value.buffer);
      return { done: false, value: next.value };
    },
  };
  return chunks;
}

/** Re-emits `first` and then the rest of `read`, counting bytes; the source's own failure is kept in `failed`. */
function replay(
  first: Uint8Array,
  chunks: ChunkReader,
  count: (n: number) => void,
  failed: { error: unknown },
): ReadableStream<Uint8Array> {
  let waiting: Uint8Array | null = first;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (waiting) {
        controller.enqueue(waiting);
        waiting = null;
        return;
      }
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await chunks.read();
        if (!next.done) count(next.value.length);
      } catch (e) {
        failed.error = e;
        throw e;
      }
      const { done, value } = next;
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel() {
      return chunks.cancel();
    },
  });
}

export async function streamOpen(
  input: StreamOpenInput,
  options: OpenOptions,
  job: Job,
  onPartial: (log: DecodedLog, progress: StreamProgress) => void,
): Promise<StreamOpenResult> {
  const started = performance.now();
  const chunks = chunkReader(input.body);
  let inflated: ReadableStreamDefaultReader<Uint8Array> | null = null;
  // A cancel ends a read that is waiting (a stalled download, a slow disk): the read then says done, and job.check() throws.
  const stop = () => {
    void (inflated ?? chunks).cancel().catch(() => {});
  };
  job.signal.addEventListener('abort', stop, { once: true });
  let rawRead = 0;
  const countRaw = (n: number) => {
    rawRead += n;
    input.onRaw?.(rawRead);
  };
  // Enough of the start to tell gzip from a log. Copied: the reader may reuse its buffer.
  const head: Uint8Array[] = [];
  let headLength = 0;
  let ended = false;
  while (headLength < 2) {
    const { done, value } = await chunks.read();
    job.check();
    if (done) {
      ended = true;
      break;
    }
    countRaw(value.length);
    head.push(value.slice());
    headLength += value.length;
  }
  const first = head.length === 1 ? head[0] : concat(head, headLength);
  const gzipped = isGzip(first);
  const maxBytes = input.maxBytes ?? MAX_LOG_BYTES;
  const stream = new LogStream({
    ...options,
    maxBytes,
    sizeHint: gzipped ? undefined : (input.total ?? undefined),
  });
  const loadDiagnostics: Diagnostic[] = [];
  const sourceFailure = { error: null as unknown };
  let read: ChunkRead;
  if (gzipped) {
    // The inflater holds on to what it is given: its chunks must be fresh.
    chunks.reuse = false;
    const source = replay(first, chunks, countRaw, sourceFailure)
      .pipeThrough(new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>)
      .getReader();
    inflated = source;
    read = () => source.read();
  } else {
    // The log's own bytes: read straight from the reader (LogStream copies each chunk before the next read).
    let waiting: Uint8Array | null = headLength > 0 ? first : null;
    read = async () => {
      if (waiting) {
        const value = waiting;
        waiting = null;
        return { done: false, value };
      }
      if (ended) return { done: true, value: undefined };
      const next = await chunks.read();
      if (!next.done) countRaw(next.value.length);
      return next;
    };
  }

  let firstRows: number | null = null;
  let lastPartial = -Infinity;
  let capped = false;
  let inflateError: unknown = null;
  // A chunk not published at once (too soon after the last) is published when the stream pauses.
  let pendingPublish: ReturnType<typeof setTimeout> | null = null;
  let finished = false;
  const publish = () => {
    if (pendingPublish !== null) clearTimeout(pendingPublish);
    pendingPublish = null;
    if (finished || job.cancelled) return;
    const log = provisionalLog(stream, options);
    if (!log) return;
    if (firstRows === null) firstRows = performance.now() - started;
    lastPartial = performance.now();
    onPartial(log, { rawRead, total: input.total, logBytes: stream.bytes().length });
  };
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await read();
      } catch (e) {
        job.check();
        // A failure of the source (a refused or broken download) is not damage in the gzip stream.
        if (!gzipped || sourceFailure.error !== null) throw sourceFailure.error ?? e;
        inflateError = e;
        break;
      }
      job.check();
      if (next.done) break;
      if (!stream.push(next.value)) {
        capped = true;
        break;
      }
      // Chunks that are already there resolve reads without leaving the microtask queue: yield a
      // task now and then, so the page's requests about the rows so far are answered meanwhile.
      if (job.due()) await job.pause(rawRead, input.total, input.label);
      const since = performance.now() - lastPartial;
      if (firstRows === null || since >= PARTIAL_INTERVAL_MS) publish();
      else {
        job.progress(rawRead, input.total, input.label);
        pendingPublish ??= setTimeout(() => {
          try {
            publish();
          } catch {
            // A newer open replaced this one meanwhile: the next read ends it.
          }
        }, PARTIAL_INTERVAL_MS - since);
      }
    }
  } finally {
    job.signal.removeEventListener('abort', stop);
    finished = true;
    if (pendingPublish !== null) clearTimeout(pendingPublish);
    void (inflated ?? chunks).cancel().catch(() => {});
  }
  job.check();

  if (inflateError !== null) {
    if (input.blob) {
      // The stream inflater says only that it failed: the core's gunzip says where and why, and keeps what it inflated.
      const whole = await gunzip(new Uint8Array(await input.blob.arrayBuffer()), maxBytes);
      job.check();
      return {
        log: decodeLog(whole.bytes, options, whole.diagnostics),
        compressedSize: input.blob.size,
        loadDiagnostics: whole.diagnostics,
        timings: { gunzip: 0, index: performance.now() - started, firstRows },
      };
    }
    loadDiagnostics.push(
      diagnostic(
        'gzip-truncated',
        'error',
        stream.bytes().length,
        `The gzip stream is damaged (${inflateError instanceof Error ? inflateError.message : String(inflateError)}); the ${formatCount(stream.bytes().length)} bytes inflated before the damage are shown.`,
      ),
    );
  }
  const log = stream.finish(loadDiagnostics, capped);
  return {
    log,
    compressedSize: gzipped ? rawRead : null,
    loadDiagnostics,
    timings: { gunzip: 0, index: performance.now() - started, firstRows },
  };
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
