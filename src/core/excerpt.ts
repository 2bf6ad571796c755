/**
 * Excerpts: the chosen records of a log as a smaller buffer of their own, for
 * logs whose share link would be too long. TLV excerpts are valid TLV with the
 * original END count; text excerpts are the chosen lines.
 */
import type { DecodedLog } from './decode.ts';
import { detectFormat } from './detect.ts';
import { formatCount, formatRanges } from './diagnostics.ts';
import { encodeTlv, type TlvMessage } from './encode.ts';
import { detectByteOrder, TLV_HEADER_SIZE, TYPE_END } from './tlv.ts';
import type { ByteOrder, LogFormat } from './types.ts';

export interface Excerpt {
  bytes: Uint8Array<ArrayBuffer>;
  /** Says it is an excerpt and of what; pass it as the link's note. */
  note: string;
  /** For each record of the excerpt, its index in the original log (TLV: END last, when kept). */
  records: number[];
  /** Decoder overrides the excerpt needs to read as the original did (null: detection agrees). */
  format: LogFormat | null;
  byteOrder: ByteOrder | null;
}

/**
 * The chosen records (any order, duplicates allowed) as a buffer of their
 * own. TLV: the records re-encoded with encodeTlv in the original byte order,
 * plus an END with the original END's count if the original had an END.
 * Text: the lines joined by '\n', then a NUL and a spare zero. Throws RangeError on an empty
 * log, an empty selection or an index out of range.
 */
export function buildExcerpt(log: DecodedLog, indices: readonly number[]): Excerpt {
  const count = log.recordCount;
  if (log.format === null || count === 0) throw new RangeError('the log has no records');
  if (indices.length === 0) throw new RangeError('no records chosen');
  for (const i of indices)
    if (!(Number.isInteger(i) && i >= 0 && i < count)) throw new RangeError(`no record ${i}`);
  const chosen = [...new Set(indices)].sort((a, b) => a - b);

  let bytes: Uint8Array<ArrayBuffer>;
  let records: number[];
  let byteOrder: ByteOrder | null = null;
  if (log.format === 'tlv') {
    const order = log.byteOrder ?? 'little';
    records = chosen.filter((i) => log.recordType(i) !== TYPE_END);
    const messages: TlvMessage[] = records.map((i) => {
      const [start, end] = log.contentRange(i);
      return { type: log.recordType(i) as number, contents: log.bytes.subarray(start, end) };
    });
    const end = log.end;
    const encoded = encodeTlv(messages, { byteOrder: order, omitEnd: end === null });
    bytes = encoded.bytes;
    if (end !== null && encoded.endOffset !== null) {
      // encodeTlv counts its own drops (none here); the excerpt keeps the original's.
      new DataView(bytes.buffer).setUint16(
        encoded.endOffset + TLV_HEADER_SIZE,
        end.count ?? 0,
        order === 'little',
      );
      records.push(log.recordCount - 1);
    }
    if (bytes.length > 0 && detectByteOrder(bytes) !== order) byteOrder = order;
  } else {
    records = chosen;
    let size = 1;
    for (const i of chosen) size += log.recordLength(i) + 1;
    // Lines, a NUL, and one spare zero byte: a NUL as the buffer's last byte would read as a full,
    // truncated buffer (tlv-log-format.md section 2), which an excerpt is not.
    bytes = new Uint8Array(size);
    let at = 0;
    for (const i of chosen) {
      if (at > 0) bytes[at++] = 0x0a;
      const [start, end] = log.contentRange(i);
      bytes.set(log.bytes.subarray(start, end), at);
      at += end - start;
    }
    // bytes[at] is the NUL and bytes[at + 1] the spare zero (both already zero).
  }
  const format = detectFormat(bytes).format === log.format ? null : log.format;
  const unit = log.format === 'tlv' ? 'records' : 'lines';
  const note = `Excerpt: ${formatCount(records.length)} of ${formatCount(count)} ${unit} (${formatRanges(records, { minRun: 2, separator: ', ', format: formatCount })}) of a ${formatCount(log.size)}-byte ${log.format === 'tlv' ? 'TLV' : 'text'} log; the rest was left out to make the link short enough.`;
  return { bytes, note, records, format, byteOrder };
}
