/**
 * The line grammar: every line of a verifier log classified into a LineKind
 * and, where it has one, a pc, in one pass over the bytes. Each line is
 * judged from its leading bytes (the printers in kernel/bpf/log.c,
 * disasm.c and verifier.c all start their lines distinctively); only prose
 * and states are read to their end (printable text, balanced parentheses).
 * No line is decoded to a string here.
 */
import { STEP_MASK, type Steps } from '../steps.ts';
import { LineKind, NO_PC } from './kinds.ts';

/** Lines over a byte buffer: line i is [starts[i], starts[i+1] - 1), the last ends at `end`. */
export interface ByteLines {
  bytes: Uint8Array;
  starts: Uint32Array;
  count: number;
  /** End of the last line (its newline excluded). */
  end: number;
}

export interface ClassifiedLines {
  kinds: Uint8Array;
  pcs: Int32Array;
}

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const COLON = 0x3a;
const OPEN = 0x28;
const CLOSE = 0x29;
const ZERO = 0x30;
const NINE = 0x39;

/** Byte range of line i, its newline and a CR before it excluded. */
export function byteLineEnd(lines: ByteLines, i: number): number {
  let end = i + 1 < lines.count ? lines.starts[i + 1] - 1 : lines.end;
  if (end > lines.starts[i] && lines.bytes[end - 1] === CR) end--;
  return end;
}

const encoder = new TextEncoder();
const ascii = (s: string) => encoder.encode(s);

/** Prefixes of whole-line kinds, tried after the numbered and `from` forms. */
const PREFIXES: [Uint8Array, number][] = (
  [
    ['processed ', LineKind.summary],
    ['mark_precise: ', LineKind.precision],
    ['last_idx ', LineKind.precision],
    ['regs=', LineKind.precision],
    ['parent didn', LineKind.precision],
    ['parent already had ', LineKind.precision], // kernels before 6.2
    ['frame ', LineKind.precision], // `frame 0: propagating r2`
    ['func#', LineKind.func],
    ['Func#', LineKind.func],
    ['Validating ', LineKind.func],
    ['caller:', LineKind.func],
    ['callee:', LineKind.func],
    ['returning from callee:', LineKind.func],
    ['to caller at ', LineKind.func],
    ['Live regs before insn:', LineKind.liveRegs],
    ['verification time ', LineKind.stats],
    ['stack depth ', LineKind.stats],
    ['Verification failed: ', LineKind.report],
    ['magic: ', LineKind.btf],
    ['version: ', LineKind.btf],
    ['flags: ', LineKind.btf],
    ['hdr_len: ', LineKind.btf],
    ['type_off: ', LineKind.btf],
    ['type_len: ', LineKind.btf],
    ['str_off: ', LineKind.btf],
    ['str_len: ', LineKind.btf],
    ['btf_total_size: ', LineKind.btf],
    ['libbpf: ', LineKind.wrapper],
    ['-- BEGIN PROG LOAD LOG --', LineKind.wrapper],
    ['-- END PROG LOAD LOG --', LineKind.wrapper],
  ] as [string, number][]
).map(([p, k]) => [ascii(p), k]);

/** Prefix tables by first byte, so a line is compared with at most a few. */
const BY_FIRST_BYTE: [Uint8Array, number][][] = Array.from({ length: 256 }, () => []);
for (const entry of PREFIXES) BY_FIRST_BYTE[entry[0][0]].push(entry);

function startsWith(bytes: Uint8Array, at: number, end: number, prefix: Uint8Array): boolean {
  if (end - at < prefix.length) return false;
  for (let k = 1; k < prefix.length; k++) if (bytes[at + k] !== prefix[k]) return false;
  return bytes[at] === prefix[0];
}

const isDigit = (c: number) => c >= ZERO && c <= NINE;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66);

/** Printable ASCII or tab from `from` to `end`, parentheses balanced. */
function isCleanText(bytes: Uint8Array, from: number, end: number): boolean {
  let depth = 0;
  for (let k = from; k < end; k++) {
    const c = bytes[k];
    if (c === OPEN) depth++;
    else if (c === CLOSE) {
      if (--depth < 0) return false;
    } else if ((c < SPACE && c !== TAB) || c > 0x7e) return false;
  }
  return depth === 0;
}

/** Printable ASCII or tab only. */
function isPrintable(bytes: Uint8Array, from: number, end: number): boolean {
  for (let k = from; k < end; k++) {
    const c = bytes[k];
    if ((c < SPACE && c !== TAB) || c > 0x7e) return false;
  }
  return true;
}

/** The pc of the line classifyLineBytes last classified (NO_PC when it has none): no allocation per line. */
let linePc = NO_PC;
const pack = (kind: number, pc: number) => {
  linePc = pc;
  return kind;
};

/** Classifies bytes[start, end) (see LineKind); its pc, if any, is then `lastLinePc()`. */
export function lastLinePc(): number {
  return linePc;
}

export function classifyLineBytes(bytes: Uint8Array, start: number, end: number): number {
  linePc = NO_PC;
  return classifyLine(bytes, start, end);
}

function classifyLine(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
  if (i === end) return LineKind.blank;
  const indent = i - start;
  const c = bytes[i];

  if (isDigit(c)) {
    // `N: …`: instruction, state, prune, or (indented, a bitmask before the opcode) a live-regs row.
    let pc = 0;
    let j = i;
    while (j < end && isDigit(bytes[j]) && j - i < 9) pc = pc * 10 + (bytes[j++] - ZERO);
    if (indent > 0 && bytes[j] === SPACE) {
      // `  1   5: .1234..... (07) r2 += 1`: newer kernels list a loop's SCC number before the pc.
      while (j < end && bytes[j] === SPACE) j++;
      while (j < end && isDigit(bytes[j])) j++;
      if (j + 2 < end && bytes[j] === COLON && bytes[j + 1] === SPACE) {
        let m = j + 2;
        while (m < end && (bytes[m] === 0x2e || isDigit(bytes[m]))) m++;
        if (m > j + 2 && m + 1 < end && bytes[m] === SPACE && bytes[m + 1] === OPEN) return LineKind.liveRegs;
      }
      return prose(bytes, i, end);
    }
    if (j + 2 < end && bytes[j] === COLON && bytes[j + 1] === SPACE) {
      const k = j + 2;
      const d = bytes[k];
      if (
        d === OPEN &&
        k + 4 < end &&
        isHex(bytes[k + 1]) &&
        isHex(bytes[k + 2]) &&
        bytes[k + 3] === CLOSE &&
        bytes[k + 4] === SPACE
      ) {
        // A half line (a rotated buffer's first, a fixed one's last) usually leaves a parenthesis open.
        return isCleanText(bytes, k, end) ? pack(LineKind.insn, pc) : LineKind.unknown;
      }
      if ((d === 0x52 /* R */ && isDigit(bytes[k + 1])) || startsWithAscii(bytes, k, end, 'frame', 'fp')) {
        return isCleanText(bytes, k, end) ? pack(LineKind.state, pc) : LineKind.unknown;
      }
      if (startsWithAscii(bytes, k, end, 'safe')) return pack(LineKind.prune, pc);
      if (indent > 0 && (d === 0x2e || isDigit(d))) {
        // `      0: .1........ (b7) r2 = 0`: liveness flags for r0-r9, then the instruction.
        let m = k;
        while (m < end && (bytes[m] === 0x2e || isDigit(bytes[m]))) m++;
        if (m + 1 < end && bytes[m] === SPACE && bytes[m + 1] === OPEN) return LineKind.liveRegs;
      }
    }
    return prose(bytes, i, end);
  }

  if (indent > 0) {
    // ` R6=… R10=fp0` / ` frame1: R1=…`: a state printed after `caller:`, `callee:`, `to caller at N:`.
    if ((c === 0x52 && isDigit(bytes[i + 1])) || startsWithAscii(bytes, i, end, 'frame', 'fp')) {
      return isCleanText(bytes, i, end) ? LineKind.state : LineKind.unknown;
    }
  }

  if (c === 0x3b /* ; */ && indent === 0) {
    // The C source may hold any UTF-8, but never control bytes.
    for (let k = i + 1; k < end; k++) {
      const b = bytes[k];
      if ((b < SPACE && b !== TAB) || b === 0x7f) return LineKind.unknown;
    }
    return LineKind.source;
  }

  if (c === 0x66 /* f */ && startsWithAscii(bytes, i, end, 'from ')) {
    // `from 7 to 9: safe`, `from 7 to 9: R1=…`, `from 7 to 9 (speculative execution): …`.
    let j = i + 5;
    while (j < end && isDigit(bytes[j])) j++;
    if (startsWithAscii(bytes, j, end, ' to ')) {
      j += 4;
      let pc = 0;
      const digits = j;
      while (j < end && isDigit(bytes[j]) && j - digits < 9) pc = pc * 10 + (bytes[j++] - ZERO);
      if (j > digits) {
        while (j < end && bytes[j] !== COLON) j++;
        if (j + 1 < end && bytes[j + 1] === SPACE) {
          if (startsWithAscii(bytes, j + 2, end, 'safe')) return pack(LineKind.prune, pc);
          return isCleanText(bytes, j + 2, end) ? pack(LineKind.state, pc) : LineKind.unknown;
        }
        if (j + 1 === end) return pack(LineKind.state, pc);
      }
    }
  }

  if (c === OPEN && indent === 0 && isDigit(bytes[i + 1])) {
    // Stack liveness (kernel/bpf/liveness.c, 6.18+), after the callchain of call sites:
    // `(0) frame 0 insn 4 +live -16`, `(0,12) frame 1 insn 3 +written -8`, `(0) live stack update done in 2 iterations`.
    let j = i + 1;
    while (j < end && (isDigit(bytes[j]) || bytes[j] === 0x2c)) j++;
    if (bytes[j] === CLOSE && bytes[j + 1] === SPACE) {
      if (startsWithAscii(bytes, j + 2, end, 'frame ', 'live stack update done')) return LineKind.liveRegs;
    }
  }

  if (c === 0x5b /* [ */ && isDigit(bytes[i + 1])) {
    // BTF: `[1] INT a size=4 …`, `[2] Invalid kind:31`.
    let j = i + 1;
    while (j < end && isDigit(bytes[j])) j++;
    if (bytes[j] === 0x5d && bytes[j + 1] === SPACE) return LineKind.btf;
  }

  if (indent === 0) {
    for (const [prefix, kind] of BY_FIRST_BYTE[c]) if (startsWith(bytes, i, end, prefix)) return kind;
  }
  return prose(bytes, i, end);
}

/** Verifier prose (`R2 !read_ok`, `invalid access to packet, …`) is printable ASCII; anything else is unknown. */
function prose(bytes: Uint8Array, from: number, end: number): number {
  return isPrintable(bytes, from, end) ? LineKind.message : LineKind.unknown;
}

const ASCII_CACHE = new Map<string, Uint8Array>();
function startsWithAscii(bytes: Uint8Array, at: number, end: number, a: string, b?: string): boolean {
  let p = ASCII_CACHE.get(a);
  if (!p) {
    p = ascii(a);
    ASCII_CACHE.set(a, p);
  }
  if (startsWith(bytes, at, end, p)) return true;
  return b === undefined ? false : startsWithAscii(bytes, at, end, b);
}

/** Classifies every line: the kinds and pcs columns. */
export function* classifyLinesSteps(lines: ByteLines): Steps<ClassifiedLines> {
  const { bytes, starts, count } = lines;
  const kinds = new Uint8Array(count);
  const pcs = new Int32Array(count).fill(NO_PC);
  for (let i = 0; i < count; i++) {
    if ((i & STEP_MASK) === STEP_MASK) yield;
    const start = starts[i];
    let end = i + 1 < count ? starts[i + 1] - 1 : lines.end;
    if (end > start && bytes[end - 1] === CR) end--;
    linePc = NO_PC;
    kinds[i] = classifyLine(bytes, start, end);
    if (linePc !== NO_PC) pcs[i] = linePc;
  }
  return { kinds, pcs };
}
