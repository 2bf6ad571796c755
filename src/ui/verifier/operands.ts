/**
 * Register and stack operands in an instruction as the kernel prints it
 * (kernel/bpf/disasm.c): `r1`, `w1` (its 32-bit half, the same register) and
 * stack accesses through the frame pointer, `*(u64 *)(r10 -8)`. Used to make
 * operands clickable; the text is split losslessly, never rewritten.
 */

export interface InsnToken {
  text: string;
  /** The operand this text names: `r0`…`r10`, or a stack slot `fp-8`. */
  operand?: string;
}

// A stack access through r10, or a register (r/w 0..10) standing alone as a word.
const OPERAND = /\(r10 ([+-])(\d+)\)|\b[rw](10|[0-9])\b/g;

/**
 * The stack slot an r10-relative byte offset falls in, named as the state
 * printer names slots (8-byte slots: `(r10 -20)` is in `fp-24`).
 */
export function stackSlot(offset: number): string {
  if (offset >= 0) return `fp${offset === 0 ? '0' : `+${offset}`}`;
  return `fp-${Math.ceil(-offset / 8) * 8}`;
}

export function insnTokens(text: string): InsnToken[] {
  const tokens: InsnToken[] = [];
  let at = 0;
  for (const match of text.matchAll(OPERAND)) {
    const start = match.index ?? 0;
    if (start > at) tokens.push({ text: text.slice(at, start) });
    if (match[2] !== undefined) {
      const offset = Number(match[2]) * (match[1] === '-' ? -1 : 1);
      tokens.push({ text: match[0], operand: stackSlot(offset) });
    } else {
      tokens.push({ text: match[0], operand: `r${match[3]}` });
    }
    at = start + match[0].length;
  }
  if (at < text.length) tokens.push({ text: text.slice(at) });
  return tokens;
}

/** The distinct operands an instruction names, in order of appearance. */
export function insnOperands(text: string): string[] {
  const seen: string[] = [];
  for (const token of insnTokens(text))
    if (token.operand && !seen.includes(token.operand)) seen.push(token.operand);
  return seen;
}

/** The operand a state entry stands for: `R1` → `r1`; stack slots keep their name (`fp-8`). */
export function regOperand(name: string): string {
  return /^R\d+$/.test(name) ? `r${name.slice(1)}` : name;
}
