import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../testing/fixtures.ts';
import { DecodedLog } from '../decode.ts';
import { insnText } from './insns.ts';
import { LineKind } from './kinds.ts';
import { buildVerifierModel } from './model.ts';

describe('instructions by pc', () => {
  it('lists every visit of every pc, beyond line 65,536 too, exactly as a scan of the pcs column finds them', () => {
    for (const file of ['kernel/too-large-71mb.bin.gz', 'kernel/loop-level2-15mb.bin.gz']) {
      const model = buildVerifierModel(new DecodedLog(fixtureBytes(file)));
      const { insns } = model.programs[0];
      const { kinds, pcs, lineCount } = model.lines;
      const expected: number[][] = Array.from({ length: insns.pcCount }, () => []);
      for (let i = 0; i < lineCount; i++) if (kinds[i] === LineKind.insn) expected[pcs[i]].push(i);
      for (let pc = 0; pc < insns.pcCount; pc++) {
        expect(Array.from(insns.visitLinesOf(pc)), `${file} pc ${pc}`).toEqual(expected[pc]);
        const last = expected[pc].length - 1;
        if (last >= 0) expect(insns.visitLine(pc, last)).toBe(expected[pc][last]);
      }
      expect(insns.visitLine(0, -1)).toBe(-1);
      expect(insns.visits(insns.pcCount)).toBe(0);
    }
  });

  it('counts the 71 MB log’s loop: 100,000 visits of its body, the listing rows not counted', () => {
    const big = buildVerifierModel(new DecodedLog(fixtureBytes('kernel/too-large-71mb.bin.gz'))).programs[0];
    expect(big.insns.visitCount).toBe(800002);
    expect([8, 9, 10, 15].map((pc) => big.insns.visits(pc))).toEqual([100000, 100000, 99999, 99999]);
    expect(big.insns.text(15)).toBe('(2d) if r3 > r2 goto pc-8');
    // uninit-reg lists 14 live-regs rows before its 13 instruction lines: the rows are not visits.
    const uninit = buildVerifierModel(new DecodedLog(fixtureBytes('kernel/uninit-reg.bin'))).programs[0];
    expect(uninit.insns.visitCount).toBe(13);
    expect(uninit.insns.visits(13)).toBe(0);
  });

  it('gives the source line in force at the first visit', () => {
    const model = buildVerifierModel(new DecodedLog(fixtureBytes('kernel/bad-bounds.bin')));
    const { insns } = model.programs[0];
    expect(model.lines.text(insns.firstSource[6])).toBe(
      '; return p[8] == 0x45 ? XDP_PASS : XDP_DROP; @ progs.bpf.c:41',
    );
    expect(model.lines.text(insns.firstSource[4])).toBe('; if ((void *)(p + 4) > end) @ progs.bpf.c:38');
  });

  it('takes the instruction text without its state tail', () => {
    expect(insnText('0: (b7) r0 = 1                        ; R0=1')).toBe('(b7) r0 = 1');
    expect(insnText('15: (2d) if r3 > r2 goto pc-8 8: R0=0 R1=3 R10=fp0')).toBe('(2d) if r3 > r2 goto pc-8');
    expect(insnText('10: (95) exit')).toBe('(95) exit');
    expect(insnText('R0 invalid')).toBeNull();
  });
});
