/**
 * Instructions by pc: every visit (an instruction line the verifier printed
 * for that pc) as CSR typed arrays built by a counting sort over the pcs
 * column, and the source line in force at the first visit. The live-register
 * listing is not a visit (its rows have their own kind). Instruction text is
 * decoded per pc on demand, from the first visit.
 */
import { STEP_MASK, type Steps } from '../steps.ts';
import { LineKind, NO_PC, type VerifierLines } from './kinds.ts';

export interface InsnTable {
  /** Largest pc seen + 1 (pcs with no visit have an empty range). */
  readonly pcCount: number;
  /** Visits of pc p are the visit indices visitStart[p] .. visitStart[p + 1], in log order. */
  readonly visitStart: Uint32Array;
  /** Total visits (instruction lines). */
  readonly visitCount: number;
  /** The `; …` line in force at pc p's first visit, or -1. */
  readonly firstSource: Int32Array;
  /** Bytes of typed arrays this table keeps. */
  readonly byteLength: number;
  visits(pc: number): number;
  /** The file line of pc's k-th visit (0-based), or -1. */
  visitLine(pc: number, k: number): number;
  /** All of pc's visit lines, ascending (a fresh array). */
  visitLinesOf(pc: number): Uint32Array;
  /** pc's instruction as printed (`(85) call bpf_map_lookup_elem#1`), state tail removed; null for a pc never printed. */
  text(pc: number): string | null;
}

/** `12: (85) call …` with an optional `; R0=…` tail or, at level 1 after a jump, the target's `8: R0=…` state. */
const INSN_TEXT = /^\s*\d+: (\([0-9a-f]{2}\) .*?)(?:\s+; .*|\s+;|\s+\d+: (?:R\d|frame\d|fp).*)?$/;

export function insnText(line: string): string | null {
  return INSN_TEXT.exec(line)?.[1] ?? null;
}

/**
 * Visit lines are stored in two bytes each: the low 16 bits of the line, and
 * per pc the runs over which the high bits stay the same (a pc's visits are
 * ascending, so a 1,000,000-line log has at most 16 runs per pc). Four bytes
 * each would make the model 8.2 bytes per line on the 71 MB log; this is 6.6.
 */
export function* buildInsnTableSteps(lines: VerifierLines, start: number, end: number): Steps<InsnTable> {
  const { kinds, pcs } = lines;
  let maxPc = -1;
  let visitCount = 0;
  for (let i = start; i < end; i++) {
    if ((i & STEP_MASK) === STEP_MASK) yield;
    if (kinds[i] !== LineKind.insn) continue;
    visitCount++;
    if (pcs[i] > maxPc) maxPc = pcs[i];
  }
  const pcCount = maxPc + 1;
  const visitStart = new Uint32Array(pcCount + 1);
  for (let i = start; i < end; i++) {
    if ((i & STEP_MASK) === STEP_MASK) yield;
    if (kinds[i] === LineKind.insn) visitStart[pcs[i] + 1]++;
  }
  for (let p = 0; p < pcCount; p++) visitStart[p + 1] += visitStart[p];
  const fill = visitStart.slice(0, pcCount);
  const visitLow = new Uint16Array(visitCount);
  const firstSource = new Int32Array(pcCount).fill(-1);
  const lastHigh = new Int32Array(pcCount).fill(-1);
  // Runs as (pc, first visit index, high bits), in log order; grouped by pc below.
  const runPc: number[] = [];
  const runAt: number[] = [];
  const runHigh: number[] = [];
  let source = -1;
  for (let i = start; i < end; i++) {
    if ((i & STEP_MASK) === STEP_MASK) yield;
    const kind = kinds[i];
    if (kind === LineKind.source) source = i;
    else if (kind === LineKind.insn) {
      const pc = pcs[i];
      const at = fill[pc]++;
      if (at === visitStart[pc]) firstSource[pc] = source;
      visitLow[at] = i & 0xffff;
      const high = i >>> 16;
      if (high !== lastHigh[pc]) {
        lastHigh[pc] = high;
        runPc.push(pc);
        runAt.push(at);
        runHigh.push(high);
      }
    }
  }
  const runStart = new Uint32Array(pcCount + 1);
  for (const pc of runPc) runStart[pc + 1]++;
  for (let p = 0; p < pcCount; p++) runStart[p + 1] += runStart[p];
  const runFill = runStart.slice(0, pcCount);
  const runVisit = new Uint32Array(runPc.length);
  const runHighBits = new Uint32Array(runPc.length);
  runPc.forEach((pc, r) => {
    const slot = runFill[pc]++;
    runVisit[slot] = runAt[r];
    runHighBits[slot] = runHigh[r];
  });

  const visits = (pc: number) => (pc >= 0 && pc < pcCount ? visitStart[pc + 1] - visitStart[pc] : 0);
  const highOf = (pc: number, at: number) => {
    // The last run of pc starting at or before visit index `at`.
    let lo = runStart[pc];
    let hi = runStart[pc + 1] - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (runVisit[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return runHighBits[lo];
  };
  const texts = new Map<number, string | null>();
  const table: InsnTable = {
    pcCount,
    visitStart,
    visitCount,
    firstSource,
    byteLength:
      visitStart.byteLength +
      visitLow.byteLength +
      firstSource.byteLength +
      runStart.byteLength +
      runVisit.byteLength +
      runHighBits.byteLength,
    visits,
    visitLine(pc, k) {
      if (k < 0 || k >= visits(pc)) return -1;
      const at = visitStart[pc] + k;
      return highOf(pc, at) * 0x10000 + visitLow[at];
    },
    visitLinesOf(pc) {
      const out = new Uint32Array(visits(pc));
      if (out.length === 0) return out;
      let run = runStart[pc];
      const from = visitStart[pc];
      for (let k = 0; k < out.length; k++) {
        while (run + 1 < runStart[pc + 1] && runVisit[run + 1] <= from + k) run++;
        out[k] = runHighBits[run] * 0x10000 + visitLow[from + k];
      }
      return out;
    },
    text(pc) {
      if (visits(pc) === 0) return null;
      let text = texts.get(pc);
      if (text === undefined) {
        text = insnText(lines.text(table.visitLine(pc, 0)));
        texts.set(pc, text);
      }
      return text;
    },
  };
  return table;
}

/** The pc of line i when it is a visit, else NO_PC. */
export function visitPc(lines: VerifierLines, i: number): number {
  return lines.kinds[i] === LineKind.insn ? lines.pcs[i] : NO_PC;
}
