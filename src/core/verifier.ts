/**
 * Reading the verifier's own words: what kind of line a log line is, the
 * closing `processed N insns …` summary, and the error message the verifier
 * printed just before it (tlv-log-format.md section 2).
 */
import type { DecodedLog } from './decode.ts';
import { LIBBPF_LOG_END_LINE } from './text.ts';
import { classifyLineBytes } from './verifier/grammar.ts';
import { LineKind, type VerifierLines } from './verifier/kinds.ts';
import { verifierLinesOf } from './verifier/lines.ts';
import { parseSummary } from './verifier/stats.ts';
import { findVerdict } from './verifier/verdict.ts';

export type VerifierLineKind =
  | 'insn' //   12: (85) call bpf_map_lookup_elem#1
  | 'state' //  0: R1=ctx() R10=fp0   /   from 7 to 9: R0=…
  | 'source' // ; int x = ctx->len; @ file.c:42
  | 'branch' // from 7 to 9: safe
  | 'func' //   func#0 @0
  | 'liveness' // Live regs before insn:
  | 'stats' //  verification time 52 usec / stack depth 8
  | 'summary' // processed 18 insns (limit 1000000) …
  | 'btf' //    magic: 0xeb9f, [1] INT a size=4 …
  | 'blank'
  | 'message'; // anything else: notes, warnings, errors

const OLD_NAMES: Partial<Record<number, VerifierLineKind>> = {
  [LineKind.insn]: 'insn',
  [LineKind.state]: 'state',
  [LineKind.source]: 'source',
  [LineKind.prune]: 'branch',
  [LineKind.func]: 'func',
  [LineKind.liveRegs]: 'liveness',
  [LineKind.stats]: 'stats',
  [LineKind.summary]: 'summary',
  [LineKind.btf]: 'btf',
  [LineKind.blank]: 'blank',
};

const encoder = new TextEncoder();

/** One line's kind by the verifier grammar (verifier/grammar.ts), in this module's older, coarser names. */
export function classifyVerifierLine(line: string): VerifierLineKind {
  const bytes = encoder.encode(line);
  return OLD_NAMES[classifyLineBytes(bytes, 0, bytes.length)] ?? 'message';
}

export interface ProcessedSummary {
  insns: number;
  limit: number;
  maxStatesPerInsn: number | null;
  totalStates: number | null;
  peakStates: number | null;
}

/** The summary's counters in this module's older names (`insns` for processed, no mark_read). */
export function parseProcessedSummary(line: string): ProcessedSummary | null {
  const parsed = parseSummary(line);
  if (!parsed) return null;
  const { processed, limit, maxStatesPerInsn, totalStates, peakStates } = parsed;
  return { insns: processed, limit, maxStatesPerInsn, totalStates, peakStates };
}

export interface TailLine {
  text: string;
  /** The record the line starts in (a text line's own number, or a TLV line's first record). */
  record: number;
}

export interface VerifierOutcome {
  summary: (ProcessedSummary & TailLine) | null;
  /** The message lines just before the summary (or the log's end): the verifier's complaint. */
  error: { lines: string[]; record: number } | null;
}

/** Tail lines as one text, for the grammar. (A tail line holds no newline: it is one line.) */
function tailLines(tail: readonly TailLine[]): VerifierLines {
  const starts = new Uint32Array(tail.length);
  const bytes = encoder.encode(tail.map((l) => `${l.text}\n`).join(''));
  for (let k = 0, line = 1; k < bytes.length && line < tail.length; k++)
    if (bytes[k] === 0x0a) starts[line++] = k + 1;
  return verifierLinesOf({ bytes, starts, count: tail.length, end: Math.max(0, bytes.length - 1) });
}

/**
 * Finds the summary and the error message in the last lines of a log, by the
 * verifier model's verdict rule (verifier/verdict.ts): the complaint is the
 * prose before the summary, the stats lines in between skipped. The end is
 * libbpf's "-- END PROG LOAD LOG --" line when the log is libbpf's output.
 */
export function verifierOutcome(tail: readonly TailLine[]): VerifierOutcome {
  const marker = tail.findLastIndex((l) => l.text === LIBBPF_LOG_END_LINE);
  const end = marker < 0 ? tail.length : marker;
  const lines = tailLines(tail);
  const result = findVerdict(lines, 0, end);
  let summary: VerifierOutcome['summary'] = null;
  if (result.summaryLine !== null) {
    const parsed = parseProcessedSummary(tail[result.summaryLine].text);
    if (parsed) summary = { ...parsed, ...tail[result.summaryLine] };
  }
  const error = result.error
    ? {
        lines: tail.slice(result.error.line, result.error.line + result.error.lineCount).map((l) => l.text),
        record: tail[result.error.line].record,
      }
    : null;
  return { summary, error };
}

/**
 * The last lines of a log with the record each starts in, without touching the
 * rest: text lines directly, TLV STRING fragments joined walking back from END.
 */
export function logTail(log: DecodedLog, maxLines = 40): TailLine[] {
  const count = log.recordCount;
  if (log.format !== 'tlv') {
    const out: TailLine[] = [];
    for (let i = Math.max(0, count - maxLines); i < count; i++)
      out.push({ text: log.recordText(i) ?? '', record: i });
    return out;
  }
  // Walk back over STRING records until enough line breaks are behind us (or a bounded amount of text).
  const pieces: { text: string; record: number }[] = [];
  let breaks = 0;
  let chars = 0;
  for (let r = count - 1; r >= 0 && breaks <= maxLines && chars < 1 << 16; r--) {
    const text = log.recordText(r);
    if (text === null) continue;
    pieces.push({ text, record: r });
    chars += text.length;
    for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) breaks++;
  }
  pieces.reverse();
  const lines: TailLine[] = [];
  let current: TailLine | null = null;
  for (const piece of pieces) {
    const parts = piece.text.split('\n');
    parts.forEach((part, k) => {
      const last = k === parts.length - 1;
      // After a piece's final newline nothing has started yet: the next line begins in the next piece.
      if (last && part === '' && current === null) return;
      current ??= { text: '', record: piece.record };
      current.text += part;
      if (!last) {
        lines.push(current);
        current = null;
      }
    });
  }
  if (current && (current as TailLine).text !== '') lines.push(current);
  // The first line may have started before the walk stopped: drop it.
  return lines.slice(Math.max(1, lines.length - maxLines));
}
