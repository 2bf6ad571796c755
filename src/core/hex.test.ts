import { describe, expect, it } from 'vitest';
import { hexDump, hexPreview, hexStream } from './hex.ts';

describe('hex', () => {
  const bytes = new Uint8Array([
    0x01,
    0x00,
    0x14,
    0x00,
    0x00,
    0x00,
    ...new TextEncoder().encode('0: R1=ctx() R10=fp0'),
    0x7f,
  ]);

  it('dumps in the hexdump -C layout', () => {
    expect(hexDump(bytes, 0, bytes.length).split('\n')).toEqual([
      '00000000  01 00 14 00 00 00 30 3a  20 52 31 3d 63 74 78 28  |......0: R1=ctx(|',
      '00000010  29 20 52 31 30 3d 66 70  30 7f                    |) R10=fp0.      |',
    ]);
  });

  it('aligns a dump that starts mid-row', () => {
    expect(hexDump(bytes, 6, 8)).toBe(
      '00000000                    30 3a                           |      0:        |',
    );
  });

  it('dumps a slice at its absolute offsets', () => {
    expect(hexDump(bytes.subarray(6, 8), 0x16, 0x18, 0x16)).toBe(
      '00000010                    30 3a                           |      0:        |',
    );
  });

  it('streams and previews', () => {
    expect(hexStream(bytes, 0, 6)).toBe('010014000000');
    expect(hexPreview(bytes, 0, 26, 4)).toBe('01 00 14 00 …');
  });
});
