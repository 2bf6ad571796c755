import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCount, formatOffset } from './diagnostics.ts';

describe('formatCount', () => {
  it('writes integers as en-US does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer()), (value) => {
        expect(formatCount(value)).toBe(value.toLocaleString('en-US'));
      }),
      { numRuns: 5000 },
    );
    for (const value of [0, 7, 999, 1000, 65535, 1_000_006, -1000, Number.MAX_SAFE_INTEGER])
      expect(formatCount(value)).toBe(value.toLocaleString('en-US'));
  });
});

describe('formatOffset', () => {
  it('is 0x and 8 lowercase hex digits', () => {
    expect(formatOffset(0x1f8b)).toBe('0x00001f8b');
  });
});
