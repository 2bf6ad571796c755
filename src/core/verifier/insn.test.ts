import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureBytes, kernelManifest } from '../../testing/fixtures.ts';
import { type Insn, parseInsn, splitInsnLine } from './insn.ts';

/**
 * Every form kernel/bpf/disasm.c's print_bpf_insn prints, written by hand from
 * its format strings, with what the instruction reads and writes.
 */
const FORMS: [string, Partial<Insn>][] = [
  ['r1 += r2', { op: 'alu', operator: '+=', reads: [1, 2], writes: [1], is32: false }],
  ['w1 s/= w2', { op: 'alu', operator: 's/=', reads: [1, 2], writes: [1], is32: true }],
  ['r1 s%= 3', { op: 'alu', operator: 's%=', reads: [1], writes: [1], imm: '3' }],
  ['w1 = w2', { op: 'alu', operator: '=', reads: [2], writes: [1], is32: true }],
  ['r3 = -7', { op: 'alu', operator: '=', reads: [], writes: [3], imm: '-7' }],
  ['r4 s>>= 56', { op: 'alu', operator: 's>>=', reads: [4], writes: [4] }],
  ['r1 = -r1', { op: 'neg', reads: [1], writes: [1] }],
  ['w1 = -w1', { op: 'neg', reads: [1], writes: [1], is32: true }],
  ['r1 = (s8)r2', { op: 'alu', operator: '= (s8)', reads: [2], writes: [1] }],
  ['w1 = (s16)w2', { op: 'alu', operator: '= (s16)', reads: [2], writes: [1], is32: true }],
  ['r1 = be16 r1', { op: 'endian', operator: 'be16', reads: [1], writes: [1] }],
  ['r1 = le64 r1', { op: 'endian', operator: 'le64', reads: [1], writes: [1] }],
  ['r1 = bswap32 r1', { op: 'endian', operator: 'bswap32', reads: [1], writes: [1] }],
  ['r1 = addr_space_cast(r2, 0, 1)', { op: 'addrSpaceCast', reads: [2], writes: [1], imm: '0, 1' }],
  [
    'r1 = *(u32 *)(r2 +4)',
    {
      op: 'load',
      reads: [2],
      writes: [1],
      mem: { base: 2, offset: 4, size: 4, signed: false, read: true, write: false },
    },
  ],
  [
    'r1 = *(s8 *)(r10 -1)',
    {
      op: 'load',
      reads: [10],
      writes: [1],
      stack: { offset: -1, size: 1, slot: -8, read: true, write: false },
    },
  ],
  [
    '*(u64 *)(r10 -8) = r1',
    {
      op: 'store',
      reads: [10, 1],
      writes: [],
      stack: { offset: -8, size: 8, slot: -8, read: false, write: true },
    },
  ],
  [
    '*(u32 *)(r10 -4) = 0',
    {
      op: 'store',
      reads: [10],
      imm: '0',
      stack: { offset: -4, size: 4, slot: -8, read: false, write: true },
    },
  ],
  ['lock *(u64 *)(r1 +0) += r2', { op: 'atomic', operator: '+=', reads: [1, 2], writes: [] }],
  ['lock *(u32 *)(r10 -4) ^= r2', { op: 'atomic', operator: '^=', is32: true, reads: [10, 2] }],
  [
    'r0 = atomic64_fetch_add((u64 *)(r1 +0), r0)',
    { op: 'atomic', operator: 'fetch_add', reads: [1, 0], writes: [0] },
  ],
  [
    'r2 = atomic_fetch_or((u32 *)(r1 +8), r2)',
    { op: 'atomic', operator: 'fetch_or', is32: true, writes: [2] },
  ],
  [
    'r3 = atomic64_xchg((u64 *)(r10 -16), r3)',
    { op: 'atomic', operator: 'xchg', reads: [10, 3], writes: [3] },
  ],
  [
    'r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)',
    { op: 'atomic', operator: 'cmpxchg', reads: [1, 0, 2], writes: [0] },
  ],
  ['r1 = load_acquire((u64 *)(r2 +0))', { op: 'atomic', operator: 'load_acquire', reads: [2], writes: [1] }],
  [
    'store_release((u32 *)(r1 +4), r2)',
    { op: 'atomic', operator: 'store_release', reads: [1, 2], writes: [] },
  ],
  ['r1 = 0x1234 ll', { op: 'ldImm64', writes: [1], imm: '0x1234 ll', width: 2 }],
  ['r1 = map[id:5]', { op: 'ldImm64', writes: [1], imm: 'map[id:5]', width: 2 }],
  ['r1 = map[id:5][0]+0', { op: 'ldImm64', writes: [1], imm: 'map[id:5][0]+0', width: 2 }],
  ['r0 = *(u8 *)skb[12]', { op: 'ldAbs', reads: [6], writes: [0, 1, 2, 3, 4, 5], imm: '12' }],
  ['r0 = *(u16 *)skb[r7 + 2]', { op: 'ldAbs', reads: [6, 7], imm: '2' }],
  [
    'call bpf_map_lookup_elem#1',
    {
      op: 'call',
      call: { kind: 'helper', name: 'bpf_map_lookup_elem', id: 1, offset: null },
      writes: [0, 1, 2, 3, 4, 5],
    },
  ],
  [
    'call bpf_dynptr_slice#71567',
    { op: 'call', call: { kind: 'kfunc', name: 'bpf_dynptr_slice', id: 71567, offset: null } },
  ],
  ['call kernel_func', { op: 'call', call: { kind: 'kfunc', name: 'kernel_func', id: null, offset: null } }],
  [
    'call unknown#195896080',
    { op: 'call', call: { kind: 'unknown', name: null, id: 195896080, offset: null } },
  ],
  [
    'call pc+5',
    { op: 'call', call: { kind: 'subprog', name: null, id: null, offset: 5 }, reads: [1, 2, 3, 4, 5] },
  ],
  ['call pc-12', { op: 'call', call: { kind: 'subprog', name: null, id: null, offset: -12 } }],
  ['exit', { op: 'exit', reads: [0] }],
  ['goto pc+3', { op: 'goto', operator: 'goto', jump: 3 }],
  ['gotol pc-300', { op: 'goto', operator: 'gotol', jump: -300 }],
  ['may_goto pc+2', { op: 'mayGoto', jump: 2 }],
  ['if r1 > r2 goto pc+2', { op: 'condJump', operator: '>', reads: [1, 2], jump: 2 }],
  ['if w1 > 0x5 goto pc+2', { op: 'condJump', operator: '>', reads: [1], imm: '0x5', is32: true, jump: 2 }],
  ['if r6 s<= 0xffffffff goto pc-4', { op: 'condJump', operator: 's<=', reads: [6], jump: -4 }],
  ['if r1 & 0x1 goto pc+1', { op: 'condJump', operator: '&', reads: [1] }],
  ['nospec', { op: 'nospec', reads: [], writes: [] }],
];

describe('parseInsn', () => {
  it.each(FORMS)('%s', (text, expected) => {
    expect(parseInsn(text)).toMatchObject({ ...expected, text });
  });

  it('reads a whole log line: pc, opcode, state tail and the next state a jump prints on its line', () => {
    expect(splitInsnLine('6: (85) call bpf_map_lookup_elem#1    ; R0=map_value_or_null(id=1)')).toEqual({
      pc: 6,
      opcode: 0x85,
      insn: 'call bpf_map_lookup_elem#1',
      tail: 'R0=map_value_or_null(id=1)',
    });
    const jump = '15: (2d) if r3 > r2 goto pc-8 8: R0=0 R1=3 R2=1 R10=fp0 fp-8=mmmm????';
    expect(splitInsnLine(jump)?.tail).toBe('8: R0=0 R1=3 R2=1 R10=fp0 fp-8=mmmm????');
    expect(parseInsn(jump)).toMatchObject({ op: 'condJump', reads: [3, 2], jump: -8 });
    // A wide load's immediate is only read as one under opcode 0x18.
    expect(parseInsn('4: (18) r1 = 0xffff888104392c00').op).toBe('ldImm64');
    expect(parseInsn('4: (b7) r1 = something').op).toBe('unknown');
  });

  it('says unknown for text no printer makes, and never throws on random text', () => {
    expect(parseInsn('BUG_ld_00').op).toBe('unknown');
    expect(parseInsn('r1 += r11').op).toBe('unknown');
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        expect(() => parseInsn(text)).not.toThrow();
      }),
    );
  });

  it('parses every instruction text in the corpus (visits, listings, precision lines) to a known form', () => {
    const texts = new Map<string, string>(); // insn text → a file it came from
    for (const { file } of kernelManifest()) {
      const bytes = fixtureBytes(`kernel/${file}`);
      const nul = bytes.indexOf(0);
      const text = new TextDecoder().decode(nul < 0 ? bytes : bytes.subarray(0, nul));
      for (const line of text.split('\n')) {
        const at = line.indexOf(': (');
        if (at < 0) continue;
        const m = /(?:^|before )\s*\d+: (?:[.0-9]{10} )?(\([0-9a-f]{2}\) .*)/.exec(
          line.slice(0, 200) + line.slice(200),
        );
        const insn = m && splitInsnLine(`0: ${m[1]}`)?.insn;
        if (insn && !texts.has(insn)) texts.set(insn, file);
      }
    }
    const unknown = [...texts].filter(([text]) => parseInsn(text).op === 'unknown');
    expect(texts.size).toBeGreaterThan(200);
    expect(unknown).toEqual([]);
  });
});
