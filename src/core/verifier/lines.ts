/**
 * A log's lines as bytes, whatever its format: a text log's own bytes and
 * line index, or a TLV log's joined STRING lines read where they lie (a line
 * in one record from the buffer itself, a line split over records gathered
 * into a small scratch buffer), so a TLV log is never copied whole. Then the
 * VerifierLines contract over them.
 */
import { decodeUtf8 } from '../bytes.ts';
import type { DecodedLog } from '../decode.ts';
import { JoinedLineReader, type JoinedLines, joinTlvLinesSteps } from '../joined.ts';
import { runSteps, STEP_MASK, type Steps } from '../steps.ts';
import type { TlvIndex } from '../tlv.ts';
import { type ByteLines, byteLineEnd, classifyLineBytes, classifyLinesSteps, lastLinePc } from './grammar.ts';
import { NO_PC, type VerifierLines } from './kinds.ts';

const EMPTY: ByteLines = { bytes: new Uint8Array(0), starts: new Uint32Array(0), count: 0, end: 0 };

/** A text log's lines over its own bytes (a TLV log's: see tlvVerifierLinesSteps). */
export function logByteLines(log: DecodedLog): ByteLines {
  const index = log.index;
  if (index?.format !== 'text') return EMPTY;
  return {
    bytes: log.bytes,
    starts: index.lineStarts,
    count: index.lineCount,
    end: index.textLength - (index.endsWithNewline ? 1 : 0),
  };
}

/**
 * A TLV buffer's joined STRING lines, classified and read on demand. Memory:
 * the joined-line columns and one byte of kind and four of pc per line; the
 * text stays in the buffer.
 */
export function* tlvVerifierLinesSteps(
  bytes: Uint8Array,
  index: TlvIndex,
): Steps<VerifierLines & { joined: JoinedLines }> {
  const joined = yield* joinTlvLinesSteps(bytes, index);
  const reader = new JoinedLineReader(bytes, index, joined);
  const count = joined.lineCount;
  const kinds = new Uint8Array(count);
  const pcs = new Int32Array(count).fill(NO_PC);
  for (let i = 0; i < count; i++) {
    if ((i & STEP_MASK) === STEP_MASK) yield;
    const { bytes: lineBytes, start, end } = reader.line(i);
    kinds[i] = classifyLineBytes(lineBytes, start, end);
    const pc = lastLinePc();
    if (pc !== NO_PC) pcs[i] = pc;
  }
  return {
    lineCount: count,
    kinds,
    pcs,
    joined,
    text: (i: number) => {
      const span = reader.line(i);
      return decodeUtf8(span.bytes, span.start, span.end);
    },
  };
}

/** Line i's text (newline and a CR before it excluded). decodeUtf8: a streamed log's bytes sit in a resizable buffer. */
export function byteLineText(lines: ByteLines, i: number): string {
  return decodeUtf8(lines.bytes, lines.starts[i], byteLineEnd(lines, i));
}

/** Classified lines with their text on demand: the contract the verifier modules read. */
export function verifierLinesOf(lines: ByteLines): VerifierLines {
  return runSteps(verifierLinesOfSteps(lines));
}

export function* verifierLinesOfSteps(lines: ByteLines): Steps<VerifierLines> {
  const { kinds, pcs } = yield* classifyLinesSteps(lines);
  return {
    lineCount: lines.count,
    kinds,
    pcs,
    text: (i: number) => byteLineText(lines, i),
  };
}

/** The whole log's lines, classified. (buildVerifierModel splits them into programs.) */
export function buildVerifierLines(log: DecodedLog): VerifierLines {
  const index = log.index;
  return runSteps(
    index?.format === 'tlv'
      ? tlvVerifierLinesSteps(log.bytes, index)
      : verifierLinesOfSteps(logByteLines(log)),
  );
}
