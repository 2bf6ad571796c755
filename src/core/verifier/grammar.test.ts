import { describe, expect, it } from 'vitest';
import { fixtureBytes, kernelManifest } from '../../testing/fixtures.ts';
import { DecodedLog } from '../decode.ts';
import { classifyLineBytes, lastLinePc } from './grammar.ts';
import { LINE_KIND_NAMES, LineKind, type LineKindName } from './kinds.ts';
import { buildVerifierLines } from './lines.ts';

const encoder = new TextEncoder();

function classify(line: string): [LineKindName, number] {
  const bytes = encoder.encode(line);
  const kind = classifyLineBytes(bytes, 0, bytes.length);
  return [LINE_KIND_NAMES[kind], lastLinePc()];
}

function kindCounts(file: string): Record<string, number> {
  const lines = buildVerifierLines(new DecodedLog(fixtureBytes(`kernel/${file}`)));
  const counts: Record<string, number> = {};
  for (let i = 0; i < lines.lineCount; i++) {
    const name = LINE_KIND_NAMES[lines.kinds[i]];
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

describe('line grammar', () => {
  it('classifies every instruction form kernel/bpf/disasm.c prints as an instruction with its pc', () => {
    const forms = [
      '(07) r1 += 8',
      '(04) w1 += 8',
      '(bf) r1 = r2',
      '(bf) r1 = (s8)r2',
      '(bc) w1 = (s16)w2',
      '(87) r1 = -r1',
      '(d4) r1 = le16 r1',
      '(dc) r1 = be32 r1',
      '(d7) r1 = bswap64 r1',
      '(61) r2 = *(u32 *)(r1 +4)',
      '(91) r1 = *(s8 *)(r2 +0)',
      '(62) *(u32 *)(r10 -4) = 0',
      '(db) lock *(u64 *)(r0 +0) += r1',
      '(c3) lock *(u32 *)(r1 +0) |= r2',
      '(db) r1 = atomic64_fetch_add((u64 *)(r0 +0), r1)',
      '(db) r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)',
      '(d3) r1 = load_acquire((u8 *)(r2 +0))',
      '(db) store_release((u64 *)(r1 +0), r2)',
      '(18) r1 = 0xffff888104392800',
      '(18) r1 = map[id:5][0]+0',
      '(20) r0 = *(u32 *)skb[12]',
      '(85) call bpf_map_lookup_elem#1',
      '(85) call pc+5',
      '(85) call bpf_dynptr_slice#71567',
      '(8d) callx r1',
      '(95) exit',
      '(05) goto pc+13',
      '(06) gotol pc+100000',
      '(e5) may_goto pc+3',
      '(16) if w0 == 0x0 goto pc+2',
      '(bf) r1 = addr_space_cast(r2, 0, 1)',
      '(bf) r0 = &(void __percpu *)(r0)',
      '(9f) r1 s%= r2',
      '(2d) if r3 > r2 goto pc-8 8: R0=0 R1=3 R10=fp0',
      '(07) r1 += -16                     ; R1=fp-16',
    ];
    for (const form of forms) expect(classify(`12: ${form}`), form).toEqual(['insn', 12]);
  });

  it('tells states, prunes, listings and prose apart by their leading bytes', () => {
    expect(classify('0: R1=ctx() R10=fp0')).toEqual(['state', 0]);
    expect(classify('10: frame1: R1=ctx() R10=fp0')).toEqual(['state', 10]);
    expect(classify('from 7 to 9: R1=ctx() R10=fp0')).toEqual(['state', 9]);
    expect(classify('from 7 to 9 (speculative execution): R1=ctx()')).toEqual(['state', 9]);
    expect(classify('from 35 to 5: safe')).toEqual(['prune', 5]);
    expect(classify('12: safe')).toEqual(['prune', 12]);
    expect(classify(' frame1: R1=ctx() R10=fp0')[0]).toBe('state');
    expect(classify('      0: .1........ (b7) r2 = 0')[0]).toBe('liveRegs');
    expect(classify('  1  18: .1234..... (bf) r5 = r1')[0]).toBe('liveRegs');
    // 6.18's stack liveness, after the call sites' chain: not the error of an accepted program.
    expect(classify('(0) frame 0 insn 4 +live -16 ')[0]).toBe('liveRegs');
    expect(classify('(0,12) frame 1 insn 3 +written -8 -16')[0]).toBe('liveRegs');
    expect(classify('(0) live stack update done in 2 iterations')[0]).toBe('liveRegs');
    expect(classify('(0) something else')[0]).toBe('message');
    expect(classify('mark_precise: frame0: regs=r2 stack= before 21: (07) r0 += 1')).toEqual([
      'precision',
      -1,
    ]);
    expect(classify('regs=4 stack=0 before 13: (bf) r1 = r6')[0]).toBe('precision');
    expect(classify('; int x = ctx->len; @ file.c:42')[0]).toBe('source');
    expect(classify('; int x = ctx->len;')[0]).toBe('source');
    expect(classify('Validating f() func#1...')[0]).toBe('func');
    expect(classify("Func#1 ('f') is global and assumed valid.")[0]).toBe('func');
    expect(classify('to caller at 12:')[0]).toBe('func');
    expect(classify('stack depth 8+16')[0]).toBe('stats');
    expect(classify('[2] Invalid kind:31')[0]).toBe('btf');
    expect(classify('R2 !read_ok')[0]).toBe('message');
    expect(classify("libbpf: prog 'x': BPF program load failed: Permission denied")[0]).toBe('wrapper');
    expect(classify('   \t ')[0]).toBe('blank');
  });

  it('calls bad input unknown without throwing: binary bytes, a state with unbalanced parentheses', () => {
    expect(classify('0: R1=scalar(smin=0')[0]).toBe('unknown');
    expect(classify('12: (61) r2 = *(u32 *)(r1')[0]).toBe('unknown');
    expect(classify('5: (2d) if r3 > r2 goto pc+4          ; R2=pkt_end() R3=pkt(off=4,r=')[0]).toBe(
      'unknown',
    );
    expect(classify('from 1 to 2: R1=ctx())')[0]).toBe('unknown');
    expect(classify('\u0001\u0002garbage')[0]).toBe('unknown');
    let seed = 7;
    const random = new Uint8Array(1 << 16).map(() => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    });
    for (let at = 0; at < random.length; at += 97) {
      const kind = classifyLineBytes(random, at, Math.min(random.length, at + 97));
      expect(kind).toBe(LineKind.unknown);
    }
  });

  it('classifies a 10 MB line quickly', () => {
    const line = new Uint8Array(10 << 20).fill(0x61);
    const t0 = performance.now();
    expect(classifyLineBytes(line, 0, line.length)).toBe(LineKind.message);
    line[5 << 20] = 0xff;
    expect(classifyLineBytes(line, 0, line.length)).toBe(LineKind.unknown);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('counts the kinds of real logs (checked against the corpus text)', () => {
    expect(kindCounts('uninit-reg.bin')).toEqual({
      func: 1,
      liveRegs: 15,
      state: 1,
      insn: 13,
      message: 1,
      summary: 1,
    });
    expect(kindCounts('too-large-71mb.bin.gz')).toEqual({
      state: 1,
      source: 200001,
      insn: 800002,
      message: 1,
      summary: 1,
    });
    expect(kindCounts('btf-bad-kind.bin')).toEqual({ btf: 11 });
  });

  it('knows at least 99% of the lines of every level-2 log', () => {
    for (const c of kernelManifest().filter((k) => (k.log_level & 2) !== 0)) {
      const counts = kindCounts(c.file);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      expect((counts.unknown ?? 0) / total, c.file).toBeLessThan(0.01);
      if (c.result.errno !== 28) expect(counts.insn ?? 0, c.file).toBeGreaterThan(0);
    }
  });
});

describe('line grammar on subprogram calls (real captures)', () => {
  it('classifies caller/callee blocks, frame states and global functions', () => {
    const bytes = fixtureBytes('verifier/calls-ok-l2.bin');
    const lines = buildVerifierLines(new DecodedLog(bytes));
    const kindOf = (text: string) => {
      for (let i = 0; i < lines.lineCount; i++)
        if (lines.text(i) === text) return [LINE_KIND_NAMES[lines.kinds[i]], lines.pcs[i]];
      return null;
    };
    expect(kindOf('func#2 @23')).toEqual(['func', -1]);
    expect(kindOf('caller:')).toEqual(['func', -1]);
    expect(kindOf(' R10=fp0')).toEqual(['state', -1]);
    expect(kindOf(' frame1: R1=ctx() R2=3 R10=fp0')).toEqual(['state', -1]);
    expect(kindOf('13: frame1: R1=ctx() R2=3 R10=fp0')).toEqual(['state', 13]);
    expect(kindOf('13: (bf) r0 = r2                      ; frame1: R0=3 R2=3')).toEqual(['insn', 13]);
    expect(kindOf('to caller at 2:')).toEqual(['func', -1]);
    expect(kindOf("Func#2 ('global_check') is global and assumed valid.")).toEqual(['func', -1]);
    expect(kindOf('Validating global_check() func#2...')).toEqual(['func', -1]);
    expect(kindOf('from 18 to 22: safe')).toEqual(['prune', 22]);
    const counts = new Set(Array.from(lines.kinds, (k) => LINE_KIND_NAMES[k]));
    expect(counts.has('unknown')).toBe(false);
    expect(counts.has('message')).toBe(false);
  });
});
