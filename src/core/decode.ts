/**
 * The one entry point every consumer uses: bytes in, a DecodedLog out.
 * A DecodedLog holds the original bytes and a columnar index over them;
 * a record's text is decoded only when asked for.
 */
import { decodeUtf8 } from './bytes.ts';
import { type IndexedLog, indexLog } from './indexer.ts';
import { lineRange, type TextIndex } from './text.ts';
import { TLV_HEADER_SIZE, type TlvIndex, TYPE_STRING } from './tlv.ts';
import type { ByteOrder, Diagnostic, LogFormat, TrailingSpace, TruncationVerdict } from './types.ts';

export interface DecodeOptions {
  /** Force a format instead of detecting it. */
  format?: LogFormat;
  /** Force a byte order for TLV instead of detecting it. */
  byteOrder?: ByteOrder;
}

export class DecodedLog {
  readonly bytes: Uint8Array;
  readonly format: LogFormat | null;
  readonly formatReason: string;
  readonly byteOrder: ByteOrder | null;
  readonly byteOrderReason: string | null;
  readonly index: TlvIndex | TextIndex | null;
  readonly truncation: TruncationVerdict;
  readonly diagnostics: Diagnostic[];

  /**
   * `indexed`: the index of these bytes when it was built already, as bytes
   * arrived (LogIndexer, LogStream); otherwise the bytes are indexed here.
   */
  constructor(
    bytes: Uint8Array,
    options: DecodeOptions = {},
    extraDiagnostics: Diagnostic[] = [],
    indexed: IndexedLog = indexLog(bytes, options),
  ) {
    this.bytes = bytes;
    this.format = indexed.format;
    this.formatReason = indexed.formatReason;
    this.byteOrder = indexed.byteOrder;
    this.byteOrderReason = indexed.byteOrderReason;
    this.index = indexed.index;
    this.truncation = indexed.truncation;
    this.diagnostics = [...extraDiagnostics, ...indexed.diagnostics];
  }

  get size(): number {
    return this.bytes.length;
  }

  /** TLV: records, END included. Text: lines. */
  get recordCount(): number {
    const index = this.index;
    if (!index) return 0;
    return index.format === 'tlv' ? index.count : index.lineCount;
  }

  get trailing(): TrailingSpace | null {
    return this.index?.trailing ?? null;
  }

  get end(): { offset: number; count: number | null } | null {
    const index = this.index;
    if (index?.format !== 'tlv' || !index.end) return null;
    return { offset: index.end.offset, count: index.end.count };
  }

  /** Byte offset of the record (TLV: its header; text: the line's first byte). */
  recordOffset(i: number): number {
    const index = this.index as TlvIndex | TextIndex;
    return index.format === 'tlv' ? index.offsets[i] : index.lineStarts[i];
  }

  /** TLV type value; null for text lines. */
  recordType(i: number): number | null {
    const index = this.index as TlvIndex | TextIndex;
    return index.format === 'tlv' ? index.types[i] : null;
  }

  /** TLV: the header's len. Text: the line's bytes without its newline. */
  recordLength(i: number): number {
    const index = this.index as TlvIndex | TextIndex;
    if (index.format === 'tlv') return index.lengths[i];
    const [start, end] = lineRange(index, i);
    return end - start;
  }

  /** Byte range [start, end) of the record's contents (TLV: after the header; text: the line). */
  contentRange(i: number): [number, number] {
    const index = this.index as TlvIndex | TextIndex;
    if (index.format === 'text') return lineRange(index, i);
    const start = index.offsets[i] + TLV_HEADER_SIZE;
    return [start, start + index.lengths[i]];
  }

  /** The record's text: STRING contents without a trailing NUL, or the line. Null for other TLV types. */
  recordText(i: number, maxBytes = Number.POSITIVE_INFINITY): string | null {
    const index = this.index as TlvIndex | TextIndex;
    let [start, end] = this.contentRange(i);
    if (index.format === 'tlv') {
      if (index.types[i] !== TYPE_STRING) return null;
      if (end > start && this.bytes[end - 1] === 0) end--;
    }
    // `maxBytes`: the first bytes only (a 1 GiB line is longer than V8's longest string).
    return decodeUtf8(this.bytes, start, Math.min(end, start + maxBytes));
  }

  /** The raw bytes of a record, header included for TLV. */
  recordBytes(i: number): Uint8Array {
    const [, end] = this.contentRange(i);
    return this.bytes.subarray(this.recordOffset(i), end);
  }
}

export function decodeLog(
  bytes: Uint8Array,
  options: DecodeOptions = {},
  extraDiagnostics: Diagnostic[] = [],
): DecodedLog {
  return new DecodedLog(bytes, options, extraDiagnostics);
}
