/**
 * Where the verifier's own log sits inside what the user saved: libbpf's
 * report of a failed load (one BEGIN/END block per program), veristat's
 * `PROCESSING file/prog, DURATION US: N, VERDICT: …, VERIFIER LOG:` blocks,
 * bpftrace's `Kernel error log:`, cilium/ebpf's VerifierError printed with
 * `%+v` (`… Verifier error: permission denied:` then each line after a tab),
 * bcc's `bpf: Failed to load program: …` before Python's traceback, Aya's
 * `… Verifier output: ` with the log's first line after it, or the whole file
 * (several, when bare logs follow one another). CI timestamps, ANSI colour codes and cilium/ebpf's tabs in
 * front of (or inside) lines are stripped into a cleaned copy of the text,
 * made only when the log has them; line numbers stay the file's.
 */
import {
  AYA_MARKER,
  bareLineText,
  CILIUM_HEADER,
  commonIndentSteps,
  copyBareLine,
  ESC,
  isDigit,
  type Stripped,
  timestampPrefix,
} from '../linePrefix.ts';
import { STEP_MASK, type Steps } from '../steps.ts';
import { LOG_FIRST_LINE, SUMMARY_LINE } from '../text.ts';
import type { ByteLines } from './grammar.ts';

export type { Stripped } from '../linePrefix.ts';

import { byteLineEnd } from './grammar.ts';
import { byteLineText } from './lines.ts';

export type RegionWrapper = 'none' | 'libbpf' | 'veristat' | 'bpftrace' | 'cilium' | 'aya' | 'bcc';

export interface LogRegion {
  /** The program's name as the wrapper gives it (`prog` for libbpf, `file/prog` for veristat), `log N` for one of several bare logs, null for a lone bare log. */
  name: string | null;
  wrapper: RegionWrapper;
  /** Lines [startLine, endLine) of the file hold the verifier's log. */
  startLine: number;
  endLine: number;
  /** veristat's own verdict from its header, for reference. */
  wrapperVerdict: 'success' | 'failure' | null;
}

const CILIUM_TRAILER = /^\t\((?:truncated|\d+ line\(s\) omitted)\)$/;
const CILIUM_SUMMARY_LINE = /^\tprocessed \d+ insns /;
const CILIUM_PROGRAM = /\bprogram ([^\s:]+): load program: /;

/** A cilium/ebpf block: its header line, then lines [start, end) after a tab, [logStart, logEnd) of them its log. */
export interface CiliumBlock {
  header: number;
  name: string | null;
  start: number;
  /** After `(N line(s) omitted)`, which `%-Nv` prints first. */
  logStart: number;
  /** The block's log ends here: the trailer lines after it are cilium/ebpf's. */
  logEnd: number;
  end: number;
}

const AYA_MARKER_BYTES = new TextEncoder().encode(AYA_MARKER);
/** Where Aya's log starts on a line: the line holding its marker, and the offset after it. */
export interface AyaStart {
  line: number;
  logStart: number;
}

/**
 * Aya's marker in line [start, end), or -1. Called only for lines that start as a program's error
 * message does (`Error: …`, `[… ERROR app] …`, an uppercase word): a verifier line never does.
 */
function ayaLogStart(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < AYA_MARKER_BYTES.length) return -1;
  const line = bytes.subarray(start, end);
  for (let at = line.indexOf(AYA_MARKER_BYTES[0]); at >= 0; at = line.indexOf(AYA_MARKER_BYTES[0], at + 1)) {
    if (at + AYA_MARKER_BYTES.length > line.length) return -1;
    let k = 1;
    while (k < AYA_MARKER_BYTES.length && line[at + k] === AYA_MARKER_BYTES[k]) k++;
    if (k === AYA_MARKER_BYTES.length) return start + at + k;
  }
  return -1;
}

/**
 * The lines with timestamps, ANSI codes, cilium/ebpf's tabs and an
 * indentation every line shares removed, same count and order, Aya's message
 * in front of the log's first line cut off, and the cilium/ebpf blocks and
 * Aya starts found. Returns the input itself when there is nothing to strip
 * (the common case: a few bytes read per line, one indexOf for ESC).
 */
export function* stripWrapperPrefixesSteps(
  lines: ByteLines,
): Steps<{ lines: ByteLines; stripped: Stripped; cilium: CiliumBlock[]; aya: AyaStart[] }> {
  const { bytes, starts, count } = lines;
  const hasEsc = bytes.subarray(0, lines.end).indexOf(ESC) >= 0;
  let hasTimestamps = false;
  for (let i = 0; i < count && !hasTimestamps; i++) {
    if ((i & STEP_MASK) === STEP_MASK) yield;
    const s = starts[i];
    const c = bytes[s];
    if (
      (c === 0x5b || isDigit(c) || (c >= 0x41 && c <= 0x5a)) &&
      timestampPrefix(bytes, s, byteLineEnd(lines, i)) > 0
    )
      hasTimestamps = true;
  }
  // The first byte after a line's timestamp, if any.
  const firstByte = (i: number) => {
    const s = starts[i];
    return bytes[hasTimestamps ? s + timestampPrefix(bytes, s, byteLineEnd(lines, i)) : s];
  };
  const aya: AyaStart[] = [];
  for (let i = 0; i < count; i++) {
    if ((i & STEP_MASK) === STEP_MASK) yield;
    const s = starts[i];
    const from = hasTimestamps ? s + timestampPrefix(bytes, s, byteLineEnd(lines, i)) : s;
    const c = bytes[from];
    // Only a line that starts as a program's error message does is searched: one byte read for the rest.
    if (!((c >= 0x41 && c <= 0x5a) || c === 0x5b)) continue;
    const logStart = ayaLogStart(bytes, from, byteLineEnd(lines, i));
    if (logStart >= 0) aya.push({ line: i, logStart });
  }
  const cilium: CiliumBlock[] = [];
  for (let i = 0; i + 1 < count; i++) {
    if ((i & STEP_MASK) === STEP_MASK) yield;
    // A header ends with ':', starts with no tab, and the next line starts with one: only then is it
    // decoded. Its block runs to the next line without a tab, so blocks never overlap: one pass.
    const end = byteLineEnd(lines, i);
    if (end === starts[i] || bytes[end - (bytes[end - 1] === 0x0d ? 2 : 1)] !== 0x3a) continue;
    if (firstByte(i + 1) !== 0x09 || firstByte(i) === 0x09) continue;
    const lineText = (k: number) => bareLineText(bytes, starts[k], byteLineEnd(lines, k)).trimEnd();
    let j = i + 1;
    while (j < count && firstByte(j) === 0x09) j++;
    let logEnd = j;
    while (logEnd > i + 1 && CILIUM_TRAILER.test(lineText(logEnd - 1))) logEnd--;
    // The errno's text closes the header, or the block is a log: it ends with the summary or cilium/ebpf's trailer.
    if (!CILIUM_HEADER.test(lineText(i)) && logEnd === j && !CILIUM_SUMMARY_LINE.test(lineText(j - 1))) {
      i = j - 1;
      continue;
    }
    const named = CILIUM_PROGRAM.exec(lineText(i)) ?? (j < count ? CILIUM_PROGRAM.exec(lineText(j)) : null);
    // `%-Nv` prints the last N lines, after `(M line(s) omitted)`.
    const logStart = i + 2 < logEnd && CILIUM_TRAILER.test(lineText(i + 1)) ? i + 2 : i + 1;
    cilium.push({ header: i, name: named?.[1] ?? null, start: i + 1, logStart, logEnd, end: j });
    i = j - 1;
  }
  const stripped: Stripped = { timestampLines: 0, ansiSequences: 0, indent: '' };
  // A whole file indented or quoted (pasted into Markdown or an email): the verifier's lines are under it.
  if (!hasTimestamps && cilium.length === 0 && aya.length === 0) {
    stripped.indent = yield* commonIndentSteps(
      bytes,
      count,
      (i) => starts[i],
      (i) => byteLineEnd(lines, i),
    );
  }
  const indent = stripped.indent.length;
  if (!hasEsc && !hasTimestamps && cilium.length === 0 && aya.length === 0 && indent === 0)
    return { lines, stripped, cilium, aya };

  const out = new Uint8Array(lines.end + 1);
  const outStarts = new Uint32Array(count);
  let at = 0;
  let block = 0;
  let nextAya = 0;
  for (let i = 0; i < count; i++) {
    if ((i & STEP_MASK) === STEP_MASK) yield;
    outStarts[i] = at;
    const ayaLine = aya[nextAya]?.line === i;
    const lineEnd = byteLineEnd(lines, i);
    const from = ayaLine ? aya[nextAya++].logStart : Math.min(lineEnd, starts[i] + indent);
    at = copyBareLine(bytes, from, lineEnd, out, at, stripped, hasTimestamps && !ayaLine);
    while (block < cilium.length && cilium[block].end <= i) block++;
    if (block < cilium.length && i >= cilium[block].start && out[outStarts[i]] === 0x09) {
      // The tab cilium/ebpf puts in front of each line of the log.
      out.copyWithin(outStarts[i], outStarts[i] + 1, at);
      at--;
    }
    out[at++] = 0x0a;
  }
  return {
    lines: { bytes: out.subarray(0, at), starts: outStarts, count, end: Math.max(0, at - 1) },
    stripped,
    cilium,
    aya,
  };
}

/** libbpf's BEGIN line, also after a logger's prefix (libbpf-rs through env_logger: `[… WARN  libbpf_rs] libbpf: …`). */
const LIBBPF_BEGIN = /(?:^|[\s\]])libbpf: (?:prog '([^']*)': )?-- BEGIN (?:PROG LOAD LOG|DUMP LOG) --\s*$/;
const LIBBPF_END = /^(?:libbpf: )?-- END (?:PROG LOAD )?LOG --/;
const VERISTAT_HEADER = /^PROCESSING (.+), DURATION US: \d+, VERDICT: (success|failure), VERIFIER LOG:$/;
const VERISTAT_TABLE = /^(?:File\s+Program\s|Done\. Processed \d+ files)/;
/** bpftrace's header before the kernel's log: `Kernel error log:`, or 0.17's `Error log:` (with `-v`). */
const BPFTRACE_HEADER = /^(?:Kernel e|E)rror log:\s*$/;
/** bpftrace 0.17 names the program after the log: `ERROR: Error loading program: BEGIN`. */
const BPFTRACE_PROGRAM = /^ERROR: Error loading program: (\S+)/;
/** bcc (Python): the log after its `bpf: Failed to load program: <errno text>`, then Python's traceback. */
const BCC_HEADER = /^bpf: Failed to load program: /;
const PYTHON_TRACEBACK = /^Traceback \(most recent call last\):$/;
/** The traceback's last line names the program: `Exception: Failed to load BPF program b'xdp_null': …`. */
const BCC_EXCEPTION = /^Exception: Failed to load BPF program b?'([^']+)'/;

/** Lines worth decoding to look for a wrapper header: they start with one of these bytes. */
const HEADER_FIRST_BYTES = new Set(['l', 'P', 'K', '-', 'F', 'D', 'E', 'b', 'T'].map((c) => c.charCodeAt(0)));

/**
 * The program regions of a (cleaned) log. One region for a bare log. Decodes
 * only lines that start the way a wrapper header starts.
 */
export function* findRegionsSteps(
  lines: ByteLines,
  cilium: readonly CiliumBlock[] = [],
  aya: readonly AyaStart[] = [],
): Steps<LogRegion[]> {
  const regions: LogRegion[] = [];
  let nextBlock = 0;
  let nextAya = 0;
  // A file of bare logs one after another (a log saved or pasted twice, a loader that prints each
  // program's log): a log's first line after a summary means the next log starts after that summary.
  const bareStarts = [0];
  let lastSummary = -1;
  // A region whose name comes after it (bcc's traceback, bpftrace's error), and the line that has it.
  let unnamed: { region: LogRegion; pattern: RegExp } | null = null;
  let open: LogRegion | null = null;
  const close = (endLine: number) => {
    if (open) {
      open.endLine = endLine;
      regions.push(open);
      open = null;
    }
  };
  for (let i = 0; i < lines.count; i++) {
    if ((i & STEP_MASK) === STEP_MASK) yield;
    const block = cilium[nextBlock];
    if (block?.header === i) {
      close(i);
      regions.push({
        name: block.name,
        wrapper: 'cilium',
        startLine: block.logStart,
        endLine: block.logEnd,
        wrapperVerdict: null,
      });
      nextBlock++;
      i = block.end - 1;
      continue;
    }
    if (aya[nextAya]?.line === i) {
      close(i);
      open = { name: null, wrapper: 'aya', startLine: i, endLine: lines.count, wrapperVerdict: null };
      nextAya++;
      continue;
    }
    const first = lines.bytes[lines.starts[i]];
    const second = lines.bytes[lines.starts[i] + 1];
    if (first === 0x70 /* p */ && second === 0x72 /* r */ && SUMMARY_LINE.test(byteLineText(lines, i)))
      lastSummary = i;
    else if (
      lastSummary >= bareStarts[bareStarts.length - 1] &&
      (first === 0x66 /* f */ || first === 0x30) &&
      LOG_FIRST_LINE.test(byteLineText(lines, i))
    )
      bareStarts.push(lastSummary + 1);
    // A header starts with one of these bytes, or (libbpf's BEGIN line after a logger's prefix) ends with `-`.
    const last = lines.bytes[byteLineEnd(lines, i) - 1];
    if (!HEADER_FIRST_BYTES.has(first) && last !== 0x2d) continue;
    const text = byteLineText(lines, i);
    let m = LIBBPF_BEGIN.exec(text);
    if (m) {
      close(i);
      open = {
        name: m[1] ?? null,
        wrapper: 'libbpf',
        startLine: i + 1,
        endLine: lines.count,
        wrapperVerdict: null,
      };
      continue;
    }
    if (open?.wrapper === 'libbpf' && LIBBPF_END.test(text)) {
      close(i);
      continue;
    }
    m = VERISTAT_HEADER.exec(text);
    if (m) {
      close(i);
      open = {
        name: m[1],
        wrapper: 'veristat',
        startLine: i + 1,
        endLine: lines.count,
        wrapperVerdict: m[2] as 'success' | 'failure',
      };
      continue;
    }
    if (open?.wrapper === 'veristat' && VERISTAT_TABLE.test(text)) {
      close(i);
      continue;
    }
    if (BCC_HEADER.test(text)) {
      close(i);
      open = { name: null, wrapper: 'bcc', startLine: i + 1, endLine: lines.count, wrapperVerdict: null };
      unnamed = { region: open, pattern: BCC_EXCEPTION };
      continue;
    }
    if (open?.wrapper === 'bcc' && PYTHON_TRACEBACK.test(text)) {
      close(i);
      continue;
    }
    const named = unnamed?.pattern.exec(text);
    if (unnamed && named) {
      if (open === unnamed.region) close(i);
      unnamed.region.name = named[1];
      unnamed = null;
      continue;
    }
    if (BPFTRACE_HEADER.test(text)) {
      close(i);
      open = {
        name: null,
        wrapper: 'bpftrace',
        startLine: i + 1,
        endLine: lines.count,
        wrapperVerdict: null,
      };
      unnamed = { region: open, pattern: BPFTRACE_PROGRAM };
    }
  }
  close(lines.count);
  if (regions.length === 0) {
    return bareStarts.map((startLine, k) => ({
      // Several bare logs are told apart by their order.
      name: bareStarts.length > 1 ? `log ${k + 1}` : null,
      wrapper: 'none' as const,
      startLine,
      endLine: bareStarts[k + 1] ?? lines.count,
      wrapperVerdict: null,
    }));
  }
  return regions;
}
