/**
 * Streaming equals whole: a buffer fed in chunks of any size gives exactly
 * the index of the buffer held whole (format, byte order, records, END,
 * trailing space, verdict, diagnostics), on the real corpus and on generated
 * buffers, damaged ones included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureBytes, kernelManifest, tlvCases } from '../testing/fixtures.ts';
import { DecodedLog } from './decode.ts';
import { encodeTlv } from './encode.ts';
import { type IndexedLog, indexLog, LogIndexer } from './indexer.ts';
import { GrowingBuffer, LogStream } from './stream.ts';
import { indexText, TextIndexBuilder } from './text.ts';
import { TYPE_STRING, walkTlv } from './tlv.ts';
import type { ByteOrder, LogFormat } from './types.ts';

/** The buffer cut at `cuts` (any order, duplicates and out-of-range allowed). */
function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) chunks.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  return chunks;
}

function everyByte(bytes: Uint8Array): Uint8Array[] {
  return Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
}

function streamed(
  chunks: Uint8Array[],
  options: { format?: LogFormat; byteOrder?: ByteOrder } = {},
): IndexedLog {
  const indexer = new LogIndexer(options);
  for (const chunk of chunks) indexer.push(chunk);
  return indexer.finish();
}

/** Typed arrays compared by their bytes (toEqual walks millions of elements one by one). */
function expectSameIndexed(actual: IndexedLog, expected: IndexedLog): void {
  const columns = (log: IndexedLog) => {
    const index = log.index;
    if (!index) return [];
    return index.format === 'tlv' ? [index.offsets, index.types, index.lengths] : [index.lineStarts];
  };
  const a = columns(actual);
  const e = columns(expected);
  expect(a.length).toBe(e.length);
  a.forEach((column, k) => {
    expect(column.length).toBe(e[k].length);
    const bytesOf = (c: typeof column) => Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    expect(bytesOf(column).equals(bytesOf(e[k]))).toBe(true);
  });
  const rest = (log: IndexedLog) => ({
    ...log,
    index: { ...log.index, offsets: null, types: null, lengths: null, lineStarts: null },
  });
  expect(rest(actual)).toEqual(rest(expected));
}

/** A DecodedLog reduced to its IndexedLog fields, so a streamed and a whole log compare field by field. */
function indexedParts(log: IndexedLog): IndexedLog {
  const { format, formatReason, byteOrder, byteOrderReason, index, truncation, diagnostics } = log;
  return { format, formatReason, byteOrder, byteOrderReason, index, truncation, diagnostics };
}

const cutsOf = (bytes: Uint8Array) => fc.array(fc.nat({ max: bytes.length }), { maxLength: 40 });
/** A generated value paired with cut points into its bytes. */
const withCuts = <T>(value: fc.Arbitrary<T>, bytesOf: (t: T) => Uint8Array) =>
  value.chain((t) => fc.tuple(fc.constant(t), cutsOf(bytesOf(t))));

/** Small corpus buffers, as the kernel left them. */
const kernelFiles = kernelManifest()
  .map((k) => `kernel/${k.file}`)
  .filter((f) => !f.endsWith('.gz'));
const tlvFiles = tlvCases()
  .map((t) => t.binFile)
  .filter((f) => !f.endsWith('.gz'));

describe('empty chunks', () => {
  it('hold nothing to keep: an empty file is "empty", not past the cap; empty chunks between others change nothing', () => {
    const empty = new LogStream();
    expect(empty.push(new Uint8Array(0))).toBe(true);
    expect(empty.finish().diagnostics.map((d) => d.code)).toEqual(['empty']);
    const bytes = fixtureBytes('kernel/null-deref.bin');
    const stream = new LogStream();
    for (const part of [bytes.subarray(0, 100), new Uint8Array(0), bytes.subarray(100)])
      expect(stream.push(part)).toBe(true);
    const whole = new DecodedLog(bytes);
    expect(stream.finish().diagnostics).toEqual(whole.diagnostics);
  });
});

describe('the corpus fed in chunks', () => {
  it('indexes every small kernel text buffer and TLV buffer one byte at a time exactly as whole', () => {
    for (const file of [...kernelFiles, ...tlvFiles]) {
      const bytes = fixtureBytes(file);
      expect(streamed(everyByte(bytes)), file).toEqual(indexLog(bytes));
    }
  });

  it('indexes them in random splits exactly as whole, in either forced byte order too', () => {
    const files = [...kernelFiles, ...tlvFiles].map((f) => fixtureBytes(f));
    fc.assert(
      fc.property(
        fc.nat({ max: files.length - 1 }).chain((i) => fc.tuple(fc.constant(files[i]), cutsOf(files[i]))),
        fc.constantFrom<ByteOrder | undefined>(undefined, 'little', 'big'),
        ([bytes, cuts], byteOrder) => {
          const options = byteOrder ? { format: 'tlv' as const, byteOrder } : {};
          expect(streamed(split(bytes, cuts), options)).toEqual(indexLog(bytes, options));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('indexes the 15 MB level-2 log and the 15 MB TLV fragments in random 1 B-1 MiB chunks exactly as whole', () => {
    for (const file of ['kernel/loop-level2-15mb.bin.gz', 'tlv/loop-15mb-fragments.bin.gz']) {
      const bytes = fixtureBytes(file);
      const whole = indexLog(bytes);
      fc.assert(
        fc.property(fc.array(fc.nat({ max: bytes.length }), { minLength: 1, maxLength: 60 }), (cuts) => {
          expectSameIndexed(streamed(split(bytes, cuts)), whole);
        }),
        { numRuns: 3 },
      );
    }
  });
});

/** Text-like bytes: log characters, newlines, NULs, 0xaa fill and stray control bytes. */
const textByte = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
  { weight: 4, arbitrary: fc.constant(0x0a) },
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.constantFrom(0x09, 0xaa, 0x01, 0x7f, 0x0d) },
);
const textLike = fc.oneof(
  fc.array(textByte, { maxLength: 300 }).map((a) => Uint8Array.from(a)),
  // A log that starts and ends as a whole one (the saved-copy verdict), maybe NUL-terminated with a tail.
  fc
    .tuple(
      fc.constantFrom('func#0 @0\n', '0: R1=ctx() R10=fp0\n', 'mid-line text\n'),
      fc.array(textByte, { maxLength: 200 }),
      fc.constantFrom(
        '',
        'processed 3 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n',
      ),
      fc.array(fc.constantFrom(0, 0, 0, 0x41, 0x0a, 0xaa), { maxLength: 200 }),
    )
    .map(([head, body, summary, tail]) =>
      Uint8Array.from([
        ...new TextEncoder().encode(head),
        ...body.filter((b) => b !== 0),
        ...new TextEncoder().encode(summary),
        ...tail,
      ]),
    ),
);

describe('generated text fed in chunks', () => {
  it('gives the text index of the whole buffer for any split', () => {
    fc.assert(
      fc.property(
        withCuts(textLike, (bytes) => bytes),
        ([bytes, cuts]) => {
          const builder = new TextIndexBuilder();
          for (const chunk of split(bytes, cuts)) builder.push(chunk);
          expect(builder.finish()).toEqual(indexText(bytes));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never shows a line before its end has arrived, and never takes one back', () => {
    fc.assert(
      fc.property(
        withCuts(textLike, (bytes) => bytes),
        ([bytes, cuts]) => {
          const whole = indexText(bytes);
          const builder = new TextIndexBuilder();
          for (const chunk of split(bytes, cuts)) {
            builder.push(chunk);
            const { completeLines, lineStarts, bytesRead } = builder.progress();
            expect(Array.from(lineStarts.subarray(0, completeLines))).toEqual(
              Array.from(whole.lineStarts.subarray(0, completeLines)),
            );
            // A complete line's end (its newline or the NUL) has arrived.
            if (completeLines > 0) {
              const next =
                completeLines < whole.lineCount ? whole.lineStarts[completeLines] - 1 : whole.textLength;
              expect(next).toBeLessThan(bytesRead + (completeLines < whole.lineCount ? 0 : 1));
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

const message = fc.record({
  type: fc.oneof({ weight: 4, arbitrary: fc.constant(TYPE_STRING) }, fc.integer({ min: 3, max: 0xffff })),
  contents: fc.uint8Array({ maxLength: 40 }),
});

/** A TLV buffer in either order, maybe too small for its messages, maybe damaged: cut, a byte changed, garbage after. */
const tlvLike = fc
  .tuple(
    fc.array(message, { maxLength: 25 }),
    fc.constantFrom<ByteOrder>('little', 'big'),
    fc.double({ min: 0.3, max: 1.5, noNaN: true }),
    fc.oneof(
      fc.constant(null),
      fc.record({
        kind: fc.constantFrom('cut', 'flip', 'junk'),
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        value: fc.nat(255),
      }),
    ),
  )
  .map(([list, byteOrder, fraction, damage]) => {
    const natural = list.reduce((n, m) => n + 6 + m.contents.length, 8);
    let bytes = encodeTlv(list, { byteOrder, logSize: Math.max(8, Math.floor(natural * fraction)) }).bytes;
    if (damage) {
      const at = Math.floor(damage.at * bytes.length);
      if (damage.kind === 'cut') bytes = bytes.subarray(0, at);
      else if (damage.kind === 'flip' && bytes.length > 0)
        bytes[Math.min(at, bytes.length - 1)] = damage.value;
      else bytes = Uint8Array.from([...bytes, damage.value, 0, damage.value]);
    }
    return { bytes, byteOrder };
  });

describe('generated TLV fed in chunks', () => {
  it('detects the same format and byte order and walks the same records as whole, both orders, damaged or not', () => {
    fc.assert(
      fc.property(
        withCuts(tlvLike, (t) => t.bytes),
        ([{ bytes, byteOrder }, cuts]) => {
          const chunks = split(bytes, cuts);
          expect(streamed(chunks)).toEqual(indexLog(bytes));
          const forced = { format: 'tlv' as const, byteOrder };
          const result = streamed(chunks, forced);
          expect(result).toEqual(indexLog(bytes, forced));
          expect(result.index).toEqual(walkTlv(bytes, byteOrder));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('shows only records whose bytes have all arrived, as the whole walk has them', () => {
    fc.assert(
      fc.property(
        withCuts(tlvLike, (t) => t.bytes),
        ([{ bytes, byteOrder }, cuts]) => {
          const whole = walkTlv(bytes, byteOrder);
          const indexer = new LogIndexer({ format: 'tlv', byteOrder });
          for (const chunk of split(bytes, cuts)) {
            indexer.push(chunk);
            const progress = indexer.progress();
            const tlv = progress.tlv;
            if (!tlv) throw new Error('no TLV progress');
            expect(progress.records).toBe(tlv.count);
            for (let r = 0; r < tlv.count; r++) {
              expect(tlv.offsets[r] + 6 + tlv.lengths[r]).toBeLessThanOrEqual(progress.bytesRead);
              expect([tlv.offsets[r], tlv.types[r], tlv.lengths[r]]).toEqual([
                whole.offsets[r],
                whole.types[r],
                whole.lengths[r],
              ]);
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('LogStream: the bytes kept as they arrive', () => {
  it('grows one buffer in place, so views taken early stay valid', () => {
    const store = new GrowingBuffer(1 << 24, 16);
    const early = store.bytes();
    store.append(Uint8Array.of(1, 2, 3));
    const first = store.bytes();
    for (let i = 0; i < 1000; i++) store.append(new Uint8Array(1000).fill(i & 0xff));
    expect(store.inPlace).toBe(true);
    expect(store.bytes().buffer).toBe(early.buffer);
    expect(Array.from(first)).toEqual([1, 2, 3]);
    expect(store.length).toBe(1_000_003);
  });

  it('decodes a corpus log streamed in chunks exactly as DecodedLog on the whole buffer, record text included', () => {
    for (const file of [
      'kernel/too-large-rotated.bin.gz',
      'tlv/oob-big-endian.bin',
      'tlv/ok2-fragments.bin',
    ]) {
      const bytes = fixtureBytes(file);
      const stream = new LogStream();
      for (const chunk of split(bytes, [7, 1000, 1001, 4099, 30_000])) expect(stream.push(chunk)).toBe(true);
      const log = stream.finish();
      const whole = new DecodedLog(bytes);
      expect(Buffer.from(log.bytes).equals(Buffer.from(whole.bytes))).toBe(true);
      expectSameIndexed(indexedParts(log), indexedParts(whole));
      for (const i of [0, log.recordCount >> 1, log.recordCount - 1])
        expect(log.recordText(i)).toBe(whole.recordText(i));
    }
  });

  it('keeps the first maxBytes of a larger input and says so, indexing only those', () => {
    const bytes = fixtureBytes('kernel/ctx-write.bin');
    const stream = new LogStream({ maxBytes: 1000 });
    const accepted = split(bytes, [600, 1200]).map((chunk) => stream.push(chunk));
    expect(accepted).toEqual([true, false, false]);
    expect(stream.progress().capped).toBe(true);
    const log = stream.finish();
    expect(log.size).toBe(1000);
    expect(log.diagnostics[0]).toMatchObject({ code: 'file-too-large', severity: 'error', offset: 1000 });
    expect(log.index).toEqual(new DecodedLog(bytes.subarray(0, 1000)).index);
  });
});

describe('what is provisional while bytes arrive', () => {
  it('leaves the format undecided until the first header’s contents arrive, then indexes what was held', () => {
    const { bytes } = encodeTlv(
      [{ type: TYPE_STRING, contents: new TextEncoder().encode('x'.repeat(100)) }],
      {
        byteOrder: 'big',
      },
    );
    const indexer = new LogIndexer();
    indexer.push(bytes.subarray(0, 50));
    expect(indexer.progress()).toMatchObject({ format: null, formatFinal: false, records: 0, bytesRead: 50 });
    indexer.push(bytes.subarray(50, 107));
    expect(indexer.progress()).toMatchObject({
      format: 'tlv',
      formatFinal: true,
      byteOrder: 'big',
      records: 1,
    });
    indexer.push(bytes.subarray(107));
    const result = indexer.finish();
    expect(result.byteOrder).toBe('big');
    expect(result.index).toEqual(walkTlv(bytes, 'big'));
  });

  it('keeps both byte orders open while the wrong one waits on a huge length, and has END only once it arrived', () => {
    const bytes = fixtureBytes('tlv/oob-big-endian.bin');
    const indexer = new LogIndexer();
    indexer.push(bytes.subarray(0, 1000));
    const early = indexer.progress();
    // Little-endian reads the first length as millions of bytes: it waits, it has not lost yet.
    expect(early).toMatchObject({ format: 'tlv', byteOrder: 'big', byteOrderFinal: false });
    expect(early.records).toBeGreaterThan(0);
    expect(early.tlv?.end).toBeNull();
    indexer.push(bytes.subarray(1000));
    const late = indexer.progress();
    expect(late.tlv?.end).not.toBeNull();
    const result = indexer.finish();
    expect(result.byteOrder).toBe('big');
    expect(result.index).toEqual(indexLog(bytes).index);
  });
});
