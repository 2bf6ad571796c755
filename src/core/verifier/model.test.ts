import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureBytes, kernelManifest } from '../../testing/fixtures.ts';
import { stringMessage } from '../../testing/messages.ts';
import { DecodedLog } from '../decode.ts';
import { encodeTlv, type TlvMessage } from '../encode.ts';
import { LINE_KIND_NAMES, LineKind } from './kinds.ts';
import { buildVerifierModel, type VerifierModel } from './model.ts';

const encoder = new TextEncoder();
const model = (bytes: Uint8Array) => buildVerifierModel(new DecodedLog(bytes));
const modelOfText = (text: string) => model(encoder.encode(text));
const selected = (m: VerifierModel) => m.programs[m.defaultProgram];

/** A capture's text up to its NUL (the corpus buffers) or whole (saved terminal output). */
function kernelText(file: string): string {
  const bytes = fixtureBytes(file);
  const nul = bytes.indexOf(0);
  return new TextDecoder().decode(nul < 0 ? bytes : bytes.subarray(0, nul));
}
const verifierFixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, 'verifier', name)));

/** Each rejected corpus log's error, checked by hand against its text once: [message, line, pc]. */
const REJECTIONS: Record<string, [string, number, number | null]> = {
  'bad-bounds.bin': [
    'invalid access to packet, off=8 size=1, R1(id=0,off=8,r=4)\nR1 offset is outside of the packet',
    13,
    6,
  ],
  'null-deref.bin': ["R0 invalid mem access 'map_value_or_null'", 13, 7],
  // The use-def captures (capture/usedef.bpf.c), checked by hand: the load of the unchecked map value.
  'usedef-bad-level1.bin': ["R6 invalid mem access 'map_value_or_null'", 45, 19],
  'usedef-comm-level1.bin': ["R0 invalid mem access 'map_value_or_null'", 22, 13],
  'map-oob-garbage-tail.bin': [
    'invalid access to map value, value_size=8 off=255 size=1\nR1 max value is outside of the allowed memory range',
    29,
    18,
  ],
  'ringbuf-leak.bin': [
    'Unreleased reference id=2 alloc_insn=4\nBPF_EXIT instruction in main prog would lead to reference leak',
    16,
    10,
  ],
  'ctx-write.bin': ['invalid bpf_context access off=0 size=4', 5, 1],
  'helper-pkt-arg.bin': [
    'invalid access to packet, off=0 size=4, R2(id=0,off=0,r=0)\nR2 offset is outside of the packet',
    14,
    8,
  ],
  'too-large-71mb.bin.gz': ['BPF program is too large. Processed 1000001 insn', 1000004, 9],
  'uninit-reg.bin': ['R2 !read_ok', 30, 12],
  'btf-bad-kind.bin': ['[2] Invalid kind:31', 10, null],
};

describe('verdict on the real corpus', () => {
  it('agrees with the kernel’s errno on every log (ENOSPC ones are not asserted rejected)', () => {
    for (const c of kernelManifest()) {
      const verdict = selected(model(fixtureBytes(`kernel/${c.file}`))).verdict.verdict;
      if (c.result.errno === 0) expect(verdict, c.file).toBe('accepted');
      // ENOSPC: the log overflowed; the program itself may have verified (loop-level2-rotated ends accepted).
      else if (c.result.errno !== 28) expect(verdict, c.file).toBe('rejected');
    }
  });

  it('finds each rejection’s error message, its first line and the failing pc', () => {
    const rejected = kernelManifest().filter((c) => c.result.errno !== 0 && c.result.errno !== 28);
    expect(rejected.map((c) => c.file).sort()).toEqual(Object.keys(REJECTIONS).sort());
    for (const c of rejected) {
      const m = model(fixtureBytes(`kernel/${c.file}`));
      const error = selected(m).verdict.error;
      const [message, line, pc] = REJECTIONS[c.file];
      expect(error, c.file).toMatchObject({ message, line, pc });
      expect(m.lines.kinds[line], c.file).toBe(LineKind.error);
    }
  });

  it('names the failing instruction’s source line', () => {
    const m = model(fixtureBytes('kernel/null-deref.bin'));
    const error = selected(m).verdict.error;
    expect(error?.sourceLine).not.toBeNull();
    expect(m.lines.text(error?.sourceLine ?? -1)).toBe('; *v += 1; @ progs.bpf.c:50');
    expect(m.lines.text(error?.insnLine ?? -1)).toBe('7: (79) r1 = *(u64 *)(r0 +0)');
  });

  it('says what truncation means: fixed mode lost the error, rotating mode lost the start', () => {
    const fixed = selected(model(fixtureBytes('kernel/uninit-fixed-400.bin'))).verdict;
    expect(fixed.verdict).toBe('unknown');
    expect(fixed.reason).toMatch(/fixed mode/);
    const rotated = selected(model(fixtureBytes('kernel/uninit-rotated-400.bin'))).verdict;
    expect(rotated.verdict).toBe('rejected');
    expect(rotated.error?.message).toBe('R2 !read_ok');
    expect(rotated.truncation).toMatch(/start of the log .* was lost/);
  });

  it('an accepted program whose log overflowed: accepted, and the ENOSPC load failure said', () => {
    // loop-level2-rotated: the kernel returned ENOSPC, yet the log ends with the summary and no error.
    const entry = kernelManifest().find((e) => e.file === 'loop-level2-rotated.bin');
    expect(entry?.result.errno).toBe(28);
    const rotated = selected(model(fixtureBytes('kernel/loop-level2-rotated.bin'))).verdict;
    expect(rotated.verdict).toBe('accepted');
    expect(rotated.reason).toMatch(/ENOSPC/);
    const whole = selected(model(fixtureBytes('kernel/ok-level1.bin'))).verdict;
    expect(whole.reason).not.toMatch(/ENOSPC/);
  });

  it('reads the counters of the summary and the stats lines', () => {
    const stats = selected(model(verifierFixture('uninit-stats-l2.bin'))).stats;
    expect(stats).toMatchObject({
      processed: 13,
      limit: 1000000,
      totalStates: 0,
      markRead: 0,
      stackDepths: [0],
    });
    expect(stats.verificationTimeUs).toBe(98);
    const big = selected(model(fixtureBytes('kernel/loop-level2-15mb.bin.gz'))).stats;
    expect(big).toMatchObject({ processed: 25233, maxStatesPerInsn: 23, totalStates: 512, peakStates: 125 });
  });
});

describe('wrapped logs', () => {
  it('finds the error behind stats lines in real libbpf reports (log_level 4|2 and 4|1)', () => {
    const cases: [string, string, string, number, number][] = [
      ['bad-bounds-libbpf-l6.txt', 'xdp_bad_bounds', 'R1 offset is outside of the packet', 6, 2],
      ['null-deref-libbpf-l5.txt', 'xdp_null_deref', "R0 invalid mem access 'map_value_or_null'", 7, 1],
      ['ctx-write-libbpf-l6.txt', 'sock_write_ctx', 'invalid bpf_context access off=0 size=4', 1, 1],
      [
        'ringbuf-leak-libbpf-l5.txt',
        'tp_leak_ringbuf',
        'BPF_EXIT instruction in main prog would lead',
        10,
        2,
      ],
    ];
    for (const [file, name, message, pc, lineCount] of cases) {
      const m = model(verifierFixture(file));
      expect(
        m.programs.map((p) => [p.name, p.wrapper]),
        file,
      ).toEqual([[name, 'libbpf']]);
      const { verdict, error } = selected(m).verdict;
      expect(verdict, file).toBe('rejected');
      expect(error?.message, file).toContain(message);
      expect(error?.pc, file).toBe(pc);
      expect(error?.lineCount, file).toBe(lineCount);
      expect(m.lines.kinds[0], file).toBe(LineKind.wrapper); // libbpf: prog '…': BPF program load failed
      expect(selected(m).stats.verificationTimeUs, file).toBeGreaterThan(0);
    }
  });

  it('splits several libbpf reports into programs and selects the first rejected one', () => {
    const text =
      new TextDecoder().decode(verifierFixture('null-deref-libbpf-l5.txt')) +
      new TextDecoder().decode(verifierFixture('bad-bounds-libbpf-l6.txt'));
    const m = modelOfText(text);
    expect(m.programs.map((p) => p.name)).toEqual(['xdp_null_deref', 'xdp_bad_bounds']);
    expect(m.defaultProgram).toBe(0);
    expect(m.program('xdp_bad_bounds')?.verdict.error?.pc).toBe(6);
    // Line numbers stay the file's: the second report starts after the first one's 23 lines.
    expect(m.program('xdp_bad_bounds')?.startLine).toBe(23 + 2);
  });

  it('reads veristat’s blocks, two programs of one file', () => {
    const ok = kernelText('kernel/ok-level2.bin.gz');
    const bad = kernelText('kernel/bad-bounds.bin');
    const text =
      `PROCESSING progs.bpf.o/xdp_ok, DURATION US: 1234, VERDICT: success, VERIFIER LOG:\n${ok}\n` +
      `PROCESSING progs.bpf.o/xdp_bad_bounds, DURATION US: 210, VERDICT: failure, VERIFIER LOG:\n${bad}\n` +
      'File         Program         Verdict  Duration (us)  Insns  States  Peak states\n' +
      '-----------  --------------  -------  -------------  -----  ------  -----------\n' +
      'progs.bpf.o  xdp_bad_bounds  failure            210      7       0            0\n' +
      'progs.bpf.o  xdp_ok          success           1234    110       9            9\n' +
      '-----------  --------------  -------  -------------  -----  ------  -----------\n' +
      'Done. Processed 1 files, 0 programs. Skipped 2 files, 0 programs.\n';
    const m = modelOfText(text);
    expect(m.programs.map((p) => [p.name, p.wrapperVerdict, p.verdict.verdict])).toEqual([
      ['progs.bpf.o/xdp_ok', 'success', 'accepted'],
      ['progs.bpf.o/xdp_bad_bounds', 'failure', 'rejected'],
    ]);
    expect(m.defaultProgram).toBe(1);
    expect(m.program('xdp_ok')?.insns.visits(5)).toBe(1);
    expect(selected(m).verdict.error?.pc).toBe(6);
    const last = m.lines.lineCount - 1;
    expect(LINE_KIND_NAMES[m.lines.kinds[last]]).toBe('wrapper');
  });

  it('reads bpftrace’s kernel error log', () => {
    const text = `ERROR: Error loading BPF program for kprobe:f.\nKernel error log: \n${kernelText('kernel/uninit-reg.bin')}`;
    const m = modelOfText(text);
    expect(m.programs.map((p) => p.wrapper)).toEqual(['bpftrace']);
    expect(selected(m).verdict.error).toMatchObject({ message: 'R2 !read_ok', line: 32, pc: 12 });
  });

  it('strips CI timestamps and ANSI colour, keeping line numbers, with the same verdict', () => {
    const plain = new TextDecoder().decode(verifierFixture('bad-bounds-libbpf-l6.txt'));
    const lines = plain.split('\n').slice(0, -1);
    const ci = lines
      .map((line, i) => {
        const coloured = line.startsWith('libbpf:') ? `\u001b[31m${line}\u001b[0m` : line;
        return i % 2 === 0 ? `2024-05-01T12:00:00.1234567Z ${coloured}` : `[  12.345678] ${coloured}`;
      })
      .join('\n');
    const m = modelOfText(`${ci}\n`);
    const p = modelOfText(plain);
    expect(m.stripped).toEqual({
      timestampLines: lines.length,
      ansiSequences: 2 * lines.filter((l) => l.startsWith('libbpf:')).length,
      indent: '',
    });
    expect(p.stripped).toEqual({ timestampLines: 0, ansiSequences: 0, indent: '' });
    expect(selected(m).verdict).toEqual(selected(p).verdict);
    expect(m.lines.text(0)).toBe(p.lines.text(0));
    expect(Array.from(m.lines.kinds)).toEqual(Array.from(p.lines.kinds));
  });

  it('splits a file of bare logs one after another at each log’s first line after a summary', () => {
    const fresh = (name: string) => new TextDecoder().decode(verifierFixture(`fresh/logs/${name}`));
    const nullDeref = fresh('null_deref.L1.log');
    const mapOob = fresh('map_oob.L1.log'); // opens with an `arg#0 …` line before `0: R1=ctx() R10=fp0`
    const trailer = 'Traceback (most recent call last):\nException: Failed to load BPF program\n';
    const m = modelOfText(nullDeref + trailer + mapOob + nullDeref);
    const lineCount = (t: string) => t.split('\n').length - 1;
    const [a, b] = [lineCount(nullDeref), lineCount(nullDeref + trailer + mapOob)];
    expect(m.programs.map((p) => [p.startLine, p.endLine, p.verdict.verdict])).toEqual([
      [0, a, 'rejected'],
      [a, b, 'rejected'],
      [b, b + a, 'rejected'],
    ]);
    const one = selected(modelOfText(mapOob)).verdict.error;
    expect(m.programs[1].verdict.error).toMatchObject({
      message: one?.message,
      pc: one?.pc,
      line: (one?.line ?? 0) + a + 2,
    });
    expect(m.program('log 3')).toBe(m.programs[2]);
    expect(m.program('log 4')).toBeNull();
    // One log alone stays one program.
    expect(modelOfText(mapOob).programs).toHaveLength(1);
  });

  it('reads a log indented or quoted as a whole (pasted into Markdown, an email) as the log itself', () => {
    const plain = new TextDecoder().decode(verifierFixture('fresh/logs/global_subprog.L2.log'));
    const lines = plain.split('\n').slice(0, -1);
    const p = modelOfText(plain);
    // Level 2's own indented lines (the live-regs rows, ` frame1:` states) keep their indentation.
    expect(lines.some((l) => l.startsWith(' '))).toBe(true);
    for (const [indent, empty] of [
      ['    ', ''],
      ['\t', ''],
      ['> ', '>'],
    ]) {
      const text = `${lines.map((l) => (l ? indent + l : empty)).join('\n')}\n`;
      const m = modelOfText(text);
      expect(m.stripped.indent).toBe(indent);
      expect(Array.from(m.lines.kinds)).toEqual(Array.from(p.lines.kinds));
      expect(selected(m).verdict).toEqual(selected(p).verdict);
      expect(new DecodedLog(encoder.encode(text)).truncation.truncated).toBe(false);
      // Cut mid-line at its start, it is a rotated log's end, indented or not.
      expect(new DecodedLog(encoder.encode(text.slice(indent.length + 3))).truncation.mode).toBe('rotating');
    }
    expect(p.stripped.indent).toBe('');
    // One line less indented than the rest: nothing is shared, nothing is stripped.
    expect(modelOfText(`    0: R1=ctx() R10=fp0\n0: (b7) r0 = 0\n    1: (95) exit\n`).stripped.indent).toBe(
      '',
    );
  });

  it('reads libbpf’s report after a logger’s prefix (libbpf-rs through env_logger)', () => {
    const plain = new TextDecoder().decode(verifierFixture('wrapped/ip_xdp.txt'));
    const text = plain.replace(/^libbpf: /gm, '[2024-05-01T12:00:00Z WARN  libbpf_rs] libbpf: ');
    const m = modelOfText(text);
    const p = modelOfText(plain);
    expect(m.programs.map((r) => [r.name, r.wrapper, r.startLine, r.endLine])).toEqual(
      p.programs.map((r) => [r.name, r.wrapper, r.startLine, r.endLine]),
    );
    expect(selected(m).verdict).toEqual(selected(p).verdict);
    expect(new DecodedLog(encoder.encode(text)).truncation.truncated).toBe(false);
  });

  it('reads Aya’s error: the log’s first line follows its message on the same line', () => {
    // aya's ProgramError::LoadError: "the BPF_PROG_LOAD syscall failed. Verifier output: {verifier_log}",
    // printed by anyhow from main() with its cause after it.
    const log = new TextDecoder().decode(verifierFixture('fresh/logs/null_deref.L1.log'));
    const plain = selected(modelOfText(log));
    const text = `Error: the BPF_PROG_LOAD syscall failed. Verifier output: ${log}\nCaused by:\n    Permission denied (os error 13)\n`;
    const m = modelOfText(text);
    expect(m.programs.map((p) => p.wrapper)).toEqual(['aya']);
    expect(m.lines.text(0)).toBe('0: R1=ctx() R10=fp0');
    expect(selected(m).verdict.error).toEqual(plain.verdict.error);
    expect(selected(m).verdict.error?.pc).toBe(plain.verdict.error?.pc);
    expect(selected(m).stats).toEqual(plain.stats);
    expect(new DecodedLog(encoder.encode(text)).truncation.truncated).toBe(false);
    // An error found before the walk: the message and its stats, whole.
    const short =
      'Error: the BPF_PROG_LOAD syscall failed. Verifier output: last insn is not an exit or jmp\nverification time 9 usec\nprocessed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n';
    expect(selected(modelOfText(short)).verdict.error).toMatchObject({
      message: 'last insn is not an exit or jmp',
      line: 0,
    });
  });

  it('strips syslog prefixes (journalctl, short and short-iso), with the same verdict and a complete log', () => {
    const plain = new TextDecoder().decode(verifierFixture('bad-bounds-libbpf-l6.txt'));
    const lines = plain.split('\n').slice(0, -1);
    const p = modelOfText(plain);
    for (const prefix of [
      'Apr  1 10:41:53 host loader[10491]: ',
      '2024-04-01T10:41:53+0000 host.lan loader[7]: ',
    ]) {
      const text = `${lines.map((line) => prefix + line).join('\n')}\n`;
      const m = modelOfText(text);
      expect(m.stripped.timestampLines).toBe(lines.length);
      expect(selected(m).verdict).toEqual(selected(p).verdict);
      expect(Array.from(m.lines.kinds)).toEqual(Array.from(p.lines.kinds));
      expect(new DecodedLog(new TextEncoder().encode(text)).truncation.truncated).toBe(false);
    }
    // Without a pid after its ISO timestamp, a line keeps its text: a CI line may read `word word: …`.
    const ci = modelOfText('2024-04-01T10:41:53Z libbpf: prog: failed\n');
    expect(ci.lines.text(0)).toBe('libbpf: prog: failed');
    expect(modelOfText('2024-04-01T10:41:53Z host prog: failed\n').lines.text(0)).toBe('host prog: failed');
  });

  it('gives a fragmented TLV buffer of the same text the same verdict, on joined-line numbers', () => {
    const text = kernelText('verifier/uninit-stats-l2.bin');
    const messages: TlvMessage[] = [];
    // The verifier prints a line in several calls: cut each line into pieces of at most 9 bytes.
    for (const line of text.split(/(?<=\n)/)) {
      for (let at = 0; at < line.length; at += 9) messages.push(stringMessage(line.slice(at, at + 9)));
    }
    const tlv = model(encodeTlv(messages).bytes);
    const plain = model(verifierFixture('uninit-stats-l2.bin'));
    expect(selected(tlv).verdict.verdict).toBe('rejected');
    expect(selected(tlv).verdict.error).toEqual(selected(plain).verdict.error);
    expect(selected(tlv).stats).toEqual(selected(plain).stats);
  });

  it('reads the 45 MB TLV buffer of fragments in place: every line’s kind, pc and text as in its text log', () => {
    // The buffer is the 15 MB level-2 log cut into 293,723 fragments; its lines are read where they lie.
    const tlv = model(fixtureBytes('tlv/loop-15mb-fragments.bin.gz'));
    const plain = model(fixtureBytes('kernel/loop-level2-15mb.bin.gz'));
    expect(tlv.joined?.lineCount).toBe(plain.lines.lineCount);
    expect(tlv.lines.kinds).toEqual(plain.lines.kinds);
    expect(tlv.lines.pcs).toEqual(plain.lines.pcs);
    for (let i = 0; i < plain.lines.lineCount; i += 101) expect(tlv.lines.text(i)).toBe(plain.lines.text(i));
    const last = plain.lines.lineCount - 1;
    expect(tlv.lines.text(last)).toBe(plain.lines.text(last));
    expect(selected(tlv).verdict).toEqual(selected(plain).verdict);
    expect(selected(tlv).insns.visitCount).toBe(selected(plain).insns.visitCount);
    expect(selected(tlv).insns.visitStart).toEqual(selected(plain).insns.visitStart);
  });
});

describe('bad input', () => {
  it('garbage, a half line, a 10 MB line and unbalanced parentheses: unknown, never an exception', () => {
    let seed = 1;
    const garbage = new Uint8Array(1 << 20).map(() => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed >>> 24;
    });
    const cases: [string, Uint8Array][] = [
      ['garbage', garbage],
      ['half line', encoder.encode('12: (85) call bpf_map_looku')],
      ['half state', encoder.encode('0: R1=ctx() R10=fp0\n1: R1=scalar(smin=0,smax=')],
      ['10 MB line', new Uint8Array(10 << 20).fill(0x41)],
      ['unbalanced', encoder.encode('0: R1=ctx( R10=fp0\nfrom 1 to 2: R0=map_value(map=x,ks=4))\n')],
    ];
    for (const [name, bytes] of cases) {
      const m = model(bytes);
      expect(selected(m).verdict.verdict, name).toBe('unknown');
      expect(selected(m).verdict.error, name).toBeNull();
    }
    const counts = new Map<number, number>();
    const m = model(garbage);
    for (const k of m.lines.kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
    expect((counts.get(LineKind.unknown) ?? 0) / m.lines.lineCount).toBeGreaterThan(0.99);
    const unbalanced = model(cases[4][1]).lines.kinds;
    expect(Array.from(unbalanced)).toEqual([LineKind.unknown, LineKind.unknown]);
  });
});

describe('a rejection after a subprogram call (real capture)', () => {
  it('names the error and the caller’s failing pc, plain and as libbpf reports it', () => {
    for (const file of ['calls-bad-l2.bin', 'calls-bad-libbpf-l6.txt']) {
      const m = model(verifierFixture(file));
      const { verdict, error } = selected(m).verdict;
      expect(verdict, file).toBe('rejected');
      expect(error?.message, file).toBe("R0 invalid mem access 'scalar'");
      expect(error?.pc, file).toBe(3);
      expect(m.lines.text(error?.sourceLine ?? -1), file).toBe(
        '; return *(unsigned char *)k;   /* a scalar used as a pointer */ @ calls.bpf.c:29',
      );
    }
    expect(selected(model(verifierFixture('calls-ok-l2.bin'))).verdict.verdict).toBe('accepted');
  });
});
