/**
 * Today's text logs (tlv-log-format.md section 2): the text up to the first
 * NUL, a line index, the bytes after the terminator summarised, and the
 * truncation verdict the kernel's ENOSPC would have given.
 */

import { firstNonZero, isLogTextByte, TailWindow } from './bytes.ts';
import { diagnostic, formatOffset } from './diagnostics.ts';
import { AYA_MARKER, ansiLength, bareLineText, CILIUM_HEADER, commonIndentSteps, ESC } from './linePrefix.ts';
import { runSteps } from './steps.ts';
import type { Diagnostic, TrailingSpace, TruncationMode, TruncationVerdict } from './types.ts';
import { classifyLineBytes } from './verifier/grammar.ts';
import { LineKind } from './verifier/kinds.ts';

export interface TextIndex {
  format: 'text';
  size: number;
  /** Bytes of log text: up to the first NUL, or the whole buffer if there is none. */
  textLength: number;
  /** Offset of the first NUL, or null if the buffer has none. */
  terminator: number | null;
  /** Start offset of each line. A final newline does not open an empty line. */
  lineStarts: Uint32Array;
  lineCount: number;
  endsWithNewline: boolean;
  trailing: TrailingSpace | null;
  truncation: TruncationVerdict;
  diagnostics: Diagnostic[];
  /**
   * Only after TextIndexBuilder.dropLines (a summary's scan): lineStarts
   * begins at this line. Never set on an index a DecodedLog holds.
   */
  firstLine?: number;
}

const NEWLINE = 0x0a;

/** The verifier's closing line: `processed N insns (limit N) ...`. */
export const SUMMARY_LINE = /^processed \d+ insns[ ,]/; // 4.14: `processed 2 insns, stack depth 0`
/** The same line whole, to its last field (as kernels since 5.x print it). */
const WHOLE_SUMMARY_LINE =
  /^processed \d+ insns \(limit \d+\) max_states_per_insn \d+ total_states \d+ peak_states \d+ mark_read \d+$/;
/** libbpf closes the kernel's log with this line in its report of a failed load; its own lines follow. */
export const LIBBPF_LOG_END_LINE = '-- END PROG LOAD LOG --';

/**
 * A line only a log's first lines hold: `func#0 @0` (level 2), `0: R1=…` (the entry state of insn 0:
 * level 2, and level 1 since 6.0), or insn 0 with no `; R1=…` state after it (level 1 before 6.0;
 * newer kernels print the entry state first, so there it is a rotated log's start). A bare log after
 * another's summary starts here too (verifier/regions.ts).
 */
export const LOG_FIRST_LINE = /^(?:func#0 @0$|0: R1=|0: \([0-9a-f]{2}\) [^;]*$)/;

/** Other starts only a log has: insn 0's source line before it (before 6.0), a BTF load, libbpf's report. */
const OTHER_FIRST_LINES: readonly RegExp[] = [
  /^; [^\n]*\n0: \([0-9a-f]{2}\) [^;\n]*(?:\n|$)/,
  /^magic: 0x[0-9a-f]+\n/,
  /^libbpf: /,
];

/** Whether `text` starts the way only a log's start does: after a loading tool's own lines, the log begins there. */
function opensLog(text: string): boolean {
  const newline = text.indexOf('\n');
  return (
    LOG_FIRST_LINE.test(newline < 0 ? text : text.slice(0, newline)) ||
    OTHER_FIRST_LINES.some((re) => re.test(text))
  );
}

/** Starts a log may also have, at the very start of the text. */
const LOG_START_PATTERNS: readonly RegExp[] = [
  /^func#\d+ @\d+\n/, // level 2 and any program with subprograms
  /^Live regs before insn:/,
  /^verification time \d+ usec\n/, // BPF_LOG_STATS
  /^arg#\d+ /, // argument checks done before insn 0
  /^Validating \S+ func#\d+\.\.\.\n/, // level 1: a global subprogram is verified first
  /^Func#\d+ \('[^']*'\) is /, // and its verdict (`is global and assumed valid.`, `is safe for any args…`)
  SUMMARY_LINE,
];

const lineEncoder = new TextEncoder();
/** Kinds the verifier's grammar gives a loading tool's lines (and the verifier's complaint). */
const NOT_TRACE = new Set<number>([LineKind.unknown, LineKind.blank, LineKind.message, LineKind.wrapper]);

/**
 * A line the verifier prints as it goes (an instruction, a state, a source line, precision
 * tracking, stats, the summary), by the verifier's own grammar: a line a loading tool's header or
 * trailer never is.
 */
function isVerifierLine(line: string): boolean {
  const bytes = lineEncoder.encode(line);
  return !NOT_TRACE.has(classifyLineBytes(bytes, 0, bytes.length));
}

const LIBBPF_BEGIN_LINE =
  /^(?:[^\n]*[\s\]])?libbpf: (?:prog '[^'\n]*': )?-- BEGIN (?:PROG LOAD LOG|DUMP LOG) --[^\n]*\n/m;
/** An error found before the walk, then stats or the summary (see ERROR_ONLY_LOG). */
const ERROR_ONLY_START = /^([A-Za-z][\x20-\x7e]*)\n(?:verification time|stack depth|processed \d+ insns)/;
const AYA_LINE_START = new RegExp(`^[^\\n]*${AYA_MARKER.replace(/\./g, '\\.')}`, 'gm');
/** How many of a loading tool's own lines may come before the log, or after its summary. */
const MAX_TOOL_LINES = 12;

/**
 * True when the text begins the way a verifier or BTF log begins (rather
 * than mid-line), or a loading tool's lines come first (bcc's `bpf: Failed to
 * load program: …`, tc's `Verifier analysis:` block) and then a line only a
 * log's start holds. A rotated log's first line is the end of a longer one,
 * and the verifier's lines follow it at once.
 */
export function startsLikeLogStart(text: string): boolean {
  // Aya's message ends where the log's first line starts.
  const head = text.includes(AYA_MARKER) ? text.replace(AYA_LINE_START, '') : text;
  // In libbpf's report the log starts after its BEGIN marker: a rotated buffer's report starts mid-line there.
  const begin = LIBBPF_BEGIN_LINE.exec(head);
  if (begin) {
    const log = head.slice(begin.index + begin[0].length);
    if (!log.includes('\n')) return true; // its first line is past the head: trust libbpf's lines
    const errorOnly = ERROR_ONLY_START.exec(log);
    return (
      opensLog(log) ||
      LOG_START_PATTERNS.some((re) => re.test(log)) ||
      (errorOnly !== null && !LINE_END_FRAGMENT.test(errorOnly[1]))
    );
  }
  // After cilium/ebpf's header, the log starts on the next line, after a tab.
  const start = startsAsCiliumBlock(head) ? head.slice(head.indexOf('\n') + 2) : head;
  if (opensLog(start) || LOG_START_PATTERNS.some((re) => re.test(start))) return true;
  let at = 0;
  for (let skipped = 0; skipped < MAX_TOOL_LINES; skipped++) {
    const newline = head.indexOf('\n', at);
    if (newline < 0) return false;
    const line = head.slice(at, newline);
    if (isVerifierLine(line) || LINE_END_FRAGMENT.test(line)) return false;
    at = newline + 1;
    if (opensLog(head.slice(at))) return true;
  }
  return false;
}

/** cilium/ebpf's VerifierError printed with %+v (Go): its header, then the log after tabs. */
function startsAsCiliumBlock(head: string): boolean {
  const newline = head.indexOf('\n');
  return newline > 0 && head[newline + 1] === '\t' && CILIUM_HEADER.test(head.slice(0, newline).trimEnd());
}

/** What the verdict needs from the whole buffer, gathered as the bytes go by. */
interface TextFacts {
  size: number;
  /** Offset of the first NUL, or null. */
  terminator: number | null;
  /** The buffer's last two bytes (-1 where the buffer is shorter). */
  lastByte: number;
  secondLastByte: number;
  /** After the NUL: any non-zero byte; any byte that is neither zero nor log text. */
  nonZeroAfter: boolean;
  notTextAfter: boolean;
  /** Bytes of earlier output a rewind left after the NUL (see TextIndexBuilder.scanAfterNul). */
  staleText: number;
  /** The text's first HEAD_LINES lines (of its first HEAD_LINE_BYTES), bare (see linePrefix.ts), with their newlines. */
  head: string;
  /** The text's last bytes (up to TEXT_TAIL_BYTES) and the offset the first of them is at. */
  textTail: Uint8Array;
  textTailStart: number;
}

/**
 * True for text with no NUL whose last line is the verifier's closing
 * summary, whole: ended by a newline, or (pasted text often loses its last
 * newline) complete to its last field. A kernel buffer cut short cannot end
 * that way in fixed mode, which keeps the start; with a text that starts as
 * a log starts (so not rotated), it is a whole log saved to a file or
 * pasted, the commonest text log a user holds (libbpf's report of a failed
 * load included). Reads only the text's last TEXT_TAIL_BYTES: a line longer
 * than 256 bytes is never the summary.
 */
function endsWithSummary(tail: Uint8Array, tailStart: number, textLength: number, cilium: boolean): boolean {
  // In libbpf's output the kernel's log ends at libbpf's closing marker.
  const tailFrom = Math.max(0, textLength - 4096);
  const window = new TextDecoder('latin1').decode(tail.subarray(tailFrom - tailStart));
  // The marker's line may carry a CI timestamp or colour codes: the log ends where that line starts.
  const marker = window.lastIndexOf(LIBBPF_LOG_END_LINE);
  let logEnd = marker < 0 ? textLength : tailFrom + window.lastIndexOf('\n', marker) + 1;
  if (cilium) {
    // cilium/ebpf's block ends with its last line after a tab; the program's own output follows.
    const lastTabbed = window.lastIndexOf('\n\t');
    if (lastTabbed < 0) return false;
    const lineEnd = window.indexOf('\n', lastTabbed + 1);
    logEnd = lineEnd < 0 ? textLength : tailFrom + lineEnd + 1;
  }
  if (logEnd < 2) return false;
  const newline = tail[logEnd - 1 - tailStart] === NEWLINE;
  let end = newline ? logEnd - 1 : logEnd;
  // Without libbpf's or cilium/ebpf's frame, the loading tool's own lines may follow the summary (bcc's
  // Python traceback, tc's `Error fetching program/map!`): the verifier prints nothing after it.
  const trailerAllowed = marker < 0 && !cilium;
  for (let trailer = 0; trailer <= (trailerAllowed ? MAX_TOOL_LINES : 0); trailer++) {
    const found = tail.lastIndexOf(NEWLINE, end - 1 - tailStart);
    // No newline in the window: the line started before it, more than 4 KiB back.
    if (found < 0 && tailStart > 0) return false;
    const lineStart = tailStart + found + 1;
    const bare = bareLineText(tail, lineStart - tailStart, end - tailStart);
    // cilium/ebpf prints each line of the log after a tab.
    const line = cilium ? bare.replace(/^\t/, '') : bare;
    if (end - lineStart <= 256 && (newline || trailer > 0 ? SUMMARY_LINE : WHOLE_SUMMARY_LINE).test(line))
      return true;
    if (found < 0 || isVerifierLine(line)) return false;
    end = lineStart - 1;
  }
  return false;
}

/** The end of a summary a rotation cut into (`cessed 110 insns (limit 1000000) max_states…`). */
const SUMMARY_FRAGMENT = /insns \(limit \d+\)|max_states_per_insn \d|peak_states \d|mark_read \d/;

/** Whether any line of `tail` (bare, see linePrefix.ts) is one the verifier prints, or the end of one. */
function holdsVerifierLine(tail: Uint8Array): boolean {
  for (let start = 0; start < tail.length; ) {
    const newline = tail.indexOf(NEWLINE, start);
    const end = newline < 0 ? tail.length : newline;
    const line = bareLineText(tail, start, end).replace(/^\t/, '');
    if (isVerifierLine(line) || LINE_END_FRAGMENT.test(line) || SUMMARY_FRAGMENT.test(line)) return true;
    start = end + 1;
  }
  return false;
}

const latin1 = new TextDecoder('latin1');

/** The indentation `lines` share (linePrefix.ts's commonIndentSteps over their characters' low bytes). */
function indentOfLines(lines: readonly string[]): string {
  const joined = lines.join('\n');
  const bytes = new Uint8Array(joined.length);
  for (let i = 0; i < joined.length; i++) bytes[i] = joined.charCodeAt(i) & 0xff;
  const starts: number[] = [];
  let at = 0;
  for (const line of lines) {
    starts.push(at);
    at += line.length + 1;
  }
  return runSteps(
    commonIndentSteps(
      bytes,
      lines.length,
      (i) => starts[i],
      (i) => starts[i] + lines[i].length,
    ),
  );
}

/** The facts without the indentation every line of their head and tail shares (see commonIndentSteps). */
function withoutSharedIndent(facts: TextFacts): TextFacts {
  const headLines = facts.head.split('\n');
  const indent = indentOfLines(headLines);
  if (!indent) return facts;
  const tailLines = latin1.decode(facts.textTail).split('\n');
  // A tail that starts inside the text starts mid-line: its first line is kept as it is.
  const whole = facts.textTailStart > 0 ? tailLines.slice(1) : tailLines;
  if (whole.some((line) => line !== '') && indentOfLines(whole) !== indent) return facts;
  const dedent = (line: string) =>
    line.startsWith(indent) ? line.slice(indent.length) : indent.startsWith(line) ? '' : line;
  const tail = [...tailLines.slice(0, tailLines.length - whole.length), ...whole.map(dedent)].join('\n');
  const textTail = new Uint8Array(tail.length);
  for (let i = 0; i < tail.length; i++) textTail[i] = tail.charCodeAt(i);
  return {
    ...facts,
    head: headLines.map(dedent).join('\n'),
    textTail,
    size: facts.textTailStart + textTail.length,
  };
}

/**
 * An error found before the walk (check_cfg's `unreachable insn 2`, `BPF
 * program is too large…` at level 4) is the log's first line, followed only
 * by stats and the summary: the whole text is in the tail window. A rotated
 * buffer's first line is the end of a longer one: the ends of a stats line
 * (`ification time 130 usec`), of a state (`x) R10=fp0`) or of a bracketed
 * part are not taken for an error.
 */
const ERROR_ONLY_LOG =
  /^([A-Za-z][\x20-\x7e]*)\n(?:verification time \d+ usec\n|stack depth [\d+]+\n)*processed \d+ insns [^\n]*\n?$/;
const LINE_END_FRAGMENT = /\d+ usec$|^\S*\s?depth [\d+]+$|\bR\d+(?:_[rwD]+)?=|=fp-?\d|^[^\s(]*\)/;

function isErrorOnlyLog(facts: TextFacts): boolean {
  if (facts.textTailStart !== 0 || facts.textTail.length > 1024) return false;
  const m = ERROR_ONLY_LOG.exec(new TextDecoder('latin1').decode(facts.textTail).replace(/\r\n/g, '\n'));
  return m !== null && !LINE_END_FRAGMENT.test(m[1]);
}

/**
 * Decides whether a text log was truncated, by the rule that holds on every
 * captured kernel buffer (tlv-log-format.md section 2):
 *  - no NUL at all, or the first NUL is the buffer's last byte: the text filled the buffer;
 *  - the bytes after the first NUL, ignoring NULs, are log text running on to
 *    the last two bytes: the log overflowed and was then rewound.
 */
function textVerdict(saved: TextFacts): { truncation: TruncationVerdict; rewoundBytes: number } {
  // A saved text indented or quoted as a whole (pasted into Markdown, an email) is read without it.
  const facts = saved.terminator === null ? withoutSharedIndent(saved) : saved;
  const { size, terminator } = facts;
  const notTruncated: TruncationVerdict = {
    truncated: false,
    dropped: null,
    saturated: false,
    mode: null,
    rewound: false,
    message: 'Complete: the log ends before the buffer does.',
  };
  if (terminator !== null && terminator < size - 1) {
    // Only log text reaching the buffer's last two bytes makes this an overflow.
    if (facts.lastByte === 0 && facts.secondLastByte === 0) {
      return { truncation: notTruncated, rewoundBytes: facts.staleText };
    }
    // Not text (0xaa from a memset, say): user space's bytes, which say nothing.
    if (facts.notTextAfter) return { truncation: notTruncated, rewoundBytes: 0 };
    // One of the last two bytes is text: the last text byte is the last non-zero one.
    const lastText = facts.lastByte !== 0 ? size - 1 : size - 2;
    return {
      truncation: {
        truncated: true,
        dropped: null,
        saturated: false,
        mode: null,
        rewound: true,
        message:
          'Truncated: the log overflowed and was rewound; what is shown is only what the kernel wrote last, and which part it kept cannot be told.',
      },
      rewoundBytes: lastText - terminator,
    };
  }
  const startsAsLogStarts = startsLikeLogStart(facts.head) || isErrorOnlyLog(facts);
  if (
    terminator === null &&
    startsAsLogStarts &&
    endsWithSummary(facts.textTail, facts.textTailStart, size, startsAsCiliumBlock(facts.head))
  ) {
    return {
      truncation: {
        ...notTruncated,
        message:
          'Complete: the log starts as a log starts and ends with the verifier’s summary. It has no terminating NUL, so it is a saved copy of a log rather than the raw buffer.',
      },
      rewoundBytes: 0,
    };
  }
  if (terminator === null && !startsAsLogStarts && !holdsVerifierLine(facts.textTail)) {
    // A saved text with no verifier line at its end (a loader's error alone, say): no log to be cut.
    return {
      truncation: {
        ...notTruncated,
        message:
          'No verifier log: neither its start nor its end reads like one, so there is no truncation to tell.',
      },
      rewoundBytes: 0,
    };
  }
  // The text fills the buffer (with or without a final NUL). Rotating mode keeps the end, so its
  // text starts mid-line; fixed mode keeps the start, so its text starts the way a log starts.
  const mode: TruncationMode = startsAsLogStarts ? 'fixed' : 'rotating';
  return {
    truncation: {
      truncated: true,
      dropped: null,
      saturated: false,
      mode,
      rewound: false,
      message:
        mode === 'rotating'
          ? 'Truncated: the kernel kept the end of the log (rotating mode); its beginning is lost.'
          : 'Truncated: the kernel kept the beginning of the log (fixed mode); its end is lost.',
    },
    rewoundBytes: 0,
  };
}

/** The control-byte check samples this much of each end of the text; shorter texts are read whole. */
const CONTROL_SAMPLE = 4096;
/** Bytes of the buffer's start kept for the head checks. */
const HEAD_BYTES = 2 * CONTROL_SAMPLE;
/**
 * The first lines are read from this much of the start: room for CI timestamps, a Go program's error
 * chain, or a loading tool's header before the log (see startsLikeLogStart).
 */
const HEAD_LINE_BYTES = 2048;
const HEAD_LINES = MAX_TOOL_LINES + 2;
/** Bytes of the text's end kept for the summary and control-byte checks. */
export const TEXT_TAIL_BYTES = 2 * CONTROL_SAMPLE;
/** A run of this many zeros after the NUL ends the earlier output a rewind left behind. */
const STALE_ZERO_RUN = 64;

/** What is known while the bytes are still arriving. */
export interface TextProgress {
  bytesRead: number;
  /**
   * Lines whose end has arrived (a newline or the NUL): lineStarts[0, completeLines)
   * are final, and so is each one's range. The line still open is not counted.
   */
  completeLines: number;
  lineStarts: Uint32Array;
  /** Offset of the first NUL once it has arrived; the text ends there. */
  terminator: number | null;
}

/**
 * Indexes a text log fed in chunks of any size, in order: `push(chunk)` as the
 * bytes arrive, `finish()` once they are all in. The result is exactly
 * `indexText` of the concatenated bytes (which is this builder fed one chunk).
 *
 * The builder keeps no chunk: only the line index, the first 8 KiB of the
 * buffer and the last 8 KiB of text. While bytes arrive, `progress()` gives the
 * lines known so far. Provisional until finish(): the truncation verdict (it
 * needs the NUL, the buffer's last bytes and the text's tail), endsWithNewline,
 * the trailing space and the diagnostics.
 */
export class TextIndexBuilder {
  private size = 0;
  /** Line starts, filled to `lineCount`; the line scan keeps both in locals. */
  private starts: Uint32Array;
  private lineCount = 0;
  private terminator = -1;
  private readonly head = new Uint8Array(HEAD_BYTES);
  private headLength = 0;
  private readonly textTail = new TailWindow(TEXT_TAIL_BYTES);
  private lastByte = -1;
  private secondLastByte = -1;
  private nonZeroAfter = false;
  private notTextAfter = false;
  private staleDone = false;
  private staleZeros = 0;
  private staleLastText = -1;
  private staleNotText = false;
  private result: TextIndex | null = null;
  /** Lines dropped by dropLines(). */
  private firstLine = 0;

  /** With chunksKept: the after-NUL bytes not read yet (see readAfterNul). */
  private unread: Uint8Array[] = [];

  /**
   * `sizeHint`: the expected total, to size the line index once. `chunksKept`:
   * the caller keeps every pushed chunk, unchanged, as long as the index is
   * used (a buffer held whole). The bytes after the NUL past the stale text
   * (a zero tail can be half the buffer) are then read only if the verdict or
   * `trailing.allZero` asks, not as they arrive.
   */
  constructor(
    sizeHint = 1 << 20,
    private readonly chunksKept = false,
  ) {
    this.starts = new Uint32Array(Math.min(Math.ceil(sizeHint / 40) + 16, 1 << 22));
    this.lineCount = 1; // starts[0] = 0: the first line
  }

  push(chunk: Uint8Array): void {
    if (this.result) throw new Error('TextIndexBuilder: push after finish');
    const length = chunk.length;
    if (length === 0) return;
    const base = this.size;
    if (this.headLength < HEAD_BYTES) {
      const take = Math.min(HEAD_BYTES - this.headLength, length);
      this.head.set(chunk.subarray(0, take), this.headLength);
      this.headLength += take;
    }
    if (length >= 2) {
      this.secondLastByte = chunk[length - 2];
    } else {
      this.secondLastByte = this.lastByte;
    }
    this.lastByte = chunk[length - 1];
    this.size = base + length;
    if (this.terminator >= 0) {
      this.scanAfterNul(chunk, 0, base);
      return;
    }
    const nul = this.scanLines(chunk, base);
    if (nul < 0) {
      this.textTail.append(chunk);
      return;
    }
    this.terminator = base + nul;
    this.textTail.append(chunk.subarray(0, nul));
    this.scanAfterNul(chunk, nul + 1, base);
  }

  /**
   * Finds every newline up to the first NUL in one chunk; returns the NUL's
   * index in the chunk, or -1. Reads four bytes at a time and only looks
   * closer at words holding a byte below 0x0b (NUL, tab, newline and rare
   * control bytes): on a verifier log that is one word in fifteen.
   */
  private scanLines(bytes: Uint8Array, base: number): number {
    let starts = this.starts;
    let count = this.lineCount;
    const size = bytes.length;
    let i = 0;
    let nul = -1;
    // Unaligned head, byte by byte, so the word view can start on a 4-byte boundary.
    for (; i < size && ((bytes.byteOffset + i) & 3) !== 0; i++) {
      const c = bytes[i];
      if (c === 0) {
        nul = i;
        break;
      }
      if (c === NEWLINE) {
        if (count === starts.length) starts = this.grow(count, 1);
        starts[count++] = base + i + 1;
      }
    }
    if (nul >= 0) {
      this.lineCount = count;
      return nul;
    }
    const wordCount = (size - i) >>> 2;
    const words =
      wordCount > 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset + i, wordCount) : new Uint32Array(0);
    const wordBase = i;
    const at0 = base + wordBase;
    for (let w = 0; w < wordCount; w++) {
      const v = words[w];
      // Classic "has a byte less than n" test (n = 0x0b); false positives are re-checked below,
      // byte by byte and unrolled: this branch runs once a line.
      if (((v - 0x0b0b0b0b) & ~v & 0x80808080) !== 0) {
        if (count + 4 > starts.length) starts = this.grow(count, 4);
        const at = wordBase + (w << 2);
        const abs = at0 + (w << 2);
        let c = bytes[at];
        if (c === NEWLINE) starts[count++] = abs + 1;
        else if (c === 0) {
          nul = at;
          break;
        }
        c = bytes[at + 1];
        if (c === NEWLINE) starts[count++] = abs + 2;
        else if (c === 0) {
          nul = at + 1;
          break;
        }
        c = bytes[at + 2];
        if (c === NEWLINE) starts[count++] = abs + 3;
        else if (c === 0) {
          nul = at + 2;
          break;
        }
        c = bytes[at + 3];
        if (c === NEWLINE) starts[count++] = abs + 4;
        else if (c === 0) {
          nul = at + 3;
          break;
        }
      }
    }
    if (nul < 0) {
      for (i = wordBase + (wordCount << 2); i < size; i++) {
        const c = bytes[i];
        if (c === 0) {
          nul = i;
          break;
        }
        if (c === NEWLINE) {
          if (count === starts.length) starts = this.grow(count, 1);
          starts[count++] = base + i + 1;
        }
      }
    }
    this.lineCount = count;
    return nul;
  }

  /** The line index with room for `extra` more starts past the first `count`, grown by doubling. */
  private grow(count: number, extra: number): Uint32Array {
    let capacity = Math.max(16, this.starts.length * 2);
    while (capacity < count + extra) capacity *= 2;
    const grown = new Uint32Array(capacity);
    grown.set(this.starts.subarray(0, count));
    this.starts = grown;
    return grown;
  }

  /**
   * The bytes after the NUL. First the earlier output a rewind left: log text
   * (and the NULs of earlier terminators) right after the NUL, up to a run of
   * STALE_ZERO_RUN zeros; none when what follows is not text (a memset
   * pattern). Then only whether any byte is non-zero, and whether any is
   * not text: the tail can be half the buffer, so zero words are skipped
   * eight at a time and the scan stops once both are known.
   */
  private scanAfterNul(bytes: Uint8Array, from: number, base: number): void {
    let i = from;
    const size = bytes.length;
    for (; !this.staleDone && i < size; i++) {
      const c = bytes[i];
      if (c === 0) {
        if (++this.staleZeros >= STALE_ZERO_RUN) this.staleDone = true;
        continue;
      }
      this.nonZeroAfter = true;
      if (!isLogTextByte(c)) {
        this.notTextAfter = true;
        this.staleNotText = true;
        this.staleDone = true;
      } else {
        this.staleZeros = 0;
        this.staleLastText = base + i;
      }
    }
    if (this.notTextAfter || i >= size) return;
    if (this.chunksKept) this.unread.push(bytes.subarray(i));
    else this.scanTail(bytes, i);
  }

  /** Whether any of bytes[from, end) is non-zero, and whether any is not text; stops once both are known. */
  private scanTail(bytes: Uint8Array, from: number): void {
    const size = bytes.length;
    let i = from;
    for (;;) {
      const nonZero = firstNonZero(bytes, i, size);
      if (nonZero < 0) return;
      this.nonZeroAfter = true;
      // Check a run of non-zero bytes at once; back to the word scan at the next zero.
      for (i = nonZero; i < size; i++) {
        const c = bytes[i];
        if (c === 0) break;
        if (!isLogTextByte(c)) {
          this.notTextAfter = true;
          return;
        }
      }
      if (i >= size) return;
    }
  }

  /** Reads the after-NUL bytes left unread (chunksKept): nonZeroAfter and notTextAfter are then final. */
  private readAfterNul(): void {
    const unread = this.unread;
    this.unread = [];
    for (const bytes of unread) {
      if (this.notTextAfter) return;
      this.scanTail(bytes, 0);
    }
  }

  /**
   * For a consumer that needs the line count, not the index (a summary of a
   * 1 GiB log): forgets all line starts but the last. The index finish()
   * returns then has `firstLine` set and lineStarts from that line on.
   */
  dropLines(): void {
    const total = this.lineCount;
    if (total <= 1) return;
    this.starts[0] = this.starts[total - 1];
    this.lineCount = 1;
    this.firstLine += total - 1;
  }

  /** Bytes read and lines complete so far. See TextProgress. */
  progress(): TextProgress {
    const count = this.lineCount;
    const closed = this.terminator >= 0;
    return {
      bytesRead: this.size,
      // The last start opens a line still arriving, unless the NUL has come; a start at the NUL opens none.
      completeLines:
        this.firstLine + (closed && this.starts[count - 1] !== this.terminator ? count : count - 1),
      lineStarts: this.starts.subarray(0, count),
      terminator: closed ? this.terminator : null,
    };
  }

  /** The bytes after the NUL; with bytes unread, `allZero` reads them on first use. */
  private trailingSpace(offset: number, length: number): TrailingSpace {
    if (this.nonZeroAfter || this.unread.length === 0) return { offset, length, allZero: !this.nonZeroAfter };
    const builder = this;
    return {
      offset,
      length,
      get allZero() {
        builder.readAfterNul();
        return !builder.nonZeroAfter;
      },
    };
  }

  /** The index of everything pushed. Call once, after the last chunk. Never throws. */
  finish(): TextIndex {
    if (this.result) return this.result;
    const size = this.size;
    const terminator = this.terminator < 0 ? null : this.terminator;
    const textLength = terminator ?? size;
    // A newline as the text's last byte does not open a new line; neither does an empty text.
    if (this.lineCount > 0 && this.starts[this.lineCount - 1] === textLength) this.lineCount--;
    const tail = this.textTail.bytes();
    const tailStart = textLength - tail.length;
    const endsWithNewline = textLength > 0 && tail[tail.length - 1] === NEWLINE;
    const headBytes = this.head.subarray(0, Math.min(textLength, HEAD_LINE_BYTES));
    let head = '';
    for (let at = 0, line = 0; at < headBytes.length && line < HEAD_LINES; line++) {
      const newline = headBytes.indexOf(NEWLINE, at);
      const end = newline < 0 ? headBytes.length : newline;
      head += bareLineText(headBytes, at, end) + (newline < 0 ? '' : '\n');
      at = end + 1;
    }
    const staleText =
      this.staleNotText || this.staleLastText < 0 || terminator === null
        ? 0
        : this.staleLastText - terminator;
    // The verdict reads notTextAfter only when the buffer's last two bytes are not both zero.
    if (this.lastByte !== 0 || this.secondLastByte !== 0) this.readAfterNul();
    const { truncation, rewoundBytes } = textVerdict({
      size,
      terminator,
      lastByte: this.lastByte,
      secondLastByte: this.secondLastByte,
      nonZeroAfter: this.nonZeroAfter,
      notTextAfter: this.notTextAfter,
      staleText,
      head,
      textTail: tail,
      textTailStart: tailStart,
    });
    const diagnostics: Diagnostic[] = [];
    const trailing: TrailingSpace | null =
      terminator !== null && terminator + 1 < size
        ? this.trailingSpace(terminator + 1, size - terminator - 1)
        : null;
    if (terminator === null) {
      diagnostics.push(
        diagnostic(
          'no-terminator',
          'info',
          size,
          truncation.truncated
            ? 'The text has no terminating NUL: it runs to the end of the buffer (kernels before 6.4 leave none when the log is full).'
            : 'The text has no terminating NUL: a saved copy of a log (a kernel buffer holds one after the log).',
        ),
      );
    }
    if (rewoundBytes > 0 && !truncation.truncated) {
      diagnostics.push(
        diagnostic(
          'log-rewound',
          'info',
          textLength + 1,
          `${rewoundBytes} byte(s) of earlier output remain after the terminating NUL: the kernel discarded them and kept only what precedes the NUL.`,
        ),
      );
    }
    const control = firstControlByte(this.head, tail, tailStart, textLength);
    if (control) {
      diagnostics.push(
        diagnostic(
          'binary-text',
          'warning',
          control.offset,
          `Byte 0x${control.value.toString(16).padStart(2, '0')} at ${formatOffset(control.offset)} is not text: this may not be a BPF log, or the format was mis-detected.`,
        ),
      );
    }
    this.result = {
      format: 'text',
      size,
      textLength,
      terminator,
      lineStarts: this.starts.subarray(0, this.lineCount),
      lineCount: this.firstLine + this.lineCount,
      endsWithNewline,
      trailing,
      truncation,
      diagnostics,
    };
    if (this.firstLine > 0) this.result.firstLine = this.firstLine;
    return this.result;
  }
}

/** Indexes a text log held whole: the builder fed one chunk. Never throws. */
export function indexText(bytes: Uint8Array): TextIndex {
  const builder = new TextIndexBuilder(bytes.length, true);
  builder.push(bytes);
  return builder.finish();
}

/** Samples the head and tail of the text for control bytes; a whole scan would double the index time. */
function firstControlByte(
  head: Uint8Array,
  tail: Uint8Array,
  tailStart: number,
  textLength: number,
): { offset: number; value: number } | null {
  const ranges: [Uint8Array, number, number, number][] =
    textLength <= 2 * CONTROL_SAMPLE
      ? [[head, 0, 0, textLength]]
      : [
          [head, 0, 0, CONTROL_SAMPLE],
          [tail, tailStart, textLength - CONTROL_SAMPLE, textLength],
        ];
  for (const [bytes, start, from, to] of ranges) {
    for (let i = from; i < to; i++) {
      const c = bytes[i - start];
      // An ANSI colour code: a CI log saved with its colours is still text.
      if (c === ESC && ansiLength(bytes, i - start, to - start) > 0) continue;
      if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return { offset: i, value: c };
    }
  }
  return null;
}

/** Byte range [start, end) of line i, newline excluded. */
export function lineRange(index: TextIndex, i: number): [number, number] {
  const start = index.lineStarts[i];
  const end =
    i + 1 < index.lineCount
      ? index.lineStarts[i + 1] - 1
      : index.textLength - (index.endsWithNewline ? 1 : 0);
  return [start, end];
}
