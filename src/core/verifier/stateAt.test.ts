import { describe, expect, test } from 'vitest';
import { fixtureBytes } from '../../testing/fixtures.ts';
import { decodeLog } from '../decode.ts';
import type { VerifierLines } from './kinds.ts';
import { buildVerifierLines } from './lines.ts';
import { diffFromPreviousVisit, type StateAtLine, stateAt } from './stateAt.ts';

/** `R0=1 R10=fp0` for frame `frame` of a state. */
function printed(state: StateAtLine, frame = 0): string {
  const f = state.frames.find((x) => x.frame === frame);
  return (f?.entries ?? []).map((e) => `${e.name}=${e.value.raw}`).join(' ');
}

function lineOf(lines: VerifierLines, text: string, from = 0): number {
  for (let i = from; i < lines.lineCount; i++) if (lines.text(i) === text) return i;
  throw new Error(`no line ${text}`);
}

const verifierLinesOf = (bytes: Uint8Array) => buildVerifierLines(decodeLog(bytes));
const fromText = (text: string) => verifierLinesOf(new TextEncoder().encode(text));

describe('state at a line of real logs', () => {
  test('bad-bounds.bin: at the failing insn 6, R1 still pkt(r=0) as last printed, R3 pkt(off=4,r=4)', () => {
    const lines = verifierLinesOf(fixtureBytes('kernel/bad-bounds.bin'));
    const at = stateAt(lines, lineOf(lines, '6: (71) r1 = *(u8 *)(r1 +8)'));
    expect(printed(at)).toBe('R0=1 R1=pkt(r=0) R2=pkt_end() R3=pkt(off=4,r=4) R10=fp0');
    expect(at).toMatchObject({
      pc: 6,
      baseLine: 0,
      baseForm: 'pc',
      complete: true,
      changed: [],
      changedAt: null,
    });
    // insn 5's tail names what it changed
    const five = stateAt(
      lines,
      lineOf(lines, '5: (2d) if r3 > r2 goto pc+4          ; R2=pkt_end() R3=pkt(off=4,r=4)'),
    );
    expect(five.changed.map((e) => e.name)).toEqual(['R2', 'R3']);
  });

  test('uninit-reg.bin: at insn 12 (r0 = r2) R2 was never written', () => {
    const lines = verifierLinesOf(fixtureBytes('kernel/uninit-reg.bin'));
    const at = stateAt(lines, lineOf(lines, '12: (bf) r0 = r2'));
    expect(printed(at)).toBe('R1=ctx() R3=10 R4=11 R5=7 R6=8 R7=9 R10=fp0');
    expect(at.frames[0].entries.find((e) => e.name === 'R2')).toBeUndefined();
  });

  test('null-deref.bin: stack slot and map value or null at insn 7', () => {
    const lines = verifierLinesOf(fixtureBytes('kernel/null-deref.bin'));
    const at = stateAt(lines, lineOf(lines, '7: (79) r1 = *(u64 *)(r0 +0)'));
    expect(printed(at)).toBe(
      'R0=map_value_or_null(id=1,map=counters,ks=4,vs=8) R1=map_ptr(map=counters,ks=4,vs=8) R2=fp-4 R10=fp0 fp-8=mmmm????',
    );
  });

  test('ringbuf-leak.bin: refs held at the exit', () => {
    const lines = verifierLinesOf(fixtureBytes('kernel/ringbuf-leak.bin'));
    const at = stateAt(lines, lineOf(lines, '10: (95) exit'));
    expect(at.frames[0].refs).toEqual([2]);
    expect(printed(at)).toBe(
      'R0=0 R1=map_ptr(map=rb,ks=0,vs=0) R2=8 R3=0 R6=ringbuf_mem(ref_obj_id=2,sz=8) R10=fp0',
    );
  });

  test('too-large-71mb.bin.gz: the last line, from level 1 jump target state; two visits of the loop head differ', () => {
    const lines = verifierLinesOf(fixtureBytes('kernel/too-large-71mb.bin.gz'));
    expect(lines.lineCount).toBe(1_000_006);
    const started = performance.now();
    const last = stateAt(lines, lines.lineCount - 1);
    const elapsed = performance.now() - started;
    console.log(`stateAt(last line of 71 MB log): ${elapsed.toFixed(2)} ms`);
    expect(last.baseForm).toBe('jump');
    expect(lines.text(last.baseLine as number)).toMatch(
      /^15: \(2d\) if r3 > r2 goto pc-8 8: R0=0x37e0af833 /,
    );
    expect(printed(last)).toBe('R0=0x37e0af833 R1=0x493dd R2=0x1869f R3=0x493dd R10=fp0 fp-8=mmmm????');
    const r0 = last.frames[0].entries[0];
    expect(r0.value.constant).toBe(0x37e0af833n);

    // The last visit of pc 8 (1-based line 1,000,003) against the one before it, one loop iteration earlier.
    const visit = lines.lineCount - 4;
    expect(lines.text(visit)).toMatch(/^8: \(bf\) r3 = r1 /);
    const diff = diffFromPreviousVisit(lines, visit);
    expect(diff?.previousLine).toBe(visit - 10);
    expect(diff?.changes).toEqual([
      { frame: 0, name: 'R0', change: 'changed', before: '0x37e066459', after: '0x37e0af833' },
      { frame: 0, name: 'R1', change: 'changed', before: '0x493da', after: '0x493dd' },
      { frame: 0, name: 'R2', change: 'changed', before: '0x1869e', after: '0x1869f' },
      { frame: 0, name: 'R3', change: 'changed', before: '0x493da', after: '0x493dd' },
    ]);
  });

  test('loop-level2-15mb.bin.gz: a branch line resets the state, an insn after it overwrites R2', () => {
    const lines = verifierLinesOf(fixtureBytes('kernel/loop-level2-15mb.bin.gz'));
    const branch = 56670; // 1-based 56671: `from 35 to 5: R0=…`, after `from 14 to 38: safe`
    expect(lines.text(branch)).toMatch(/^from 35 to 5: /);
    const atBranch = stateAt(lines, branch);
    expect(atBranch).toMatchObject({ baseLine: branch, baseForm: 'branch', pc: 5 });
    expect(printed(atBranch)).toBe(lines.text(branch).slice('from 35 to 5: '.length));
    const after = stateAt(lines, branch + 3); // `5: (07) r2 += 1 ; R2=400`
    expect(after.changed.map((e) => `${e.name}=${e.value.raw}`)).toEqual(['R2=400']);
    expect(printed(after)).toBe(printed(atBranch).replace('R2=399', 'R2=400'));
  });

  test('loop-level2-15mb.bin.gz: a tail printed after precision backtracking belongs to the insn before it', () => {
    const lines = verifierLinesOf(fixtureBytes('kernel/loop-level2-15mb.bin.gz'));
    const insn = lineOf(lines, '19: (0f) r5 += r2');
    const at = stateAt(lines, insn);
    expect(at.changedAt).toBe(insn + 8);
    expect(lines.text(insn + 8)).toBe('20: R2=0 R5=pkt(r=0)');
    expect(at.changed.map((e) => `${e.name}=${e.value.raw}`)).toEqual(['R2=0', 'R5=pkt(r=0)']);
    expect(printed(at)).toBe('R1=pkt(r=0) R2=0 R3=pkt_end() R4=0 R5=pkt(r=0) R10=fp0');
  });

  test('a rotated log without its start: the state is what its tails printed, and says it is incomplete', () => {
    const lines = verifierLinesOf(fixtureBytes('kernel/too-large-rotated.bin.gz'));
    const first = stateAt(lines, 1);
    if (first.baseLine === null) expect(first.complete).toBe(false);
    const last = stateAt(lines, lines.lineCount - 1);
    expect(last.complete).toBe(true);
    expect(last.baseForm).toBe('jump');
  });
});

describe('frames', () => {
  // The kernel's call printing (check_func_call / prepare_func_exit at log level 1):
  // `caller:` and `callee:` each followed by a full frame, tails in the callee marked ` frame1:`.
  const log = fromText(
    [
      '0: R1=ctx() R10=fp0',
      '0: (b7) r6 = 7                        ; R6=7',
      '1: (85) call pc+2',
      'caller:',
      ' R6=7 R10=fp0',
      'callee:',
      ' frame1: R1=ctx() R10=fp0',
      '4: frame1: R1=ctx() R10=fp0',
      '4: (b7) r0 = 1                        ; frame1: R0=1',
      '5: (95) exit',
      'returning from callee:',
      ' frame1: R0=1 R1=ctx() R10=fp0',
      'to caller at 2:',
      ' R0=1 R6=7 R10=fp0',
      '2: (95) exit',
    ].join('\n'),
  );

  test('a callee frame stacks on its caller, and goes on return', () => {
    const inCallee = stateAt(log, 8);
    expect(inCallee.frames.map((f) => f.frame)).toEqual([0, 1]);
    expect(printed(inCallee, 0)).toBe('R6=7 R10=fp0');
    expect(printed(inCallee, 1)).toBe('R0=1 R1=ctx() R10=fp0');
    expect(inCallee.changed.map((e) => [e.frame, e.name])).toEqual([[1, 'R0']]);
    const back = stateAt(log, 14);
    expect(back.frames.map((f) => f.frame)).toEqual([0]);
    expect(printed(back)).toBe('R0=1 R6=7 R10=fp0');
  });
});

describe('bad input', () => {
  test('garbage lines, out-of-range lines and an unbalanced state never throw', () => {
    const log = fromText('garbage\n0: R1=ctx() R10=fp0\n1: (b7) r0 = 1 ; R0=scalar(smin=0\n\u0000\u0001');
    expect(() => stateAt(log, -5)).not.toThrow();
    expect(stateAt(log, 99).frames.length).toBeGreaterThanOrEqual(0);
    expect(printed(stateAt(log, 3))).toBe('R1=ctx() R10=fp0');
    expect(diffFromPreviousVisit(log, 2)).toBeNull();
  });
});
