import { describe, expect, it } from 'vitest';
import { fixtureBytes, kernelManifest } from '../../testing/fixtures.ts';
import { insnOperands, insnTokens, regOperand, stackSlot } from './operands.ts';

/** Every instruction line of the corpus's text logs: `pc: (op) insn` and the state tail after `; `. */
function corpusInsns(): { file: string; insn: string; tail: string | null }[] {
  const found: { file: string; insn: string; tail: string | null }[] = [];
  for (const { file } of kernelManifest()) {
    if (file.startsWith('btf-') || file.startsWith('too-large')) continue;
    const bytes = fixtureBytes(`kernel/${file}`);
    const nul = bytes.indexOf(0);
    const text = new TextDecoder().decode(nul < 0 ? bytes : bytes.subarray(0, nul));
    for (const line of text.split('\n')) {
      const m = /^\d+: \([0-9a-f]{2}\) (.*?)(?:\s+; (.*))?$/.exec(line);
      if (m) found.push({ file, insn: m[1], tail: m[2] ?? null });
    }
  }
  return found;
}

describe('instruction operands on the corpus', () => {
  const insns = corpusInsns();

  it('finds instruction lines in the corpus', () => {
    expect(insns.length).toBeGreaterThan(1000);
  });

  it('splits every instruction losslessly and leaves no register outside an operand', () => {
    for (const { insn } of insns) {
      const tokens = insnTokens(insn);
      expect(tokens.map((t) => t.text).join('')).toBe(insn);
      for (const t of tokens) if (!t.operand) expect(t.text).not.toMatch(/\b[rw](10|[0-9])\b/);
    }
  });

  it('names the stack slot a store through r10 writes as the state tail does', () => {
    let checked = 0;
    for (const { insn, tail } of insns) {
      const store = /^\*\(u(8|16|32|64) \*\)\(r10 -\d+\) = /.exec(insn);
      if (!store || !tail) continue;
      const slot = insnOperands(insn).find((o) => o.startsWith('fp'));
      expect(tail).toContain(`${slot}=`);
      checked++;
    }
    // helper-pkt-arg.bin, stats-level1.bin, ok-level2 and the loop logs all spill to the stack.
    expect(checked).toBeGreaterThan(3);
  });

  it('reads a spill, a 32-bit half and a helper call as the kernel prints them', () => {
    const lines = insns.map((i) => i.insn);
    expect(lines).toContain('*(u64 *)(r10 -8) = r2');
    expect(insnOperands('*(u64 *)(r10 -8) = r2')).toEqual(['fp-8', 'r2']);
    expect(insnOperands('*(u32 *)(r10 -20) = r1')).toEqual(['fp-24', 'r1']);
    expect(insnOperands('r1 = *(u8 *)(r1 +8)')).toEqual(['r1']);
    expect(insnOperands('w0 = w2')).toEqual(['r0', 'r2']);
    expect(insnOperands('call bpf_map_lookup_elem#1')).toEqual([]);
    expect(insnOperands('r0 = bpf_map_lookup_elem(map: r1, key: r2)')).toEqual(['r0', 'r1', 'r2']);
    expect(insnOperands('if r3 > r2 goto pc+4')).toEqual(['r3', 'r2']);
    expect(insnOperands('r1 = 0xffff888104392800')).toEqual(['r1']);
  });

  it('maps state names to operands and offsets to slots', () => {
    expect(regOperand('R10')).toBe('r10');
    expect(regOperand('fp-16')).toBe('fp-16');
    expect(stackSlot(-1)).toBe('fp-8');
    expect(stackSlot(-8)).toBe('fp-8');
    expect(stackSlot(-9)).toBe('fp-16');
  });
});
