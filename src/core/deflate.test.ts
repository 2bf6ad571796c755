import { constants, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../testing/fixtures.ts';
import { deflateEnd, deflateRaw, inflateRaw, inflateRawSalvaging } from './deflate.ts';
import { ByteBuilder } from './growable.ts';

const log = fixtureBytes('kernel/too-large-rotated.bin.gz'); // 1 MiB of real verifier text
const deflated = new Uint8Array(deflateRawSync(log));
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('inflateRaw', () => {
  it('inflates what zlib deflated, and zlib inflates what it deflates', async () => {
    const back = await inflateRaw(deflated, { limit: log.length });
    expect(back.status).toBe('done');
    expect(same(back.bytes, log)).toBe(true);
    const ours = await deflateRaw(log);
    expect(same((await inflateRaw(ours, { limit: log.length })).bytes, log)).toBe(true);
  });

  it('says cut for a stream cut short, keeping what inflated', async () => {
    const cut = await inflateRaw(deflated.subarray(0, deflated.length >> 1), { limit: log.length });
    expect(cut.status).toBe('cut');
    expect(cut.size).toBeGreaterThan(0);
    expect(same(cut.bytes, log.subarray(0, cut.size))).toBe(true);
  });

  it('stops at the limit: over, holding exactly the limit', async () => {
    const over = await inflateRaw(deflated, { limit: 100_000 });
    expect(over.status).toBe('over');
    expect(over.bytes.length).toBe(100_000);
    expect(same(over.bytes, log.subarray(0, 100_000))).toBe(true);
  });

  it('counts without keeping when asked', async () => {
    const counted = await inflateRaw(deflated, { limit: log.length, keep: false });
    expect(counted).toMatchObject({ status: 'done', size: log.length });
    expect(counted.bytes.length).toBe(0);
  });
});

describe('inflateRawSalvaging and deflateEnd', () => {
  // The log flushed to a byte boundary, then a block of the reserved type 3: damage at a known offset.
  const flushed = new Uint8Array(deflateRawSync(log, { finishFlush: constants.Z_SYNC_FLUSH }));
  const damaged = new Uint8Array(flushed.length + 4);
  damaged.set(flushed);
  damaged[flushed.length] = 0x07;

  it('keeps every byte inflated before damage and says where the clean input ends', async () => {
    const plain = await inflateRaw(damaged, { limit: log.length });
    expect(plain.status).toBe('corrupt');
    const salvaged = await inflateRawSalvaging(damaged, { limit: log.length });
    expect(salvaged.status).toBe('corrupt');
    expect(salvaged.goodInput).toBe(flushed.length);
    expect(same(salvaged.bytes, log)).toBe(true);
    expect(salvaged.size).toBeGreaterThanOrEqual(plain.size);
  });

  it('finds where a deflate stream ends inside longer input, with or without a hint', async () => {
    const withTail = new Uint8Array(deflated.length + 13);
    withTail.set(deflated);
    withTail.fill(0xab, deflated.length);
    expect(await deflateEnd(withTail, log.length, [])).toBe(deflated.length);
    expect(await deflateEnd(withTail, log.length, [5, deflated.length])).toBe(deflated.length);
  });
});

describe('ByteBuilder', () => {
  it('joins chunks once, refuses past its limit, and says so', () => {
    const builder = new ByteBuilder(10);
    expect(builder.append(Uint8Array.of(1, 2, 3))).toBe(true);
    expect(builder.append(Uint8Array.of(4, 5, 6, 7))).toBe(true);
    expect(builder.append(Uint8Array.of(8, 9, 10, 11, 12))).toBe(false);
    expect(builder.length).toBe(10);
    expect([...builder.bytes()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([...builder.bytes()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new ByteBuilder(5).bytes().length).toBe(0);
  });
});
