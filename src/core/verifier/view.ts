/**
 * What the page is sent about the verifier: small, serializable answers for
 * what is on screen (one program's verdict, a window of instruction rows, the
 * state at one line), never per-line objects for a whole log. The worker
 * builds them from the columnar model; the UI renders them.
 */

import type { ErrorHint } from './explain.ts';
import type { LineKindName } from './kinds.ts';
import type { VerifierStats } from './stats.ts';
import type { Verdict } from './verdict.ts';

export type { Verdict };

export interface SourceRef {
  /** null: kernels before 6.x quote the code (`; code`) without `@ file:line`. */
  file: string | null;
  line: number | null;
  /** The C code the `; … @ file:line` line quotes. */
  text: string;
}

export interface ProgramRef {
  /** Index among the file's programs (the `program` URL key). */
  index: number;
  name: string;
  verdict: Verdict;
  /** Where it came from: 'plain', 'libbpf', 'veristat', 'bpftrace', 'cilium/ebpf'. */
  wrapper: string;
  /** The file's lines this program's log spans: [first, end). */
  firstLine: number;
  endLine: number;
}

/** The program's counters, as the model reads them. */
export type StatsView = VerifierStats;

export interface VerdictView {
  programs: ProgramRef[];
  /** The program shown (the first rejected one unless chosen). */
  program: number;
  verdict: Verdict;
  /** Why the verdict is what it is, in a sentence (and what truncation lost). */
  reason: string;
  error: {
    message: string;
    /** The file's line (text) or joined line (TLV) where the message starts. */
    line: number;
    /** The record to select for it (text: the line; TLV: the record the line starts in). */
    record: number;
    pc: number | null;
    /** The failing instruction as printed, and with helper arguments named. */
    insn: string | null;
    call: string | null;
    source: SourceRef | null;
    /** The line of the failing instruction's visit. */
    insnLine: number | null;
    /** What the error's wording usually means, and the usual fix (explain.ts); null when not known. */
    hint: ErrorHint | null;
  } | null;
  /** Register and stack state in force at the failing instruction. */
  state: StateView | null;
  stats: StatsView;
  /** Lines per kind in this program. */
  kinds: Partial<Record<LineKindName, number>>;
  /** What wrapper text was stripped (timestamps, ANSI, libbpf lines), for a note. */
  stripped: string[];
}

/** One row of the log view: a line of the selected program. */
export interface LogLineRow {
  /** The file's line (text) or joined line (TLV). */
  line: number;
  /** The record to select (text: the line; TLV: the first record of the line). */
  record: number;
  kind: LineKindName;
  pc: number | null;
  /** Instruction lines: the instruction text (`(85) call bpf_map_lookup_elem#1`). */
  insn: string | null;
  /** Instruction lines: the state tail after `; `. */
  stateTail: string | null;
  /** Helper/kfunc call with argument names, when the instruction is a call. */
  call: string | null;
  text: string;
}

export interface InsnRow {
  pc: number;
  text: string;
  call: string | null;
  visits: number;
  source: SourceRef | null;
}

export type InsnSort = 'pc' | 'visits';

export interface RegView {
  /** `R0`…`R10`, `fp-8`, with `frame` for callers' frames. */
  name: string;
  frame: number;
  /** As printed (`scalar(smin=0,smax=255)`, `map_value(map=counters,ks=4,vs=8)`). */
  text: string;
  /** Parsed: `scalar`, `map_value`, `pkt`, `ctx`, `fp`, … with prefixes (`rdonly_`, `_or_null`). */
  type: string;
  /** Parsed fields in print order: [['smin', '0'], ['var_off', '(0x0; 0xff)'], ['id', '2']]. */
  fields: [string, string][];
  precise: boolean;
  /** Liveness suffix: '', 'r', 'w', 'rw', 'D'. */
  liveness: string;
  /** Written by this line's instruction (it is in the instruction's state tail). */
  changed: boolean;
  /** Against the previous visit of the same pc. */
  diff: 'added' | 'changed' | 'same' | null;
  previous: string | null;
}

export interface StateView {
  line: number;
  pc: number | null;
  /** The line the full state was last printed at (the state is built from there). */
  fromLine: number | null;
  regs: RegView[];
  /** Present at the previous visit of this pc, gone now. */
  removed: { name: string; frame: number; previous: string }[];
  /** Line of the previous visit of the same pc, if any. */
  previousVisitLine: number | null;
  /** Other state facts (`refs=2`, `cb`, …), raw. */
  extra: string[];
}

/** A def-use mark: the line that last wrote an operand, and the chain back from it. */
export interface DefChain {
  operand: string;
  /** The line the operand was read at. */
  line: number;
  defs: {
    line: number;
    record: number;
    pc: number | null;
    operand: string;
    text: string;
    /** How it was defined: 'insn', 'callResult', 'callClobber', 'helperWrite', 'callArg', 'return', 'uninit'. */
    how?: string;
    /** Index in `defs` of the def whose operand this one wrote; -1 for the first. */
    parent?: number;
    depth?: number;
  }[];
  /** Why the chain stops (program start, truncated log, walk bound). */
  end: string;
}

export interface SourceLineView {
  line: number;
  text: string;
  pcs: number[];
  visits: number;
  /** The first log line (file line) that quotes it. */
  logLine?: number;
}

export interface SourceFileView {
  /** null: the quotes without a location, in the order the log first quotes them. */
  file: string | null;
  lines: SourceLineView[];
}
