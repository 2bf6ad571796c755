import { describe, expect, it } from 'vitest';
import { fixtureBytes, libbpfReport } from '../testing/fixtures.ts';
import { DecodedLog } from './decode.ts';
import { indexText, startsLikeLogStart, type TextIndex, TextIndexBuilder } from './text.ts';

const enc = new TextEncoder();

/** A buffer of `size` bytes holding `text`, then `fill`. */
function buffer(text: string, size: number, fill = 0): Uint8Array {
  const b = new Uint8Array(size).fill(fill);
  b.set(enc.encode(text).subarray(0, size));
  return b;
}

describe('text logs', () => {
  it('indexes lines up to the first NUL and ignores what follows', () => {
    const log = new DecodedLog(buffer('0: R1=ctx() R10=fp0\n1: (95) exit\n\0stale\nold', 64));
    expect(log.format).toBe('text');
    expect(log.recordCount).toBe(2);
    expect(log.recordText(1)).toBe('1: (95) exit');
    expect(log.recordOffset(1)).toBe(20);
    expect(log.recordLength(1)).toBe(12);
    expect((log.index as TextIndex).terminator).toBe(33);
    expect(log.trailing).toEqual({ offset: 34, length: 30, allZero: false });
  });

  it('keeps empty lines and a last line without a newline', () => {
    const log = new DecodedLog(buffer('a\n\nb', 8));
    expect(Array.from({ length: log.recordCount }, (_, i) => log.recordText(i))).toEqual(['a', '', 'b']);
  });

  it('has no lines for an empty text (NUL first)', () => {
    const log = new DecodedLog(new Uint8Array([0x41, 0, 0]).subarray(1));
    expect(log.format).toBe('text');
    expect(log.recordCount).toBe(0);
    expect(log.truncation.truncated).toBe(false);
  });

  it('calls a buffer with no NUL truncated and says so', () => {
    const log = new DecodedLog(enc.encode('func#0 @0\n0: R1=ctx() R10=fp0\n1: (b7) r0'));
    expect(log.truncation).toMatchObject({ truncated: true, mode: 'fixed', rewound: false });
    expect(log.diagnostics.map((d) => d.code)).toContain('no-terminator');
  });

  it('calls a whole log saved without a NUL complete, and only a whole one', () => {
    for (const name of ['ok-level1.bin', 'null-deref.bin', 'stats-level1.bin', 'ok-level2.bin.gz']) {
      const raw = fixtureBytes(`kernel/${name}`);
      const saved = raw.slice(0, raw.indexOf(0));
      const log = new DecodedLog(saved);
      expect(log.truncation, name).toMatchObject({ truncated: false, mode: null });
      expect(log.truncation.message).toContain('saved copy');
      expect(log.diagnostics.find((d) => d.code === 'no-terminator')?.message).toContain('saved copy');
      // Pasted without the last newline, the summary is still whole.
      expect(new DecodedLog(saved.subarray(0, saved.length - 1)).truncation.truncated, name).toBe(false);
      // Cut inside the summary, halfway, or started mid-line, it is truncated again.
      expect(new DecodedLog(saved.subarray(0, saved.length - 3)).truncation.truncated, name).toBe(true);
      expect(new DecodedLog(saved.subarray(0, saved.length >> 1)).truncation.truncated, name).toBe(true);
      expect(new DecodedLog(saved.subarray(3)).truncation).toMatchObject({
        truncated: true,
        mode: 'rotating',
      });
    }
  });

  it('calls a saved log complete with CRLF line ends, or with a CI runner’s timestamps and colours', () => {
    for (const name of ['null-deref.bin', 'stats-level1.bin', 'ok-level2.bin.gz']) {
      const raw = fixtureBytes(`kernel/${name}`);
      const text = new TextDecoder().decode(raw.subarray(0, raw.indexOf(0)));
      const crlf = new DecodedLog(enc.encode(text.replace(/\n/g, '\r\n')));
      expect(crlf.truncation, name).toMatchObject({ truncated: false, mode: null });
      const ci = text
        .split('\n')
        .map((line, i) =>
          line ? `2026-12-04T10:00:${String(i % 60).padStart(2, '0')}.1234567Z \x1b[36m${line}\x1b[0m` : line,
        )
        .join('\n');
      const log = new DecodedLog(enc.encode(ci));
      expect(log.truncation, name).toMatchObject({ truncated: false, mode: null });
      // Colour codes are text, not the binary bytes that say "not a log".
      expect(log.diagnostics.map((d) => d.code)).not.toContain('binary-text');
      // Cut at the start, it is still a rotated buffer's end.
      expect(new DecodedLog(enc.encode(ci.slice(40))).truncation.mode, name).toBe('rotating');
    }
  });

  it('calls libbpf’s report of a failed load complete when the kernel’s log in it is whole', () => {
    const report = libbpfReport('null-deref.bin', 'xdp_null_deref');
    expect(new DecodedLog(report).truncation).toMatchObject({ truncated: false, mode: null });
    // Without the summary line the kernel's log in it lost its end.
    const text = new TextDecoder().decode(report).replace(/^processed .*\n/m, '');
    expect(new DecodedLog(new TextEncoder().encode(text)).truncation).toMatchObject({
      truncated: true,
      mode: 'fixed',
    });
  });

  it('calls a full rotating buffer "rotating" when it starts mid-line', () => {
    const log = new DecodedLog(buffer('x) R10=fp0\nprocessed 2 insns (limit 1000000)\n', 46));
    expect(log.truncation).toMatchObject({ truncated: true, mode: 'rotating' });
    expect(log.truncation.message).toContain('kept the end');
  });

  it('does not take printable fill after the NUL for overflow unless it reaches the last two bytes', () => {
    const short = buffer('ok\n\0', 32);
    short.set(enc.encode('old text'), 10);
    expect(new DecodedLog(short).truncation.truncated).toBe(false);
    const long = buffer('ok\0', 32);
    long.set(enc.encode('old text that reaches the end'), 32 - 29);
    expect(new DecodedLog(long).truncation).toMatchObject({ truncated: true, rewound: true, mode: null });
  });

  it('warns when the "text" holds control bytes', () => {
    const log = new DecodedLog(new Uint8Array([0x41, 0x42, 0x03, 0x44, 0]));
    const d = log.diagnostics.find((x) => x.code === 'binary-text');
    expect(d).toMatchObject({ severity: 'warning', offset: 2 });
  });

  it('recognises how verifier and BTF logs begin', () => {
    for (const head of [
      'func#0 @0\n',
      '0: R1=ctx() R10=fp0\n',
      'magic: 0xeb9f\n',
      'verification time 52 usec\n',
    ]) {
      expect(startsLikeLogStart(head)).toBe(true);
    }
    for (const head of ['eturn ((__u8 *)v)', ' 3\nbtf_total_size', '22: (2d) if r0 > r3']) {
      expect(startsLikeLogStart(head)).toBe(false);
    }
  });

  it('recognises a start before 6.0 (no entry state at level 1) and after a loading tool’s own lines', () => {
    // Before 6.0, level 1 opens with insn 0, or with its source line, and prints no state after it.
    expect(startsLikeLogStart('0: (bf) r6 = r1\n1: (b7) r1 = 0\n')).toBe(true);
    expect(startsLikeLogStart('; int prog(struct pt_regs *ctx)\n0: (bf) r6 = r1\n')).toBe(true);
    // 6.x prints `0: R1=ctx() R10=fp0` first: a log opening at insn 0's source line lost that line.
    expect(startsLikeLogStart('; int prog(void *ctx) @ p.c:3\n0: (b7) r1 = 3                ; R1=3\n')).toBe(
      false,
    );
    // bcc and tc print their lines, then the log.
    expect(startsLikeLogStart('bpf: Failed to load program: Permission denied\n0: R1=ctx() R10=fp0\n')).toBe(
      true,
    );
    const tc =
      "Prog section 'classifier' rejected: Permission denied (13)!\n - Type:         3\n - License:      GPL\n\nVerifier analysis:\n\nfunc#0 @0\n";
    expect(startsLikeLogStart(tc)).toBe(true);
    // A rotated log's first line is a fragment, and the verifier's lines follow it.
    expect(startsLikeLogStart('ctx() R10=fp0\n; int prog(void *ctx)\n0: (b7) r1 = 3\n')).toBe(false);
    expect(startsLikeLogStart('ok\n12: (b7) r1 = 3\n0: R1=ctx() R10=fp0\n')).toBe(false);
  });

  it('reads libbpf’s report from its BEGIN marker: a rotated buffer’s report starts mid-line there', () => {
    const report = (log: string) =>
      `libbpf: prog 'p': BPF program load failed: No space left on device\nlibbpf: prog 'p': -- BEGIN PROG LOAD LOG --\n${log}-- END PROG LOAD LOG --\nlibbpf: prog 'p': failed to load: -28\n`;
    const summary =
      'processed 38 insns (limit 1000000) max_states_per_insn 0 total_states 2 peak_states 2 mark_read 0\n';
    const rotated = report(
      `fore 15: (85) call bpf_iter_num_new#63675\n14: (b7) r3 = 9\nR3 max value is outside of the allowed memory range\n${summary}`,
    );
    expect(new DecodedLog(enc.encode(rotated)).truncation).toMatchObject({
      truncated: true,
      mode: 'rotating',
    });
    const whole = report(`0: R1=ctx() R10=fp0\n0: (95) exit\nR0 !read_ok\n${summary}`);
    expect(new DecodedLog(enc.encode(whole)).truncation.truncated).toBe(false);
    const errorOnly = report(`last insn is not an exit or jmp\n${summary}`);
    expect(new DecodedLog(enc.encode(errorOnly)).truncation.truncated).toBe(false);
  });

  it('calls a saved log complete when a loading tool’s lines follow its summary, and not when the verifier’s do', () => {
    const log =
      '0: R1=ctx() R10=fp0\n0: (95) exit\nR0 !read_ok\nprocessed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n';
    const trailer =
      '\nTraceback (most recent call last):\n  File "x.py", line 9, in <module>\nException: Failed to load BPF program b\'prog\': Permission denied\n';
    expect(new DecodedLog(enc.encode(log + trailer)).truncation).toMatchObject({ truncated: false });
    // A second log after the summary, cut short: the file does not end with the verifier's summary.
    expect(new DecodedLog(enc.encode(`${log}0: R1=ctx() R10=fp0\n0: (95) exit\n`)).truncation).toMatchObject({
      truncated: true,
      mode: 'fixed',
    });
    // 4.14 printed `processed N insns, stack depth N`.
    expect(
      new DecodedLog(enc.encode('0: (b7) r0 = 0\n1: (95) exit\nprocessed 2 insns, stack depth 0\n'))
        .truncation.truncated,
    ).toBe(false);
  });

  it('indexes a text that does not start on a 4-byte boundary', () => {
    const backing = buffer('?0: a\n1: b\n2: c\0', 40);
    const log = new DecodedLog(backing.subarray(1));
    expect(log.recordCount).toBe(3);
    expect(log.recordText(2)).toBe('2: c');
  });

  describe('the bytes after the NUL, read when asked (a held buffer) or as they arrive (a stream)', () => {
    /** The same bytes fed to a builder that reads them as they arrive, in three chunks. */
    function streamed(bytes: Uint8Array): TextIndex {
      const builder = new TextIndexBuilder();
      const third = Math.floor(bytes.length / 3);
      for (const [from, to] of [
        [0, third],
        [third, 2 * third],
        [2 * third, bytes.length],
      ])
        builder.push(bytes.subarray(from, to));
      return builder.finish();
    }

    // A real capture: 874 bytes of log, its NUL, then 64 KiB of zeros.
    const captured = () => fixtureBytes('kernel/bad-bounds.bin');

    it('finds the zero tail all zero, and one non-zero byte deep in it', () => {
      const clean = captured();
      expect(indexText(clean).trailing).toEqual({ offset: 875, length: 65536 - 875, allZero: true });
      expect(indexText(clean)).toEqual(streamed(clean));
      const marked = captured();
      marked[40_000] = 0xaa;
      const index = indexText(marked);
      expect(index.trailing?.allZero).toBe(false);
      expect(index.truncation.truncated).toBe(false);
      expect(index).toEqual(streamed(marked));
    });

    it('reads the tail for the verdict when the last bytes are text: rewound, unless a byte is not text', () => {
      const rewound = captured();
      rewound.set(enc.encode('stale log text\n'), rewound.length - 15);
      const index = indexText(rewound);
      expect(index.truncation.rewound).toBe(true);
      expect(index.trailing?.allZero).toBe(false);
      expect(index).toEqual(streamed(rewound));
      // 0xaa deep in the zeros: user space's bytes, so the text at the end says nothing.
      rewound[30_000] = 0xaa;
      const notText = indexText(rewound);
      expect(notText.truncation.truncated).toBe(false);
      expect(notText).toEqual(streamed(rewound));
    });

    it('reads the garbage tail of a real capture the same way both ways', () => {
      const garbage = fixtureBytes('kernel/map-oob-garbage-tail.bin');
      const index = indexText(garbage);
      expect(index.trailing?.allZero).toBe(false);
      expect(index.truncation.truncated).toBe(false);
      expect(index).toEqual(streamed(garbage));
    });
  });
});
