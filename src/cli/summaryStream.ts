/**
 * The summary of a log read as a stream, keeping no more than a megabyte of
 * it: the index's columns are dropped as records are counted, and only the
 * log's last bytes are kept, for its last lines (the verifier's outcome).
 * Memory stays flat for a 1 GiB log. `inspect --json` with records needs
 * the whole buffer: it uses LogStream instead.
 */
import {
  DecodedLog,
  type Diagnostic,
  type IndexedLog,
  type IndexerOptions,
  LogIndexer,
  logTail,
  MAX_LOG_BYTES,
  type TailLine,
  TailWindow,
  type TextIndex,
  type TlvIndex,
  tooLarge,
} from '../core/index.ts';
import type { LogFacts } from './report.ts';

/** The log's last bytes kept for its last lines. */
const TAIL_BYTES = 1 << 20;
/** TLV records whose columns are kept, to find record boundaries in the tail. */
const KEEP_RECORDS = 1 << 14;

export class SummaryStream {
  private readonly indexer: LogIndexer;
  private readonly tail = new TailWindow(TAIL_BYTES);
  private received = 0;
  /** Where the kept tail ends: the log's end once known (the NUL, END's end). */
  private tailEnd = 0;
  private logEnded = false;
  private dropped = 0;
  private recordsAtLastDrop = 0;

  constructor(
    options: IndexerOptions = {},
    private readonly maxBytes = MAX_LOG_BYTES,
  ) {
    this.indexer = new LogIndexer(options);
  }

  /** Indexes the next bytes; false once the cap is reached (stop reading). */
  push(input: Uint8Array): boolean {
    const take = Math.min(input.length, this.maxBytes - this.received);
    this.dropped += input.length - take;
    if (take === 0) return false;
    // Held by the indexer until it knows the format: Node's streams never reuse a chunk's memory.
    const chunk = input.subarray(0, take);
    const base = this.received;
    this.received += take;
    this.indexer.push(chunk);
    const progress = this.indexer.progress();
    if (!this.logEnded) {
      const stop = progress.text?.terminator ?? progress.tlv?.stoppedAt ?? null;
      const end = stop === null ? this.received : Math.max(base, stop);
      this.tail.append(chunk.subarray(0, end - base));
      this.tailEnd = end;
      this.logEnded = stop !== null;
    }
    if (progress.records - this.recordsAtLastDrop > 4 * KEEP_RECORDS) {
      this.indexer.dropRecords(KEEP_RECORDS);
      this.recordsAtLastDrop = progress.records;
    }
    return this.dropped === 0;
  }

  finish(extraDiagnostics: Diagnostic[] = [], truncatedInput = false): LogFacts {
    const indexed = this.indexer.finish();
    const extra = [...extraDiagnostics];
    if (this.dropped > 0 || truncatedInput) extra.push(tooLarge(this.maxBytes));
    const index = indexed.index;
    return {
      size: this.received,
      format: indexed.format,
      formatReason: indexed.formatReason,
      byteOrder: indexed.byteOrder,
      byteOrderReason: indexed.byteOrderReason,
      index,
      recordCount: !index ? 0 : index.format === 'tlv' ? index.count : index.lineCount,
      tail: this.lastLines(indexed),
      trailing: index?.trailing ?? null,
      end: index?.format === 'tlv' && index.end ? { offset: index.end.offset, count: index.end.count } : null,
      truncation: indexed.truncation,
      diagnostics: [...extra, ...indexed.diagnostics],
    };
  }

  /** The log's last lines, read from the kept tail as a small log of its own, numbered as in the whole log. */
  private lastLines(indexed: IndexedLog): TailLine[] {
    const index = indexed.index;
    if (!index) return [];
    const bytes = this.tail.bytes().slice();
    const start = this.tailEnd - bytes.length;
    if (index.format === 'text') return textTail(bytes, start, index);
    return tlvTail(bytes, start, index, indexed);
  }
}

function textTail(bytes: Uint8Array, start: number, index: TextIndex): TailLine[] {
  const text = bytes.subarray(0, index.textLength - start);
  const window = new DecodedLog(text, { format: 'text' });
  // Both end at the text's end, so line numbers agree counted from the end.
  const shift = index.lineCount - window.recordCount;
  return logTail(window)
    .filter((line) => start === 0 || line.record > 0) // the window's first line may be cut
    .map((line) => ({ text: line.text, record: line.record + shift }));
}

function tlvTail(bytes: Uint8Array, start: number, index: TlvIndex, indexed: IndexedLog): TailLine[] {
  const first = index.firstRecord ?? 0;
  const end = start + bytes.length;
  // The kept records that lie wholly in the kept bytes, with offsets rebased onto them.
  let from = 0;
  while (from < index.offsets.length && index.offsets[from] < start) from++;
  let to = from;
  while (to < index.offsets.length && index.offsets[to] + 6 + index.lengths[to] <= end) to++;
  const window: TlvIndex = {
    format: 'tlv',
    byteOrder: index.byteOrder,
    size: bytes.length,
    count: to - from,
    offsets: index.offsets.slice(from, to).map((o) => o - start),
    types: index.types.slice(from, to),
    lengths: index.lengths.slice(from, to),
    end: null,
    trailing: null,
    nulTerminatedStrings: 0,
    diagnostics: [],
  };
  const log = new DecodedLog(bytes, {}, [], { ...indexed, index: window, diagnostics: [] });
  return logTail(log).map((line) => ({ text: line.text, record: line.record + first + from }));
}
