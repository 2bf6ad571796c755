/**
 * streamOpen reads a byte stream (a File's, a fetch body's) BYOB into one
 * buffer it reuses, so each chunk is overwritten by the next read. Whatever
 * the chunks' sizes, the log it builds must be the whole buffer's: same bytes,
 * same index, same verdict. A chunk kept past its read would show here as
 * bytes of a later chunk, or as nothing (a BYOB read detaches the buffer).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DecodedLog, decodeLog } from '../core/index.ts';
import { fixtureBytes } from '../testing/fixtures.ts';
import { Job } from './job.ts';
import { STAGING_BYTES, streamOpen } from './streamOpen.ts';

interface Reads {
  /** Each read's view: its buffer's length, and whether it still held the previous read's bytes (the same memory, reused). */
  views: { bufferBytes: number; holdsPrevious: boolean }[];
}

/** A byte stream that answers each BYOB read with the next piece of `bytes` (cut at `sizes`, cycled), written into the reader's view. */
function byteStream(
  bytes: Uint8Array,
  sizes: number[],
  reads: Reads = { views: [] },
): ReadableStream<Uint8Array> {
  let at = 0;
  let turn = 0;
  let previous: Uint8Array | null = null;
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      const request = controller.byobRequest;
      if (!request?.view) throw new Error('the reader did not read BYOB');
      if (at >= bytes.length) {
        controller.close();
        request.respond(0);
        return;
      }
      const view = new Uint8Array(request.view.buffer, request.view.byteOffset, request.view.byteLength);
      const size = Math.min(Math.max(1, sizes[turn++ % sizes.length]), view.length, bytes.length - at);
      const whole = new Uint8Array(request.view.buffer);
      reads.views.push({
        bufferBytes: whole.length,
        holdsPrevious: previous !== null && Buffer.from(whole.subarray(0, previous.length)).equals(previous),
      });
      view.set(bytes.subarray(at, at + size));
      previous = bytes.slice(at, at + size);
      at += size;
      request.respond(size);
    },
  });
}

async function openStream(body: ReadableStream<Uint8Array>, total: number): Promise<DecodedLog> {
  const result = await streamOpen({ body, total, label: 'test' }, {}, new Job(1), () => {});
  return result.log;
}

function expectSameLog(actual: DecodedLog, expected: DecodedLog): void {
  expect(Buffer.from(actual.bytes).equals(Buffer.from(expected.bytes))).toBe(true);
  expect(actual.format).toBe(expected.format);
  expect(actual.byteOrder).toBe(expected.byteOrder);
  expect(actual.recordCount).toBe(expected.recordCount);
  expect(actual.truncation).toEqual(expected.truncation);
  expect(actual.diagnostics).toEqual(expected.diagnostics);
  for (let i = 0; i < expected.recordCount; i++) expect(actual.recordText(i)).toBe(expected.recordText(i));
}

const files = [
  'kernel/loop-level2-rotated.bin',
  'kernel/bad-bounds.bin',
  'tlv/oob-big-endian.bin',
  'tlv/ok2-fragments.bin',
  'tlv/bad-missing-end.bin',
];

describe('a byte stream read into one reused buffer', () => {
  it('is read BYOB, through one buffer for the whole stream', async () => {
    const bytes = fixtureBytes('kernel/loop-level2-rotated.bin');
    const reads: Reads = { views: [] };
    const log = await openStream(byteStream(bytes, [100], reads), bytes.length);
    expect(log.size).toBe(bytes.length);
    expect(reads.views.length).toBe(Math.ceil(bytes.length / 100));
    expect(reads.views.every((v) => v.bufferBytes === STAGING_BYTES)).toBe(true);
    // Every read after the first lands where the one before did: the same memory, not fresh.
    expect(reads.views.slice(1).every((v) => v.holdsPrevious)).toBe(true);
  });

  it('gives the whole buffer’s log for any chunk sizes, 1 byte up to the staging buffer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...files),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: STAGING_BYTES })), {
          minLength: 1,
          maxLength: 20,
        }),
        async (file, sizes) => {
          const bytes = fixtureBytes(file);
          expectSameLog(await openStream(byteStream(bytes, sizes), bytes.length), decodeLog(bytes));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('one byte at a time, for text and for TLV in both byte orders', async () => {
    for (const file of ['kernel/bad-bounds.bin', 'tlv/oob-big-endian.bin', 'tlv/ok2-fragments.bin']) {
      const bytes = fixtureBytes(file);
      expectSameLog(await openStream(byteStream(bytes, [1]), bytes.length), decodeLog(bytes));
    }
  });

  it('a gzip file read BYOB is inflated whole: the inflater gets chunks of its own', async () => {
    const { gzipSync } = await import('node:zlib');
    const bytes = fixtureBytes('tlv/ok2-fragments.bin');
    const gz = new Uint8Array(gzipSync(bytes));
    expectSameLog(await openStream(byteStream(gz, [7, 300, 1]), gz.length), decodeLog(bytes));
  });
});
