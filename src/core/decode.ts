/**
 * The one entry point every consumer uses: bytes in, a DecodedLog out.
 * A DecodedLog holds the original bytes and a columnar index over them;
 * a record's text is decoded only when asked for.
 */
import { chooseByteOrder, detectFormat } from './detect.ts';
import { diagnostic, formatCount } from './diagnostics.ts';
import { indexText, lineRange, type TextIndex } from './text.ts';
import { END_COUNT_SATURATED, TLV_HEADER_SIZE, type TlvIndex, TYPE_STRING, walkTlv } from './tlv.ts';
import type { ByteOrder, Diagnostic, LogFormat, TrailingSpace, TruncationVerdict } from './types.ts';

export interface DecodeOptions {
  /** Force a format instead of detecting it. */
  format?: LogFormat;
  /** Force a byte order for TLV instead of detecting it. */
  byteOrder?: ByteOrder;
}

const utf8 = new TextDecoder('utf-8');

export class DecodedLog {
  readonly bytes: Uint8Array;
  readonly format: LogFormat | null;
  readonly formatReason: string;
  readonly byteOrder: ByteOrder | null;
  readonly byteOrderReason: string | null;
  readonly index: TlvIndex | TextIndex | null;
  readonly truncation: TruncationVerdict;
  readonly diagnostics: Diagnostic[];

  constructor(bytes: Uint8Array, options: DecodeOptions = {}, extraDiagnostics: Diagnostic[] = []) {
    this.bytes = bytes;
    const detected = options.format
      ? { format: options.format, reason: 'chosen by the user' }
      : detectFormat(bytes);
    this.formatReason = detected.reason;
    if (bytes.length === 0 && !options.format) {
      this.format = null;
      this.byteOrder = null;
      this.byteOrderReason = null;
      this.index = null;
      this.truncation = {
        truncated: false,
        dropped: null,
        saturated: false,
        mode: null,
        rewound: false,
        message: 'The buffer is empty: there is no log.',
      };
      this.diagnostics = [
        ...extraDiagnostics,
        diagnostic('empty', 'error', 0, 'The buffer is empty: there is no log to read.'),
      ];
      return;
    }
    this.format = detected.format;
    if (detected.format === 'tlv') {
      const order = chooseByteOrder(bytes, options.byteOrder);
      this.byteOrder = order.byteOrder;
      this.byteOrderReason = order.reason;
      const index = walkTlv(bytes, order.byteOrder);
      this.index = index;
      this.truncation = tlvVerdict(index);
      this.diagnostics = [...extraDiagnostics, ...index.diagnostics];
    } else {
      this.byteOrder = null;
      this.byteOrderReason = null;
      const index = indexText(bytes);
      this.index = index;
      this.truncation = index.truncation;
      this.diagnostics = [...extraDiagnostics, ...index.diagnostics];
    }
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
  recordText(i: number): string | null {
    const index = this.index as TlvIndex | TextIndex;
    let [start, end] = this.contentRange(i);
    if (index.format === 'tlv') {
      if (index.types[i] !== TYPE_STRING) return null;
      if (end > start && this.bytes[end - 1] === 0) end--;
    }
    return utf8.decode(this.bytes.subarray(start, end));
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

function tlvVerdict(index: TlvIndex): TruncationVerdict {
  const base = { dropped: null, saturated: false, mode: null, rewound: false } as const;
  const end = index.end;
  if (!end) {
    const stop = index.diagnostics.find((d) => d.severity === 'error');
    const detail =
      stop && stop.code !== 'missing-end' ? ` Decoding stopped at byte ${stop.offset} (${stop.code}).` : '';
    return {
      ...base,
      truncated: true,
      message: `No END record: the buffer was cut short or not written in TLV mode, so the log may be incomplete.${detail}`,
    };
  }
  const count = end.count ?? 0;
  const malformed = end.wellFormed ? '' : ' (END is malformed, so this count is suspect)';
  if (count === 0) {
    return end.wellFormed
      ? { ...base, truncated: false, message: 'Complete: END reports no dropped messages.' }
      : { ...base, truncated: false, message: 'END is malformed; it reports no dropped messages.' };
  }
  const saturated = count === END_COUNT_SATURATED;
  const n = formatCount(count);
  return {
    ...base,
    truncated: true,
    dropped: count,
    saturated,
    message: saturated
      ? `At least ${n} messages were dropped: the buffer (${formatCount(index.size)} bytes) was too small${malformed}.`
      : `${n} message${count === 1 ? ' was' : 's were'} dropped: the buffer (${formatCount(index.size)} bytes) was too small${malformed}.`,
  };
}
