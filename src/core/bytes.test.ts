import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../testing/fixtures.ts';
import { sha256Hex, sha256Steps } from './bytes.ts';

/** ES2023's lib has no resizable ArrayBuffer constructor (stream.ts casts the same way). */
type Resizable = new (length: number, options: { maxByteLength: number }) => ArrayBuffer;

const nodeSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('SHA-256 in steps', () => {
  it('hashes real logs as node:crypto does, yielding once per MiB', () => {
    for (const file of ['kernel/loop-level2-15mb.bin.gz', 'tlv/ok2-fragments.bin', 'tlv/empty.bin']) {
      const bytes = fixtureBytes(file);
      const steps = sha256Steps(bytes);
      let yields = 0;
      let next = steps.next();
      for (; !next.done; next = steps.next()) yields++;
      expect(next.value, file).toBe(nodeSha256(bytes));
      expect(yields, file).toBe(Math.ceil(bytes.length / (1 << 20)));
    }
  });

  it('hashes a view of a resizable buffer (a streamed log) where it lies, and any length around the block size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 * (1 << 20) + 130 }),
        fc.integer({ min: 0, max: 64 }),
        (length, offset) => {
          const buffer = new (ArrayBuffer as unknown as Resizable)(offset + length, {
            maxByteLength: offset + length + (1 << 20),
          });
          const view = new Uint8Array(buffer, offset, length);
          for (let i = 0; i < length; i += 997) view[i] = i & 0xff;
          expect(sha256Hex(view)).toBe(nodeSha256(view.slice()));
        },
      ),
      { numRuns: 40 },
    );
  });
});
