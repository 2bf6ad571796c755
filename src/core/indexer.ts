/**
 * Format detection, byte-order choice and indexing in one pass over a buffer
 * fed in chunks: what DecodedLog runs on a whole buffer (fed one chunk), and
 * what a worker or the CLI runs on a stream (File.stream() through
 * DecompressionStream, fs.createReadStream through zlib).
 *
 *   const indexer = new LogIndexer();
 *   for await (const chunk of stream) { indexer.push(chunk); show(indexer.progress()); }
 *   const indexed = indexer.finish();
 *
 * The indexer addresses bytes by their offset in the whole stream and keeps
 * no chunk once the format is known (see push). To read records, keep the
 * bytes too: LogStream (stream.ts) does both.
 */
import type { DecodeOptions } from './decode.ts';
import { classifyStart } from './detect.ts';
import { diagnostic } from './diagnostics.ts';
import { type TextIndex, TextIndexBuilder, type TextProgress } from './text.ts';
import {
  TLV_HEADER_SIZE,
  TlvByteOrderChooser,
  type TlvIndex,
  TlvIndexBuilder,
  type TlvProgress,
  tlvVerdict,
} from './tlv.ts';
import type { ByteOrder, Diagnostic, LogFormat, TruncationVerdict } from './types.ts';

export interface IndexerOptions extends DecodeOptions {
  /** The expected total size, when known (a file's size): the columns are sized once for it. */
  sizeHint?: number;
  /**
   * The caller keeps every pushed chunk, unchanged, while the index is used
   * (a buffer held whole): bytes after a text log's NUL are then read only
   * when asked about. See TextIndexBuilder.
   */
  chunksKept?: boolean;
}

/** A finished index with the choices made on the way: what DecodedLog is built from. */
export interface IndexedLog {
  format: LogFormat | null;
  formatReason: string;
  byteOrder: ByteOrder | null;
  byteOrderReason: string | null;
  index: TlvIndex | TextIndex | null;
  truncation: TruncationVerdict;
  /** The index's diagnostics ('empty' for an empty buffer). */
  diagnostics: Diagnostic[];
}

/**
 * What is known while bytes arrive. Everything here is provisional: the
 * format while undecided (null), the byte order while both walks are alive,
 * and so the records; a record counted here is never taken back unless the
 * byte order changes at finish() (a TLV buffer whose start reads well both
 * ways). The truncation verdict, the END count's meaning, trailing space and
 * diagnostics exist only in finish()'s result.
 */
export interface IndexProgress {
  bytesRead: number;
  format: LogFormat | null;
  /** True once no later byte can change the format. */
  formatFinal: boolean;
  byteOrder: ByteOrder | null;
  /** True when the byte order was given, or one walk has been ruled out. */
  byteOrderFinal: boolean;
  /** TLV: records complete so far (END included once it arrived). Text: lines complete so far. */
  records: number;
  tlv: TlvProgress | null;
  text: TextProgress | null;
}

export class LogIndexer {
  private received = 0;
  /** The buffer's first bytes, to tell the format. */
  private readonly head = new Uint8Array(TLV_HEADER_SIZE);
  private headLength = 0;
  /** Chunks held while the format is undecided (the first header names a length not yet arrived). */
  private held: Uint8Array[] = [];
  private formatChoice: { format: LogFormat | null; reason: string } | null = null;
  private text: TextIndexBuilder | null = null;
  private tlv: TlvIndexBuilder | TlvByteOrderChooser | null = null;
  private result: IndexedLog | null = null;

  constructor(private readonly options: IndexerOptions = {}) {
    if (options.format) this.choose({ format: options.format, reason: 'chosen by the user' });
  }

  /**
   * Feeds the next bytes. Until the format is known (for a buffer starting
   * with a TLV header, until that header's contents arrive) the chunk is held
   * by reference, so it must not be reused by the caller; after, it is not kept.
   */
  push(chunk: Uint8Array): void {
    if (this.result) throw new Error('LogIndexer: push after finish');
    if (chunk.length === 0) return;
    this.received += chunk.length;
    if (this.headLength < TLV_HEADER_SIZE) {
      const take = Math.min(TLV_HEADER_SIZE - this.headLength, chunk.length);
      this.head.set(chunk.subarray(0, take), this.headLength);
      this.headLength += take;
    }
    if (!this.formatChoice) {
      this.held.push(chunk);
      const choice = classifyStart(this.head.subarray(0, this.headLength), this.received, false);
      if (choice) this.choose(choice);
      return;
    }
    this.feed(chunk);
  }

  /** True once the format is known: push() then keeps no chunk. */
  get formatKnown(): boolean {
    return this.formatChoice !== null;
  }

  private choose(choice: { format: LogFormat | null; reason: string }): void {
    this.formatChoice = choice;
    const hint = this.options.sizeHint;
    if (choice.format === 'text') this.text = new TextIndexBuilder(hint, this.options.chunksKept);
    else if (choice.format === 'tlv') {
      const order = this.options.byteOrder;
      this.tlv = order ? new TlvIndexBuilder(order, hint) : new TlvByteOrderChooser(hint);
    }
    const held = this.held;
    this.held = [];
    for (const chunk of held) this.feed(chunk);
  }

  private feed(chunk: Uint8Array): void {
    if (this.text) this.text.push(chunk);
    else this.tlv?.push(chunk);
  }

  /**
   * Forgets the columns of records already counted, keeping the last `keep`
   * TLV records (text keeps none): for a summary of a huge log, whose memory
   * then stays flat. See TlvIndexBuilder.dropRecords and TextIndexBuilder.dropLines.
   */
  dropRecords(keep: number): void {
    this.text?.dropLines();
    if (this.tlv instanceof TlvIndexBuilder) this.tlv.dropRecords(keep);
    else this.tlv?.dropRecords(keep);
  }

  progress(): IndexProgress {
    const choice = this.formatChoice;
    const tlv = this.tlv instanceof TlvByteOrderChooser ? this.tlv.leader() : this.tlv;
    const tlvProgress = tlv?.progress() ?? null;
    const textProgress = this.text?.progress() ?? null;
    return {
      bytesRead: this.received,
      format: choice?.format ?? null,
      formatFinal: choice !== null,
      byteOrder: tlv?.byteOrder ?? null,
      byteOrderFinal: this.tlv instanceof TlvIndexBuilder || (this.tlv?.decided ?? false),
      records: tlvProgress ? tlvProgress.count : (textProgress?.completeLines ?? 0),
      tlv: tlvProgress,
      text: textProgress,
    };
  }

  /** The index of everything pushed. Call once, after the last chunk. Never throws. */
  finish(): IndexedLog {
    if (this.result) return this.result;
    if (!this.formatChoice) {
      this.choose(
        classifyStart(this.head.subarray(0, this.headLength), this.received, true) ?? {
          format: 'text',
          reason: 'detected: it does not start with a TLV header',
        },
      );
    }
    const choice = this.formatChoice as { format: LogFormat | null; reason: string };
    if (this.text) {
      const index = this.text.finish();
      this.result = {
        format: 'text',
        formatReason: choice.reason,
        byteOrder: null,
        byteOrderReason: null,
        index,
        truncation: index.truncation,
        diagnostics: index.diagnostics,
      };
    } else if (this.tlv) {
      const index = this.tlv.finish();
      this.result = {
        format: 'tlv',
        formatReason: choice.reason,
        byteOrder: index.byteOrder,
        byteOrderReason: this.options.byteOrder ? 'chosen by the user' : 'detected',
        index,
        truncation: tlvVerdict(index),
        diagnostics: index.diagnostics,
      };
    } else {
      this.result = {
        format: null,
        formatReason: choice.reason,
        byteOrder: null,
        byteOrderReason: null,
        index: null,
        truncation: {
          truncated: false,
          dropped: null,
          saturated: false,
          mode: null,
          rewound: false,
          message: 'The buffer is empty: there is no log.',
        },
        diagnostics: [diagnostic('empty', 'error', 0, 'The buffer is empty: there is no log to read.')],
      };
    }
    return this.result;
  }
}

/** The index of a buffer held whole: the indexer fed one chunk. */
export function indexLog(bytes: Uint8Array, options: DecodeOptions = {}): IndexedLog {
  const indexer = new LogIndexer({ ...options, sizeHint: bytes.length, chunksKept: true });
  indexer.push(bytes);
  return indexer.finish();
}
