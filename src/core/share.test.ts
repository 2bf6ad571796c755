import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureBytes, tlvCases } from '../testing/fixtures.ts';
import { predictedShareLink } from '../testing/shareLinks.ts';
import { crc32, decodeBase64Url, encodeBase64Url, sha256Hex } from './bytes.ts';
import { decodeLog } from './decode.ts';
import { buildExcerpt } from './excerpt.ts';
import { classifyLinkLength, LINK_MAX_LENGTH, LINK_WARN_LENGTH, linkLengthAdvice } from './linkLength.ts';
import {
  buildHashLink,
  buildShareLink,
  DEFAULT_SHARE_BASE,
  MAX_SHARED_BYTES,
  MAX_ZERO_TAIL,
  parseShareLink,
  type ShareLinkResult,
} from './shareLink.ts';
import { TYPE_END } from './tlv.ts';
import { LINE_KIND_NAMES, type LineKindName } from './verifier/kinds.ts';
import { DEFAULT_VIEW_STATE, encodeViewState, parseViewState, type ViewState } from './viewState.ts';

const DAMAGED = /^This link is damaged: .+\.$/;

/** Every log buffer in the corpus copy: kernel/*.bin[.gz] and tlv/*.bin[.gz]. */
const corpusFiles = ['kernel', 'tlv'].flatMap((dir) =>
  readdirSync(join(FIXTURES, dir))
    .filter((f) => /\.bin(\.gz)?$/.test(f))
    .sort()
    .map((f) => `${dir}/${f}`),
);

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** The link, built independently with Node's zlib: the format as documented in share.ts. */
const expectedLink = (bytes: Uint8Array, base = DEFAULT_SHARE_BASE) => predictedShareLink(bytes, base);

async function payloadOf(href: string, maxBytes?: number): Promise<Uint8Array> {
  const result = await parseShareLink(href, maxBytes === undefined ? {} : { maxBytes });
  if (!result.ok) throw new Error(result.error);
  if (result.kind !== 'payload') throw new Error(`not a payload link: ${result.kind}`);
  return result.bytes;
}

function expectDamaged(result: ShareLinkResult, why?: RegExp): void {
  expect(result.ok, JSON.stringify(result).slice(0, 200)).toBe(false);
  if (result.ok) return;
  expect(result.error).toMatch(DAMAGED);
  if (why) expect(result.error).toMatch(why);
  // Nothing else rides along with an error: no partial bytes.
  expect(Object.keys(result).sort()).toEqual(['error', 'ok']);
}

const splitLink = (link: string) => {
  const at = link.indexOf('&d=') + 3;
  return { head: link.slice(0, at), d: link.slice(at) };
};

describe('base64url and CRC-32', () => {
  it('matches Node for any bytes, and decodes back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        const back = decodeBase64Url(text);
        expect(back.ok && Buffer.from(back.bytes).equals(Buffer.from(bytes))).toBe(true);
        expect(crc32(bytes)).toBe(zlibCrc32(bytes));
      }),
    );
  });

  it('rejects anything an encoder would not write', () => {
    for (const text of ['A', 'AAAAA', 'AB', 'AAB', 'AA=', 'AA+A', 'AA/A', 'A A', 'AAé', 'QUJD%']) {
      expect(decodeBase64Url(text).ok, text).toBe(false);
    }
    expect(decodeBase64Url('AA').ok).toBe(true);
    expect(decodeBase64Url('').ok).toBe(true);
  });

  it('computes CRC-32 like zlib on a real multi-megabyte log, at any alignment', () => {
    const bytes = fixtureBytes('kernel/loop-level2-15mb.bin.gz');
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
    expect(crc32(bytes.subarray(3, 100_003))).toBe(zlibCrc32(bytes.subarray(3, 100_003)));
  });
});

describe('share links of the whole corpus', () => {
  it('round-trips every corpus log whose link fits, bytes identical; says which do not fit', async () => {
    const rows: string[] = [];
    const tooLong: string[] = [];
    for (const file of corpusFiles) {
      const bytes = fixtureBytes(file);
      const built = await buildShareLink(bytes);
      // Independent prediction with Node's zlib: same link, character for character.
      const predicted = expectedLink(bytes);
      expect(built.link, file).toBe(predicted);
      expect(built.length).toBe(predicted.length);
      expect(built.lengthClass, file).toBe(
        predicted.length > LINK_MAX_LENGTH ? 'too-long' : predicted.length > LINK_WARN_LENGTH ? 'long' : 'ok',
      );
      expect(built.link).toMatch(/^[A-Za-z0-9:/.#&=_-]+$/);
      rows.push(
        `${file.padEnd(42)} ${String(bytes.length).padStart(10)} bytes -> ${built.length} chars (${built.lengthClass})`,
      );
      if (built.lengthClass === 'too-long') {
        tooLong.push(file);
        continue;
      }
      const back = await payloadOf(built.link);
      expect(Buffer.from(back).equals(Buffer.from(bytes)), file).toBe(true);
    }
    console.log(`share link lengths (cap ${LINK_MAX_LENGTH}):\n${rows.join('\n')}`);
    // The corpus holds logs too big to share whole: the doc's 71 MB log at least.
    expect(tooLong).toContain('kernel/too-large-71mb.bin.gz');
    expect(tooLong.length).toBeLessThan(corpusFiles.length);
  }, 120_000);

  it('refuses a link too long to offer by its length, before reading a key of it', async () => {
    const bytes = fixtureBytes('tlv/loop-15mb-fragments.bin.gz');
    const built = await buildShareLink(bytes, { view: { rec: 5 } });
    expect(built.lengthClass).toBe('too-long');
    const parsed = await parseShareLink(built.link);
    expect(parsed).toEqual({
      ok: false,
      error: `This link is ${built.length.toLocaleString('en-US')} characters long, more than the 524,288 a link may have: it was not made by this inspector.`,
    });
    // The view parser measures first too: a too-long fragment is not split into keys.
    expect(parseViewState(`#rec=1&q=${'a'.repeat(LINK_MAX_LENGTH)}`).ok).toBe(false);
    expect(parseViewState(`#rec=1&q=${'a'.repeat(LINK_MAX_LENGTH - 100)}`).ok).toBe(true);
  }, 60_000);

  it('leaves trailing zero space out: 16 MiB of zeros costs a few characters', async () => {
    const log = fixtureBytes('kernel/uninit-reg.bin');
    const text = log.subarray(0, log.indexOf(0) + 1);
    const padded = new Uint8Array(16 << 20);
    padded.set(text);
    const short = await buildShareLink(text);
    const long = await buildShareLink(padded);
    expect(long.length - short.length).toBeLessThanOrEqual('&z=16777216'.length + 4);
    expect(long.lengthClass).toBe('ok');
    expect(Buffer.from(await payloadOf(long.link)).equals(Buffer.from(padded))).toBe(true);
    // Deflate alone would not do it: about 1,000:1 on zeros.
    expect(deflateRawSync(padded).length).toBeGreaterThan(LINK_WARN_LENGTH);
    // A kernel's own 64 KiB buffer, mostly zeros, costs what its text costs.
    const ok1 = fixtureBytes('kernel/ok-level1.bin');
    let last = ok1.length - 1;
    while (ok1[last] === 0) last--;
    const ok1Text = ok1.subarray(0, last + 1);
    expect(ok1.length - ok1Text.length).toBeGreaterThan(50_000);
    expect((await buildShareLink(ok1)).length - (await buildShareLink(ok1Text)).length).toBeLessThanOrEqual(
      12,
    );
  });

  it('keeps an all-zero buffer, an empty buffer and short zero tails exact', async () => {
    for (const bytes of [
      new Uint8Array(0),
      new Uint8Array(5000),
      new Uint8Array([1, 0, 0]),
      new Uint8Array(1),
    ]) {
      const { link } = await buildShareLink(bytes);
      expect(Buffer.from(await payloadOf(link)).equals(Buffer.from(bytes))).toBe(true);
    }
    // Unaligned views: the zero scan works word by word.
    const backing = new Uint8Array(4096 + 7);
    backing[3] = 9;
    for (const offset of [1, 2, 3]) {
      const view = backing.subarray(offset, offset + 4000);
      const { link } = await buildShareLink(view);
      expect(Buffer.from(await payloadOf(link)).equals(Buffer.from(view))).toBe(true);
    }
  });
});

describe('view state', () => {
  const viewArb = fc.record({
    rec: fc.option(fc.nat(), { nil: null }),
    types: fc.option(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 8 }), { nil: null }),
    query: fc.string({ unit: 'grapheme', maxLength: 40 }),
    regex: fc.boolean(),
    format: fc.constantFrom(null, 'tlv' as const, 'text' as const),
    byteOrder: fc.constantFrom(null, 'little' as const, 'big' as const),
    pc: fc.option(fc.nat(), { nil: null }),
    program: fc.option(fc.nat({ max: 64 }), { nil: null }),
    kinds: fc.option(fc.subarray([...LINE_KIND_NAMES]), { nil: null }),
  });
  const normalized = (v: ViewState): ViewState => ({
    ...v,
    types: v.types === null ? null : [...new Set(v.types)].sort((a, b) => a - b),
    kinds: v.kinds === null ? null : LINE_KIND_NAMES.filter((k) => v.kinds?.includes(k)),
  });

  it('round-trips any view, alone or among unknown keys, and inside a share link', async () => {
    fc.assert(
      fc.property(viewArb, fc.constantFrom('', 'x=1', 'utm_source=chat&y'), (view, junk) => {
        const fragment = encodeViewState(view);
        expect(fragment).not.toMatch(/[#\s]/);
        const parsed = parseViewState(`http://h/p?a=b#${fragment}${junk ? `&${junk}` : ''}`);
        expect(parsed).toEqual({ ok: true, view: normalized(view) });
      }),
    );
    await fc.assert(
      fc.asyncProperty(viewArb, async (view) => {
        const { link } = await buildShareLink(new Uint8Array([65, 10, 0]), {
          view,
          base: 'https://x.test/app/',
        });
        const parsed = await parseShareLink(link);
        expect(parsed).toMatchObject({ ok: true, kind: 'payload', view: normalized(view) });
        expect(parseViewState(link)).toEqual({ ok: true, view: normalized(view) });
      }),
      { numRuns: 40 },
    );
  });

  it('writes only what differs from the default, readable keys first', async () => {
    expect(encodeViewState({})).toBe('');
    expect(encodeViewState({ rec: 12, types: [7, 1, 7], query: 'R1 (ctx)!', regex: true })).toBe(
      'rec=12&types=1,7&q=R1%20%28ctx%29%21&re=1',
    );
    const { link } = await buildShareLink(new Uint8Array(10), {
      view: { rec: 3, types: [1] },
      base: 'http://a/#old',
    });
    expect(link).toMatch(/^http:\/\/a\/#v=1&n=10&crc=[0-9a-f]{8}&rec=3&types=1&d=[\w-]+$/);
    // A lone surrogate cannot be percent-encoded: it becomes U+FFFD.
    const bad = parseViewState(`#${encodeViewState({ query: 'a\uD800b' })}`);
    expect(bad).toEqual({ ok: true, view: { ...DEFAULT_VIEW_STATE, query: 'a\uFFFDb' } });
    expect(() => encodeViewState({ rec: -1 })).toThrow(RangeError);
    expect(() => encodeViewState({ types: [70000] })).toThrow(RangeError);
  });

  it('carries the verifier view: program, pc and kinds', () => {
    expect(encodeViewState({ rec: 40, program: 1, pc: 6, kinds: ['error', 'insn'] })).toBe(
      'rec=40&program=1&pc=6&kinds=insn,error',
    );
    expect(parseViewState('http://h/#v=1&rec=40&pc=6&program=1&kinds=insn,error')).toEqual({
      ok: true,
      view: { ...DEFAULT_VIEW_STATE, rec: 40, pc: 6, program: 1, kinds: ['insn', 'error'] },
    });
    // No kinds shown is a view too (the "None" button), not all kinds.
    expect(parseViewState('#kinds=')).toEqual({ ok: true, view: { ...DEFAULT_VIEW_STATE, kinds: [] } });
    expect(() => encodeViewState({ pc: -1 })).toThrow(RangeError);
    expect(() => encodeViewState({ kinds: ['nonsense' as LineKindName] })).toThrow(RangeError);
  });

  it('writes runs of types as ranges, so "all but one" stays short', async () => {
    const allButSeven = Array.from({ length: 0x10000 }, (_, t) => t).filter((t) => t !== 7);
    expect(encodeViewState({ types: allButSeven })).toBe('types=0-6,8-65535');
    expect(encodeViewState({ types: [1, 2, 7, 8, 9, 12] })).toBe('types=1,2,7-9,12');
    const parsed = parseViewState('#types=0-6,8-65535');
    expect(parsed.ok && parsed.view.types).toEqual(allButSeven);
    expect(parseViewState('#types=9-3').ok).toBe(false);
    expect(parseViewState('#types=1-70000').ok).toBe(false);
  });

  it('reads a fragment without a log, or no fragment, as a view', async () => {
    // The app's own fragment: a version and view keys, no log keys.
    expect(await parseShareLink('http://127.0.0.1:4173/#v=1&rec=7&types=1,2')).toEqual({
      ok: true,
      kind: 'view',
      view: { ...DEFAULT_VIEW_STATE, rec: 7, types: [1, 2] },
    });
    expect(await parseShareLink('http://127.0.0.1:4173/')).toEqual({
      ok: true,
      kind: 'view',
      view: DEFAULT_VIEW_STATE,
    });
    expect(await parseShareLink('http://127.0.0.1:4173/#')).toMatchObject({ ok: true, kind: 'view' });
    expect(await parseShareLink('http://h/#rec=4&types=&q=a%26b&foo')).toEqual({
      ok: true,
      kind: 'view',
      view: { ...DEFAULT_VIEW_STATE, rec: 4, types: [], query: 'a&b' },
    });
  });

  it('rejects view keys it cannot read, with the key named', () => {
    for (const [fragment, why] of [
      ['rec=abc', /rec=/],
      ['rec=-1', /rec=/],
      ['rec=01', /rec=/],
      ['types=1,,2', /types=/],
      ['types=70000', /70000/],
      ['q=%E0%A4%A', /q=/],
      ['re=yes', /re=/],
      ['fmt=xml', /fmt=/],
      ['bo=middle', /bo=/],
      ['rec=1&rec=2', /twice/],
      ['pc=x', /pc=/],
      ['pc=1&pc=2', /twice/],
      ['program=-1', /program=/],
      ['kinds=insn,bogus', /bogus/],
    ] as const) {
      const result = parseViewState(`#${fragment}`);
      expect(result.ok, fragment).toBe(false);
      if (!result.ok) {
        expect(result.error).toMatch(DAMAGED);
        expect(result.error).toMatch(why);
      }
    }
  });
});

describe('versions', () => {
  it('rejects an unknown version clearly, in view and share parsing alike', async () => {
    const { link } = await buildShareLink(fixtureBytes('kernel/uninit-reg.bin'));
    const v2 = link.replace('#v=1&', '#v=2&');
    const result = await parseShareLink(v2);
    expect(result).toEqual({
      ok: false,
      error:
        'This link uses format v=2, which this inspector cannot read (it reads v=1): it was made by a newer version.',
    });
    expect(parseViewState('#v=2&rec=1').ok).toBe(false);
    expectDamaged(await parseShareLink(link.replace('#v=1&', '#v=one&')), /version/);
    expectDamaged(await parseShareLink(link.replace('#v=1&', '#v=&')), /version/);
    expectDamaged(await parseShareLink(link.replace('#v=1&', '#')), /no format version/);
    expect(parseViewState('#v=1&rec=1')).toEqual({ ok: true, view: { ...DEFAULT_VIEW_STATE, rec: 1 } });
  });
});

describe('damaged links', () => {
  const bytes = fixtureBytes('kernel/uninit-reg.bin');

  it('catches every flipped bit that changes the bytes: the result is the exact bytes or an error', async () => {
    const { link } = await buildShareLink(bytes);
    const { head, d } = splitLink(link);
    const deflated = decodeBase64Url(d);
    if (!deflated.ok) throw new Error(deflated.error);
    const size = deflated.bytes.length;
    const harmless: string[] = [];
    for (let at = 0; at < size; at++) {
      for (let bit = 0; bit < 8; bit++) {
        const copy = deflated.bytes.slice();
        copy[at] ^= 1 << bit;
        const result = await parseShareLink(head + encodeBase64Url(copy));
        if (result.ok && result.kind === 'payload' && Buffer.from(result.bytes).equals(Buffer.from(bytes)))
          harmless.push(`${at}:${bit}`);
        else expectDamaged(result);
      }
    }
    // Only the padding after the final block's end code, in the last byte, is not read by inflate.
    expect(harmless.length).toBeLessThan(8);
    for (const h of harmless) expect(h.startsWith(`${size - 1}:`), h).toBe(true);
    // And a changed character of the text itself.
    for (const at of [0, d.length >> 1, d.length - 2]) {
      const c = d[at] === 'A' ? 'B' : 'A';
      expectDamaged(await parseShareLink(head + d.slice(0, at) + c + d.slice(at + 1)));
    }
  }, 60_000);

  it('catches a link cut short at any length after its log keys begin', async () => {
    const { link } = await buildShareLink(bytes, { view: { rec: 2, types: [1], query: 'R1' } });
    const start = link.indexOf('&n=') + 2;
    const cuts = new Set<number>();
    for (let k = 0; k <= 40; k++) cuts.add(start + Math.floor(((link.length - 1 - start) * k) / 40));
    for (let k = 1; k <= 8; k++) cuts.add(link.length - k);
    for (const cut of cuts) expectDamaged(await parseShareLink(link.slice(0, cut)));
  });

  it('catches junk appended to the payload', async () => {
    const { link } = await buildShareLink(bytes);
    for (const junk of ['A', 'AA', 'AAA', 'AAAA', 'QUJD', 'x', '_-_-', ')', '.', '!', '%20', ' ', '#more']) {
      expectDamaged(await parseShareLink(link + junk));
    }
    // A key of its own after the payload is not junk in it: unknown keys are ignored.
    expect(await parseShareLink(`${link}&utm=x`)).toMatchObject({ ok: true, kind: 'payload' });
  });

  it('names what is wrong with the keys', async () => {
    const { link } = await buildShareLink(bytes);
    const n = bytes.length;
    // uninit-reg.bin is 4,096 bytes, most of them a zero tail the link leaves out (z=).
    const z = Number(/&z=(\d+)/.exec(link)?.[1]);
    const p = (x: number) => x.toLocaleString('en-US');
    expect(z).toBeGreaterThan(1024);
    const cases: [string, RegExp][] = [
      [link.replace(/&n=\d+/, ''), /length \(n=\) is missing/],
      [
        link.replace(`&n=${n}`, `&n=${n + 1}`),
        new RegExp(`inflates to ${p(n - z)} bytes, not the ${p(n - z + 1)}`),
      ],
      [link.replace(`&n=${n}`, `&n=${n - 1}`), new RegExp(`more than the ${p(n - z - 1)} bytes`)],
      [
        link.replace(`&z=${z}`, `&z=${z - 1}`),
        new RegExp(`inflates to ${p(n - z)} bytes, not the ${p(n - z + 1)}`),
      ],
      [link.replace(`&z=${z}`, `&z=${z + 1}`), new RegExp(`more than the ${p(n - z - 1)} bytes`)],
      [link.replace(`&z=${z}`, ''), new RegExp(`inflates to ${p(n - z)} bytes, not the ${p(n)}`)],
      [link.replace(`&z=${z}`, `&z=${n + 1}`), new RegExp(`z=${n + 1} is more than ${p(n)}`)],
      [link.replace(`&n=${n}`, '&n=4e3'), /n= must be a whole number/],
      [link.replace(/&crc=[0-9a-f]+/, ''), /checksum \(crc=\) is missing/],
      [link.replace(/&crc=[0-9a-f]+/, '&crc=00000000'), /does not match its checksum/],
      [link.replace(/&crc=[0-9a-f]+/, '&crc=XYZ'), /crc= must be/],
      [link.replace('&d=', '&d=A&d='), /twice/],
      [link.replace(/&d=.*/, '&d='), /payload \(d=\) is empty/],
      [link.replace(/&d=.*/, ''), /payload \(d=\) is missing/],
      [`${link}&sha256=${'0'.repeat(64)}`, /both/],
      [link.replace(/&n=\d+/, '&n=99999999999'), /more than the 1,073,741,823/],
    ];
    for (const [href, why] of cases) expectDamaged(await parseShareLink(href), why);
  });

  it('never throws, whatever the href', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `http://h/#v=1&n=10&crc=00000000&d=${s}`),
          fc.uint8Array({ maxLength: 64 }).map((b) => `#v=1&n=64&crc=00000000&d=${encodeBase64Url(b)}`),
        ),
        async (href) => {
          const result = await parseShareLink(href);
          if (!result.ok) expect(result.error).toMatch(/^This link (is damaged|uses format)/);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('caps', () => {
  it('stops a bomb at the length it declares: 50 MB of zeros declared as 1,000 bytes', async () => {
    const bomb = deflateRawSync(new Uint8Array(50_000_000));
    expect(bomb.length).toBeLessThan(60_000);
    const href = `#v=1&n=1000&crc=${hex8(zlibCrc32(new Uint8Array(1000)))}&d=${Buffer.from(bomb).toString('base64url')}`;
    const before = process.memoryUsage().arrayBuffers;
    expectDamaged(await parseShareLink(href), /inflates to more than the 1,000 bytes it declares/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(20_000_000);
  });

  it('refuses a declared length over the cap before inflating anything', async () => {
    const { link } = await buildShareLink(fixtureBytes('kernel/uninit-reg.bin'));
    expectDamaged(
      await parseShareLink(link, { maxBytes: 4095 }),
      /declares 4,096 bytes, more than the 4,095/,
    );
    expect((await parseShareLink(link, { maxBytes: 4096 })).ok).toBe(true);
    const over = link.replace('&n=4096', `&n=${MAX_SHARED_BYTES + 1}`);
    expectDamaged(
      await parseShareLink(over, { maxBytes: MAX_SHARED_BYTES * 2 }),
      /1,073,741,823 this inspector opens/,
    );
  });

  it('classifies link lengths', () => {
    expect(
      [LINK_WARN_LENGTH, LINK_WARN_LENGTH + 1, LINK_MAX_LENGTH, LINK_MAX_LENGTH + 1].map(classifyLinkLength),
    ).toEqual(['ok', 'long', 'long', 'too-long']);
    expect(linkLengthAdvice(100)).toBeNull();
    expect(linkLengthAdvice(3000)).toMatch(/3,000 characters.*2,000/);
    expect(linkLengthAdvice(600_000)).toMatch(/600,000 characters.*524,288/);
  });
});

describe('hash links', () => {
  it('names the file by SHA-256 and length, and matches only that file', async () => {
    const bytes = fixtureBytes('kernel/loop-level2-15mb.bin.gz');
    const hex = createHash('sha256').update(bytes).digest('hex');
    expect(await sha256Hex(bytes)).toBe(hex);
    const { link, lengthClass } = await buildHashLink(bytes, { view: { rec: 9, query: 'R0' } });
    expect(link).toBe(`${DEFAULT_SHARE_BASE}#v=1&n=${bytes.length}&sha256=${hex}&rec=9&q=R0`);
    expect(lengthClass).toBe('ok');
    const parsed = await parseShareLink(link);
    expect(parsed).toEqual({
      ok: true,
      kind: 'hash',
      view: { ...DEFAULT_VIEW_STATE, rec: 9, query: 'R0' },
      sha256: hex,
      length: bytes.length,
    });
    const changed = bytes.slice();
    changed[1000] ^= 1;
    expect(await sha256Hex(changed)).not.toBe(hex);
    expect((await parseShareLink(link.replace(hex, hex.toUpperCase()))).ok).toBe(true);
    expectDamaged(await parseShareLink(link.replace(hex, hex.slice(1))), /64 hex digits/);
    expectDamaged(await parseShareLink(link.replace(/&n=\d+/, '')), /n=\) is missing/);
  });
});

describe('excerpts', () => {
  const recordsOf = (bytes: Uint8Array, options = {}) => {
    const log = decodeLog(bytes, options);
    return Array.from({ length: log.recordCount }, (_, i) => ({
      type: log.recordType(i),
      contents: Buffer.from(log.bytes.subarray(...log.contentRange(i))).toString('hex'),
    }));
  };

  it('keeps the chosen TLV records in order and the END count, and reads as TLV', () => {
    const log = decodeLog(fixtureBytes('tlv/oob-truncated-600.bin'));
    expect(log.end?.count).toBe(22);
    const excerpt = buildExcerpt(log, [7, 3, 4, 3]);
    expect(excerpt.records).toEqual([3, 4, 7, log.recordCount - 1]);
    expect(excerpt.format).toBeNull();
    expect(excerpt.byteOrder).toBeNull();
    const small = decodeLog(excerpt.bytes);
    expect(small.format).toBe('tlv');
    expect(small.byteOrder).toBe('little');
    expect(small.end?.count).toBe(22);
    const all = recordsOf(log.bytes);
    expect(recordsOf(excerpt.bytes)).toEqual(excerpt.records.map((i) => all[i]));
    expect(small.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(excerpt.note).toBe(
      `Excerpt: 4 of ${log.recordCount} records (3-4, 7, ${log.recordCount - 1}) of a 600-byte TLV log; the rest was left out to make the link short enough.`,
    );
  });

  it('keeps big-endian order, a saturated END, and no END when there was none', () => {
    for (const name of ['oob-big-endian', 'end-saturated', 'bad-missing-end', 'oob-unknown-types']) {
      const truth = tlvCases().find((t) => t.name === name);
      if (!truth) throw new Error(name);
      const log = decodeLog(fixtureBytes(truth.binFile));
      const chosen = [...Array(log.recordCount).keys()].filter((i) => i % 3 === 1);
      const excerpt = buildExcerpt(log, chosen);
      const options = { format: excerpt.format ?? undefined, byteOrder: excerpt.byteOrder ?? undefined };
      const small = decodeLog(excerpt.bytes, options);
      expect(small.format, name).toBe('tlv');
      expect(small.byteOrder, name).toBe(truth.big_endian ? 'big' : 'little');
      expect(small.end?.count ?? null, name).toBe(truth.end_count);
      const all = recordsOf(log.bytes);
      expect(recordsOf(excerpt.bytes, options), name).toEqual(excerpt.records.map((i) => all[i]));
      expect(excerpt.records.filter((i) => log.recordType(i) !== TYPE_END)).toEqual(
        chosen.filter((i) => log.recordType(i) !== TYPE_END),
      );
    }
  });

  it('asks for a format override when the first record kept would not be detected as TLV', () => {
    const log = decodeLog(fixtureBytes('tlv/oob-unknown-types.bin'));
    const unknown = [...Array(log.recordCount).keys()].filter(
      (i) => ![1, 2].includes(log.recordType(i) ?? 0),
    );
    const excerpt = buildExcerpt(log, unknown);
    expect(excerpt.format).toBe('tlv');
    expect(decodeLog(excerpt.bytes, { format: 'tlv' }).recordCount).toBe(unknown.length + 1);
  });

  it('joins chosen text lines with newlines and ends them with a NUL and a spare zero', () => {
    const log = decodeLog(fixtureBytes('kernel/uninit-reg.bin'));
    const excerpt = buildExcerpt(log, [5, 1, 2]);
    const text = [1, 2, 5].map((i) => log.recordText(i)).join('\n');
    expect(Buffer.from(excerpt.bytes).toString('latin1')).toBe(`${text}\0\0`);
    expect(excerpt.records).toEqual([1, 2, 5]);
    const small = decodeLog(excerpt.bytes);
    expect(small.format).toBe('text');
    // Not a full buffer: an excerpt must not read as a truncated log.
    expect(small.truncation.truncated).toBe(false);
    expect([0, 1, 2].map((i) => small.recordText(i))).toEqual([1, 2, 5].map((i) => log.recordText(i)));
    expect(excerpt.note).toMatch(/^Excerpt: 3 of \d+ lines \(1-2, 5\) of a 4,096-byte text log/);
    expect(() => buildExcerpt(log, [])).toThrow(RangeError);
    expect(() => buildExcerpt(log, [log.recordCount])).toThrow(RangeError);
  });

  it('shares the end of a log too big for a link, with its note', async () => {
    const log = decodeLog(fixtureBytes('tlv/loop-15mb-fragments.bin.gz'));
    expect((await buildShareLink(log.bytes)).lengthClass).toBe('too-long');
    const last = Array.from({ length: 500 }, (_, k) => log.recordCount - 500 + k);
    const excerpt = buildExcerpt(log, last);
    const { link, lengthClass } = await buildShareLink(excerpt.bytes, {
      note: excerpt.note,
      view: { rec: excerpt.records.length - 1 },
    });
    expect(lengthClass).not.toBe('too-long');
    const parsed = await parseShareLink(link);
    expect(parsed).toMatchObject({ ok: true, kind: 'payload', note: excerpt.note, view: { rec: 499 } });
    if (parsed.ok && parsed.kind === 'payload')
      expect(Buffer.from(parsed.bytes).equals(Buffer.from(excerpt.bytes))).toBe(true);
  }, 60_000);
});

describe('links made before the split keep opening', () => {
  // Made by the inspector before share.ts was split (and independently by Node's zlib): frozen here.
  const FROZEN =
    'http://127.0.0.1:4173/#v=1&n=4096&z=2925&crc=d8d5b33e&rec=30&q=R2%20%21read_ok&d=fZTNboMwEITv-xRT9RIuyIv5ryz1AXriBRBJTIXyAzK0yuNXIVbrVNh7w99I3plB7r-uh1eBd0Efw7eG0Z8z9rofjcZwna81YR1RI46T-DHY7YsIRkJBWM4bPIUCW55s8AwKieVyg-dQkJanG7yAQmp55tkvszz37JdbXnj2KywvPfuVllee_aoHZ19-bANkb4A2Qf6fYB_BCCgYGyHLGiKOfwVVFkHfhoVEjYbVYbntIjQsVD-J-5nTITzzhkYqQVy7-wTEqWJKarfdgDhTCcnarTogzpWktHZ7D4gLlVLmGsyCBjPKXYN50GBOhWuwCBosqHQNlkGDJVWuwSposCJ-qpA9Ha4GWRA_d-gp8VEhE68lOj9Yk-DF6O7YjieazHjQ86yPYLk-ETN25-EyLGCxToRLd2vnpVv03E7atHcRBJZx6c72HAKT7k5_X5fOnNr7FRD0Aw';

  it('opens to the same bytes and view, and the builder still makes it character for character', async () => {
    const parsed = await parseShareLink(FROZEN);
    expect(parsed.ok && parsed.kind).toBe('payload');
    if (!parsed.ok || parsed.kind !== 'payload') return;
    expect(createHash('sha256').update(parsed.bytes).digest('hex')).toBe(
      '2fc90c682c1b09e4f8280918c572d69bcced65f458e26943cfa3d39a8ca2356f',
    );
    expect(parsed.view).toEqual({ ...DEFAULT_VIEW_STATE, rec: 30, query: 'R2 !read_ok' });
    const rebuilt = await buildShareLink(fixtureBytes('kernel/uninit-reg.bin'), {
      view: { rec: 30, query: 'R2 !read_ok' },
    });
    expect(rebuilt.link).toBe(FROZEN);
  });

  it('refuses a zero tail longer than MAX_ZERO_TAIL; the builder keeps the rest in the payload', async () => {
    expect(MAX_ZERO_TAIL).toBe(0xffffff);
    const log = fixtureBytes('kernel/uninit-reg.bin');
    const text = log.subarray(0, log.indexOf(0) + 1);
    const padded = new Uint8Array(32 << 20);
    padded.set(text);
    const built = await buildShareLink(padded);
    expect(built.link).toContain(`&z=${MAX_ZERO_TAIL}&`);
    const back = await payloadOf(built.link);
    expect(Buffer.from(back).equals(Buffer.from(padded))).toBe(true);
    const claimed = built.link.replace(`&z=${MAX_ZERO_TAIL}&`, `&z=${MAX_ZERO_TAIL + 1}&`);
    expectDamaged(await parseShareLink(claimed), /zero tail of 16,777,216 bytes, more than the 16,777,215/);
  }, 60_000);
});
