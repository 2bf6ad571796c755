/**
 * Test helper: a plain line classifier giving the VerifierLines contract
 * (kinds.ts) over a text log, so use-def tests run before the real grammar
 * (grammar.ts, another branch) is merged. Holds every line as a string: tests only.
 */
import { LineKind, NO_PC, type VerifierLines } from '../core/verifier/kinds.ts';

const RULES: [RegExp, number][] = [
  [/^$/, LineKind.blank],
  [/^from \d+ to (\d+): safe/, LineKind.prune],
  [/^(\d+): safe/, LineKind.prune],
  [/^from \d+ to (\d+):/, LineKind.state],
  [/^(\d+): \([0-9a-f]{2}\) /, LineKind.insn],
  [/^(\d+): (?:frame\d+: )?R\d/, LineKind.state],
  [/^ (?:frame\d+: )?R\d/, LineKind.state],
  [/^;/, LineKind.source],
  [/^Live regs before insn:|^\s+\d+: [.0-9]{10} /, LineKind.liveRegs],
  [/^mark_precise:/, LineKind.precision],
  [/^func#|^Validating |^Func#|^caller:|^callee:|^returning from callee:|^to caller at /, LineKind.func],
  [/^processed \d+ insns/, LineKind.summary],
];

export function verifierLinesOf(bytes: Uint8Array): VerifierLines & { lines: string[] } {
  const nul = bytes.indexOf(0);
  const text = new TextDecoder().decode(nul < 0 ? bytes : bytes.subarray(0, nul));
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const kinds = new Uint8Array(lines.length);
  const pcs = new Int32Array(lines.length).fill(NO_PC);
  lines.forEach((line, i) => {
    kinds[i] = LineKind.message;
    for (const [pattern, kind] of RULES) {
      const m = pattern.exec(line);
      if (!m) continue;
      kinds[i] = kind;
      if (m[1] !== undefined) pcs[i] = Number(m[1]);
      break;
    }
  });
  return { lineCount: lines.length, kinds, pcs, text: (i) => lines[i], lines };
}
