import { describe, expect, it } from 'vitest';
import { fixtureBytes, kernelManifest, libbpfReport } from '../testing/fixtures.ts';
import { DecodedLog } from './decode.ts';
import {
  classifyVerifierLine,
  logTail,
  parseProcessedSummary,
  type TailLine,
  verifierOutcome,
} from './verifier.ts';

function tailOf(log: DecodedLog, n = 40): TailLine[] {
  const out: TailLine[] = [];
  for (let i = Math.max(0, log.recordCount - n); i < log.recordCount; i++)
    out.push({ text: log.recordText(i) ?? '', record: i });
  return out;
}

describe('verifier lines', () => {
  it('classifies the kinds of line a verifier log has', () => {
    expect(classifyVerifierLine('12: (85) call bpf_map_lookup_elem#1')).toBe('insn');
    expect(classifyVerifierLine('0: R1=ctx() R10=fp0')).toBe('state');
    expect(classifyVerifierLine('; int x = ctx->len; @ file.c:42')).toBe('source');
    expect(classifyVerifierLine('from 7 to 9: safe')).toBe('branch');
    expect(classifyVerifierLine('func#0 @0')).toBe('func');
    expect(classifyVerifierLine('verification time 52 usec')).toBe('stats');
    expect(classifyVerifierLine('[1] INT a size=4 bits_offset=0 nr_bits=32 encoding=(none)')).toBe('btf');
    expect(classifyVerifierLine("R0 invalid mem access 'map_value_or_null'")).toBe('message');
  });

  it('parses the closing summary', () => {
    expect(
      parseProcessedSummary(
        'processed 1000001 insns (limit 1000000) max_states_per_insn 4 total_states 10002 peak_states 10002 mark_read 0',
      ),
    ).toEqual({ insns: 1000001, limit: 1000000, maxStatesPerInsn: 4, totalStates: 10002, peakStates: 10002 });
    expect(parseProcessedSummary('0: R1=ctx()')).toBeNull();
  });
});

describe('verifier outcome in libbpf’s report of a failed load', () => {
  it('is read from the kernel’s log, not libbpf’s lines after it', () => {
    const direct = verifierOutcome(logTail(new DecodedLog(fixtureBytes('kernel/null-deref.bin'))));
    const wrapped = verifierOutcome(
      logTail(new DecodedLog(libbpfReport('null-deref.bin', 'xdp_null_deref'))),
    );
    expect(wrapped.error?.lines).toEqual(direct.error?.lines);
    expect(wrapped.error?.lines).toEqual(["R0 invalid mem access 'map_value_or_null'"]);
    expect(wrapped.summary?.insns).toBe(direct.summary?.insns);
    // Two libbpf lines come first: the records are those of the wrapped text.
    expect(wrapped.error?.record).toBe((direct.error?.record ?? 0) + 2);
  });
});

describe('verifier outcome on the kernel corpus', () => {
  const ENOSPC = 28;
  const manifest = kernelManifest();
  /** The kernel's answer for a program, from a capture whose log fitted (ENOSPC hides it). */
  const refusedOutright = (program: string, command: string) => {
    const whole = manifest.find(
      (m) => m.program === program && m.command === command && m.result.errno !== ENOSPC,
    );
    return whole ? whole.result.errno !== 0 : null;
  };
  /** The instructions the verifier processed for a program, from a capture whose log fitted. */
  const processedOutright = (program: string, command: string) => {
    const whole = manifest.find(
      (m) => m.program === program && m.command === command && m.result.errno !== ENOSPC,
    );
    if (!whole) return null;
    return (
      verifierOutcome(tailOf(new DecodedLog(fixtureBytes(`kernel/${whole.file}`)))).summary?.insns ?? null
    );
  };
  for (const c of manifest) {
    it(`${c.file}: an error message exactly when the kernel refused the program; a summary only if the end was kept`, () => {
      const log = new DecodedLog(fixtureBytes(`kernel/${c.file}`));
      const outcome = verifierOutcome(tailOf(log));
      const refused = refusedOutright(c.program, c.command);
      // A log whose end survived (complete, or rotating mode) ends with the verifier's verdict.
      const endKept = !log.truncation.truncated || log.truncation.mode === 'rotating';
      if (endKept && refused !== null)
        expect(outcome.error !== null, JSON.stringify(outcome.error)).toBe(refused);
      if (endKept && c.command === 'BPF_PROG_LOAD') expect(outcome.summary?.limit).toBe(1000000);
      // Fixed mode keeps the start: the closing summary is lost with the end.
      if (log.truncation.mode === 'fixed') expect(outcome.summary).toBeNull();
      // A summary that survived (even in a rewound log) counts what the whole capture counts.
      const insns = processedOutright(c.program, c.command);
      if (outcome.summary && insns !== null) expect(outcome.summary.insns).toBe(insns);
    });
  }

  it('reads the same tail from a TLV log of fragments as from its text', () => {
    const fragments = new DecodedLog(fixtureBytes('tlv/ok2-fragments.bin'));
    const text = new DecodedLog(fixtureBytes('kernel/ok-level2.bin.gz'));
    const a = logTail(fragments, 10);
    const b = logTail(text, 10);
    expect(a.map((l) => l.text)).toEqual(b.slice(b.length - a.length).map((l) => l.text));
    expect(a.length).toBeGreaterThanOrEqual(9);
    // Each line names the record it starts in.
    for (const line of a)
      expect(line.text.startsWith((fragments.recordText(line.record) ?? '').replace(/\n$/, ''))).toBe(true);
    expect(verifierOutcome(a).summary?.insns).toBe(verifierOutcome(b).summary?.insns);
  });

  it('finds the complaint in a TLV log too', () => {
    const log = new DecodedLog(fixtureBytes('tlv/oob-fragments.bin'));
    const outcome = verifierOutcome(logTail(log));
    expect(outcome.error?.lines[0]).toMatch(/^invalid access to map value/);
    expect(log.recordText(outcome.error?.record ?? -1)).toMatch(/^invalid/);
  });

  it('finds the complaint itself', () => {
    const cases: [string, string][] = [
      ['kernel/bad-bounds.bin', 'invalid access to packet, off=8 size=1, R1(id=0,off=8,r=4)'],
      ['kernel/null-deref.bin', "R0 invalid mem access 'map_value_or_null'"],
      ['kernel/ringbuf-leak.bin', 'Unreleased reference id=2 alloc_insn=4'],
      ['kernel/btf-bad-kind.bin', '[2] Invalid kind:31'],
      ['kernel/too-large-71mb.bin.gz', 'BPF program is too large. Processed 1000001 insn'],
    ];
    for (const [file, first] of cases) {
      const log = new DecodedLog(fixtureBytes(file));
      const outcome = verifierOutcome(tailOf(log));
      expect(outcome.error?.lines[0], file).toBe(first);
      expect(log.recordText(outcome.error?.record ?? -1)).toBe(first);
    }
  });
});

describe('verifier outcome with BPF_LOG_STATS (real libbpf reports)', () => {
  it('finds the complaint behind `verification time` and `stack depth`', () => {
    for (const [file, first] of [
      ['verifier/bad-bounds-libbpf-l6.txt', 'invalid access to packet, off=8 size=1, R1(id=0,off=8,r=4)'],
      ['verifier/null-deref-libbpf-l5.txt', "R0 invalid mem access 'map_value_or_null'"],
    ]) {
      const outcome = verifierOutcome(logTail(new DecodedLog(fixtureBytes(file))));
      expect(outcome.error?.lines[0], file).toBe(first);
      expect(outcome.summary?.limit, file).toBe(1000000);
    }
  });
});
