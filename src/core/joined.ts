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
    const start = offsets[r] + TLV_HEADER_SIZE;
    const end = stringEnd(bytes, start, lengths[r]);
    if (end > start && bytes[end - 1] === 0x0a) close(r + 1);
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
/** Where one joined line's bytes lie: in the buffer (one record) or in a scratch buffer (several). */
export interface LineSpan {
  bytes: Uint8Array;
  start: number;
  end: number;
  /** The line was longer than the bytes asked for. */
  cut: boolean;
}

/** End of a STRING record's text: a trailing NUL is not text. */
function stringEnd(bytes: Uint8Array, start: number, length: number): number {
  const end = start + length;
  return end > start && bytes[end - 1] === 0 ? end - 1 : end;
}

/**
 * Reads joined lines without copying the buffer: a line in one record where
 * it lies, a line split over records gathered into a scratch buffer that is
 * reused. The line's final newline, a CR before it and each record's trailing
 * NUL are left out. A span is valid until the next call.
 */
export class JoinedLineReader {
  private scratch = new Uint8Array(256);
  private readonly span: LineSpan = { bytes: this.scratch, start: 0, end: 0, cut: false };

  constructor(
    private readonly bytes: Uint8Array,
    private readonly index: TlvIndex,
    readonly lines: JoinedLines,
  ) {}

  /** Line i's bytes, its first `maxBytes` at most. */
  line(i: number, maxBytes = Number.POSITIVE_INFINITY): LineSpan {
    const { bytes, span } = this;
    const { types, offsets, lengths } = this.index;
    const first = this.lines.firstRecord[i];
    const end = this.lines.endRecord[i];
    let single = -1;
    for (let r = first; r < end; r++) {
      if (types[r] !== TYPE_STRING) continue;
      if (single >= 0) {
        single = -1;
        break;
      }
      single = r;
    }
    span.cut = false;
    if (single >= 0) {
      span.bytes = bytes;
      span.start = offsets[single] + TLV_HEADER_SIZE;
      span.end = stringEnd(bytes, span.start, lengths[single]);
    } else {
      let at = 0;
      for (let r = first; r < end && !span.cut; r++) {
        if (types[r] !== TYPE_STRING) continue;
        const start = offsets[r] + TLV_HEADER_SIZE;
        let stop = stringEnd(bytes, start, lengths[r]);
        if (at + stop - start > maxBytes) {
          stop = start + maxBytes - at;
          span.cut = true;
        }
        this.reserve(at + stop - start, at);
        this.scratch.set(bytes.subarray(start, stop), at);
        at += stop - start;
      }
      span.bytes = this.scratch;
      span.start = 0;
      span.end = at;
    }
    if (span.end - span.start > maxBytes) {
      span.end = span.start + maxBytes;
      span.cut = true;
    }
    if (span.cut) return span;
    if (span.end > span.start && span.bytes[span.end - 1] === 0x0a) span.end--;
    if (span.end > span.start && span.bytes[span.end - 1] === 0x0d) span.end--;
    return span;
  }

  /** Room for `size` bytes in the scratch buffer, keeping its first `kept`. */
  private reserve(size: number, kept: number): void {
    if (size <= this.scratch.length) return;
    const grown = new Uint8Array(Math.max(this.scratch.length * 2, size));
    grown.set(this.scratch.subarray(0, kept));
    this.scratch = grown;
  }
}

/** Text of joined line i, without its final newline; past `maxBytes` cut, with an ellipsis. */
export function joinedLineText(
  bytes: Uint8Array,
  index: TlvIndex,
  lines: JoinedLines,
  i: number,
  maxBytes = Number.POSITIVE_INFINITY,
): string {
  const span = new JoinedLineReader(bytes, index, lines).line(i, maxBytes);
  const text = decodeUtf8(span.bytes, span.start, span.end);
  return span.cut ? `${text}…` : text;
}
