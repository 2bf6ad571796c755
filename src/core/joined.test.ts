import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../testing/fixtures.ts';
import { DecodedLog } from './decode.ts';
import { encodeTlv, type TlvMessage } from './encode.ts';
import { joinedLineText, joinTlvLines, lineOfRecord, NO_LINE } from './joined.ts';
import { type TlvIndex, TYPE_STRING } from './tlv.ts';

const stringMessage = (text: string): TlvMessage => ({
  type: TYPE_STRING,
  contents: new TextEncoder().encode(text),
});

function joinedText(log: DecodedLog): string[] {
  const index = log.index as TlvIndex;
  const lines = joinTlvLines(log.bytes, index);
  return Array.from({ length: lines.lineCount }, (_, i) => joinedLineText(log.bytes, index, lines, i));
}

function textLines(log: DecodedLog): string[] {
  return Array.from({ length: log.recordCount }, (_, i) => log.recordText(i) ?? '');
}

describe('joined view of STRING fragments', () => {
  it('rebuilds the kernel text log from its fragmented TLV copy (ok-level2)', () => {
    const fragments = new DecodedLog(fixtureBytes('tlv/ok2-fragments.bin'));
    const kernel = new DecodedLog(fixtureBytes('kernel/ok-level2.bin.gz'));
    expect(fragments.recordCount).toBeGreaterThan(kernel.recordCount);
    expect(joinedText(fragments)).toEqual(textLines(kernel));
  });

  it('rebuilds the 15 MB level-2 log from a million fragments', () => {
    const fragments = new DecodedLog(fixtureBytes('tlv/loop-15mb-fragments.bin.gz'));
    const kernel = new DecodedLog(fixtureBytes('kernel/loop-level2-15mb.bin.gz'));
    const joined = joinedText(fragments);
    expect(joined.length).toBe(kernel.recordCount);
    for (let i = 0; i < joined.length; i += 997) expect(joined[i]).toBe(kernel.recordText(i));
    // Each fragment maps back to its line, as a walk over the lines' record ranges finds it.
    const index = fragments.index as TlvIndex;
    const lines = joinTlvLines(fragments.bytes, index);
    for (let i = 0; i < lines.lineCount; i += 97)
      for (let r = lines.firstRecord[i]; r < lines.endRecord[i]; r++)
        expect(lineOfRecord(lines, index, r)).toBe(index.types[r] === TYPE_STRING ? i : NO_LINE);
    expect(joined[joined.length - 1]).toBe(kernel.recordText(kernel.recordCount - 1));
  });

  it('joins the same lines whether messages are whole or fragmented, NUL-terminated or not', () => {
    const whole = joinedText(new DecodedLog(fixtureBytes('tlv/oob-whole.bin')));
    expect(joinedText(new DecodedLog(fixtureBytes('tlv/oob-fragments.bin')))).toEqual(whole);
    expect(joinedText(new DecodedLog(fixtureBytes('tlv/oob-nul-strings.bin')))).toEqual(whole);
    expect(joinedText(new DecodedLog(fixtureBytes('tlv/oob-unknown-types.bin')))).toEqual(whole);
  });

  it('decodes a line once: a character split between fragments stays whole; a cut line says so', () => {
    const line = new TextEncoder().encode('; sum += café; @ x.c:3\n');
    const split = line.indexOf(0xc3) + 1; // between the two bytes of é
    const { bytes } = encodeTlv([
      { type: TYPE_STRING, contents: line.subarray(0, split) },
      { type: TYPE_STRING, contents: line.subarray(split) },
    ]);
    const log = new DecodedLog(bytes);
    const index = log.index as TlvIndex;
    const lines = joinTlvLines(bytes, index);
    expect(joinedLineText(bytes, index, lines, 0)).toBe('; sum += café; @ x.c:3');
    expect(joinedLineText(bytes, index, lines, 0, 8)).toBe('; sum +=…');
  });

  it('maps each record to its line; other types sit inside a line without breaking it', () => {
    const { bytes } = encodeTlv([
      stringMessage('0: (b7) r0 = 0'),
      { type: 7, contents: new Uint8Array([1, 2]) },
      stringMessage('   ; R0=0\n'),
      stringMessage('1: (95) exit\n'),
      stringMessage('tail without newline'),
    ]);
    const log = new DecodedLog(bytes);
    const index = log.index as TlvIndex;
    const lines = joinTlvLines(bytes, index);
    expect(lines.lineCount).toBe(3);
    expect(Array.from({ length: 6 }, (_, r) => lineOfRecord(lines, index, r))).toEqual([
      0,
      NO_LINE,
      0,
      1,
      2,
      NO_LINE,
    ]);
    expect(Array.from(lines.firstRecord)).toEqual([0, 3, 4]);
    expect(Array.from(lines.endRecord)).toEqual([3, 4, 5]);
    expect(joinedText(log)).toEqual(['0: (b7) r0 = 0   ; R0=0', '1: (95) exit', 'tail without newline']);
  });
});
