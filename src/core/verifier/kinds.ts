/**
 * The kinds of line a verifier log holds, one byte per line (the model's
 * `kinds` column). The grammar is the kernel's own printers: kernel/bpf/log.c
 * (states), kernel/bpf/disasm.c (instructions), kernel/bpf/verifier.c (the rest).
 * Numbers are stable: they are stored in typed arrays and sent to the page.
 */
export const LineKind = {
  /** Not a verifier line we know: garbage, a half line, a wrapper we could not name. */
  unknown: 0,
  blank: 1,
  /** `12: (85) call bpf_map_lookup_elem#1`, possibly with a `; R0_w=…` state tail. A visit of its pc. */
  insn: 2,
  /** `12: R0=… R10=fp0`, `from 7 to 9: R1=…`, and ` frame1:` continuation parts. */
  state: 3,
  /** `from 7 to 9: safe`, `12: safe`: a path pruned against a seen state. */
  prune: 4,
  /** `; code @ file.c:42`, or the older `; code` without a location. */
  source: 5,
  /**
   * Liveness listings: `Live regs before insn:` and its rows (they look like
   * instructions; they are not visits), and 6.18's stack liveness lines
   * `(0) frame 0 insn 4 +live -16`, `(0) live stack update done in 2 iterations`.
   */
  liveRegs: 6,
  /** Precision backtracking: `mark_precise: frame0: …`, `last_idx N first_idx M`, `regs=… stack=… before N: …`. */
  precision: 7,
  /** `func#0 @0`, `Validating f() func#1...`, `Func#1 ('f') is global…`, `caller:` / `callee:`, `returning from callee:`, `to caller at N:`. */
  func: 8,
  /** BTF load logs: `magic: 0xeb9f`, `[1] INT …`. */
  btf: 9,
  /** `verification time N usec`, `stack depth N+M`. */
  stats: 10,
  /** `processed N insns (limit L) max_states_per_insn …`. */
  summary: 11,
  /** Newer kernels' `Verification failed: <category>: <problem>` report block. */
  report: 12,
  /** The verifier's error message (the lines that say why it rejected). */
  error: 13,
  /** Other verifier prose: notes, warnings, `BPF program is too large…` before the error is known. */
  message: 14,
  /** A wrapper's line: `libbpf: …`, BEGIN/END markers, veristat, bpftrace headers. */
  wrapper: 15,
} as const;

export type LineKindName = keyof typeof LineKind;
export type LineKindValue = (typeof LineKind)[LineKindName];

export const LINE_KIND_NAMES: readonly LineKindName[] = (() => {
  const names: LineKindName[] = [];
  for (const [name, value] of Object.entries(LineKind)) names[value] = name as LineKindName;
  return names;
})();

/** Kinds the verifier prints as it walks a program: a complaint after one of them is the verifier's. */
export const TRACE_KINDS: readonly number[] = [
  LineKind.insn,
  LineKind.state,
  LineKind.prune,
  LineKind.source,
  LineKind.liveRegs,
  LineKind.precision,
  LineKind.func,
  LineKind.btf,
];

/** Kinds only the verifier prints, its trace and its closing lines: a log with none holds no verifier output. */
export const VERIFIER_KINDS: readonly number[] = [
  ...TRACE_KINDS,
  LineKind.stats,
  LineKind.summary,
  LineKind.report,
  LineKind.error,
];

/** No pc on this line. */
export const NO_PC = -1;

/**
 * The lines of one program's log, columnar: what every verifier module reads.
 * Line numbers are the file's own (text lines, or a TLV buffer's joined STRING lines).
 */
export interface VerifierLines {
  readonly lineCount: number;
  /** LineKind per line. */
  readonly kinds: Uint8Array;
  /** The pc an insn, state or prune line is about (for `from X to Y:` lines, Y); NO_PC otherwise. */
  readonly pcs: Int32Array;
  /** Line i's text, wrapper prefixes (timestamps, ANSI colour) removed. */
  text(i: number): string;
}
