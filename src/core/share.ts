/**
 * Share links: a log's bytes and the view on them in a URL fragment, so a
 * link opens the same log at the same record for whoever receives it. Pure:
 * no DOM, no Node; CompressionStream, crypto.subtle and TextDecoder exist in
 * the page, the worker and Node 20.
 *
 *   BASE#v=1&n=65536&z=64000&crc=1a2b3c4d&rec=12&types=1,7&q=R1%3D&re=1&d=<deflate-raw, base64url>
 *   BASE#v=1&n=65536&sha256=<hex>&rec=12                (hash link: the recipient drops the file)
 *   BASE#v=1&rec=12&types=1,7                           (the app's own fragment: a view, no log)
 *   BASE#rec=12&types=1                                  (the app's own view state: no v, no log)
 *   BASE#v=1&…&pc=6&program=1&kinds=insn,error          (the verifier view: an instruction, a program, kinds)
 *
 * Readable keys first, payload last. Besides what the product issue asks for,
 * a payload link carries `crc` (CRC-32 of the payload: deflate-raw has no
 * checksum, so a flipped bit could otherwise inflate to different bytes of the
 * right length) and, when the buffer ends in zeros, `z` (how many were left
 * out: deflate shrinks zeros only ~1000:1, so libbpf's 16 MiB buffer would
 * cost ~22,000 characters of link for a log of a few lines). Optional keys:
 * `fmt`/`bo` (format and byte order the sender forced, so the recipient decodes
 * the bytes the same way) and `note` (an excerpt says it is one).
 *
 * Links come from strangers: parsing never throws, caps what it inflates, and
 * gives either the exact bytes or an error, never part of them.
 */
import type { DecodedLog } from './decode.ts';
import { detectFormat } from './detect.ts';
import { formatCount } from './diagnostics.ts';
import { encodeTlv, type TlvMessage } from './encode.ts';
import { DEFAULT_MAX_DECOMPRESSED } from './gzip.ts';
import { detectByteOrder, TLV_HEADER_SIZE, TYPE_END } from './tlv.ts';
import type { ByteOrder, LogFormat } from './types.ts';
import { LINE_KIND_NAMES, type LineKindName } from './verifier/kinds.ts';

export const SHARE_FORMAT_VERSION = 1;
/** Chat tools and some mail clients cut links longer than this. */
export const LINK_WARN_LENGTH = 2000;
/** Links longer than this are not made: browsers and servers start refusing them. */
export const LINK_MAX_LENGTH = 512 * 1024;
/** The most a link may inflate to, whatever it declares: the same cap as gzip input. */
export const MAX_SHARED_BYTES = DEFAULT_MAX_DECOMPRESSED;
/** Where `vite preview` serves the app; the CLI's default base. */
export const DEFAULT_SHARE_BASE = 'http://127.0.0.1:4173/';

const DAMAGED = 'This link is damaged';

// ---------------------------------------------------------------------------
// View state: the keys an app fragment and a share link have in common.

export interface ViewState {
  /** The selected record, numbered as the decoder numbers them (0-based, END included); null: none. */
  rec: number | null;
  /** TLV types shown, sorted, no duplicates; null: all. */
  types: number[] | null;
  /** Search text; '' for none. */
  query: string;
  /** The query is a regular expression. */
  regex: boolean;
  /** Format the sender forced instead of detection; null: detect. */
  format: LogFormat | null;
  /** Byte order the sender forced instead of detection; null: detect. */
  byteOrder: ByteOrder | null;
  /** The verifier view's selected instruction (a pc of the shown program); null: none. */
  pc: number | null;
  /** Which of a file's programs (libbpf/veristat output) is shown; null: the default (first rejected). */
  program: number | null;
  /** Verifier line kinds shown, in the kinds' own order; null: all. */
  kinds: LineKindName[] | null;
}

export const DEFAULT_VIEW_STATE: Readonly<ViewState> = Object.freeze({
  rec: null,
  types: null,
  query: '',
  regex: false,
  format: null,
  byteOrder: null,
  pc: null,
  program: null,
  kinds: null,
});

export type ViewStateResult = { ok: true; view: ViewState } | { ok: false; error: string };

/** Fills in defaults, sorts and dedupes types. Throws RangeError on values no link can carry. */
function normalizeView(view: Partial<ViewState>): ViewState {
  const v = { ...DEFAULT_VIEW_STATE, ...view };
  if (v.rec !== null && !(Number.isSafeInteger(v.rec) && v.rec >= 0))
    throw new RangeError(`rec must be a record index, not ${v.rec}`);
  let types: number[] | null = null;
  if (v.types !== null) {
    for (const t of v.types)
      if (!(Number.isInteger(t) && t >= 0 && t <= 0xffff)) throw new RangeError(`bad type ${t}`);
    types = [...new Set(v.types)].sort((a, b) => a - b);
  }
  for (const [key, value] of [
    ['pc', v.pc],
    ['program', v.program],
  ] as const)
    if (value !== null && !(Number.isSafeInteger(value) && value >= 0))
      throw new RangeError(`${key} must be a whole number, not ${value}`);
  let kinds: LineKindName[] | null = null;
  if (v.kinds !== null) {
    for (const kind of v.kinds) if (!LINE_KIND_NAMES.includes(kind)) throw new RangeError(`bad kind ${kind}`);
    kinds = LINE_KIND_NAMES.filter((kind) => v.kinds?.includes(kind));
  }
  return { ...v, types, kinds };
}

/**
 * Percent-encodes a value. A lone surrogate (which encodeURIComponent throws on) becomes U+FFFD; and
 * `!'()*`, which encodeURIComponent leaves alone, are escaped too: link detectors end links at them.
 */
const escapeValue = (text: string) =>
  encodeURIComponent(
    text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  ).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Sorted type numbers as a list with ranges for runs of three or more: "1,7,10-12".
 * "All but type 7" is then "0-6,8-65535", not 65,535 numbers.
 */
function typeRanges(sorted: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j - i >= 2) parts.push(`${sorted[i]}-${sorted[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(sorted[k]));
    i = j + 1;
  }
  return parts.join(',');
}

/** The view keys of a fragment, without '#' and without `v`: '' for the default view. */
export function encodeViewState(view: Partial<ViewState>): string {
  const v = normalizeView(view);
  const keys: string[] = [];
  if (v.rec !== null) keys.push(`rec=${v.rec}`);
  if (v.types !== null) keys.push(`types=${typeRanges(v.types)}`);
  if (v.query !== '') keys.push(`q=${escapeValue(v.query)}`);
  if (v.regex) keys.push('re=1');
  if (v.format !== null) keys.push(`fmt=${v.format}`);
  if (v.byteOrder !== null) keys.push(`bo=${v.byteOrder}`);
  if (v.program !== null) keys.push(`program=${v.program}`);
  if (v.pc !== null) keys.push(`pc=${v.pc}`);
  if (v.kinds !== null) keys.push(`kinds=${v.kinds.join(',')}`);
  return keys.join('&');
}

class LinkError extends Error {}
const damaged = (reason: string) => new LinkError(`${DAMAGED}: ${reason}.`);

/** The fragment of an href: everything after the first '#' ('' when there is none). */
export function fragmentOf(href: string): string {
  const hash = href.indexOf('#');
  return hash < 0 ? '' : href.slice(hash + 1);
}

/** Splits a fragment into keys. Unknown keys are kept (and later ignored); a known key twice is damage. */
function splitFragment(fragment: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const part of fragment.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (keys.has(key) && KNOWN_KEYS.has(key)) throw damaged(`the key "${key}" appears twice`);
    if (!keys.has(key)) keys.set(key, eq < 0 ? '' : part.slice(eq + 1));
  }
  return keys;
}

const KNOWN_KEYS = new Set([
  'v',
  'rec',
  'types',
  'q',
  're',
  'fmt',
  'bo',
  'pc',
  'program',
  'kinds',
  'note',
  'n',
  'z',
  'crc',
  'd',
  'sha256',
]);

function unescapeValue(key: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw damaged(`${key}= is not valid percent-encoded text`);
  }
}

/** A decimal integer without sign, exponent or leading zeros, at most `max`. */
function parseCount(key: string, raw: string, max: number): number {
  if (!/^(0|[1-9]\d{0,15})$/.test(raw)) throw damaged(`${key}= must be a whole number, not "${clip(raw)}"`);
  const n = Number(raw);
  if (n > max) throw damaged(`${key}=${raw} is more than ${formatCount(max)}`);
  return n;
}

const clip = (text: string) => (text.length > 24 ? `${text.slice(0, 24)}...` : text);

/** Checks `v` (absent is allowed: the app's own fragments carry none). */
function checkVersion(keys: Map<string, string>): void {
  const v = keys.get('v');
  if (v === undefined || v === String(SHARE_FORMAT_VERSION)) return;
  throw new LinkError(
    /^[1-9]\d{0,5}$/.test(v)
      ? `This link uses format v=${v}, which this inspector cannot read (it reads v=${SHARE_FORMAT_VERSION}): it was made by a newer version.`
      : `${DAMAGED}: its format version v=${clip(v)} is not a version.`,
  );
}

function readView(keys: Map<string, string>): ViewState {
  const view: ViewState = { ...DEFAULT_VIEW_STATE };
  const rec = keys.get('rec');
  if (rec !== undefined) view.rec = parseCount('rec', rec, Number.MAX_SAFE_INTEGER);
  const types = keys.get('types');
  if (types !== undefined) {
    if (!/^(\d{1,5}(-\d{1,5})?(,\d{1,5}(-\d{1,5})?)*)?$/.test(types))
      throw damaged(`types= must be type numbers or ranges separated by commas, not "${clip(types)}"`);
    // A bitmap, filled natively: a link repeating 0-65535 a thousand times costs no more than once.
    const shown = new Uint8Array(0x10000);
    for (const part of types === '' ? [] : types.split(',')) {
      const [from, to = from] = part.split('-').map(Number);
      if (from > 0xffff || to > 0xffff) throw damaged(`type ${Math.max(from, to)} is more than 65535`);
      if (to < from) throw damaged(`types= range ${part} runs backwards`);
      shown.fill(1, from, to + 1);
    }
    view.types = [];
    for (let t = 0; t <= 0xffff; t++) if (shown[t]) view.types.push(t);
  }
  const q = keys.get('q');
  if (q !== undefined) view.query = unescapeValue('q', q);
  const re = keys.get('re');
  if (re !== undefined) {
    if (re !== '0' && re !== '1') throw damaged(`re= must be 0 or 1, not "${clip(re)}"`);
    view.regex = re === '1';
  }
  const fmt = keys.get('fmt');
  if (fmt !== undefined) {
    if (fmt !== 'tlv' && fmt !== 'text') throw damaged(`fmt= must be tlv or text, not "${clip(fmt)}"`);
    view.format = fmt;
  }
  const bo = keys.get('bo');
  if (bo !== undefined) {
    if (bo !== 'little' && bo !== 'big') throw damaged(`bo= must be little or big, not "${clip(bo)}"`);
    view.byteOrder = bo;
  }
  const pc = keys.get('pc');
  if (pc !== undefined) view.pc = parseCount('pc', pc, Number.MAX_SAFE_INTEGER);
  const program = keys.get('program');
  if (program !== undefined) view.program = parseCount('program', program, Number.MAX_SAFE_INTEGER);
  const kinds = keys.get('kinds');
  if (kinds !== undefined) {
    const named = kinds === '' ? [] : kinds.split(',');
    const unknown = named.find((kind) => !LINE_KIND_NAMES.includes(kind as LineKindName));
    if (unknown !== undefined) throw damaged(`kinds= names a kind there is not: "${clip(unknown)}"`);
    view.kinds = LINE_KIND_NAMES.filter((kind) => named.includes(kind));
  }
  return view;
}

/**
 * The view keys of an href's fragment (pass location.href, not location.hash).
 * Unknown keys, and the log keys of a share link, are ignored.
 */
export function parseViewState(href: string): ViewStateResult {
  try {
    const keys = splitFragment(fragmentOf(href));
    checkVersion(keys);
    return { ok: true, view: readView(keys) };
  } catch (e) {
    return { ok: false, error: errorText(e) };
  }
}

function errorText(e: unknown): string {
  if (e instanceof LinkError) return e.message;
  // Nothing else should get here; if it does, it is still the link's fault, not a crash.
  return `${DAMAGED}: it could not be read (${(e as Error)?.message ?? String(e)}).`;
}

// ---------------------------------------------------------------------------
// Link lengths.

export type LinkLengthClass = 'ok' | 'long' | 'too-long';

export function classifyLinkLength(length: number): LinkLengthClass {
  return length > LINK_MAX_LENGTH ? 'too-long' : length > LINK_WARN_LENGTH ? 'long' : 'ok';
}

/** One sentence for the user about a link this long, or null when there is nothing to say. */
export function linkLengthAdvice(length: number): string | null {
  switch (classifyLinkLength(length)) {
    case 'ok':
      return null;
    case 'long':
      return `The link is ${formatCount(length)} characters long: chat tools often cut links longer than ${formatCount(LINK_WARN_LENGTH)}, so check it arrives whole.`;
    case 'too-long':
      return `The link would be ${formatCount(length)} characters long, more than the ${formatCount(LINK_MAX_LENGTH)} a link may have: share a hash link or an excerpt instead.`;
  }
}

// ---------------------------------------------------------------------------
// Building links.

export interface ShareLinkOptions {
  /** The app's URL; anything after '#' is dropped. Default: DEFAULT_SHARE_BASE. */
  base?: string;
  view?: Partial<ViewState>;
  /** Shown to the recipient with the log (an excerpt says so here). Payload links only. */
  note?: string;
}

export interface ShareLink {
  link: string;
  length: number;
  lengthClass: LinkLengthClass;
}

/** Below this, a zero tail costs deflate less than the `z=` key would. */
const ZERO_TRIM_MIN = 1024;

/**
 * `base#v=1&<log keys>&<view keys>`: the log's keys (n, z, crc or sha256) come
 * right after the version, so a link cut anywhere after them is seen to be
 * damaged, while `#v=1&rec=…` alone stays the app's plain view fragment.
 */
function linkHead(options: ShareLinkOptions, logKeys: string): string {
  const base = options.base ?? DEFAULT_SHARE_BASE;
  const hash = base.indexOf('#');
  const view = encodeViewState(options.view ?? {});
  return `${hash < 0 ? base : base.slice(0, hash)}#v=${SHARE_FORMAT_VERSION}&${logKeys}${view ? `&${view}` : ''}`;
}

function finishLink(link: string): ShareLink {
  return { link, length: link.length, lengthClass: classifyLinkLength(link.length) };
}

function checkShareable(bytes: Uint8Array): void {
  if (bytes.length > MAX_SHARED_BYTES)
    throw new RangeError(`${bytes.length} bytes is more than the ${MAX_SHARED_BYTES} a link may carry`);
}

/**
 * A link carrying the bytes themselves. It is built whatever its length:
 * check `lengthClass` before offering it. Throws RangeError only for a view
 * state no link can carry or more than MAX_SHARED_BYTES bytes.
 */
export async function buildShareLink(bytes: Uint8Array, options: ShareLinkOptions = {}): Promise<ShareLink> {
  checkShareable(bytes);
  const tail = bytes.length - (lastNonZero(bytes) + 1);
  const zeros = tail >= ZERO_TRIM_MIN ? tail : 0;
  const payload = bytes.subarray(0, bytes.length - zeros);
  const deflated = await deflateRaw(payload);
  const crc = crc32(payload).toString(16).padStart(8, '0');
  const z = zeros > 0 ? `&z=${zeros}` : '';
  let head = linkHead(options, `n=${bytes.length}${z}&crc=${crc}`);
  if (options.note) head += `&note=${escapeValue(options.note)}`;
  return finishLink(`${head}&d=${encodeBase64Url(deflated)}`);
}

/** A link carrying only the bytes' SHA-256 and length: it opens once the recipient drops the same file. */
export async function buildHashLink(
  bytes: Uint8Array,
  options: Omit<ShareLinkOptions, 'note'> = {},
): Promise<ShareLink> {
  checkShareable(bytes);
  return finishLink(linkHead(options, `n=${bytes.length}&sha256=${await sha256Hex(bytes)}`));
}

/** True when a dropped file is the one a hash link names. */
export async function matchesHashLink(
  bytes: Uint8Array,
  expected: { sha256: string; length: number },
): Promise<boolean> {
  return bytes.length === expected.length && (await sha256Hex(bytes)) === expected.sha256;
}

// ---------------------------------------------------------------------------
// Reading links.

export type ShareLinkResult =
  /** No log in the link: the app's own fragment (or none at all). */
  | { ok: true; kind: 'view'; view: ViewState }
  /** The log is in the link: `bytes` are exactly the sender's. */
  | { ok: true; kind: 'payload'; view: ViewState; bytes: Uint8Array<ArrayBuffer>; note: string | null }
  /** The link names a file by hash; open it when the user drops one that matchesHashLink. */
  | { ok: true; kind: 'hash'; view: ViewState; sha256: string; length: number }
  | { ok: false; error: string };

export interface ParseShareOptions {
  /** Refuse links that inflate past this. Default and upper bound: MAX_SHARED_BYTES. */
  maxBytes?: number;
}

/** Reads an href (pass location.href, never location.hash). Never throws. */
export async function parseShareLink(
  href: string,
  options: ParseShareOptions = {},
): Promise<ShareLinkResult> {
  try {
    return await readShareLink(href, Math.min(options.maxBytes ?? MAX_SHARED_BYTES, MAX_SHARED_BYTES));
  } catch (e) {
    return { ok: false, error: errorText(e) };
  }
}

async function readShareLink(href: string, maxBytes: number): Promise<ShareLinkResult> {
  const keys = splitFragment(fragmentOf(href));
  checkVersion(keys);
  const view = readView(keys);
  const hasLog = keys.has('d') || keys.has('sha256') || keys.has('n');
  if (!keys.has('v')) {
    if (hasLog) throw damaged('it has no format version (v=)');
    return { ok: true, kind: 'view', view };
  }
  // `#v=1&rec=…` with no log keys is the app's own view fragment.
  if (!hasLog) return { ok: true, kind: 'view', view };
  if (keys.has('d') && keys.has('sha256')) throw damaged('it has both a payload (d=) and a hash (sha256=)');
  const rawN = keys.get('n');
  if (rawN === undefined) throw damaged('its length (n=) is missing');
  const n = parseCount('n', rawN, Number.MAX_SAFE_INTEGER);
  if (n > maxBytes)
    throw damaged(
      `it declares ${formatCount(n)} bytes, more than the ${formatCount(maxBytes)} this inspector opens`,
    );

  const sha = keys.get('sha256');
  if (sha !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(sha)) throw damaged('sha256= must be 64 hex digits');
    return { ok: true, kind: 'hash', view, sha256: sha.toLowerCase(), length: n };
  }

  const d = keys.get('d');
  if (d === undefined) throw damaged('its payload (d=) is missing: it was probably cut short');
  const rawZ = keys.get('z');
  const zeros = rawZ === undefined ? 0 : parseCount('z', rawZ, n);
  const rawCrc = keys.get('crc');
  if (rawCrc === undefined) throw damaged('its checksum (crc=) is missing');
  if (!/^[0-9a-f]{8}$/.test(rawCrc)) throw damaged('crc= must be 8 lowercase hex digits');
  const decoded = decodeBase64Url(d);
  if (!decoded.ok) throw damaged(`its payload (d=) ${decoded.error}`);
  const deflated = decoded.bytes;
  if (deflated.length === 0) throw damaged('its payload (d=) is empty: it was probably cut short');

  const rawNote = keys.get('note');
  const note = rawNote === undefined ? null : unescapeValue('note', rawNote);

  const expected = n - zeros;
  // A second inflate of all but the last byte must fail: DecompressionStream ignores data after the
  // end of the deflate stream, so this is how junk appended to the payload is caught. Run alongside.
  const stop = { stopped: false };
  const withoutLast = inflateRaw(deflated.subarray(0, deflated.length - 1), expected, false, stop);
  const inflated = await inflateRaw(deflated, expected, true, { stopped: false });
  if (inflated.error !== null || inflated.size !== expected) {
    stop.stopped = true;
    await withoutLast;
    if (inflated.error === 'corrupt') throw damaged(`its payload does not inflate (${inflated.message})`);
    if (inflated.size > expected || inflated.error === 'over')
      throw damaged(`its payload inflates to more than the ${formatCount(expected)} bytes it declares`);
    throw damaged(
      `its payload inflates to ${formatCount(inflated.size)} bytes, not the ${formatCount(expected)} it declares`,
    );
  }
  if ((await withoutLast).error === null)
    throw damaged('there is data after the end of its compressed payload');
  const payload = inflated.bytes.subarray(0, expected);
  if (crc32(payload).toString(16).padStart(8, '0') !== rawCrc)
    throw damaged('its payload does not match its checksum (crc=)');
  let bytes = inflated.bytes;
  if (bytes.length !== n) {
    // The zero tail the sender left out (or spare capacity: inflate grows its buffer in steps).
    bytes = new Uint8Array(n);
    bytes.set(payload);
  }
  return { ok: true, kind: 'payload', view, bytes, note };
}

// ---------------------------------------------------------------------------
// Excerpts: a smaller buffer of chosen records, for logs whose link is too long.

export interface Excerpt {
  bytes: Uint8Array<ArrayBuffer>;
  /** Says it is an excerpt and of what; pass it as the link's note. */
  note: string;
  /** For each record of the excerpt, its index in the original log (TLV: END last, when kept). */
  records: number[];
  /** Decoder overrides the excerpt needs to read as the original did (null: detection agrees). */
  format: LogFormat | null;
  byteOrder: ByteOrder | null;
}

/**
 * The chosen records (any order, duplicates allowed) as a buffer of their
 * own. TLV: the records re-encoded with encodeTlv in the original byte order,
 * plus an END with the original END's count if the original had an END.
 * Text: the lines joined by '\n', then a NUL and a spare zero. Throws RangeError on an empty
 * log, an empty selection or an index out of range.
 */
export function buildExcerpt(log: DecodedLog, indices: readonly number[]): Excerpt {
  const count = log.recordCount;
  if (log.format === null || count === 0) throw new RangeError('the log has no records');
  if (indices.length === 0) throw new RangeError('no records chosen');
  for (const i of indices)
    if (!(Number.isInteger(i) && i >= 0 && i < count)) throw new RangeError(`no record ${i}`);
  const chosen = [...new Set(indices)].sort((a, b) => a - b);

  let bytes: Uint8Array<ArrayBuffer>;
  let records: number[];
  let byteOrder: ByteOrder | null = null;
  if (log.format === 'tlv') {
    const order = log.byteOrder ?? 'little';
    records = chosen.filter((i) => log.recordType(i) !== TYPE_END);
    const messages: TlvMessage[] = records.map((i) => {
      const [start, end] = log.contentRange(i);
      return { type: log.recordType(i) as number, contents: log.bytes.subarray(start, end) };
    });
    const end = log.end;
    const encoded = encodeTlv(messages, { byteOrder: order, omitEnd: end === null });
    bytes = encoded.bytes;
    if (end !== null && encoded.endOffset !== null) {
      // encodeTlv counts its own drops (none here); the excerpt keeps the original's.
      new DataView(bytes.buffer).setUint16(
        encoded.endOffset + TLV_HEADER_SIZE,
        end.count ?? 0,
        order === 'little',
      );
      records.push(log.recordCount - 1);
    }
    if (bytes.length > 0 && detectByteOrder(bytes) !== order) byteOrder = order;
  } else {
    records = chosen;
    let size = 1;
    for (const i of chosen) size += log.recordLength(i) + 1;
    // Lines, a NUL, and one spare zero byte: a NUL as the buffer's last byte would read as a full,
    // truncated buffer (tlv-log-format.md section 2), which an excerpt is not.
    bytes = new Uint8Array(size);
    let at = 0;
    for (const i of chosen) {
      if (at > 0) bytes[at++] = 0x0a;
      const [start, end] = log.contentRange(i);
      bytes.set(log.bytes.subarray(start, end), at);
      at += end - start;
    }
    // bytes[at] is the NUL and bytes[at + 1] the spare zero (both already zero).
  }
  const format = detectFormat(bytes).format === log.format ? null : log.format;
  const unit = log.format === 'tlv' ? 'records' : 'lines';
  const note = `Excerpt: ${formatCount(records.length)} of ${formatCount(count)} ${unit} (${describeRanges(records)}) of a ${formatCount(log.size)}-byte ${log.format === 'tlv' ? 'TLV' : 'text'} log; the rest was left out to make the link short enough.`;
  return { bytes, note, records, format, byteOrder };
}

/** "3-5, 9" for [3, 4, 5, 9]. Sorted input. */
function describeRanges(sorted: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? formatCount(sorted[i]) : `${formatCount(sorted[i])}-${formatCount(sorted[j])}`);
    i = j + 1;
  }
  return parts.join(', ');
}

// ---------------------------------------------------------------------------
// Hashes and checksums.

/**
 * SHA-256 of the bytes, lowercase hex. Browsers give crypto.subtle only to
 * secure contexts (https, localhost): elsewhere this rejects, saying so.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle)
    throw new Error('SHA-256 is not available: crypto.subtle needs a secure context (https or localhost)');
  // digest() takes only ArrayBuffer-backed views.
  const input = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
  const digest = new Uint8Array(await subtle.digest('SHA-256', input));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** CRC-32 tables for slicing by 8: eight bytes a step, about 1 GB/s. */
const CRC_TABLES = (() => {
  const t = new Int32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c;
  }
  for (let i = 0; i < 256; i++) {
    let c = t[i];
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + i] = c;
    }
  }
  return t;
})();

/** CRC-32 (the one gzip and zip use). */
export function crc32(bytes: Uint8Array): number {
  const t = CRC_TABLES;
  let c = -1;
  let i = 0;
  const n = bytes.length;
  for (; i + 8 <= n; i += 8) {
    const a = c ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    c =
      t[1792 + (a & 0xff)] ^
      t[1536 + ((a >>> 8) & 0xff)] ^
      t[1280 + ((a >>> 16) & 0xff)] ^
      t[1024 + (a >>> 24)] ^
      t[768 + bytes[i + 4]] ^
      t[512 + bytes[i + 5]] ^
      t[256 + bytes[i + 6]] ^
      t[bytes[i + 7]];
  }
  for (; i < n; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

// ---------------------------------------------------------------------------
// base64url without padding (RFC 4648 section 5). Node 20 has no Uint8Array.toBase64.

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_CODES = Uint8Array.from(B64, (c) => c.charCodeAt(0));
const B64_VALUES = (() => {
  const v = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) v[B64.charCodeAt(i)] = i;
  return v;
})();
const ascii = new TextDecoder();

export function encodeBase64Url(bytes: Uint8Array): string {
  const n = bytes.length;
  const rest = n % 3;
  // Written as ASCII codes into one buffer and decoded once: no string concatenation over megabytes.
  const out = new Uint8Array(((n - rest) / 3) * 4 + (rest === 0 ? 0 : rest + 1));
  let o = 0;
  let i = 0;
  for (; i + 3 <= n; i += 3) {
    const w = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = B64_CODES[w >>> 18];
    out[o++] = B64_CODES[(w >>> 12) & 63];
    out[o++] = B64_CODES[(w >>> 6) & 63];
    out[o++] = B64_CODES[w & 63];
  }
  if (rest === 1) {
    out[o++] = B64_CODES[bytes[i] >>> 2];
    out[o++] = B64_CODES[(bytes[i] & 3) << 4];
  } else if (rest === 2) {
    const w = (bytes[i] << 8) | bytes[i + 1];
    out[o++] = B64_CODES[w >>> 10];
    out[o++] = B64_CODES[(w >>> 4) & 63];
    out[o++] = B64_CODES[(w & 15) << 2];
  }
  return ascii.decode(out);
}

export type Base64Result = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; error: string };

/** Strict: only the base64url alphabet, no padding, unused bits zero (so one text per byte string). */
export function decodeBase64Url(text: string): Base64Result {
  const n = text.length;
  const rest = n % 4;
  if (rest === 1) return { ok: false, error: 'has a length no base64url text has: it was cut or added to' };
  const out = new Uint8Array(((n - rest) / 4) * 3 + (rest === 0 ? 0 : rest - 1));
  const values = B64_VALUES;
  let bad = -1;
  let o = 0;
  let i = 0;
  const value = (at: number) => {
    const c = text.charCodeAt(at);
    const v = c < 128 ? values[c] : -1;
    if (v < 0 && bad < 0) bad = at;
    return v & 63;
  };
  for (; i + 4 <= n; i += 4) {
    const w = (value(i) << 18) | (value(i + 1) << 12) | (value(i + 2) << 6) | value(i + 3);
    out[o++] = w >>> 16;
    out[o++] = (w >>> 8) & 0xff;
    out[o++] = w & 0xff;
  }
  let spare = 0;
  if (rest === 2) {
    const w = (value(i) << 6) | value(i + 1);
    out[o++] = w >>> 4;
    spare = w & 15;
  } else if (rest === 3) {
    const w = (value(i) << 12) | (value(i + 1) << 6) | value(i + 2);
    out[o++] = w >>> 10;
    out[o++] = (w >>> 2) & 0xff;
    spare = w & 3;
  }
  if (bad >= 0)
    return {
      ok: false,
      error: `has a character that is not base64url (${JSON.stringify(text[bad])} at ${bad})`,
    };
  if (spare !== 0)
    return { ok: false, error: 'ends in a character no encoder writes: it was cut or changed' };
  return { ok: true, bytes: out };
}

// ---------------------------------------------------------------------------
// deflate-raw.

async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const compressed = sliced(bytes, 1 << 20).pipeThrough(
    new CompressionStream('deflate-raw') as unknown as TransformStream<Uint8Array, Uint8Array>,
  );
  return new Uint8Array(
    await new Response(compressed as ReadableStream<Uint8Array<ArrayBuffer>>).arrayBuffer(),
  );
}

/** The bytes as a stream of slices, handed out as the consumer pulls: no copy, and backpressure holds. */
function sliced(bytes: Uint8Array, slice: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (at >= bytes.length) {
          controller.close();
          return;
        }
        controller.enqueue(bytes.subarray(at, at + slice));
        at += slice;
      },
    },
    { highWaterMark: 0 },
  );
}

type Inflated =
  | { error: null | 'over' | 'stopped'; bytes: Uint8Array<ArrayBuffer>; size: number }
  | { error: 'corrupt'; message: string; bytes: Uint8Array<ArrayBuffer>; size: number };

/**
 * Inflates untrusted deflate-raw as a stream, giving up as soon as the output
 * passes `cap`, so a small payload cannot make it allocate more. Small input
 * slices keep the work done before the cap is noticed small too.
 */
async function inflateRaw(
  input: Uint8Array,
  cap: number,
  keep: boolean,
  stop: { stopped: boolean },
): Promise<Inflated> {
  let out = new Uint8Array(keep ? Math.min(cap, Math.max(1024, input.length * 4)) : 0);
  let size = 0;
  const reader = sliced(input, 8192)
    .pipeThrough(new DecompressionStream('deflate-raw') as unknown as TransformStream<Uint8Array, Uint8Array>)
    .getReader();
  try {
    for (;;) {
      if (stop.stopped) {
        await reader.cancel().catch(() => {});
        return { error: 'stopped', bytes: out, size };
      }
      const { done, value } = await reader.read();
      if (done) return { error: null, bytes: out, size };
      if (size + value.length > cap) {
        await reader.cancel().catch(() => {});
        return { error: 'over', bytes: out, size };
      }
      if (keep) {
        if (size + value.length > out.length) {
          const grown = new Uint8Array(Math.min(cap, Math.max(out.length * 2, size + value.length)));
          grown.set(out.subarray(0, size));
          out = grown;
        }
        out.set(value, size);
      }
      size += value.length;
    }
  } catch (e) {
    return { error: 'corrupt', message: (e as Error)?.message || 'unreadable', bytes: out, size };
  }
}

/** Index of the last non-zero byte, or -1. Word-at-a-time from the end: zero tails run to 100 MB. */
function lastNonZero(bytes: Uint8Array): number {
  let i = bytes.length;
  // Unaligned end byte by byte, so the word view can end on a 4-byte boundary.
  while (i > 0 && ((bytes.byteOffset + i) & 3) !== 0) {
    if (bytes[i - 1] !== 0) return i - 1;
    i--;
  }
  const head = (4 - (bytes.byteOffset & 3)) & 3;
  if (i > head) {
    const words = new Int32Array(bytes.buffer, bytes.byteOffset + head, (i - head) >>> 2);
    let w = words.length;
    while (w > 0 && words[w - 1] === 0) w--;
    i = head + (w << 2);
  }
  while (i > 0 && bytes[i - 1] === 0) i--;
  return i - 1;
}
