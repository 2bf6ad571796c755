/**
 * The real corpus: every TLV fixture must reproduce its ground truth exactly,
 * and every captured kernel buffer must get the kernel's truncation verdict.
 */
import { describe, expect, it } from 'vitest';
import { fixtureBytes, kernelManifest, tlvCases } from '../testing/fixtures.ts';
import { DecodedLog } from './decode.ts';
import { problems } from './diagnostics.ts';
import type { TlvIndex } from './tlv.ts';

const ENOSPC = 28;

describe('TLV corpus', () => {
  for (const truth of tlvCases()) {
    it(`${truth.name} matches its ground truth`, () => {
      const bytes = fixtureBytes(truth.binFile);
      expect(bytes.length).toBe(truth.log_size);
      const log = new DecodedLog(bytes);
      if (truth.log_size === 0) {
        expect(log.format).toBeNull();
        expect(log.diagnostics.map((d) => d.code)).toEqual(['empty']);
        return;
      }
      expect(log.format).toBe('tlv');
      expect(log.byteOrder).toBe(truth.big_endian ? 'big' : 'little');
      const index = log.index as TlvIndex;
      expect(index.count).toBe(truth.records.length);
      // Columns compared whole rather than record by record: the 15 MB case has a million records.
      expect(Array.from(index.offsets)).toEqual(truth.records.map((r) => r.offset));
      expect(Array.from(index.types)).toEqual(truth.records.map((r) => r.type));
      expect(Array.from(index.lengths)).toEqual(truth.records.map((r) => r.len));
      expect(log.end?.offset ?? null).toBe(truth.end_offset);
      expect(log.end?.count ?? null).toBe(truth.end_count);
      const codes = problems(log.diagnostics).map((d) => d.code);
      expect(codes).toEqual(truth.diagnostic ? [truth.diagnostic] : []);
      // The verdict follows END: dropped messages, or no END at all.
      const expectTruncated = truth.end_offset === null || (truth.end_count ?? 0) > 0;
      expect(log.truncation.truncated).toBe(expectTruncated);
      if (truth.end_count) expect(log.truncation.dropped).toBe(truth.end_count);
      if (truth.dropped !== undefined) expect(truth.dropped).toBe(truth.end_count);
    });
  }

  it('drops one trailing NUL from STRING text and says so', () => {
    const log = new DecodedLog(fixtureBytes('tlv/oob-nul-strings.bin'));
    const plain = new DecodedLog(fixtureBytes('tlv/oob-whole.bin'));
    expect(log.recordCount).toBe(plain.recordCount);
    for (let i = 0; i < log.recordCount - 1; i++) {
      expect(log.recordText(i)).toBe(plain.recordText(i));
      expect(log.recordLength(i)).toBe(plain.recordLength(i) + 1);
    }
    const nul = log.diagnostics.find((d) => d.code === 'nul-terminated');
    expect(nul?.severity).toBe('info');
    expect(nul?.message).toContain(`${log.recordCount - 1} STRING`);
  });

  it('reports trailing space after END, zero or not', () => {
    const junk = new DecodedLog(fixtureBytes('tlv/after-end-junk.bin'));
    expect(junk.trailing).toEqual({ offset: 58, length: 40, allZero: false });
    expect(junk.diagnostics.map((d) => d.code)).toContain('trailing-data');
    const clean = new DecodedLog(fixtureBytes('tlv/oob-whole.bin'));
    const endOffset = clean.end?.offset ?? 0;
    expect(clean.trailing).toEqual({
      offset: endOffset + 8,
      length: clean.size - endOffset - 8,
      allZero: true,
    });
  });

  it('leaves the bytes after a length overflow undecoded, as trailing', () => {
    const log = new DecodedLog(fixtureBytes('tlv/bad-length-overflow.bin'));
    expect(log.trailing).toEqual({ offset: 26, length: 9, allZero: false });
    expect(log.diagnostics.find((d) => d.code === 'length-overflow')?.offset).toBe(26);
  });
});

describe('kernel corpus (text logs from a 6.18 kernel)', () => {
  for (const c of kernelManifest()) {
    it(`${c.file}: truncated=${c.result.errno === ENOSPC} as the kernel said (errno ${c.result.errno})`, () => {
      const bytes = fixtureBytes(`kernel/${c.file}`);
      expect(bytes.length).toBe(c.log_size);
      const log = new DecodedLog(bytes);
      expect(log.format).toBe('text');
      expect(log.truncation.truncated).toBe(c.result.errno === ENOSPC);

      const nul = bytes.indexOf(0);
      const textEnd = nul < 0 ? bytes.length : nul;
      if (log.truncation.truncated) {
        const fillsBuffer = textEnd >= bytes.length - 1;
        // A log that overflowed and was then rewound has lost its mode; otherwise BPF_LOG_FIXED (8) tells.
        expect(log.truncation.rewound).toBe(!fillsBuffer);
        expect(log.truncation.mode).toBe(fillsBuffer ? (c.log_level & 8 ? 'fixed' : 'rotating') : null);
      } else {
        expect(log.truncation.mode).toBeNull();
      }

      // Lines, joined back, are exactly the text up to the first NUL.
      const text = Buffer.from(bytes.subarray(0, textEnd)).toString('latin1');
      const lines: string[] = [];
      for (let i = 0; i < log.recordCount; i++) lines.push(log.recordText(i) ?? '');
      const joined = lines.join('\n') + (text.endsWith('\n') ? '\n' : '');
      expect(joined.length).toBe(text.length);
      expect(joined === text).toBe(true);
      expect(log.recordCount).toBe(text.split('\n').length - (text.endsWith('\n') || text === '' ? 1 : 0));
      if (c.result.log_true_size !== undefined && !log.truncation.truncated) {
        // log_true_size counts the terminating NUL.
        expect(textEnd + 1).toBe(c.result.log_true_size);
      }
    });
  }

  it('notes output the kernel discarded after the NUL of a log it rewound', () => {
    const log = new DecodedLog(fixtureBytes('kernel/ok-level1.bin'));
    expect(log.truncation.truncated).toBe(false);
    const rewound = log.diagnostics.find((d) => d.code === 'log-rewound');
    expect(rewound?.offset).toBe(100);
  });

  it('ignores a memset pattern after the NUL', () => {
    const log = new DecodedLog(fixtureBytes('kernel/map-oob-garbage-tail.bin'));
    expect(log.truncation.truncated).toBe(false);
    expect(log.trailing?.allZero).toBe(false);
    expect(log.diagnostics.map((d) => d.code)).not.toContain('log-rewound');
  });
});
