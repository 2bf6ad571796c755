import { constants, deflateRawSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtureBytes, fixtureRaw } from '../testing/fixtures.ts';
import { ByteBuilder } from './growable.ts';
import { gunzip, isGzip, MAX_LOG_BYTES } from './gzip.ts';
import { loadLog } from './load.ts';
import { parseShareLink } from './shareLink.ts';

/** A real kernel log, gzipped by Node's zlib, and its bytes. */
const original = fixtureBytes('kernel/bad-bounds.bin');
const gz = new Uint8Array(gzipSync(original));
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('gzip input', () => {
  it('decompresses a real gzipped kernel log to the same bytes as zlib', async () => {
    const raw = fixtureRaw('kernel/ok-level2.bin.gz');
    expect(isGzip(raw)).toBe(true);
    const { bytes, diagnostics } = await gunzip(raw);
    expect(diagnostics).toEqual([]);
    expect(same(bytes, fixtureBytes('kernel/ok-level2.bin.gz'))).toBe(true);
  });

  it('loads gzipped and plain input alike', async () => {
    const { log, compressedSize } = await loadLog(fixtureRaw('kernel/too-large-rotated.bin.gz'));
    expect(compressedSize).toBe(54639);
    expect(log.size).toBe(1048576);
    expect(log.truncation.mode).toBe('rotating');
    const plain = await loadLog(fixtureRaw('kernel/bad-bounds.bin'));
    expect(plain.compressedSize).toBeNull();
    expect(plain.log.recordCount).toBeGreaterThan(10);
  });

  it('reads a header with a name, a comment, extra fields and a header CRC', async () => {
    // FTEXT|FHCRC|FEXTRA|FNAME|FCOMMENT, then XLEN=3 and 3 extra bytes, "log\0", "hi\0", CRC16.
    const header = Uint8Array.from([
      0x1f, 0x8b, 8, 0x1f, 0, 0, 0, 0, 0, 3, 3, 0, 1, 2, 3, 108, 111, 103, 0, 104, 105, 0, 0xaa, 0xbb,
    ]);
    const { bytes, diagnostics } = await gunzip(concat(header, gz.subarray(10)));
    expect(diagnostics).toEqual([]);
    expect(same(bytes, original)).toBe(true);
  });

  it('stops at the cap with an error, keeping what came before', async () => {
    const bomb = gzipSync(new Uint8Array(5_000_000).fill(0x41));
    const { bytes, diagnostics } = await gunzip(new Uint8Array(bomb), 1_000_000);
    expect(bytes.length).toBe(1_000_000);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'gzip-too-large', severity: 'error', offset: 1_000_000 });
    const { log } = await loadLog(new Uint8Array(bomb), { maxDecompressedSize: 1_000_000 });
    expect(log.format).toBe('text');
    expect(log.diagnostics[0].code).toBe('gzip-too-large');
  });

  it('caps at the kernel’s largest log buffer, UINT_MAX >> 2', () => {
    expect(MAX_LOG_BYTES).toBe(1073741823);
  });
});

describe('damaged gzip keeps every byte inflated before the damage', () => {
  const n = gz.length;

  it('a bad CRC: all bytes, gzip-bad-crc', async () => {
    const damaged = gz.slice();
    damaged[n - 8] ^= 0x01;
    const { bytes, diagnostics } = await gunzip(damaged);
    expect(same(bytes, original)).toBe(true);
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'gzip-bad-crc', severity: 'error', offset: original.length }),
    ]);
    expect(diagnostics[0].message).toContain(`0x${(n - 8).toString(16).padStart(8, '0')}`);
  });

  it('a bad ISIZE: all bytes, gzip-bad-size naming both sizes (not "the 0 bytes")', async () => {
    const damaged = gz.slice();
    damaged[n - 1] ^= 0x40;
    const { log } = await loadLog(damaged);
    expect(same(log.bytes, original)).toBe(true);
    const d = log.diagnostics.find((x) => x.code === 'gzip-bad-size');
    expect(d).toMatchObject({ severity: 'error', offset: original.length });
    expect(d?.message).toContain('65,536');
    expect(d?.message).toContain('1,073,807,360'); // 65536 + 0x40 << 24
    // The log itself reads as the undamaged one does.
    expect(log.recordCount).toBe((await loadLog(original)).log.recordCount);
  });

  it('cut short anywhere: a prefix of the log, gzip-truncated at its end', async () => {
    for (const cut of [5, 12, n >> 2, n >> 1, n - 20, n - 8, n - 3]) {
      const { bytes, diagnostics } = await gunzip(gz.subarray(0, cut));
      expect(diagnostics, `cut at ${cut}`).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({
        code: 'gzip-truncated',
        severity: 'error',
        offset: bytes.length,
      });
      expect(same(bytes, original.subarray(0, bytes.length)), `cut at ${cut}`).toBe(true);
      if (cut >= n - 8) expect(bytes.length).toBe(original.length);
    }
    // Cut inside the data: most of what the kept half holds is decoded (zlib's own count is the bound).
    const half = await gunzip(gz.subarray(0, n >> 1));
    expect(half.bytes.length).toBeGreaterThan(0);
    expect(half.bytes.length).toBeLessThan(original.length);
  });

  it('junk after the member: all bytes, a warning with the junk’s file offset', async () => {
    const { bytes, diagnostics } = await gunzip(concat(gz, new TextEncoder().encode('junk!')));
    expect(same(bytes, original)).toBe(true);
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'gzip-trailing-data', severity: 'warning', offset: original.length }),
    ]);
    expect(diagnostics[0].message).toContain(`5 bytes`);
    expect(diagnostics[0].message).toContain(`0x${n.toString(16).padStart(8, '0')}`);
  });

  it('a second member: the first member’s bytes, a warning; not the second’s', async () => {
    const other = new Uint8Array(gzipSync(fixtureBytes('kernel/ctx-write.bin')));
    const { bytes, diagnostics } = await gunzip(concat(gz, other));
    expect(same(bytes, original)).toBe(true);
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'gzip-second-member', severity: 'warning' }),
    ]);
  });

  it('damaged deflate data: every byte before the damage, gzip-corrupt with the file offset', async () => {
    // The log deflated and flushed to a byte boundary, then a block of the reserved type 3.
    const body = deflateRawSync(original, { finishFlush: constants.Z_SYNC_FLUSH });
    const damaged = concat(gz.subarray(0, 10), body, Uint8Array.of(0x07), new Uint8Array(8));
    const { bytes, diagnostics } = await gunzip(damaged);
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'gzip-corrupt', severity: 'error', offset: original.length }),
    ]);
    expect(diagnostics[0].message).toContain(
      `at 0x${(10 + body.length).toString(16).padStart(8, '0')} of the file`,
    );
    expect(same(bytes, original)).toBe(true);
  });

  it('damaged data in a real 1 MiB log: the bytes kept are the log’s own', async () => {
    const raw = fixtureRaw('kernel/too-large-rotated.bin.gz');
    const whole = fixtureBytes('kernel/too-large-rotated.bin.gz');
    const damaged = raw.slice();
    damaged.fill(0xff, 40_000, 40_100);
    const { bytes, diagnostics } = await gunzip(damaged);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.severity === 'error' && d.offset === bytes.length)).toBe(true);
    // Inflated before the damage: a long run identical to the log.
    let common = 0;
    while (common < bytes.length && bytes[common] === whole[common]) common++;
    expect(common).toBeGreaterThan(500_000);
  });
});

describe('inflation sizes its output from what it produced, never from claims', () => {
  afterEach(() => vi.restoreAllMocks());
  const watchAllocations = () => {
    const sizes: number[] = [];
    const real = ByteBuilder.prototype.allocate;
    vi.spyOn(ByteBuilder.prototype, 'allocate').mockImplementation(function (
      this: ByteBuilder,
      size: number,
    ) {
      sizes.push(size);
      return real.call(this, size);
    });
    return sizes;
  };
  /** Output is kept as the chunks that arrived and joined once: one buffer the size of what was produced. */
  const CHUNK = 64 * 1024;

  it('a 23-byte gzip claiming 1 GiB (ISIZE) allocates what it produced, no more', async () => {
    // "hello\n" deflated, with a valid CRC but ISIZE = 0x3fffffff.
    const small = new Uint8Array(gzipSync(new TextEncoder().encode('x')));
    small.set([0xff, 0xff, 0xff, 0x3f], small.length - 4);
    expect(small.length).toBeLessThanOrEqual(23);
    const sizes = watchAllocations();
    const before = process.memoryUsage().arrayBuffers;
    const { bytes, diagnostics } = await gunzip(small);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
    expect(bytes).toEqual(new TextEncoder().encode('x'));
    expect(diagnostics[0].code).toBe('gzip-bad-size');
    expect(Math.max(0, ...sizes)).toBeLessThanOrEqual(bytes.length);
  });

  it('a real 15 MB log: each inflate allocates one buffer, exactly its output', async () => {
    const sizes = watchAllocations();
    const { bytes, diagnostics } = await gunzip(fixtureRaw('kernel/loop-level2-15mb.bin.gz'));
    expect(diagnostics).toEqual([]);
    expect(bytes.length).toBe(fixtureBytes('kernel/loop-level2-15mb.bin.gz').length);
    expect(sizes).toEqual([bytes.length]);
  }, 30_000);

  it('a 59-character link claiming 1 GiB allocates nothing near it', async () => {
    const links = [
      // n claims 1 GiB, the payload inflates to nothing.
      '#v=1&n=1073741823&crc=00000000&d=AwA',
      // n and the zero tail z claim 1 GiB.
      '#v=1&n=1073741823&z=1073741823&crc=00000000&d=AwA',
    ];
    for (const link of links) {
      const href = `http://x/${link}`;
      expect(href.length).toBeLessThanOrEqual(59);
      const sizes = watchAllocations();
      const before = process.memoryUsage().arrayBuffers;
      const parsed = await parseShareLink(href);
      expect(parsed.ok, href).toBe(false);
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
      expect(Math.max(0, ...sizes)).toBeLessThanOrEqual(CHUNK);
      vi.restoreAllMocks();
    }
  });
});
