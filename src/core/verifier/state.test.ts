import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FIXTURES, fixtureBytes } from '../../testing/fixtures.ts';
import { decodeLog } from '../decode.ts';
import { buildVerifierLines } from './lines.ts';
import {
  parseState,
  parseStateLine,
  printState,
  printStateLine,
  type StateEntry,
  type StateLineForm,
  stateEntries,
} from './state.ts';

const entry = (text: string): StateEntry => {
  const state = parseState(` ${text}`);
  expect(state.error).toBeNull();
  return stateEntries(state)[0];
};

describe('the state grammar on values the corpus holds', () => {
  test('scalar bounds with merged names, hex and decimal, var_off', () => {
    // too-large-71mb.bin, the loop's jump line
    const r3 = entry('R3=scalar(smin=umin=umin32=0x186a0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))');
    expect(r3.value.type).toBe('scalar');
    expect(r3.value.fields).toEqual({
      smin: 0x186a0n,
      umin: 0x186a0n,
      umin32: 0x186a0n,
      smax: 0xffffffffn,
      umax: 0xffffffffn,
      varOff: { value: 0n, mask: 0xffffffffn },
    });
    expect(r3.value.attrs[0]).toEqual({ names: ['smin', 'umin', 'umin32'], text: '0x186a0' });
  });

  test('constants stay exact past 2^53, and linked ids carry their delta', () => {
    expect(entry('R0=0x37e0af833').value.constant).toBe(0x37e0af833n);
    expect(entry('R3=0x493da00000000').value.constant).toBe(0x493da00000000n);
    // loop-level2-15mb.bin: r4 = r5 - 7, linked to r5's id 800
    const r4 = entry(
      'R4=scalar(id=800-7,smin=umin=smin32=umin32=994,smax=umax=smax32=umax32=1248,var_off=(0x0; 0x7ff))',
    );
    expect(r4.value.fields.id).toBe(800);
    expect(r4.value.fields.idDelta).toBe(-7n);
    expect(entry('R4=scalar(id=2-7,smin=smin32=-7,smax=smax32=248)').value.fields.smin32).toBe(-7n);
  });

  test('pointers: maps, packets, ringbuf memory, precision, stack', () => {
    const map = entry('R0=map_value_or_null(id=1,map=counters,ks=4,vs=8)').value; // null-deref.bin
    expect([map.base, map.orNull, map.fields.map, map.fields.ks, map.fields.vs, map.fields.id]).toEqual([
      'map_value',
      true,
      'counters',
      4,
      8,
      1,
    ]);
    const pkt = entry('R3=pkt(off=4,r=4)').value; // bad-bounds.bin
    expect([pkt.base, pkt.fields.off, pkt.fields.r]).toEqual(['pkt', 4n, 4n]);
    const ring = entry('R6=ringbuf_mem_or_null(id=2,ref_obj_id=2,sz=8)').value; // ringbuf-leak.bin
    expect([ring.base, ring.modifiers, ring.orNull, ring.fields.refObjId, ring.fields.sz]).toEqual([
      'mem',
      ['ringbuf'],
      true,
      2,
      8n,
    ]);
    expect(entry('R2=P0').value).toMatchObject({ precise: true, constant: 0n, type: null });
    expect(
      entry('R5=Pscalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))').value,
    ).toMatchObject({ precise: true, type: 'scalar' });
    expect(entry('R10=fp0').value).toMatchObject({ base: 'fp', constant: 0n, pointerFrame: null });
    expect(entry('R2=fp-4').value.constant).toBe(-4n);
    expect(entry('R1=ctx()').value).toMatchObject({ base: 'ctx', hasParens: true, attrs: [] });
    expect(entry('fp-8=mmmm????')).toMatchObject({
      kind: 'slot',
      index: -8,
      value: { slotTypes: 'mmmm????' },
    });
  });

  test('forms from the kernel printers the corpus lacks: liveness, frames, other-frame stack pointers, BTF pointers, dynptr and iterator slots, spills, refs, callbacks', () => {
    const state = parseState(
      ' frame1: R1_w=fp[0]-8 R2_rw=trusted_ptr_or_null_task_struct(id=3) R6_D=rdonly_mem(sz=4) fp-8_w=????P1 fp-16=dynptr_xdp(id=1) fp-24=iter_num(ref_id=4,state=active,depth=0) refs=2,4 cb',
    );
    expect(state.error).toBeNull();
    const [r1, r2, r6, fp8, fp16, fp24] = stateEntries(state);
    expect(r1).toMatchObject({
      frame: 1,
      liveness: 'w',
      value: { base: 'fp', pointerFrame: 0, constant: -8n },
    });
    expect(r2.value).toMatchObject({
      base: 'ptr',
      modifiers: ['trusted'],
      orNull: true,
      btfName: 'task_struct',
    });
    expect(r6.value).toMatchObject({ base: 'mem', modifiers: ['rdonly'], fields: { sz: 4n } });
    expect(fp8.value).toMatchObject({ slotTypes: '????', precise: true, constant: 1n });
    expect(fp16.value).toMatchObject({ base: 'dynptr_xdp', fields: { id: 1 } });
    expect(fp24.value.fields).toEqual({ refId: 4, iterState: 'active', depth: 0 });
    expect(state.items.slice(-2)).toEqual([
      { kind: 'refs', ids: [2, 4], raw: 'refs=2,4' },
      { kind: 'flag', name: 'cb' },
    ]);
  });

  test('kernels before 6.0: `inv`, `P` after the type, `*_value` bounds, `imm=%llx`, a stack pointer`s call site', () => {
    // Values as print_verifier_state printed them in 5.x (verbose "=%s" type, then "P", then "%lld" or
    // "(id=%d,…" with smin_value=%lld, umax_value=%llu, s32_min_value=%d, imm=%llx).
    const line =
      ' R0_w=invP(id=0,umax_value=255,var_off=(0x0; 0xff)) R1=ctx(id=0,off=0,imm=0) R2_w=inv0 R3_rw=invP-5 R5=map_value(id=0,off=0,ks=4,vs=64,imm=10) R6=inv(id=0,smin_value=-4095,smax_value=4096,s32_min_value=-4095,u32_max_value=4096) R10=fp0 fp-8_w=invP fp-16=mmmm????';
    const state = parseState(line);
    expect(state.error).toBeNull();
    expect(printState(state)).toBe(line);
    const [r0, r1, r2, r3, r5, r6, r10, fp8, fp16] = stateEntries(state).map((e) => e.value);
    expect(r0).toMatchObject({
      type: 'inv',
      base: 'scalar',
      precise: true,
      precisionAfterType: true,
      constant: null,
    });
    expect(r0.fields).toEqual({ id: 0, umax: 255n, varOff: { value: 0n, mask: 0xffn } });
    expect(r1.fields).toEqual({ id: 0, off: 0n, imm: 0n });
    expect(r2).toMatchObject({ base: 'scalar', precise: false, constant: 0n });
    expect(r3).toMatchObject({ base: 'scalar', precise: true, constant: -5n });
    // %llx: imm=10 is sixteen.
    expect(r5.fields).toMatchObject({ ks: 4, vs: 64, imm: 16n });
    expect(r6.fields).toEqual({ id: 0, smin: -4095n, smax: 4096n, smin32: -4095n, umax32: 4096n });
    expect(r10).toMatchObject({ base: 'fp', constant: 0n });
    expect(fp8).toMatchObject({ base: 'scalar', precise: true });
    expect(fp16).toMatchObject({ slotTypes: 'mmmm????', error: null });
    // Before 5.3 a stack pointer carried its frame's call site.
    const fp = entry('R10=fp0,call_-1').value;
    expect(fp).toMatchObject({ base: 'fp', constant: 0n, fields: { callsite: -1 } });
    expect(printState(parseState(' R2=fp-8,call_3 R10=fp0,call_-1'))).toBe(' R2=fp-8,call_3 R10=fp0,call_-1');
    // A hex imm with letters is hex whatever else the value printed; 6.6's decimal imm stays decimal.
    expect(entry('R1=map_value(map=m,ks=4,vs=64,off=8,imm=1f)').value.fields.imm).toBe(31n);
    expect(entry('R1=map_value(map=m,ks=4,vs=64,off=8,imm=10)').value.fields.imm).toBe(10n);
    // 6.0 and later print P first; the new names are untouched.
    expect(entry('R1=Pscalar(smin=-3,smax=3)').value).toMatchObject({
      precise: true,
      precisionAfterType: false,
    });
    expect(printState(parseState(' R1=Pscalar(smin=-3) R2=P7'))).toBe(' R1=Pscalar(smin=-3) R2=P7');
  });

  test('the line forms: N:, from X to Y:, an instruction tail, level 1 jump target, a bare frame', () => {
    const cases: [string, StateLineForm, number | null, number | null][] = [
      ['0: R1=ctx() R10=fp0', 'pc', 0, null],
      ['from 35 to 5: R2=399 R10=fp0', 'branch', 5, 35],
      ['5: (2d) if r3 > r2 goto pc+4          ; R2=pkt_end() R3=pkt(off=4,r=4)', 'tail', 5, null],
      ['15: (2d) if r3 > r2 goto pc-8 8: R0=0 R1=3 R2=1 R10=fp0 fp-8=mmmm????', 'jump', 8, 15],
      [' frame1: R1=ctx() R10=fp0', 'bare', null, null],
    ];
    for (const [line, form, pc, fromPc] of cases) {
      const parsed = parseStateLine(line);
      expect(parsed).toMatchObject({ form, pc, fromPc, state: { error: null } });
      expect(printStateLine(line, parsed as NonNullable<typeof parsed>)).toBe(line);
    }
    expect(parseStateLine('6: (71) r1 = *(u8 *)(r1 +8)')).toBeNull();
    expect(parseStateLine('R1 offset is outside of the packet')).toBeNull();
  });

  test('unbalanced parentheses and garbage: what parsed is kept, the rest is marked', () => {
    const state = parseState(' R0=1 R1=scalar(smin=0,var_off=(0x0; 0xff) R2=3');
    expect(state.items).toHaveLength(1);
    expect(state.error).toMatchObject({ offset: 5, message: 'unbalanced parentheses' });
    expect(printState(state)).toBe(' R0=1 R1=scalar(smin=0,var_off=(0x0; 0xff) R2=3');
    expect(parseState(' R1=)(').error?.message).toBe('unbalanced parentheses');
    expect(parseState(' R0=scalar(smin=zz)').error?.message).toBe('bad smin: zz');
  });

  test('random text never throws, and prints back', () => {
    const alphabet = fc.constantFrom(...'R0=1 fp-8()_,;:P?mx[]scalar'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet })), (text) => {
        const state = parseState(text);
        expect(printState(state)).toBe(text);
        const line = parseStateLine(text);
        if (line) expect(typeof printStateLine(text, line)).toBe('string');
      }),
      { numRuns: 3000 },
    );
  });
});

/** Every state text of a corpus log parses without error and prints back byte for byte. */
function checkCorpusLog(bytes: Uint8Array): number {
  const lines = buildVerifierLines(decodeLog(bytes));
  let states = 0;
  for (let i = 0; i < lines.lineCount; i++) {
    const text = lines.text(i);
    const parsed = parseStateLine(text);
    if (!parsed) continue;
    states++;
    if (parsed.state.error || printStateLine(text, parsed) !== text)
      expect.fail(`line ${i}: ${text} → ${parsed.state.error?.message}`);
  }
  return states;
}

describe('every state text in the corpus: print(parse(x)) === x', () => {
  const kernel = readdirSync(join(FIXTURES, 'kernel')).filter((f) => /\.bin(\.gz)?$/.test(f));
  test.each(kernel)('kernel/%s', (file) => {
    const states = checkCorpusLog(fixtureBytes(`kernel/${file}`));
    // Logs without state: BTF loads, stats only, and logs cut before their first state.
    const stateless = /^(btf-|stats-|movs-(fixed|rotated)|ok-level1|uninit-stack-ok|uninit-fixed)/.test(file);
    expect(states > 0).toBe(!stateless);
  });
  const tlv = readdirSync(join(FIXTURES, 'tlv')).filter((f) => /\.bin(\.gz)?$/.test(f));
  test.each(tlv)('tlv/%s (joined lines)', (file) => {
    expect(checkCorpusLog(fixtureBytes(`tlv/${file}`))).toBeGreaterThanOrEqual(0);
  });
});
