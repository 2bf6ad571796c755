import { describe, expect, it } from 'vitest';
import { encodeTlv, type TlvMessage } from '../core/index.ts';
import { fixtureBytes, fixtureRaw } from '../testing/fixtures.ts';
import { stringMessage } from '../testing/messages.ts';
import { LINE_TEXT_BYTES, RECORD_TEXT_BYTES } from './protocol.ts';
import { LogSession } from './session.ts';

const open = (name: string) => LogSession.open(fixtureRaw(name), name);

describe('LogSession (the worker side)', () => {
  it('opens a gzipped text log and times gunzip and index separately', async () => {
    const s = await open('kernel/too-large-rotated.bin.gz');
    const summary = s.summary();
    expect(summary).toMatchObject({ format: 'text', size: 1048576, compressedSize: 54639, typeCounts: null });
    expect(summary.truncation.mode).toBe('rotating');
    expect(summary.timings.gunzip).toBeGreaterThan(0);
    expect(summary.lineCount).toBe(summary.recordCount);
    expect(s.lineCount()).toBe(summary.recordCount);
  });

  it('reports the verifier’s summary and complaint, pointing at its record', async () => {
    const s = await open('tlv/oob-unknown-types.bin');
    const { outcome } = s.summary();
    expect(outcome.summary).toMatchObject({ insns: 18, limit: 1000000 });
    expect(outcome.error?.lines[0]).toMatch(/^invalid access to map value/);
    expect(s.record(outcome.error?.record ?? -1)?.text).toMatch(/^invalid access to map value/);
  });

  it('counts types and filters by type in the worker', async () => {
    const s = await open('tlv/oob-unknown-types.bin');
    expect(s.summary().typeCounts).toEqual({
      types: Uint16Array.of(1, 2, 2127, 19744),
      counts: Float64Array.of(32, 1, 1, 1),
    });
    expect(await s.setView({ types: [2127, 19744], query: '', regex: false }, null)).toEqual({
      total: 2,
      error: null,
    });
    const rows = s.rows(0, 10);
    expect(rows.map((r) => r.type).sort()).toEqual([19744, 2127].sort());
    expect(rows[0].index).toBeLessThan(rows[1].index);
    for (const r of rows) {
      expect(r.isText).toBe(false);
      expect(r.preview).toMatch(/^[0-9a-f]{2}( [0-9a-f]{2})*( …)?$/);
    }
  });

  it('searches by substring: every matching record and only those', async () => {
    const s = await open('kernel/bad-bounds.bin');
    const log = s.decoded;
    const expected: number[] = [];
    for (let i = 0; i < log.recordCount; i++) if (log.recordText(i)?.includes('R1=')) expected.push(i);
    expect(expected.length).toBeGreaterThan(2);
    expect((await s.setView({ types: null, query: 'R1=', regex: false }, null)).total).toBe(expected.length);
    expect(s.rows(0, 1000).map((r) => r.index)).toEqual(expected);
  });

  it('does not match across a TLV header or between records', async () => {
    const s = await open('tlv/oob-whole.bin');
    // "0\n" ends one record and a header follows: a query spanning both must not match.
    expect((await s.setView({ types: null, query: 'fp0\n\u0001', regex: false }, null)).total).toBe(0);
    expect((await s.setView({ types: null, query: 'fp0', regex: false }, null)).total).toBeGreaterThan(0);
  });

  it('filters by regex, reports a bad one, and combines with the type filter', async () => {
    const s = await open('tlv/oob-unknown-types.bin');
    const all = await s.setView({ types: null, query: '^\\d+: \\(', regex: true }, null);
    expect(all.error).toBeNull();
    expect(all.total).toBeGreaterThan(5);
    for (const r of s.rows(0, 100)) expect(r.preview).toMatch(/^\d+: \(/);
    const bad = await s.setView({ types: null, query: '(', regex: true }, null);
    expect(bad.error).toMatch(/RE2 syntax/);
    expect(bad.total).toBe(s.summary().recordCount);
    expect((await s.setView({ types: [2], query: 'R1', regex: false }, null)).total).toBe(0);
  });

  it('sorts by type and length, both ways, and finds a record in the sorted view', async () => {
    const s = await open('tlv/oob-unknown-types.bin');
    await s.setView({ types: null, query: '', regex: false }, { column: 'length', desc: true });
    const rows = s.rows(0, 100);
    for (let k = 1; k < rows.length; k++) expect(rows[k - 1].length).toBeGreaterThanOrEqual(rows[k].length);
    await s.setView({ types: null, query: '', regex: false }, { column: 'type', desc: false });
    const byType = s.rows(0, 100).map((r) => r.type ?? 0);
    expect(byType).toEqual([...byType].sort((a, b) => a - b));
    const end = s.summary().end?.index ?? -1;
    expect(s.rows(s.position(end), 1)[0].index).toBe(end);
  });

  it('maps a byte offset to its record, and trailing space to none', async () => {
    const s = await open('tlv/oob-whole.bin');
    const summary = s.summary();
    expect(s.recordAt(0)).toBe(0);
    expect(s.recordAt(5)).toBe(0); // inside the header
    expect(s.recordAt(26)).toBe(1);
    expect(s.recordAt((summary.end?.offset ?? 0) + 7)).toBe(summary.recordCount - 1);
    expect(s.recordAt((summary.end?.offset ?? 0) + 8)).toBe(-1);
  });

  it('serves joined lines for the text view, linked to their records', async () => {
    const s = await open('tlv/oob-fragments.bin');
    const whole = await open('tlv/oob-whole.bin');
    expect(s.lineCount()).toBe(whole.lineCount());
    const lines = s.lines(0, 100);
    expect(lines.map((l) => l.text)).toEqual(whole.lines(0, 100).map((l) => l.text));
    const split = lines.find((l) => l.endRecord - l.firstRecord > 1);
    expect(split).toBeDefined();
    const detail = s.record(split?.firstRecord ?? 0);
    expect(detail?.line).toBe(split?.line);
  });

  it('re-decodes with a byte-order override', async () => {
    const s = await LogSession.open(fixtureBytes('tlv/oob-big-endian.bin'), 'be');
    expect(s.summary().byteOrder).toBe('big');
    const forced = s.reopen({ byteOrder: 'little' });
    expect(forced.byteOrder).toBe('little');
    expect(forced.diagnostics[0].code).toBe('length-overflow');
  });
});

describe('LogSession.hexPage', () => {
  it('returns the bytes of a page with the records that overlap it', async () => {
    const s = await open('tlv/oob-whole.bin');
    const page = s.hexPage(16, 48);
    expect(page.start).toBe(16);
    expect(Array.from(page.bytes)).toEqual(Array.from(s.bytes.subarray(16, 48)));
    expect(page.records.map((r) => r.index)).toEqual([0, 1]);
    expect(page.records[1]).toEqual({
      index: 1,
      offset: 26,
      contentStart: 32,
      end: 32 + s.decoded.recordLength(1),
    });
  });
});

describe('search over slices', () => {
  for (const name of ['kernel/loop-level2-15mb.bin.gz', 'tlv/loop-15mb-fragments.bin.gz']) {
    it(`${name}: the same records whether the search text was built ahead in slices or at once, and as brute force finds`, async () => {
      const ahead = await open(name);
      let steps = 0;
      while (ahead.prepareSearchStep()) steps++;
      // 15 MB in slices of a few MB: many slices, so boundaries are crossed.
      expect(steps).toBeGreaterThanOrEqual(4);
      const lazy = await open(name);
      const log = lazy.decoded;
      for (const query of ['R1=', 'goto pc-', 'processed', '(07) r1 += 3']) {
        const a = (await ahead.setView({ types: null, query, regex: false }, null)).total;
        const b = (await lazy.setView({ types: null, query, regex: false }, null)).total;
        let expected = 0;
        for (let i = 0; i < log.recordCount; i++) if ((log.recordText(i) ?? '').includes(query)) expected++;
        expect(a, query).toBe(expected);
        expect(b, query).toBe(expected);
        if (query === 'R1=') expect(expected).toBeGreaterThan(100);
      }
      // The regex and substring searches agree on a literal.
      expect((await lazy.setView({ types: null, query: 'goto pc-', regex: true }, null)).total).toBe(
        (await lazy.setView({ types: null, query: 'goto pc-', regex: false }, null)).total,
      );
    }, 120_000);
  }

  it('counts each record once, across slice boundaries, on the 71 MB log', async () => {
    const s = await open('kernel/too-large-71mb.bin.gz');
    const log = s.decoded;
    const total = (await s.setView({ types: null, query: 'processed', regex: false }, null)).total;
    expect(total).toBe(1);
    expect(log.recordText(s.rows(0, 1)[0].index)).toMatch(/^processed 1000001 insns/);
    // Every line of this loop has "; " or "R"; count lines with "(07) r1 += 3" by brute force on a sample.
    const q = '(07) r1 += 3';
    let expected = 0;
    for (let i = 0; i < log.recordCount; i++) if ((log.recordText(i) ?? '').includes(q)) expected++;
    expect((await s.setView({ types: null, query: q, regex: false }, null)).total).toBe(expected);
  }, 120_000);
});

describe('search without a copy (logs past LogSession.searchCopyMaxBytes)', () => {
  const views = async (relative: string, query: string, regex: boolean) => {
    const s = await open(relative);
    const filter = { types: null, query, regex };
    await s.setView(filter, null);
    const copied = s.rows(0, 100_000).map((r) => r.index);
    const saved = LogSession.searchCopyMaxBytes;
    LogSession.searchCopyMaxBytes = 0;
    try {
      expect(s.summary().searchCopyEager).toBe(false);
      await s.setView(filter, null);
      return { copied, direct: s.rows(0, 100_000).map((r) => r.index) };
    } finally {
      LogSession.searchCopyMaxBytes = saved;
    }
  };

  it.each([
    ['kernel/bad-bounds.bin', 'R1=', false],
    ['kernel/loop-level2-rotated.bin', 'goto pc', false],
    ['tlv/oob-whole.bin', 'fp0', false],
    ['tlv/oob-whole.bin', 'fp0\n\u0001', false],
    ['tlv/oob-unknown-types.bin', '^\\d+: \\(', true],
  ] as const)('%s, %j: the same records as with the copy', async (relative, query, regex) => {
    const { copied, direct } = await views(relative, query, regex);
    expect(direct).toEqual(copied);
    if (query !== 'fp0\n\u0001') expect(direct.length).toBeGreaterThan(0);
  });
});

describe('text sent to the page is cut, so a giant line cannot freeze it', () => {
  // A real log's lines run together into one 5 MB line (newlines turned to spaces), then its summary.
  const kernel = fixtureBytes('kernel/loop-level2-15mb.bin.gz');
  const body = kernel.slice(0, 5 << 20).map((b) => (b === 0x0a || b === 0 ? 0x20 : b));
  const summary = new TextEncoder().encode('\nprocessed 9 insns (limit 1000000)\n');
  const bytes = new Uint8Array(body.length + summary.length);
  bytes.set(body);
  bytes.set(summary, body.length);

  it('a text log: the record pane gets 16 KiB and says how much more; rows and lines get 4 KiB', async () => {
    const s = await LogSession.open(bytes, 'one-line.log');
    const detail = s.record(0);
    expect(detail?.textCut).toBe(body.length - RECORD_TEXT_BYTES);
    expect(detail?.text?.length).toBe(RECORD_TEXT_BYTES + 1);
    expect(detail?.text?.endsWith('…')).toBe(true);
    expect(s.record(1)).toMatchObject({ textCut: 0, text: 'processed 9 insns (limit 1000000)' });
    const [line] = s.lines(0, 1);
    expect(line.text.length).toBe(LINE_TEXT_BYTES + 1);
    expect(line.text.startsWith('func#0 @0 ')).toBe(true);
    // The verifier's reading of the row: its start, no instruction parsed out of 5 MB.
    await s.verifier();
    const [row] = s.rows(0, 1);
    expect(row.verifier).toMatchObject({ kind: 'func', insn: null, stateTail: null });
    expect(row.verifier?.text.length).toBe(LINE_TEXT_BYTES + 1);
  });

  it('a long instruction line (a big state tail) is still read as one, its tail cut for the row', async () => {
    const tail = Array.from({ length: 600 }, (_, k) => `fp-${8 * (k + 1)}=mmmmmmmm`).join(' ');
    const text = `0: R1=ctx() R10=fp0\n0: (b7) r0 = 0                        ; R0_w=0 ${tail}\nprocessed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n`;
    const s = await LogSession.open(new TextEncoder().encode(text), 'long-state.log');
    await s.verifier();
    const [row] = s.rows(1, 1);
    expect(tail.length).toBeGreaterThan(LINE_TEXT_BYTES);
    expect(row.verifier).toMatchObject({ kind: 'insn', pc: 0, insn: '(b7) r0 = 0' });
    expect(row.verifier?.stateTail?.startsWith('R0_w=0 fp-8=mmmmmmmm')).toBe(true);
    expect(row.verifier?.stateTail?.length).toBe(LINE_TEXT_BYTES + 1);
    expect(row.verifier?.text.length).toBe(LINE_TEXT_BYTES + 1);
  });

  it('a TLV line of many fragments: its first 4 KiB', async () => {
    const pieces: TlvMessage[] = [];
    const text = new TextDecoder().decode(body.subarray(0, 1 << 20));
    for (let at = 0; at < text.length; at += 100) pieces.push(stringMessage(text.slice(at, at + 100)));
    pieces.push(stringMessage('\n'));
    const s = await LogSession.open(encodeTlv(pieces).bytes, 'fragments.bin');
    const [line] = s.lines(0, 1);
    expect(line.text.length).toBe(LINE_TEXT_BYTES + 1);
    expect(line.text.slice(0, 100)).toBe(text.slice(0, 100));
    await s.verifier();
    const [row] = s.rows(0, 1);
    expect(row.verifier?.text.length).toBe(LINE_TEXT_BYTES + 1);
  });
});
