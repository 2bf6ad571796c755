/**
 * Accepted, rejected or unknown, from the log alone. The verifier ends a log
 * with its complaint (prose), then BPF_LOG_STATS's `verification time` and
 * `stack depth` lines, then `processed N insns …`: walking back from the
 * region's end over stats and the summary finds the complaint, so the stats
 * cannot hide it. The failing instruction is the last one printed before it.
 */
import type { TruncationVerdict } from '../types.ts';
import { LineKind, NO_PC, TRACE_KINDS, type VerifierLines } from './kinds.ts';
import { parseSummary } from './stats.ts';

export type Verdict = 'accepted' | 'rejected' | 'unknown';

export interface VerifierError {
  /** The complaint's lines as printed, joined with \n. */
  message: string;
  /** The file's line index of its first line, and how many lines it has. */
  line: number;
  lineCount: number;
  /** The failing instruction: the last one printed before the complaint. */
  pc: number | null;
  /** The line that instruction was printed on. */
  insnLine: number | null;
  /** The `; …` source line in force at that instruction, if any. */
  sourceLine: number | null;
}

export interface VerdictResult {
  verdict: Verdict;
  /** One sentence: why this verdict. */
  reason: string;
  error: VerifierError | null;
  /** The `processed N insns` line, if the region has one. */
  summaryLine: number | null;
  /** What truncation means for this region, when the log was truncated. */
  truncation: string | null;
}

const MAX_ERROR_LINES = 16;
/** How far back to look for the failing instruction and its source line. */
const MAX_LOOKBACK = 1 << 16;

const TRACE_KIND_SET = new Set<number>(TRACE_KINDS);
/** How many of a loading tool's lines after the summary are passed over to find it. */
const MAX_TRAILER_LINES = 40;
const TOOL_TRAILER_KINDS = new Set<number>([
  LineKind.blank,
  LineKind.wrapper,
  LineKind.message,
  LineKind.unknown,
]);

/**
 * The verdict of lines [start, end) of `lines`. Marks the complaint's lines
 * as LineKind.error in `lines.kinds`. `truncation` is the file's (apply it
 * only to a region that reaches the buffer's end or start).
 */
export function findVerdict(
  lines: VerifierLines,
  start: number,
  end: number,
  truncation: TruncationVerdict | null = null,
): VerdictResult {
  const { kinds, pcs } = lines;
  let i = end - 1;
  while (i >= start && (kinds[i] === LineKind.blank || kinds[i] === LineKind.wrapper)) i--;
  // The verifier prints nothing after its summary: prose after one is the loading tool's (bcc's Python
  // traceback, tc's `Error fetching program/map!`). Lines of the verifier's trace end the search.
  for (let k = i; k >= start && i - k < MAX_TRAILER_LINES; k--) {
    if (kinds[k] === LineKind.summary) {
      i = k;
      break;
    }
    if (!TOOL_TRAILER_KINDS.has(kinds[k])) break;
  }
  let summaryLine: number | null = null;
  while (
    i >= start &&
    (kinds[i] === LineKind.stats || kinds[i] === LineKind.summary || kinds[i] === LineKind.blank)
  ) {
    if (kinds[i] === LineKind.summary && summaryLine === null) summaryLine = i;
    i--;
  }
  const errorEnd = i + 1;
  while (i >= start && errorEnd - i <= MAX_ERROR_LINES && isComplaint(lines, i)) i--;
  const errorStart = i + 1;
  // What precedes the complaint must be the verifier's (a page of prose is not a rejection).
  let before = i;
  while (before >= start && kinds[before] === LineKind.blank) before--;
  const backedByLog = summaryLine !== null || (before >= start && TRACE_KIND_SET.has(kinds[before]));

  let truncationNote: string | null = null;
  if (truncation?.truncated) {
    if (truncation.mode !== 'rotating' && summaryLine === null) {
      // Fixed mode keeps the start; a TLV buffer drops what does not fit; a rewound log keeps an unknown part.
      const why =
        truncation.mode === 'fixed'
          ? 'The log was truncated in fixed mode: the kernel kept its start, so its end, where the error and the verdict are printed, was lost.'
          : `The log is incomplete (${truncation.message}) and has no summary: the error may be among what was lost.`;
      return { verdict: 'unknown', reason: why, error: null, summaryLine, truncation: why };
    }
    truncationNote =
      truncation.mode === 'rotating'
        ? 'Rotating mode: the start of the log (prologue and early states) was lost; the end, with the verdict, was kept.'
        : truncation.rewound
          ? 'The log overflowed and was rewound: only what the kernel wrote last is here.'
          : truncation.message;
  }

  if (errorStart < errorEnd && backedByLog) {
    const message: string[] = [];
    for (let k = errorStart; k < errorEnd; k++) {
      message.push(lines.text(k));
      kinds[k] = LineKind.error;
    }
    let insnLine: number | null = null;
    for (let k = errorStart - 1; k >= start && k >= errorStart - MAX_LOOKBACK; k--) {
      if (kinds[k] === LineKind.insn) {
        insnLine = k;
        break;
      }
    }
    let sourceLine: number | null = null;
    if (insnLine !== null) {
      for (let k = insnLine - 1; k >= start && k >= insnLine - MAX_LOOKBACK; k--) {
        if (kinds[k] === LineKind.source) {
          sourceLine = k;
          break;
        }
      }
    }
    return {
      verdict: 'rejected',
      reason: 'The verifier printed an error before its summary.',
      error: {
        message: message.join('\n'),
        line: errorStart,
        lineCount: errorEnd - errorStart,
        pc: insnLine === null || pcs[insnLine] === NO_PC ? null : pcs[insnLine],
        insnLine,
        sourceLine,
      },
      summaryLine,
      truncation: truncationNote,
    };
  }
  const counts = summaryLine === null ? null : parseSummary(lines.text(summaryLine));
  if (counts && counts.processed > counts.limit) {
    // Past the limit the verifier stops with `BPF program is too large`: the load failed whatever the log kept.
    const why = `The summary counts ${counts.processed} instructions processed, past the limit of ${counts.limit}: the verifier rejects such a program as too large (E2BIG). Its error line is not in the log.`;
    return { verdict: 'rejected', reason: why, error: null, summaryLine, truncation: truncationNote };
  }
  if (summaryLine !== null) {
    return {
      verdict: 'accepted',
      // A truncated log still fails the load: the kernel returns ENOSPC when the log did not fit.
      reason:
        truncationNote === null
          ? 'The log ends with the verifier’s summary and no error before it.'
          : 'The verifier accepted the program (its summary and no error end the log), but the log did not fit its buffer, so the load itself failed with ENOSPC: load again with a larger log_size.',
      error: null,
      summaryLine,
      truncation: truncationNote,
    };
  }
  return {
    verdict: 'unknown',
    reason:
      end <= start
        ? 'The log is empty.'
        : 'The log has no `processed N insns` summary and no error the verifier printed: it may be cut short, or not a verifier log.',
    error: null,
    summaryLine,
    truncation: truncationNote,
  };
}

/** The verifier's complaint: prose, the report block, or a BTF line saying what is invalid. */
function isComplaint(lines: VerifierLines, i: number): boolean {
  const kind = lines.kinds[i];
  if (kind === LineKind.message || kind === LineKind.report || kind === LineKind.error) return true;
  return kind === LineKind.btf && /invalid|unsupported|too long|not found/i.test(lines.text(i));
}
