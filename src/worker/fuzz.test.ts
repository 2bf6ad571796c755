/**
 * Fuzz: random and damaged buffers through the whole worker session in Node
 * (open, summary, rows, type filters, search, record, hex, joined lines, share,
 * reopen from the link). Seeded and deterministic. Asserts: nothing throws,
 * no buffer takes past a deadline, and the records before the damage are the
 * undamaged prefix's records.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type DecodedLog, decodeLog, gunzip, parseShareLink, type ViewState } from '../core/index.ts';
import { FIXTURES, fixtureBytes } from '../testing/fixtures.ts';
import { LogSession } from './session.ts';

const SEED = 0x5eed10;
const BUFFERS = 10_000;
/** Per buffer, every step included; the slowest seen is well under 100 ms. */
const DEADLINE_MS = 2_000;
/** Corpus logs are cut to this before mutation, so 10,000 buffers finish in CI time. */
const WINDOW = 4 * 1024;

/** mulberry32: a small seeded PRNG, so a failure can be replayed from its buffer number. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(items: readonly T[]) => items[int(items.length)] };
}

const corpus: Uint8Array[] = ['kernel', 'tlv']
  .flatMap((dir) =>
    readdirSync(join(FIXTURES, dir))
      .filter((f) => /\.bin(\.gz)?$/.test(f))
      .sort()
      .map((f) => `${dir}/${f}`),
  )
  .map((f) => fixtureBytes(f))
  .filter((b) => b.length > 0);

interface Case {
  kind: string;
  bytes: Uint8Array;
  /** The undamaged buffer and the offset of its first damaged byte (plain input only). */
  original?: Uint8Array;
  damageAt?: number;
  /** For a cut gzip file: the log it was made from (what it inflates to must be a prefix). */
  gzipOf?: Uint8Array;
}

function makeCase(r: ReturnType<typeof prng>): Case {
  const source = r.pick(corpus);
  const start = r.next() < 0.5 ? 0 : r.int(source.length);
  const original = source.subarray(start, start + 1 + r.int(WINDOW));
  const at = r.int(original.length + 1);
  switch (r.int(8)) {
    case 0: {
      const bytes = new Uint8Array(r.int(2048));
      for (let i = 0; i < bytes.length; i++) bytes[i] = r.next() < 0.3 ? 0 : r.int(256);
      return { kind: 'random', bytes };
    }
    case 1: {
      const bytes = original.slice();
      let first = bytes.length;
      for (let flips = 1 + r.int(8); flips > 0 && bytes.length > 0; flips--) {
        const i = r.int(bytes.length);
        bytes[i] ^= 1 << r.int(8);
        first = Math.min(first, i);
      }
      return { kind: 'bit-flip', bytes, original, damageAt: first };
    }
    case 2:
      return { kind: 'cut', bytes: original.slice(0, at), original, damageAt: at };
    case 3: {
      const other = r.pick(corpus);
      const from = r.int(other.length);
      const piece = other.subarray(from, from + r.int(2048));
      const bytes = new Uint8Array(at + piece.length);
      bytes.set(original.subarray(0, at));
      bytes.set(piece, at);
      return { kind: 'splice', bytes, original, damageAt: at };
    }
    case 4: {
      const bytes = original.slice();
      const end = Math.min(bytes.length, at + 1 + r.int(64));
      for (let i = at; i < end; i++) bytes[i] = r.pick([0, 0xff, 0x0a, r.int(256)]);
      return { kind: 'overwrite', bytes, original, damageAt: at };
    }
    case 5:
      return { kind: 'gzip', bytes: new Uint8Array(gzipSync(original)), gzipOf: original };
    case 6: {
      const gz = new Uint8Array(gzipSync(original));
      return { kind: 'gzip-cut', bytes: gz.slice(0, r.int(gz.length + 1)), gzipOf: original };
    }
    default: {
      const gz = new Uint8Array(gzipSync(original));
      for (let flips = 1 + r.int(3); flips > 0; flips--) gz[r.int(gz.length)] ^= 1 << r.int(8);
      if (r.next() < 0.3) {
        const junk = new Uint8Array(gz.length + 1 + r.int(32));
        junk.set(gz);
        return { kind: 'gzip-flip-junk', bytes: junk };
      }
      return { kind: 'gzip-flip', bytes: gz };
    }
  }
}

/** Records of `prefix` that end before `at` must be the damaged log's records, the same bytes. */
function expectPrefixKept(damaged: DecodedLog, original: Uint8Array, at: number, label: string): number {
  const options =
    damaged.format === null ? {} : { format: damaged.format, byteOrder: damaged.byteOrder ?? undefined };
  const prefix = decodeLog(original.subarray(0, at), options);
  let kept = 0;
  for (let i = 0; i < prefix.recordCount; i++) {
    const [start, end] = prefix.contentRange(i);
    if (end >= at) break;
    const same =
      i < damaged.recordCount &&
      damaged.contentRange(i)[0] === start &&
      damaged.contentRange(i)[1] === end &&
      damaged.recordType(i) === prefix.recordType(i);
    if (!same) expect.fail(`${label}: record ${i} [${start}, ${end}) of the undamaged prefix is not kept`);
    kept++;
  }
  return kept;
}

const SEARCHES = ['R1', 'processed', 'invalid', '\n', ''];
const REGEXES = ['^\\d+:', 'R[0-9]=', 'call|exit', '('];

async function exercise(c: Case, r: ReturnType<typeof prng>, label: string): Promise<number> {
  const session = await LogSession.open(c.bytes, label);
  const summary = session.summary();
  const log = session.decoded;
  const count = log.recordCount;
  expect(summary.recordCount, label).toBe(count);

  // Views: filters, text and regex search, sorts; then the rows of the view.
  const types = summary.typeCounts ? Array.from(summary.typeCounts.types) : null;
  const filter = {
    types: types && r.next() < 0.5 ? types.filter(() => r.next() < 0.5) : null,
    query: r.next() < 0.5 ? r.pick(SEARCHES) : '',
    regex: false,
  };
  if (r.next() < 0.3) Object.assign(filter, { query: r.pick(REGEXES), regex: true });
  const sort =
    r.next() < 0.5
      ? null
      : { column: r.pick(['index', 'offset', 'type', 'length'] as const), desc: r.next() < 0.5 };
  const view = await session.setView(filter, sort);
  expect(view.total).toBeLessThanOrEqual(count);
  const rows = session.rows(r.int(Math.max(1, view.total)), 50);
  expect(rows.length).toBeLessThanOrEqual(50);

  // One record, the hex around it, the record at a byte, joined lines.
  if (count > 0) {
    const i = r.int(count);
    expect(session.record(i)?.index).toBe(i);
    const offset = r.int(Math.max(1, log.size));
    session.hexPage(offset, offset + 256);
    session.recordAt(offset);
  }
  session.hexPage(log.size, log.size + 16);
  session.lines(0, 20);

  // Share the whole buffer, open the link, and get the same bytes and records back.
  const share: ViewState = {
    rec: count > 0 ? r.int(count) : null,
    types: filter.types,
    query: filter.query,
    regex: filter.regex,
    format: null,
    byteOrder: null,
    pc: null,
    program: null,
    kinds: null,
  };
  const built = await session.share(share, 'http://x/', 'full', null);
  const back = await parseShareLink(built.link);
  if (!back.ok || back.kind !== 'payload')
    return expect.fail(`${label}: its own link does not open: ${JSON.stringify(back)}`);
  expect(Buffer.from(back.bytes).equals(Buffer.from(log.bytes)), label).toBe(true);
  expect(back.view).toEqual(share);
  const reopened = await LogSession.open(back.bytes, label);
  expect(reopened.decoded.recordCount, label).toBe(count);
  if (count > 0 && r.next() < 0.25) {
    const excerpt = await session.share(share, 'http://x/', 'excerpt-selected', [r.int(count)]);
    expect((await parseShareLink(excerpt.link)).ok, label).toBe(true);
  }

  // A forced reading of the same bytes: the other format, the other byte order.
  session.reopen({ format: r.pick(['tlv', 'text'] as const), byteOrder: r.pick(['little', 'big'] as const) });
  session.setView({ types: null, query: 'R', regex: false }, null);
  session.rows(0, 10);

  // What was decoded before the damage is kept.
  let kept = 0;
  if (c.original && c.damageAt !== undefined) kept = expectPrefixKept(log, c.original, c.damageAt, label);
  if (c.gzipOf) {
    const { bytes } = await gunzip(c.bytes);
    const prefix = c.gzipOf.subarray(0, bytes.length);
    if (!Buffer.from(bytes).equals(Buffer.from(prefix)))
      expect.fail(`${label}: a cut gzip file gave bytes that are not its log's`);
    if (c.kind === 'gzip') expect(bytes.length).toBe(c.gzipOf.length);
  }
  return kept;
}

describe('fuzz: damaged buffers through the whole worker session', () => {
  it(`${BUFFERS} seeded buffers: no exception, no hang, records before the damage kept`, async () => {
    const r = prng(SEED);
    const kinds = new Map<string, number>();
    let keptRecords = 0;
    let slowest = 0;
    const t0 = performance.now();
    for (let n = 0; n < BUFFERS; n++) {
      const c = makeCase(r);
      const label = `buffer ${n} (${c.kind}, ${c.bytes.length} bytes)`;
      const started = performance.now();
      try {
        keptRecords += await exercise(c, r, label);
      } catch (e) {
        throw new Error(`${label}: ${(e as Error).stack ?? e}`);
      }
      const took = performance.now() - started;
      slowest = Math.max(slowest, took);
      if (took > DEADLINE_MS)
        expect.fail(`${label} took ${took.toFixed(0)} ms, past the ${DEADLINE_MS} ms deadline`);
      kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
    }
    const total = [...kinds.values()].reduce((a, b) => a + b, 0);
    console.log(
      `fuzz: ${total} buffers in ${((performance.now() - t0) / 1000).toFixed(1)} s (slowest ${slowest.toFixed(0)} ms), ${keptRecords} records checked kept before the damage; ${[...kinds].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    );
    expect(total).toBe(BUFFERS);
    expect(keptRecords).toBeGreaterThan(BUFFERS);
  }, 120_000);
});
