/**
 * A log's lines as bytes, whatever its format: a text log's own bytes and
 * line index, or a TLV log's STRING records joined into one text (the only
 * copy made, since a TLV line's fragments are not contiguous). Then the
 * VerifierLines contract over them.
 */
import { decodeUtf8 } from '../bytes.ts';
import type { DecodedLog } from '../decode.ts';
import { joinTlvLines } from '../joined.ts';
import { TLV_HEADER_SIZE, type TlvIndex, TYPE_STRING } from '../tlv.ts';
import { type ByteLines, byteLineEnd, classifyLines } from './grammar.ts';
import type { VerifierLines } from './kinds.ts';

const EMPTY: ByteLines = { bytes: new Uint8Array(0), starts: new Uint32Array(0), count: 0, end: 0 };

/** The log's lines over bytes: line numbers are the file's lines, or a TLV buffer's joined STRING lines. */
export function logByteLines(log: DecodedLog): ByteLines {
  const index = log.index;
  if (!index) return EMPTY;
  if (index.format === 'text') {
    return {
      bytes: log.bytes,
      starts: index.lineStarts,
      count: index.lineCount,
      end: index.textLength - (index.endsWithNewline ? 1 : 0),
    };
  }
  return joinedByteLines(log.bytes, index);
}

function joinedByteLines(bytes: Uint8Array, index: TlvIndex): ByteLines {
  const joined = joinTlvLines(bytes, index);
  const contentEnd = (r: number) => {
    const start = index.offsets[r] + TLV_HEADER_SIZE;
    let end = start + index.lengths[r];
    if (end > start && bytes[end - 1] === 0) end--; // a trailing NUL is not text
    return end;
  };
  let size = 0;
  for (let r = 0; r < index.count; r++)
    if (index.types[r] === TYPE_STRING) size += contentEnd(r) - index.offsets[r] - TLV_HEADER_SIZE;
  const text = new Uint8Array(size + joined.lineCount);
  const starts = new Uint32Array(joined.lineCount);
  let at = 0;
  for (let i = 0; i < joined.lineCount; i++) {
    starts[i] = at;
    for (let r = joined.firstRecord[i]; r < joined.endRecord[i]; r++) {
      if (index.types[r] !== TYPE_STRING) continue;
      const start = index.offsets[r] + TLV_HEADER_SIZE;
      text.set(bytes.subarray(start, contentEnd(r)), at);
      at += contentEnd(r) - start;
    }
    // Each joined line ends with one newline: the record's own, or one put there.
    if (at === starts[i] || text[at - 1] !== 0x0a) text[at++] = 0x0a;
  }
  return { bytes: text.subarray(0, at), starts, count: joined.lineCount, end: Math.max(0, at - 1) };
}

/** Line i's text (newline and a CR before it excluded). decodeUtf8: a streamed log's bytes sit in a resizable buffer. */
export function byteLineText(lines: ByteLines, i: number): string {
  return decodeUtf8(lines.bytes, lines.starts[i], byteLineEnd(lines, i));
}

/** Classified lines with their text on demand: the contract the verifier modules read. */
export function verifierLinesOf(lines: ByteLines): VerifierLines & { source: ByteLines } {
  const { kinds, pcs } = classifyLines(lines);
  return {
    lineCount: lines.count,
    kinds,
    pcs,
    source: lines,
    text: (i: number) => byteLineText(lines, i),
  };
}

/** The whole log's lines, classified. (buildVerifierModel splits them into programs.) */
export function buildVerifierLines(log: DecodedLog): VerifierLines {
  return verifierLinesOf(logByteLines(log));
}
