/**
 * Today's text logs (tlv-log-format.md section 2): the text up to the first
 * NUL, a line index, the bytes after the terminator summarised, and the
 * truncation verdict the kernel's ENOSPC would have given.
 */
import { isAllZero, isLogTextByte } from './bytes.ts';
import { diagnostic, formatOffset } from './diagnostics.ts';
import type { Diagnostic, TrailingSpace, TruncationMode, TruncationVerdict } from './types.ts';

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
}

const NEWLINE = 0x0a;

/**
 * One pass over the bytes finding every newline and the first NUL.
 * Reads four bytes at a time and only looks closer at words holding a byte
 * below 0x0b (NUL, tab, newline and rare control bytes): on a verifier log
 * that is one word in fifteen.
 */
function scanLines(bytes: Uint8Array): { lineStarts: Uint32Array; lineCount: number; terminator: number } {
  const size = bytes.length;
  let starts = new Uint32Array(Math.min(Math.ceil(size / 40) + 16, 1 << 22));
  let count = 0;
  starts[count++] = 0;
  let terminator = -1;

  const pushStart = (at: number) => {
    if (count === starts.length) {
      const grown = new Uint32Array(count * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[count++] = at;
  };

  let i = 0;
  // Unaligned head, byte by byte, so the word view can start on a 4-byte boundary.
  while (i < size && ((bytes.byteOffset + i) & 3) !== 0) {
    const c = bytes[i];
    if (c === 0) return finish(i);
    if (c === NEWLINE) pushStart(i + 1);
    i++;
  }
  const wordCount = (size - i) >>> 2;
  const words =
    wordCount > 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset + i, wordCount) : new Uint32Array(0);
  const base = i;
  for (let w = 0; w < wordCount; w++) {
    const v = words[w];
    // Classic "has a byte less than n" test (n = 0x0b); false positives are re-checked below,
    // byte by byte and unrolled: this branch runs once a line.
    if (((v - 0x0b0b0b0b) & ~v & 0x80808080) !== 0) {
      if (count + 4 > starts.length) {
        const grown = new Uint32Array(starts.length * 2);
        grown.set(starts);
        starts = grown;
      }
      const at = base + (w << 2);
      let c = bytes[at];
      if (c === NEWLINE) starts[count++] = at + 1;
      else if (c === 0) return finish(at);
      c = bytes[at + 1];
      if (c === NEWLINE) starts[count++] = at + 2;
      else if (c === 0) return finish(at + 1);
      c = bytes[at + 2];
      if (c === NEWLINE) starts[count++] = at + 3;
      else if (c === 0) return finish(at + 2);
      c = bytes[at + 3];
      if (c === NEWLINE) starts[count++] = at + 4;
      else if (c === 0) return finish(at + 3);
    }
  }
  for (i = base + (wordCount << 2); i < size; i++) {
    const c = bytes[i];
    if (c === 0) return finish(i);
    if (c === NEWLINE) pushStart(i + 1);
  }
  return finish(-1);

  function finish(nul: number) {
    terminator = nul;
    const textLength = nul < 0 ? size : nul;
    // A newline as the text's last byte does not open a new line; neither does an empty text.
    if (count > 0 && starts[count - 1] === textLength) count--;
    return { lineStarts: starts.subarray(0, count), lineCount: count, terminator };
  }
}

/** The verifier's closing line: `processed N insns (limit N) ...`. */
export const SUMMARY_LINE = /^processed \d+ insns /;
/** The same line whole, to its last field (as kernels since 5.x print it). */
const WHOLE_SUMMARY_LINE =
  /^processed \d+ insns \(limit \d+\) max_states_per_insn \d+ total_states \d+ peak_states \d+ mark_read \d+$/;
/** libbpf closes the kernel's log with this line in its report of a failed load; its own lines follow. */
export const LIBBPF_LOG_END_LINE = '-- END PROG LOAD LOG --';

const LOG_START_PATTERNS: readonly RegExp[] = [
  /^func#\d+ @\d+\n/, // level 2 and any program with subprograms
  /^0: R1=/, // level 1: the entry state of insn 0
  /^magic: 0x[0-9a-f]+\n/, // BTF loads
  /^Live regs before insn:/,
  /^verification time \d+ usec\n/, // BPF_LOG_STATS
  /^arg#\d+ /, // argument checks done before insn 0
  SUMMARY_LINE,
  // libbpf's report of a failed load wraps the kernel's log in lines of its own.
  /^libbpf: /,
];

/** True when the text begins the way a verifier or BTF log begins (rather than mid-line). */
export function startsLikeLogStart(head: string): boolean {
  return LOG_START_PATTERNS.some((re) => re.test(head));
}

/**
 * Decides whether a text log was truncated, by the rule that holds on every
 * captured kernel buffer (tlv-log-format.md section 2):
 *  - no NUL at all, or the first NUL is the buffer's last byte: the text filled the buffer;
 *  - the bytes after the first NUL, ignoring NULs, are log text running on to
 *    the last two bytes: the log overflowed and was then rewound.
 */
/**
 * Bytes of earlier output a rewind left after the NUL: log text (and the NULs
 * of earlier terminators) starting right after it, up to a long run of zeros.
 * 0 when what follows is not text (a memset pattern) or nothing.
 */
function staleTextAfter(bytes: Uint8Array, terminator: number): number {
  const ZERO_RUN = 64;
  let lastText = -1;
  for (let i = terminator + 1, zeros = 0; i < bytes.length && zeros < ZERO_RUN; i++) {
    const c = bytes[i];
    if (c === 0) zeros++;
    else if (!isLogTextByte(c)) return 0;
    else {
      zeros = 0;
      lastText = i;
    }
  }
  return lastText < 0 ? 0 : lastText - terminator;
}

/**
 * True for text with no NUL whose last line is the verifier's closing
 * summary, whole: ended by a newline, or (pasted text often loses its last
 * newline) complete to its last field. A kernel buffer cut short cannot end
 * that way in fixed mode, which keeps the start; with a text that starts as
 * a log starts (so not rotated), it is a whole log saved to a file or
 * pasted, the commonest text log a user holds (libbpf's report of a failed
 * load included).
 */
function endsWithSummary(bytes: Uint8Array, textLength: number): boolean {
  // In libbpf's output the kernel's log ends at libbpf's closing marker.
  const tailFrom = Math.max(0, textLength - 4096);
  const marker = new TextDecoder('latin1')
    .decode(bytes.subarray(tailFrom, textLength))
    .lastIndexOf(`\n${LIBBPF_LOG_END_LINE}\n`);
  const logEnd = marker < 0 ? textLength : tailFrom + marker + 1;
  if (logEnd < 2) return false;
  const newline = bytes[logEnd - 1] === NEWLINE;
  const end = newline ? logEnd - 1 : logEnd;
  const lineStart = bytes.lastIndexOf(NEWLINE, end - 1) + 1;
  if (end - lineStart > 256) return false;
  const line = new TextDecoder().decode(bytes.subarray(lineStart, end));
  return newline ? SUMMARY_LINE.test(line) : WHOLE_SUMMARY_LINE.test(line);
}

function textVerdict(
  bytes: Uint8Array,
  terminator: number | null,
  head: string,
): { truncation: TruncationVerdict; rewoundBytes: number } {
  const size = bytes.length;
  const notTruncated: TruncationVerdict = {
    truncated: false,
    dropped: null,
    saturated: false,
    mode: null,
    rewound: false,
    message: 'Complete: the log ends before the buffer does.',
  };
  if (terminator !== null && terminator < size - 1) {
    // Only log text reaching the buffer's last two bytes makes this an overflow. Check those two
    // first, so a 60 MB zero tail is not read at all.
    if (bytes[size - 1] === 0 && bytes[size - 2] === 0) {
      return { truncation: notTruncated, rewoundBytes: staleTextAfter(bytes, terminator) };
    }
    let lastText = -1;
    for (let i = terminator + 1; i < size; i++) {
      const c = bytes[i];
      if (c === 0) continue;
      // Not text (0xaa from a memset, say): user space's bytes, which say nothing.
      if (!isLogTextByte(c)) return { truncation: notTruncated, rewoundBytes: 0 };
      lastText = i;
    }
    const rewoundBytes = lastText - terminator;
    if (lastText < size - 2) return { truncation: notTruncated, rewoundBytes };
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
      rewoundBytes,
    };
  }
  const startsAsLogStarts = startsLikeLogStart(head);
  if (terminator === null && startsAsLogStarts && endsWithSummary(bytes, size)) {
    return {
      truncation: {
        ...notTruncated,
        message:
          'Complete: the log starts as a log starts and ends with the verifier’s summary. It has no terminating NUL, so it is a saved copy of a log rather than the raw buffer.',
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

/**
 * The bytes after the NUL, with `allZero` worked out on first use: the verdict
 * does not need it, and the tail can be half the buffer.
 */
function lazyTrailing(bytes: Uint8Array, from: number): TrailingSpace {
  let allZero: boolean | undefined;
  return {
    offset: from,
    length: bytes.length - from,
    get allZero() {
      allZero ??= isAllZero(bytes, from, bytes.length);
      return allZero;
    },
  };
}

/** Indexes a text log. Never throws. */
export function indexText(bytes: Uint8Array): TextIndex {
  const size = bytes.length;
  const scan = scanLines(bytes);
  const terminator = scan.terminator < 0 ? null : scan.terminator;
  const textLength = terminator ?? size;
  const endsWithNewline = textLength > 0 && bytes[textLength - 1] === NEWLINE;
  const head = new TextDecoder().decode(bytes.subarray(0, Math.min(textLength, 64)));
  const diagnostics: Diagnostic[] = [];
  let trailing: TrailingSpace | null = null;
  if (terminator !== null && terminator + 1 < size) {
    const from = terminator + 1;
    trailing = lazyTrailing(bytes, from);
  }
  const { truncation, rewoundBytes } = textVerdict(bytes, terminator, head);
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
  const control = firstControlByte(bytes, textLength);
  if (control >= 0) {
    diagnostics.push(
      diagnostic(
        'binary-text',
        'warning',
        control,
        `Byte 0x${bytes[control].toString(16).padStart(2, '0')} at ${formatOffset(control)} is not text: this may not be a BPF log, or the format was mis-detected.`,
      ),
    );
  }
  return {
    format: 'text',
    size,
    textLength,
    terminator,
    lineStarts: scan.lineStarts,
    lineCount: scan.lineCount,
    endsWithNewline,
    trailing,
    truncation,
    diagnostics,
  };
}

/** Samples the head and tail of the text for control bytes; a whole scan would double the index time. */
function firstControlByte(bytes: Uint8Array, textLength: number): number {
  const sample = 4096;
  const ranges: [number, number][] =
    textLength <= 2 * sample
      ? [[0, textLength]]
      : [
          [0, sample],
          [textLength - sample, textLength],
        ];
  for (const [from, to] of ranges) {
    for (let i = from; i < to; i++) {
      const c = bytes[i];
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
      if (c === 0x7f) return i;
    }
  }
  return -1;
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
