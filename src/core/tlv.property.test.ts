/** Properties of the TLV walk, checked on thousands of generated buffers a run. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodedLog } from './decode.ts';
import { encodeTlv, type TlvMessage } from './encode.ts';
import {
  END_COUNT_SATURATED,
  TLV_END_RESERVE,
  TLV_HEADER_SIZE,
  type TlvIndex,
  TYPE_END,
  TYPE_STRING,
} from './tlv.ts';
import type { ByteOrder } from './types.ts';

const byteOrder = fc.constantFrom<ByteOrder>('little', 'big');
const messageType = fc.oneof(
  { weight: 4, arbitrary: fc.constant(TYPE_STRING) },
  { weight: 1, arbitrary: fc.integer({ min: 3, max: 0xffff }) },
);
const message = (minLength: number) =>
  fc.record({ type: messageType, contents: fc.uint8Array({ minLength, maxLength: 120 }) });
const messages = (minLength = 0) => fc.array(message(minLength), { maxLength: 40 });

function totalSize(list: readonly TlvMessage[]): number {
  return list.reduce((n, m) => n + TLV_HEADER_SIZE + m.contents.length, TLV_END_RESERVE);
}

/** What the kernel keeps: each message that still fits before the END reserve, in order. */
function expectedKept(list: readonly TlvMessage[], logSize: number): number[] {
  const kept: number[] = [];
  let used = 0;
  list.forEach((m, i) => {
    const need = TLV_HEADER_SIZE + m.contents.length;
    if (used + need <= logSize - TLV_END_RESERVE) {
      kept.push(i);
      used += need;
    }
  });
  return kept;
}

describe('encode → decode', () => {
  it('round-trips any messages in both byte orders at any buffer size, with the right END count', () => {
    fc.assert(
      fc.property(
        messages(),
        byteOrder,
        fc.double({ min: 0, max: 1.2, noNaN: true }),
        (list, order, fraction) => {
          const logSize = Math.max(TLV_END_RESERVE, Math.floor(totalSize(list) * fraction));
          const encoded = encodeTlv(list, { byteOrder: order, logSize });
          const log = new DecodedLog(encoded.bytes, { format: 'tlv', byteOrder: order });
          const index = log.index as TlvIndex;
          const kept = expectedKept(list, logSize);
          expect(index.count).toBe(kept.length + 1);
          kept.forEach((m, r) => {
            expect(index.types[r]).toBe(list[m].type);
            expect(index.lengths[r]).toBe(list[m].contents.length);
            const [start, end] = log.contentRange(r);
            expect(encoded.bytes.subarray(start, end)).toEqual(list[m].contents);
          });
          const dropped = list.length - kept.length;
          expect(index.types[index.count - 1]).toBe(TYPE_END);
          expect(log.end?.count).toBe(Math.min(dropped, END_COUNT_SATURATED));
          expect(log.truncation.truncated).toBe(dropped > 0);
          expect(log.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('detects format and byte order when every message has contents', () => {
    fc.assert(
      fc.property(messages(1), byteOrder, (list, order) => {
        // Detection keys on the first header being STRING or END (1.2).
        const withString: TlvMessage[] = [{ type: TYPE_STRING, contents: new Uint8Array([0x41]) }, ...list];
        const { bytes } = encodeTlv(withString, { byteOrder: order });
        const log = new DecodedLog(bytes);
        expect(log.format).toBe('tlv');
        expect(log.byteOrder).toBe(order);
        expect(log.recordCount).toBe(withString.length + 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('saturates the END count at 65535 and says "at least"', () => {
    const list = Array.from({ length: 70_000 }, () => ({ type: TYPE_STRING, contents: new Uint8Array(4) }));
    const { bytes } = encodeTlv(list, { logSize: 64 });
    const log = new DecodedLog(bytes);
    expect(log.end?.count).toBe(END_COUNT_SATURATED);
    expect(log.truncation.saturated).toBe(true);
    expect(log.truncation.message).toMatch(/^At least 65,535 messages were dropped/);
  });
});

describe('robustness', () => {
  it('never throws on random bytes at any alignment, and always yields a format and diagnostics', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 7 }), (random, shift) => {
        // The decoders read words where they can: bytes must not need to start on a word boundary.
        const backing = new Uint8Array(random.length + shift);
        backing.set(random, shift);
        const bytes = backing.subarray(shift);
        const log = new DecodedLog(bytes);
        expect(Array.isArray(log.diagnostics)).toBe(true);
        if (bytes.length === 0) {
          expect(log.format).toBeNull();
          return;
        }
        expect(['tlv', 'text']).toContain(log.format);
        for (let i = 0; i < log.recordCount; i++) {
          const [start, end] = log.contentRange(i);
          expect(start).toBeGreaterThanOrEqual(0);
          expect(end).toBeLessThanOrEqual(bytes.length);
          log.recordText(i);
        }
        for (const d of log.diagnostics) expect(d.offset).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws when random bytes are forced through either decoder in either order', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        byteOrder,
        fc.constantFrom('tlv', 'text') as fc.Arbitrary<'tlv' | 'text'>,
        (bytes, order, format) => {
          const log = new DecodedLog(bytes, { format, byteOrder: order });
          expect(log.format).toBe(format);
          for (let i = 0; i < log.recordCount; i++) log.recordText(i);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('cutting a valid buffer anywhere keeps every record before the cut', () => {
    fc.assert(
      fc.property(messages(), byteOrder, fc.double({ min: 0, max: 1, noNaN: true }), (list, order, where) => {
        const { bytes } = encodeTlv(list, { byteOrder: order });
        const whole = new DecodedLog(bytes, { format: 'tlv', byteOrder: order }).index as TlvIndex;
        const cut = Math.floor(bytes.length * where);
        const part = new DecodedLog(bytes.subarray(0, cut), { format: 'tlv', byteOrder: order });
        const index = part.index as TlvIndex;
        let complete = 0;
        while (
          complete < whole.count &&
          whole.offsets[complete] + TLV_HEADER_SIZE + whole.lengths[complete] <= cut
        ) {
          complete++;
        }
        expect(index.count).toBe(complete);
        expect(Array.from(index.offsets)).toEqual(Array.from(whole.offsets.subarray(0, complete)));
        expect(Array.from(index.types)).toEqual(Array.from(whole.types.subarray(0, complete)));
        expect(Array.from(index.lengths)).toEqual(Array.from(whole.lengths.subarray(0, complete)));
        if (cut < bytes.length) {
          // A cut buffer lost its END (or part of it): it must be called incomplete.
          expect(part.truncation.truncated).toBe(true);
          expect(part.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
