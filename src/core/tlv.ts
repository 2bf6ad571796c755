/**
 * The TLV walk (tlv-log-format.md 1.1) and byte-order detection (1.3).
 * Output is columnar: typed arrays of offsets, types and lengths over the
 * original bytes. No text is decoded here.
 */
import { isAllZero, readU16, readU32 } from './bytes.ts';
import { diagnostic, formatOffset } from './diagnostics.ts';
import type { ByteOrder, Diagnostic, TrailingSpace } from './types.ts';

export const TLV_HEADER_SIZE = 6;
/** The kernel keeps this much at the end of the buffer for END (6 header + 2 count). */
export const TLV_END_RESERVE = 8;
export const TYPE_STRING = 1;
export const TYPE_END = 2;
/** END's count saturates here: it then means "at least 65535". */
export const END_COUNT_SATURATED = 0xffff;

export interface TlvEnd {
  /** Record number of END (always the last record). */
  index: number;
  offset: number;
  /** num_truncations; for a malformed END, the first two bytes of its contents (null if it has fewer). */
  count: number | null;
  wellFormed: boolean;
}

export interface TlvIndex {
  format: 'tlv';
  byteOrder: ByteOrder;
  size: number;
  /** Records decoded, END included. */
  count: number;
  offsets: Uint32Array;
  types: Uint16Array;
  lengths: Uint32Array;
  end: TlvEnd | null;
  /** Bytes after the last record: trailing space after END, or what could not be decoded. */
  trailing: TrailingSpace | null;
  /** STRING records whose contents end in a NUL, which is dropped from their text. */
  nulTerminatedStrings: number;
  diagnostics: Diagnostic[];
}

type WalkOutcome = 'end' | 'malformed-end' | 'stopped' | 'limit';

/**
 * Counts records without storing them, stopping after `limit`. Used to pick
 * the byte order: in the wrong order a length is thousands of times too
 * large and the walk stops at once, so this is nearly free.
 */
function probe(
  bytes: Uint8Array,
  littleEndian: boolean,
  limit: number,
): { records: number; outcome: WalkOutcome } {
  const size = bytes.length;
  let offset = 0;
  let records = 0;
  while (records < limit) {
    if (size - offset < TLV_HEADER_SIZE) return { records, outcome: 'stopped' };
    const type = readU16(bytes, offset, littleEndian);
    const len = readU32(bytes, offset + 2, littleEndian);
    if (offset + TLV_HEADER_SIZE + len > size) return { records, outcome: 'stopped' };
    if (type === TYPE_END) return { records: records + 1, outcome: len === 2 ? 'end' : 'malformed-end' };
    if (type === 0 && len === 0) return { records, outcome: 'stopped' };
    records++;
    offset += TLV_HEADER_SIZE + len;
  }
  return { records, outcome: 'limit' };
}

/** Which walk wins: the one ending at a well-formed END, then the one with more records, then little-endian. */
function better(
  le: { records: number; outcome: WalkOutcome },
  be: { records: number; outcome: WalkOutcome },
): ByteOrder {
  const leEnd = le.outcome === 'end';
  const beEnd = be.outcome === 'end';
  if (leEnd !== beEnd) return leEnd ? 'little' : 'big';
  return be.records > le.records ? 'big' : 'little';
}

/**
 * Byte order by the rule of tlv-log-format.md 1.3, walking both orders in
 * growing steps so that only the ambiguous prefix is walked twice.
 */
export function detectByteOrder(bytes: Uint8Array): ByteOrder {
  let limit = 64;
  for (;;) {
    const le = probe(bytes, true, limit);
    const be = probe(bytes, false, limit);
    const leDone = le.outcome !== 'limit';
    const beDone = be.outcome !== 'limit';
    if (leDone && beDone) return better(le, be);
    if (leDone || beDone) {
      const done = leDone ? le : be;
      // A walk that stopped without a good END loses to one that is still going with more records.
      if (done.outcome !== 'end') return leDone ? 'big' : 'little';
      // It ended well: the other must be walked to its end to compare.
      const other = probe(bytes, !leDone, Number.MAX_SAFE_INTEGER);
      return leDone ? better(le, other) : better(other, be);
    }
    limit *= 8;
  }
}

/** True when the first header, in this byte order, is STRING or END and its contents fit. */
export function firstHeaderLooksTlv(bytes: Uint8Array, littleEndian: boolean): boolean {
  if (bytes.length < TLV_HEADER_SIZE) return false;
  const type = readU16(bytes, 0, littleEndian);
  const len = readU32(bytes, 2, littleEndian);
  return (type === TYPE_STRING || type === TYPE_END) && TLV_HEADER_SIZE + len <= bytes.length;
}

function trailingAt(bytes: Uint8Array, offset: number): TrailingSpace | null {
  if (offset >= bytes.length) return null;
  return { offset, length: bytes.length - offset, allZero: isAllZero(bytes, offset, bytes.length) };
}

/**
 * Walks a TLV buffer. Never throws: every problem becomes a diagnostic with
 * its byte offset, and every record before it is kept.
 */
export function walkTlv(bytes: Uint8Array, byteOrder: ByteOrder): TlvIndex {
  const le = byteOrder === 'little';
  const size = bytes.length;
  const diagnostics: Diagnostic[] = [];
  // Verifier messages average 20-60 bytes; start near that and double if needed.
  const capacity = Math.min(Math.ceil(size / TLV_HEADER_SIZE) + 1, Math.ceil(size / 32) + 64);
  let offsets = new Uint32Array(capacity);
  let types = new Uint16Array(capacity);
  let lengths = new Uint32Array(capacity);
  let count = 0;
  let end: TlvEnd | null = null;
  let nulTerminated = 0;
  let firstNulTerminated = -1;
  let stopAt = -1; // where decoding stopped without END (trailing begins here)
  let offset = 0;

  for (;;) {
    if (offset === size) {
      diagnostics.push(
        diagnostic(
          'missing-end',
          'error',
          offset,
          size === 0
            ? 'The buffer is empty.'
            : 'No END record: the buffer was cut short or was not written in TLV mode. The log may be incomplete.',
        ),
      );
      break;
    }
    if (size - offset < TLV_HEADER_SIZE) {
      diagnostics.push(
        diagnostic(
          'truncated-header',
          'error',
          offset,
          `Only ${size - offset} byte(s) remain at ${formatOffset(offset)}: too few for a 6-byte header. No END record; the log may be incomplete.`,
        ),
      );
      stopAt = offset;
      break;
    }
    let type: number;
    let len: number;
    if (le) {
      type = bytes[offset] | (bytes[offset + 1] << 8);
      len =
        (bytes[offset + 2] |
          (bytes[offset + 3] << 8) |
          (bytes[offset + 4] << 16) |
          (bytes[offset + 5] << 24)) >>>
        0;
    } else {
      type = (bytes[offset] << 8) | bytes[offset + 1];
      len =
        ((bytes[offset + 2] << 24) |
          (bytes[offset + 3] << 16) |
          (bytes[offset + 4] << 8) |
          bytes[offset + 5]) >>>
        0;
    }
    const next = offset + TLV_HEADER_SIZE + len;
    if (next > size) {
      diagnostics.push(
        diagnostic(
          'length-overflow',
          'error',
          offset,
          `The header at ${formatOffset(offset)} (type ${type}) claims ${len} bytes, but only ${size - offset - TLV_HEADER_SIZE} remain. Decoding stopped; the rest is shown raw.`,
        ),
      );
      stopAt = offset;
      break;
    }
    if (type === 0 && len === 0) {
      diagnostics.push(
        diagnostic(
          'missing-end',
          'error',
          offset,
          `Zero-filled space at ${formatOffset(offset)} where a message or END should be: no END record. The log may be incomplete.`,
        ),
      );
      stopAt = offset;
      break;
    }
    if (count === offsets.length) {
      const grown = count * 2;
      const o = new Uint32Array(grown);
      o.set(offsets);
      offsets = o;
      const t = new Uint16Array(grown);
      t.set(types);
      types = t;
      const l = new Uint32Array(grown);
      l.set(lengths);
      lengths = l;
    }
    offsets[count] = offset;
    types[count] = type;
    lengths[count] = len;
    count++;
    if (type === TYPE_END) {
      const wellFormed = len === 2;
      const countValue = len >= 2 ? readU16(bytes, offset + TLV_HEADER_SIZE, le) : null;
      end = { index: count - 1, offset, count: countValue, wellFormed };
      if (!wellFormed) {
        diagnostics.push(
          diagnostic(
            'malformed-end',
            'warning',
            offset,
            `END at ${formatOffset(offset)} has ${len} bytes of contents instead of 2${countValue === null ? '' : `; its count reads as ${countValue}`}.`,
          ),
        );
      }
      stopAt = next;
      break;
    }
    if (type === TYPE_STRING && len > 0 && bytes[next - 1] === 0) {
      if (nulTerminated === 0) firstNulTerminated = offset;
      nulTerminated++;
    }
    offset = next;
  }

  if (nulTerminated > 0) {
    diagnostics.push(
      diagnostic(
        'nul-terminated',
        'info',
        firstNulTerminated,
        `${nulTerminated} STRING record(s) end in a NUL byte (first at ${formatOffset(firstNulTerminated)}); it is dropped from their text.`,
      ),
    );
  }
  const trailing = stopAt >= 0 ? trailingAt(bytes, stopAt) : null;
  if (end && trailing && !trailing.allZero) {
    diagnostics.push(
      diagnostic(
        'trailing-data',
        'info',
        trailing.offset,
        `${trailing.length} byte(s) after END are not all zero. They are not part of the log (left over in the buffer) and are not decoded.`,
      ),
    );
  }
  return {
    format: 'tlv',
    byteOrder,
    size,
    count,
    offsets: offsets.subarray(0, count),
    types: types.subarray(0, count),
    lengths: lengths.subarray(0, count),
    end,
    trailing,
    nulTerminatedStrings: nulTerminated,
    diagnostics,
  };
}
