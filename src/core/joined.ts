/**
 * The joined view of a TLV log: the verifier prints one line in several
 * calls, each a STRING record, so lines are runs of STRING records ending in
 * one whose text ends with a newline. Columnar, like the index: each line is
 * the record range [firstRecord[i], endRecord[i]). Records of other types
 * (a future kernel's extra information) may sit inside a line: they belong to
 * no line and do not break one. END closes the last line.
 */
import { decodeUtf8 } from './bytes.ts';
import { growableU32 } from './growable.ts';
import { runSteps, STEP_MASK, type Steps } from './steps.ts';
import { TLV_HEADER_SIZE, type TlvIndex, TYPE_END, TYPE_STRING } from './tlv.ts';

export interface JoinedLines {
  lineCount: number;
  firstRecord: Uint32Array;
  endRecord: Uint32Array;
}

export const NO_LINE = 0xffffffff;

export function joinTlvLines(bytes: Uint8Array, index: TlvIndex): JoinedLines {
  return runSteps(joinTlvLinesSteps(bytes, index));
}

export function* joinTlvLinesSteps(bytes: Uint8Array, index: TlvIndex): Steps<JoinedLines> {
  const { count, types, offsets, lengths } = index;
  const first = growableU32(Math.max(16, count >>> 1));
  const endRec = growableU32(Math.max(16, count >>> 1));
  let open = -1; // first record of the line being built, or -1

  const close = (end: number) => {
    if (open < 0) return;
    first.push(open);
    endRec.push(end);
    open = -1;
  };

  for (let r = 0; r < count; r++) {
    if ((r & STEP_MASK) === STEP_MASK) yield;
    if (types[r] !== TYPE_STRING) {
      if (types[r] === TYPE_END) close(r);
      continue;
    }
    if (open < 0) open = r;
    let last = offsets[r] + TLV_HEADER_SIZE + lengths[r] - 1;
    if (lengths[r] > 0 && bytes[last] === 0) last--; // a trailing NUL is not text
    if (last >= offsets[r] + TLV_HEADER_SIZE && bytes[last] === 0x0a) close(r + 1);
  }
  close(count);
  return { lineCount: first.length, firstRecord: first.view(), endRecord: endRec.view() };
}

/**
 * The joined line STRING record `record` belongs to, or NO_LINE (other types
 * belong to none). A binary search over the lines' first records: no column
 * per record (74 MB for a 1 GiB buffer of fragments).
 */
export function lineOfRecord(lines: JoinedLines, index: TlvIndex, record: number): number {
  if (record < 0 || record >= index.count || index.types[record] !== TYPE_STRING) return NO_LINE;
  const { firstRecord, endRecord } = lines;
  let lo = 0;
  let hi = lines.lineCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (firstRecord[mid] <= record) lo = mid;
    else hi = mid - 1;
  }
  return lines.lineCount > 0 && firstRecord[lo] <= record && record < endRecord[lo] ? lo : NO_LINE;
}

/** Text of joined line i, without its final newline. */
export function joinedLineText(
  bytes: Uint8Array,
  index: TlvIndex,
  lines: JoinedLines,
  i: number,
  /** Past this many bytes the text is cut, with an ellipsis (a line of a million fragments). */
  maxBytes = Number.POSITIVE_INFINITY,
): string {
  let text = '';
  let budget = maxBytes;
  for (let r = lines.firstRecord[i]; r < lines.endRecord[i]; r++) {
    if (index.types[r] !== TYPE_STRING) continue;
    const start = index.offsets[r] + TLV_HEADER_SIZE;
    let end = start + index.lengths[r];
    if (end > start && bytes[end - 1] === 0) end--;
    if (end - start > budget) return `${text}${decodeUtf8(bytes, start, start + budget)}…`;
    budget -= end - start;
    text += decodeUtf8(bytes, start, end);
  }
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
