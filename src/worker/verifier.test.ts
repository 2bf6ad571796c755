import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeTlv, type TlvMessage } from '../core/encode.ts';
import { FIXTURES, fixtureBytes, fixtureRaw } from '../testing/fixtures.ts';
import { stringMessage } from '../testing/messages.ts';
import { LogSession } from './session.ts';
import type { VerifierSession } from './verifier.ts';

const encoder = new TextEncoder();

async function open(bytes: Uint8Array, name = 'log'): Promise<{ session: LogSession; v: VerifierSession }> {
  const session = await LogSession.open(bytes, name);
  return { session, v: await session.verifier() };
}
const openFixture = (relative: string) => open(fixtureRaw(relative), relative);

/** A capture's text up to its NUL (the corpus buffers) or whole. */
function kernelText(relative: string): string {
  const bytes = fixtureBytes(relative);
  const nul = bytes.indexOf(0);
  return new TextDecoder().decode(nul < 0 ? bytes : bytes.subarray(0, nul));
}
const verifierFixtureText = (name: string) =>
  new TextDecoder().decode(readFileSync(join(FIXTURES, 'verifier', name)));

/**
 * Visits per pc counted straight from the text: instruction lines start at
 * column 0 (`12: (85) …`); the live-register listing's rows are indented.
 */
function bruteVisits(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const m of text.matchAll(/^(\d+): \([0-9a-f]{2}\) /gm)) {
    const pc = Number(m[1]);
    counts.set(pc, (counts.get(pc) ?? 0) + 1);
  }
  return counts;
}

/** Every instruction row, fetched as the page does: in windows. */
function allInsnRows(v: VerifierSession, sort: 'pc' | 'visits', program: number | null = null) {
  const { count } = v.insnCount(program);
  const rows = [];
  for (let start = 0; start < count; start += 500) rows.push(...v.insnRows(program, start, 500, sort));
  return rows;
}

describe('verdict', () => {
  it('bad-bounds.bin: rejected at pc 6, with the message, source line and the state there', async () => {
    const { v } = await openFixture('kernel/bad-bounds.bin');
    const verdict = v.verdict(null);
    expect(verdict).toMatchObject({
      verdict: 'rejected',
      program: 0,
      programs: [{ index: 0, verdict: 'rejected', wrapper: 'plain', firstLine: 0 }],
      error: {
        message:
          'invalid access to packet, off=8 size=1, R1(id=0,off=8,r=4)\nR1 offset is outside of the packet',
        line: 13,
        record: 13,
        pc: 6,
        insn: '(71) r1 = *(u8 *)(r1 +8)',
        source: { file: 'progs.bpf.c' },
      },
      stats: { processed: 7, limit: 1000000 },
      stripped: [],
    });
    // The state in force at pc 6: R1 is the packet pointer, its range not yet known (line 2's load).
    const r1 = verdict?.state?.regs.find((r) => r.name === 'R1');
    expect(r1).toMatchObject({ text: 'pkt(r=0)', type: 'pkt', fields: [['r', '0']], frame: 0 });
    expect(verdict?.state?.line).toBe(verdict?.error?.insnLine);
    expect(verdict?.kinds.error).toBe(2);
  });

  it('a log with no verifier output has no verdict', async () => {
    const { v } = await open(encoder.encode('hello\nworld\n'));
    expect(v.verdict(null)).toBeNull();
  });

  it('a truncated log says what truncation lost', async () => {
    const { v } = await openFixture('kernel/uninit-fixed-400.bin');
    const verdict = v.verdict(null);
    expect(verdict?.verdict).toBe('unknown');
    expect(verdict?.reason).toMatch(/fixed mode/);
  });
});

describe('instructions', () => {
  it('15 MB level-2 log: visit counts per pc equal the instruction lines in the text; sorted by visits', async () => {
    const { v } = await openFixture('kernel/loop-level2-15mb.bin.gz');
    const brute = bruteVisits(kernelText('kernel/loop-level2-15mb.bin.gz'));
    const byPc = allInsnRows(v, 'pc');
    expect(new Map(byPc.map((r) => [r.pc, r.visits]))).toEqual(brute);
    const byVisits = allInsnRows(v, 'visits');
    const expected = [...brute].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([pc]) => pc);
    expect(byVisits.map((r) => r.pc)).toEqual(expected);
    // The loop body (pcs 33, 34 in this capture) is on top, visited 1,611 times each.
    expect(byVisits.slice(0, 2).map((r) => [r.pc, r.visits])).toEqual([
      [33, 1611],
      [34, 1611],
    ]);
    expect(v.insnCount(null)).toEqual({ count: brute.size, maxVisits: 1611 });
    for (const row of byVisits.slice(0, 5))
      expect(v.insnPosition(null, row.pc, 'visits')).toBe(byVisits.indexOf(row));
    expect(v.insnPosition(null, 99999, 'pc')).toBe(-1);
  });

  it('visitStep walks every visit of a pc in log order, forwards and back', async () => {
    const { v } = await openFixture('kernel/loop-level2-15mb.bin.gz');
    const text = kernelText('kernel/loop-level2-15mb.bin.gz').split('\n');
    const expected = text.flatMap((line, i) => (line.startsWith('34: (') ? [i] : []));
    const walked: number[] = [];
    let at = v.visitStep(null, 34, null, 0);
    while (at) {
      expect(at).toMatchObject({ index: walked.length, count: expected.length, record: at.line });
      walked.push(at.line);
      at = v.visitStep(null, 34, at.line, 1);
    }
    expect(walked).toEqual(expected);
    const back: number[] = [];
    at = v.visitStep(null, 34, null, -1);
    while (at) {
      back.push(at.line);
      at = v.visitStep(null, 34, at.line, -1);
    }
    expect(back).toEqual([...expected].reverse());
    // Step 0 from a line between two visits lands on the next one.
    expect(v.visitStep(null, 34, expected[10] + 1, 0)?.line).toBe(expected[11]);
    expect(v.pcLine(null, 34)).toEqual({ line: expected[0], record: expected[0] });
  });

  it('71 MB log: the loop’s pcs on top, counts equal to the text’s', { timeout: 60_000 }, async () => {
    const t0 = performance.now();
    const { session, v } = await openFixture('kernel/too-large-71mb.bin.gz');
    const opened = performance.now() - t0;
    const brute = bruteVisits(kernelText('kernel/too-large-71mb.bin.gz'));
    const timings: Record<string, number> = { openAndIndex: opened, model: v.buildMs };
    const time = <T>(name: string, run: () => T): T => {
      const start = performance.now();
      const out = run();
      timings[name] = performance.now() - start;
      return out;
    };
    const verdict = time('verdict', () => v.verdict(null));
    expect(verdict?.error?.message).toBe('BPF program is too large. Processed 1000001 insn');
    time('kindCounts', () => v.kindCounts(null));
    const top = time('insnRows(visits) first', () => v.insnRows(null, 0, 50, 'visits'));
    time('insnRows(visits) again', () => v.insnRows(null, 0, 50, 'visits'));
    const expectedTop = [...brute].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 50);
    expect(top.map((r) => [r.pc, r.visits])).toEqual(expectedTop);
    expect(new Map(allInsnRows(v, 'pc').map((r) => [r.pc, r.visits]))).toEqual(brute);
    const hot = top[0].pc;
    time('insnPosition', () => v.insnPosition(null, hot, 'visits'));
    const last = time('visitStep(-1)', () => v.visitStep(null, hot, null, -1));
    expect(last?.index).toBe((brute.get(hot) ?? 0) - 1);
    time('visitStep(0, mid-log)', () => v.visitStep(null, hot, 500_000, 0));
    time('pcLine', () => v.pcLine(null, hot));
    time('lineOfRecord', () => v.lineOfRecord(999_000));
    const line = last?.line ?? 0;
    const state = time('stateAt(last visit)', () => v.stateAt(line));
    expect(state?.previousVisitLine).not.toBeNull();
    time('stateAt(mid-log)', () => v.stateAt(500_001));
    time('defChain(last visit, r1)', () => v.defChain(line, 'r1'));
    const sourceStart = performance.now();
    expect((await v.source(null)).length).toBeGreaterThan(0);
    timings.source = performance.now() - sourceStart;
    time('sourceLineOf', () => v.sourceLineOf(line));
    time('view(kinds insn)', () =>
      session.setView({ types: null, query: '', regex: false, kinds: ['insn'] }, null),
    );
    time('rows(50) with verifier', () => session.rows(400_000, 50));
    console.log(
      'verifier on the 71 MB log (ms):',
      Object.fromEntries(Object.entries(timings).map(([k, ms]) => [k, Math.round(ms * 10) / 10])),
    );
    expect(v.buildMs).toBeGreaterThan(0);
  });
});

describe('state, use-def, source', () => {
  it('stateAt: the registers at a visit, what it changed, and the diff vs the previous visit of its pc', async () => {
    const { v } = await openFixture('kernel/loop-level2-15mb.bin.gz');
    const second = v.visitStep(null, 34, null, 0);
    const third = second && v.visitStep(null, 34, second.line, 1);
    expect(third).not.toBeNull();
    const state = v.stateAt(third?.line ?? 0);
    expect(state?.pc).toBe(34);
    expect(state?.previousVisitLine).toBe(second?.line);
    // The line's tail names what the instruction wrote: those registers are `changed`.
    const text = kernelText('kernel/loop-level2-15mb.bin.gz').split('\n')[third?.line ?? 0];
    const tailRegs = [...(text.split('; ')[1] ?? '').matchAll(/(R\d+)\w*=/g)].map((m) => m[1]);
    expect(tailRegs.length).toBeGreaterThan(0);
    for (const name of tailRegs) expect(state?.regs.find((r) => r.name === name)?.changed, name).toBe(true);
    // A loop counter differs from one visit to the next.
    expect(state?.regs.some((r) => r.diff === 'changed' && r.previous !== null)).toBe(true);
    expect(v.stateAt(-5)).toBeNull();
  });

  it('defChain: the stack slot read after a helper call was written through r10 before it (usedef-level2)', async () => {
    const { v } = await openFixture('kernel/usedef-level2.bin');
    const use = v.pcLine(null, 4);
    expect(v.lineRow(use?.line ?? -1)?.insn).toMatch(/r8 = \*\(u32 \*\)\(r10 -4\)/);
    expect(v.lineRow(v.pcLine(null, 2)?.line ?? -1)?.call).toBe('r0 = bpf_ktime_get_ns()');
    const chain = v.defChain(use?.line ?? -1, 'fp-4:4');
    expect(chain?.defs[0]).toMatchObject({ pc: 1, operand: 'fp-4:4', how: 'insn', parent: -1 });
    expect(chain?.defs[0].text).toMatch(/^1: \(63\) \*\(u32 \*\)\(r10 -4\) = /);
    // …and the chain goes on to what pc 1 stored.
    expect(chain?.defs.length).toBeGreaterThan(1);
    expect(chain?.defs[1].parent).toBe(0);
    expect(v.defChain(use?.line ?? -1, 'bogus')).toBeNull();
  });

  it('defChain across a subprogram call (usedef-bad-level1): r0 after `call pc+8` is the callee’s', async () => {
    const { v } = await openFixture('kernel/usedef-bad-level1.bin');
    const use = v.pcLine(null, 14);
    const chain = v.defChain(use?.line ?? -1, 'r0');
    expect(chain?.defs[0]).toMatchObject({ how: 'return', operand: 'r0' });
    expect(chain?.defs[0].text).toMatch(/exit/);
  });

  it('source: files, lines with their pcs and visits, and the source line in force at a log line', async () => {
    const { v } = await openFixture('kernel/bad-bounds.bin');
    const files = await v.source(null);
    expect(files.map((f) => f.file)).toEqual(['progs.bpf.c']);
    const line38 = files[0].lines.find((l) => l.line === 38);
    expect(line38).toMatchObject({
      text: 'if ((void *)(p + 4) > end)',
      pcs: [3, 4, 5],
      visits: 3,
      logLine: 7,
    });
    // Line 4 is pc 1's instruction, under `; void *end = … @ progs.bpf.c:36`.
    expect(v.sourceLineOf(4)).toMatchObject({ file: 'progs.bpf.c', line: 36 });
    expect(v.sourceLineOf(0)).toBeNull();
  });

  it('source quotes without a location (kernels before 6.x print `; code` alone): listed in the order first quoted', async () => {
    // The same capture with each quote's ` @ progs.bpf.c:N` taken off, as older kernels print it.
    const located = kernelText('kernel/bad-bounds.bin');
    const { v } = await open(encoder.encode(located.replace(/ @ progs\.bpf\.c:\d+$/gm, '')));
    const { v: withLocation } = await open(encoder.encode(located));
    const files = await v.source(null);
    expect(files.map((f) => f.file)).toEqual([null]);
    const expected = (await withLocation.source(null))[0].lines
      .map((l) => ({ text: l.text, pcs: l.pcs, visits: l.visits, logLine: l.logLine }))
      .sort((a, b) => (a.logLine ?? 0) - (b.logLine ?? 0));
    expect(files[0].lines.map(({ line: _, ...l }) => l)).toEqual(expected);
    expect(files[0].lines.map((l) => l.line)).toEqual(expected.map((_, k) => k + 1));
    expect(v.sourceLineOf(4)).toEqual({ file: null, line: null, text: withLocation.sourceLineOf(4)?.text });
    expect(v.verdict(null)?.error?.source).toMatchObject({ file: null, line: null });
    expect(v.verdict(null)?.error?.source?.text).toBe(withLocation.verdict(null)?.error?.source?.text);
  });
});

describe('wrapped files: programs', () => {
  it('a libbpf report with stats lines: the program named, its error, the wrapper lines counted', async () => {
    const text = verifierFixtureText('bad-bounds-libbpf-l6.txt');
    const { v, session } = await open(encoder.encode(text));
    const verdict = v.verdict(null);
    expect(verdict?.programs.map((p) => [p.name, p.wrapper, p.verdict])).toEqual([
      ['xdp_bad_bounds', 'libbpf', 'rejected'],
    ]);
    expect(verdict?.error?.message).toMatch(/R1 offset is outside of the packet/);
    expect(verdict?.error?.pc).toBe(6);
    expect(verdict?.stats.verificationTimeUs).not.toBeNull();
    expect(verdict?.stripped.join()).toMatch(/libbpf output/);
    const libbpfLines = text.split('\n').filter((l) => l.startsWith('libbpf:')).length;
    expect(v.kindCounts(null).wrapper).toBeGreaterThanOrEqual(libbpfLines);
    // Filtering the view to the program's lines drops the wrapper's.
    const { total } = await session.setView({ types: null, query: '', regex: false, program: 0 }, null);
    const [first, end] = v.lineRangeOf(0);
    expect(total).toBe(end - first);
    expect(session.rows(0, 1)[0].index).toBe(first);
  });

  it('a veristat file with two programs: the picker data and each program’s verdict', async () => {
    const ok = kernelText('kernel/ok-level2.bin.gz');
    const bad = kernelText('kernel/bad-bounds.bin');
    const text =
      `PROCESSING progs.bpf.o/xdp_ok, DURATION US: 1234, VERDICT: success, VERIFIER LOG:\n${ok}\n` +
      `PROCESSING progs.bpf.o/xdp_bad_bounds, DURATION US: 210, VERDICT: failure, VERIFIER LOG:\n${bad}\n` +
      'Done. Processed 1 files, 0 programs. Skipped 2 files, 0 programs.\n';
    const { v, session } = await open(encoder.encode(text));
    const chosen = v.verdict(null);
    expect(chosen?.programs.map((p) => [p.index, p.name, p.verdict, p.wrapper])).toEqual([
      [0, 'progs.bpf.o/xdp_ok', 'accepted', 'veristat'],
      [1, 'progs.bpf.o/xdp_bad_bounds', 'rejected', 'veristat'],
    ]);
    expect(chosen?.program).toBe(1);
    expect(chosen?.error?.pc).toBe(6);
    const okVerdict = v.verdict(0);
    expect(okVerdict).toMatchObject({ program: 0, verdict: 'accepted', error: null });
    // Each program's instructions are its own: pc 6 of xdp_bad_bounds is visited once.
    expect(v.insnRows(1, 6, 1, 'pc')[0]).toMatchObject({ pc: 6, visits: 1 });
    expect(v.insnCount(0).count).toBeGreaterThan(v.insnCount(1).count);
    // The kinds filter over program 1: its instruction lines only, as records of the file.
    const { total } = await session.setView(
      { types: null, query: '', regex: false, kinds: ['insn'], program: 1 },
      null,
    );
    expect(total).toBe(v.kindCounts(1).insn);
    const rows = session.rows(0, total);
    expect(rows.every((r) => r.verifier?.kind === 'insn')).toBe(true);
    expect(rows.map((r) => r.verifier?.pc)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(v.lineOfRecord(rows[0].index)).toMatchObject({ pc: 0, program: 1 });
  });
});

describe('TLV', () => {
  it('a fragmented TLV buffer gives the same verdict as its text, on joined lines and their records', async () => {
    const text = kernelText('kernel/bad-bounds.bin');
    const messages: TlvMessage[] = [];
    // The verifier prints a line in several calls: cut each line into pieces of at most 9 bytes.
    for (const line of text.split(/(?<=\n)/))
      for (let at = 0; at < line.length; at += 9) messages.push(stringMessage(line.slice(at, at + 9)));
    const tlv = await open(encodeTlv(messages).bytes);
    const plain = await openFixture('kernel/bad-bounds.bin');
    const a = tlv.v.verdict(null);
    const b = plain.v.verdict(null);
    const { record: tlvRecord, ...tlvError } = a?.error ?? { record: -1 };
    const { record: textRecord, ...textError } = b?.error ?? { record: -1 };
    expect(tlvError).toEqual(textError);
    expect(a?.state).toEqual(b?.state);
    expect(textRecord).toBe(13);
    // The error line's first record is the first fragment of line 13.
    const before = text.split('\n').slice(0, 13);
    expect(tlvRecord).toBe(before.reduce((n, line) => n + Math.ceil((line.length + 1) / 9), 0));
    expect(tlv.v.lineOfRecord(tlvRecord)).toMatchObject({ line: 13, program: 0 });
    // Rows of fragments carry their joined line's reading.
    const row = tlv.session.rows(tlvRecord + 1, 1)[0];
    expect(row.verifier).toMatchObject({ line: 13, kind: 'error' });
    // A kinds filter keeps every fragment of the chosen lines.
    const { total } = await tlv.session.setView(
      { types: null, query: '', regex: false, kinds: ['error'] },
      null,
    );
    expect(total).toBe(a?.error?.message.split('\n').reduce((n, l) => n + Math.ceil((l.length + 1) / 9), 0));
  });
});
