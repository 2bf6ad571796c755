/**
 * A log read as a stream: the bytes kept in one buffer that grows without
 * copying, the index built as they arrive, a DecodedLog at the end that sits
 * on the same bytes. For a worker fed by File.stream() (through
 * DecompressionStream for gzip) or the CLI fed by fs.createReadStream:
 *
 *   const stream = new LogStream({ sizeHint: file.size });
 *   for await (const chunk of file.stream()) {
 *     if (!stream.push(chunk)) break;          // false: the cap is reached
 *     post(stream.progress());                 // first rows after the first chunk
 *   }
 *   const log = stream.finish();               // verdict, END, byte order: final
 *
 * While bytes arrive, `bytes()` and `progress()` are enough to show the
 * records complete so far: their offsets are final and their bytes are in
 * `bytes()`. See IndexProgress for what is provisional.
 */
import { DecodedLog } from './decode.ts';
import { diagnostic, formatCount } from './diagnostics.ts';
import { MAX_LOG_BYTES } from './gzip.ts';
import { type IndexerOptions, type IndexProgress, LogIndexer } from './indexer.ts';
import type { Diagnostic } from './types.ts';

type ResizableBuffer = ArrayBuffer & { resize(length: number): void; readonly maxByteLength: number };
type ResizableBufferCtor = new (length: number, options: { maxByteLength: number }) => ResizableBuffer;

function canResize(): boolean {
  try {
    const probe = new (ArrayBuffer as unknown as ResizableBufferCtor)(0, { maxByteLength: 1 });
    return typeof probe.resize === 'function';
  } catch {
    return false;
  }
}

/**
 * Bytes appended in chunks into one ArrayBuffer that grows in place: a
 * resizable ArrayBuffer reserved at `maxBytes` (address space only; memory is
 * committed as it fills), so what is there is never copied and views of it
 * stay valid. Where resizable buffers are missing, it falls back to doubling
 * (one copy per doubling), and says so in `inPlace`.
 *
 * Chromium 156's TextDecoder and Blob refuse views of a resizable buffer
 * (Node's accept them): decode with `decodeUtf8` (bytes.ts), and `slice()`
 * what goes into a Blob. `transferToFixedLength()` copies, so it is no way out.
 */
export class GrowingBuffer {
  private buffer: ArrayBuffer;
  private used = 0;
  /** Bytes offered past `maxBytes` and dropped. */
  dropped = 0;
  readonly inPlace: boolean;

  constructor(
    readonly maxBytes = MAX_LOG_BYTES,
    initialBytes = 1 << 20,
  ) {
    const initial = Math.min(initialBytes, maxBytes);
    this.inPlace = canResize();
    this.buffer = this.inPlace
      ? new (ArrayBuffer as unknown as ResizableBufferCtor)(initial, { maxByteLength: maxBytes })
      : new ArrayBuffer(initial);
  }

  get length(): number {
    return this.used;
  }

  /** Appends what fits under the cap; returns the bytes taken. */
  append(chunk: Uint8Array): number {
    const take = Math.min(chunk.length, this.maxBytes - this.used);
    this.dropped += chunk.length - take;
    if (take === 0) return 0;
    const needed = this.used + take;
    if (needed > this.buffer.byteLength) {
      const capacity = Math.min(this.maxBytes, Math.max(needed, this.buffer.byteLength * 2));
      if (this.inPlace) (this.buffer as ResizableBuffer).resize(capacity);
      else {
        const grown = new ArrayBuffer(capacity);
        new Uint8Array(grown).set(new Uint8Array(this.buffer, 0, this.used));
        this.buffer = grown;
      }
    }
    new Uint8Array(this.buffer, this.used, take).set(take === chunk.length ? chunk : chunk.subarray(0, take));
    this.used = needed;
    return take;
  }

  /** The bytes so far, without a copy. Stays valid as the buffer grows (in place). */
  bytes(): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.buffer, 0, this.used);
  }
}

export interface LogStreamOptions extends IndexerOptions {
  /** Bytes kept at most; the rest is dropped with a `file-too-large` diagnostic. */
  maxBytes?: number;
}

export interface LogStreamProgress extends IndexProgress {
  /** True once the cap was reached: later bytes are dropped. */
  capped: boolean;
}

/** Bytes kept and indexed as they arrive; a DecodedLog on the same bytes at the end. */
export class LogStream {
  private readonly store: GrowingBuffer;
  private readonly indexer: LogIndexer;
  private log: DecodedLog | null = null;

  constructor(private readonly options: LogStreamOptions = {}) {
    const maxBytes = options.maxBytes ?? MAX_LOG_BYTES;
    const hint = options.sizeHint;
    this.store = new GrowingBuffer(maxBytes, hint ? Math.min(hint, maxBytes) : undefined);
    this.indexer = new LogIndexer(options);
  }

  /** Keeps and indexes the next bytes. Returns false once the cap is reached (stop reading). */
  push(chunk: Uint8Array): boolean {
    // An empty chunk (an empty file's only one) holds nothing to keep: it is not the cap.
    if (chunk.length === 0) return this.store.dropped === 0;
    const from = this.store.length;
    const taken = this.store.append(chunk);
    if (taken === 0) return false;
    // The indexer holds chunks while the format is undecided: give it the kept copy then, as the
    // caller's chunk may be reused. After, the caller's chunk: V8 before 12 reads typed arrays over a
    // resizable buffer 2-3x slower.
    this.indexer.push(
      this.indexer.formatKnown ? chunk.subarray(0, taken) : this.store.bytes().subarray(from, from + taken),
    );
    return this.store.dropped === 0;
  }

  progress(): LogStreamProgress {
    return { ...this.indexer.progress(), capped: this.store.dropped > 0 };
  }

  /** The bytes so far (no copy). */
  bytes(): Uint8Array<ArrayBuffer> {
    return this.store.bytes();
  }

  /**
   * The decoded log. `extraDiagnostics` come first (a gzip stream's, say);
   * `truncatedInput`: the source had more bytes than were pushed (the caller
   * stopped reading at the cap), so the cap's diagnostic is given.
   */
  finish(extraDiagnostics: Diagnostic[] = [], truncatedInput = false): DecodedLog {
    if (this.log) return this.log;
    const extra = [...extraDiagnostics];
    if (this.store.dropped > 0 || truncatedInput) extra.push(tooLarge(this.store.maxBytes));
    const bytes = this.store.bytes();
    this.log = new DecodedLog(bytes, this.options, extra, this.indexer.finish());
    return this.log;
  }
}

export function tooLarge(maxBytes: number): Diagnostic {
  return diagnostic(
    'file-too-large',
    'error',
    maxBytes,
    `The log is larger than ${formatCount(maxBytes)} bytes, the most a kernel writes and this inspector reads: only its first ${formatCount(maxBytes)} bytes are shown.`,
  );
}
