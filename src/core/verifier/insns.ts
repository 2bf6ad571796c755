/**
 * Instructions by pc: every visit (an instruction line the verifier printed
 * for that pc) as CSR typed arrays built by a counting sort over the pcs
 * column, and the source line in force at the first visit. The live-register
 * listing is not a visit (its rows have their own kind). Instruction text is
 * decoded per pc on demand, from the first visit.
 */
import { LineKind, NO_PC, type VerifierLines } from './kinds.ts';

export interface InsnTable {
  /** Largest pc seen + 1 (pcs with no visit have an empty range). */
  readonly pcCount: number;
  /** Visits of pc p are visitLines[visitStart[p] .. visitStart[p + 1]), file line numbers in log order. */
  readonly visitStart: Uint32Array;
  readonly visitLines: Uint32Array;
  /** The `; …` line in force at pc p's first visit, or -1. */
  readonly firstSource: Int32Array;
  visits(pc: number): number;
  /** pc's instruction as printed (`(85) call bpf_map_lookup_elem#1`), state tail removed; null for a pc never printed. */
  text(pc: number): string | null;
}

/** `12: (85) call …` with an optional `; R0=…` tail or, at level 1 after a jump, the target's `8: R0=…` state. */
const INSN_TEXT = /^\s*\d+: (\([0-9a-f]{2}\) .*?)(?:\s+; .*|\s+;|\s+\d+: (?:R\d|frame\d|fp).*)?$/;

export function insnText(line: string): string | null {
  return INSN_TEXT.exec(line)?.[1] ?? null;
}

export function buildInsnTable(lines: VerifierLines, start = 0, end = lines.lineCount): InsnTable {
  const { kinds, pcs } = lines;
  let maxPc = -1;
  let visitCount = 0;
  for (let i = start; i < end; i++) {
    if (kinds[i] !== LineKind.insn) continue;
    visitCount++;
    if (pcs[i] > maxPc) maxPc = pcs[i];
  }
  const pcCount = maxPc + 1;
  const visitStart = new Uint32Array(pcCount + 1);
  for (let i = start; i < end; i++) if (kinds[i] === LineKind.insn) visitStart[pcs[i] + 1]++;
  for (let p = 0; p < pcCount; p++) visitStart[p + 1] += visitStart[p];
  const fill = visitStart.slice(0, pcCount);
  const visitLines = new Uint32Array(visitCount);
  const firstSource = new Int32Array(pcCount).fill(-1);
  let source = -1;
  for (let i = start; i < end; i++) {
    const kind = kinds[i];
    if (kind === LineKind.source) source = i;
    else if (kind === LineKind.insn) {
      const pc = pcs[i];
      if (fill[pc] === visitStart[pc]) firstSource[pc] = source;
      visitLines[fill[pc]++] = i;
    }
  }
  const texts = new Map<number, string | null>();
  return {
    pcCount,
    visitStart,
    visitLines,
    firstSource,
    visits: (pc) => (pc >= 0 && pc < pcCount ? visitStart[pc + 1] - visitStart[pc] : 0),
    text(pc) {
      if (pc < 0 || pc >= pcCount || visitStart[pc + 1] === visitStart[pc]) return null;
      let text = texts.get(pc);
      if (text === undefined) {
        text = insnText(lines.text(visitLines[visitStart[pc]]));
        texts.set(pc, text);
      }
      return text;
    },
  };
}

/** The pc of line i when it is a visit, else NO_PC. */
export function visitPc(lines: VerifierLines, i: number): number {
  return lines.kinds[i] === LineKind.insn ? lines.pcs[i] : NO_PC;
}
