import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureRaw } from '../testing/fixtures.ts';
import { gunzip, isGzip } from './gzip.ts';
import { loadLog } from './load.ts';

describe('gzip input', () => {
  it('decompresses a real gzipped kernel log to the same bytes as zlib', async () => {
    const raw = fixtureRaw('kernel/ok-level2.bin.gz');
    expect(isGzip(raw)).toBe(true);
    const { bytes, diagnostics } = await gunzip(raw);
    expect(diagnostics).toEqual([]);
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(fixtureBytes('kernel/ok-level2.bin.gz')))).toBe(0);
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

  it('reports a damaged stream and keeps the bytes decompressed before it', async () => {
    const text = new TextEncoder().encode('0: R1=ctx() R10=fp0\n'.repeat(20_000));
    const gz = new Uint8Array(gzipSync(text));
    const cut = gz.subarray(0, gz.length >> 1);
    const { log } = await loadLog(cut);
    const d = log.diagnostics.find((x) => x.code === 'gzip-corrupt');
    expect(d?.severity).toBe('error');
    expect(log.size).toBe(d?.offset);
    expect(log.size).toBeGreaterThan(0);
    expect(log.size).toBeLessThan(text.length);
    expect(log.recordText(0)).toBe('0: R1=ctx() R10=fp0');
  });
});
