/**
 * Test-only: VerifierLines over a decoded corpus log, with a minimal
 * classifier (instructions, states, pruned paths, function lines), until the
 * model's grammar.ts is merged and replaces it.
 */
import { decodeLog } from '../decode.ts';
import { joinedLineText, joinTlvLines } from '../joined.ts';
import type { TlvIndex } from '../tlv.ts';
import { LineKind, NO_PC, type VerifierLines } from './kinds.ts';
import { parseStateLine } from './state.ts';

const INSN = /^([0-9]+): \([0-9a-f]{2}\) /;
const PRUNE = /^(?:from [0-9]+ to [0-9]+(?: \(speculative execution\))?|[0-9]+): safe$/;
const FUNC = /^(?:func#[0-9]+ @|Validating |Func#|caller:|callee:|returning from callee:|to caller at )/;

export function linesOfText(textOf: (i: number) => string, lineCount: number): VerifierLines {
  const kinds = new Uint8Array(lineCount);
  const pcs = new Int32Array(lineCount).fill(NO_PC);
  for (let i = 0; i < lineCount; i++) {
    const text = textOf(i);
    const insn = INSN.exec(text);
    if (insn) {
      kinds[i] = LineKind.insn;
      pcs[i] = Number(insn[1]);
    } else if (PRUNE.test(text)) kinds[i] = LineKind.prune;
    else if (FUNC.test(text)) kinds[i] = LineKind.func;
    else {
      const state = parseStateLine(text);
      if (state) {
        kinds[i] = LineKind.state;
        if (state.pc !== null) pcs[i] = state.pc;
      }
    }
  }
  return { lineCount, kinds, pcs, text: textOf };
}

/** A corpus buffer's lines: a text log's, or a TLV log's joined STRING lines. */
export function verifierLinesOf(bytes: Uint8Array): VerifierLines {
  const log = decodeLog(bytes);
  const index = log.index;
  if (index?.format === 'tlv') {
    const joined = joinTlvLines(bytes, index as TlvIndex);
    return linesOfText((i) => joinedLineText(bytes, index as TlvIndex, joined, i), joined.lineCount);
  }
  return linesOfText((i) => log.recordText(i) ?? '', log.recordCount);
}
