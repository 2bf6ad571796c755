/**
 * What a saved log puts in front of (and inside) the verifier's lines: a CI
 * runner's timestamp (`2024-05-01T12:00:00.1234567Z `, `[  12.345678] `), a
 * syslog line's (`Apr  1 10:41:53 host sysmon[10491]: `),
 * ANSI colour codes, and a Go program's cilium/ebpf header and tabs. The
 * verifier model strips them from every line (verifier/regions.ts); the
 * truncation verdict reads its first and last lines through them (text.ts).
 * No imports: both sit above it.
 */
export interface Stripped {
  /** Lines that lost a CI timestamp (`2024-05-01T12:00:00.1234567Z `) or a `[  12.345678] ` prefix. */
  timestampLines: number;
  /** ANSI escape sequences removed (`ESC [ … m` and other CSI sequences). */
  ansiSequences: number;
  /** The indentation every line of the file shared (a paste into Markdown, an email quote), removed; '' for none. */
  indent: string;
}

const isIndentByte = (c: number) => c === 0x20 || c === 0x09 || c === 0x3e; /* space, tab, > */

/**
 * The indentation every non-empty line of [0, count) shares, when the whole
 * file was indented or quoted (`    0: R1=…`, `> 0: R1=…`): spaces, tabs and
 * `>`, as long as the first non-empty line's and found on every other one. A
 * quoted empty line may be the quote marker alone (`>`). '' when none: a
 * verifier log's own lines start unindented (instructions, summary).
 */
export function* commonIndentSteps(
  bytes: Uint8Array,
  count: number,
  lineStart: (i: number) => number,
  lineEnd: (i: number) => number,
): Generator<void, string, void> {
  let first = 0;
  while (first < count && lineEnd(first) === lineStart(first)) first++;
  if (first === count) return '';
  const s = lineStart(first);
  let k = s;
  while (k < lineEnd(first) && isIndentByte(bytes[k])) k++;
  // No indent, or a line of indent alone: nothing to go by.
  if (k === s || k === lineEnd(first)) return '';
  const indent = bytes.subarray(s, k);
  // A quoted empty line may lack the space after its `>`: shorter than `bare`, a line differs.
  const bare = indent.length - (indent[indent.length - 1] === 0x20 && indent.includes(0x3e) ? 1 : 0);
  for (let i = first + 1; i < count; i++) {
    // A whole file indented: every line is compared, so the worker gets its turns (steps.ts's STEP_MASK).
    if ((i & 0xffff) === 0xffff) yield;
    const start = lineStart(i);
    const length = lineEnd(i) - start;
    if (length === 0) continue;
    const n = Math.min(length, indent.length);
    for (let j = 0; j < n; j++) if (bytes[start + j] !== indent[j]) return '';
    if (length < indent.length && length < bare) return '';
  }
  return String.fromCharCode(...indent);
}

/**
 * cilium/ebpf's VerifierError printed with `%+v` (Go): its cause, the errno's
 * text, and a colon (`2026/12/05 01:10:25 Verifier error: permission denied:`,
 * after whatever the program logs in front), then each line of the kernel's
 * log after a tab, then `(N line(s) omitted)` or `(truncated)` when
 * cilium/ebpf cut or suspects a cut. The program's name is in the error's
 * summary, the line after (`…: program xdp_prog: load program: permission
 * denied: …`).
 */
export const CILIUM_HEADER =
  /(?:^|[\s:])(?:permission denied|invalid argument|argument list too long|no space left on device|bad address|operation not permitted|operation not supported|cannot allocate memory|no such file or directory|device or resource busy|interrupted system call):$/;

/**
 * Aya (Rust) prints a failed load as `the BPF_PROG_LOAD syscall failed.
 * Verifier output: ` and the kernel's log, its first line on the same line
 * (after `Error: ` or the program's own words).
 */
export const AYA_MARKER = 'BPF_PROG_LOAD syscall failed. Verifier output: ';

export const ESC = 0x1b;
export const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
const isHostByte = (c: number) =>
  isDigit(c) ||
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x61 && c <= 0x7a) ||
  c === 0x2e ||
  c === 0x2d ||
  c === 0x5f;

/**
 * Length of a syslog line's `host tag[pid]: ` at `at` (after its timestamp), or 0: a host name, a
 * space, the tag (no space, colon or bracket in it), the pid in brackets (`pidRequired`, else
 * optional, as in `kernel: `), a colon and a space.
 */
function syslogSource(bytes: Uint8Array, at: number, end: number, pidRequired: boolean): number {
  let k = at;
  while (k < end && isHostByte(bytes[k])) k++;
  if (k === at || bytes[k] !== 0x20) return 0;
  const tag = ++k;
  while (k < end && bytes[k] > 0x20 && bytes[k] !== 0x3a && bytes[k] !== 0x5b && bytes[k] !== 0x5d) k++;
  if (k === tag) return 0;
  if (bytes[k] === 0x5b) {
    const pid = ++k;
    while (k < end && isDigit(bytes[k])) k++;
    if (k === pid || bytes[k] !== 0x5d) return 0;
    k++;
  } else if (pidRequired) return 0;
  if (bytes[k] !== 0x3a || bytes[k + 1] !== 0x20) return 0;
  return k + 2 - at;
}

/** Length of a syslog timestamp and source (`Apr  1 10:41:53 host sysmon[10491]: `, journalctl's default), or 0. */
function syslogPrefix(bytes: Uint8Array, at: number, end: number): number {
  if (end - at < 20 || bytes[at + 3] !== 0x20) return 0;
  const month = String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2]);
  if (!MONTHS.includes(month)) return 0;
  // `Apr  1 10:41:53` or `Apr 01 10:41:53`.
  const shape = '00 00:00:00';
  for (let k = 0; k < shape.length; k++) {
    const b = bytes[at + 4 + k];
    const ok = shape[k] === '0' ? isDigit(b) || (k === 0 && b === 0x20) : b === shape.charCodeAt(k);
    if (!ok) return 0;
  }
  let k = at + 4 + shape.length;
  if (bytes[k] === 0x2e) {
    k++;
    while (k < end && isDigit(bytes[k])) k++;
  }
  if (bytes[k] !== 0x20) return 0;
  const source = syslogSource(bytes, k + 1, end, false);
  return source === 0 ? 0 : k + 1 + source - at;
}

/**
 * Length of a timestamp prefix at `at` (with the space after it), or 0: a CI
 * runner's, the kernel's seconds since boot, or a syslog line's (journalctl,
 * /var/log/syslog) with its host and tag.
 */
export function timestampPrefix(bytes: Uint8Array, at: number, end: number): number {
  const c = bytes[at];
  if (c >= 0x41 && c <= 0x5a) return syslogPrefix(bytes, at, end);
  if (c === 0x5b /* [ */) {
    // `[  12.345678] `: the kernel's (and many CI runners') seconds since boot.
    let k = at + 1;
    while (k < end && bytes[k] === 0x20) k++;
    const digits = k;
    while (k < end && isDigit(bytes[k])) k++;
    if (k === digits || bytes[k] !== 0x2e) return 0;
    k++;
    const fraction = k;
    while (k < end && isDigit(bytes[k])) k++;
    if (k === fraction || bytes[k] !== 0x5d) return 0;
    k++;
    if (bytes[k] === 0x20) k++;
    return k - at;
  }
  if (isDigit(c) && end - at >= 20 && bytes[at + 4] === 0x2d && bytes[at + 10] === 0x54) {
    // `2024-05-01T12:00:00.1234567Z `: GitHub Actions and other CI logs.
    const shape = '0000-00-00T00:00:00';
    for (let k = 0; k < shape.length; k++) {
      const b = bytes[at + k];
      if (shape[k] === '0' ? !isDigit(b) : b !== shape.charCodeAt(k)) return 0;
    }
    let k = at + shape.length;
    if (bytes[k] === 0x2e) {
      k++;
      while (k < end && isDigit(bytes[k])) k++;
    }
    if (bytes[k] === 0x5a /* Z */) k++;
    else if (bytes[k] === 0x2b || bytes[k] === 0x2d) {
      k++;
      while (k < end && (isDigit(bytes[k]) || bytes[k] === 0x3a)) k++;
    } else return 0;
    if (bytes[k] === 0x20) k++;
    // journalctl -o short-iso: `2024-04-01T10:41:53+0000 host sysmon[10491]: ` (the pid keeps a CI line's text whole).
    return k + syslogSource(bytes, k, end, true) - at;
  }
  return 0;
}

/** Length of an ANSI CSI sequence (`ESC [ params final`) at `at`, or 0. */
export function ansiLength(bytes: Uint8Array, at: number, end: number): number {
  if (bytes[at] !== ESC || bytes[at + 1] !== 0x5b) return 0;
  let k = at + 2;
  while (k < end && bytes[k] >= 0x30 && bytes[k] <= 0x3f) k++; // parameters
  while (k < end && bytes[k] >= 0x20 && bytes[k] <= 0x2f) k++; // intermediates
  if (k < end && bytes[k] >= 0x40 && bytes[k] <= 0x7e) return k + 1 - at;
  return 0;
}

/**
 * Copies line [start, end) into `out` at `at` as the verifier wrote it: the
 * colour codes and one CI timestamp in front of it, and the colour codes
 * inside it, left out and counted in `stripped`. Returns where the copy ends.
 */
export function copyBareLine(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  at: number,
  stripped: Stripped,
  timestamps = true,
): number {
  let k = start;
  // ANSI may come before the timestamp (colour reset) or after it.
  for (let guard = 0; guard < 4; guard++) {
    const ansi = ansiLength(bytes, k, end);
    if (ansi > 0) {
      k += ansi;
      stripped.ansiSequences++;
      continue;
    }
    const stamp = timestamps ? timestampPrefix(bytes, k, end) : 0;
    if (stamp > 0 && guard < 2) {
      k += stamp;
      stripped.timestampLines++;
      continue;
    }
    break;
  }
  let to = at;
  for (; k < end; k++) {
    if (bytes[k] === ESC) {
      const ansi = ansiLength(bytes, k, end);
      if (ansi > 0) {
        k += ansi - 1;
        stripped.ansiSequences++;
        continue;
      }
    }
    out[to++] = bytes[k];
  }
  return to;
}

/** Line [start, end) as the verifier wrote it (see copyBareLine), a CR before its newline dropped, decoded. */
export function bareLineText(bytes: Uint8Array, start: number, end: number): string {
  const out = new Uint8Array(Math.max(0, end - start));
  let to = copyBareLine(bytes, start, end, out, 0, { timestampLines: 0, ansiSequences: 0, indent: '' });
  if (to > 0 && out[to - 1] === 0x0d) to--;
  return new TextDecoder().decode(out.subarray(0, to));
}
