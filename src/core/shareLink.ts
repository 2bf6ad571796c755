/**
 * Share links: a log's bytes and the view on them in a URL fragment, so a
 * link opens the same log at the same record for whoever receives it. Pure:
 * no DOM, no Node; CompressionStream, crypto.subtle and TextDecoder exist in
 * the page, the worker and Node 20.
 *
 *   BASE#v=1&n=65536&z=64000&crc=1a2b3c4d&rec=12&types=1,7&q=R1%3D&re=1&d=<deflate-raw, base64url>
 *   BASE#v=1&n=65536&sha256=<hex>&rec=12                (hash link: the recipient drops the file)
 *
 * Readable keys first, payload last. Besides what the product issue asks for,
 * a payload link carries `crc` (CRC-32 of the payload: deflate-raw has no
 * checksum, so a flipped bit could otherwise inflate to different bytes of the
 * right length) and, when the buffer ends in zeros, `z` (how many were left
 * out: deflate shrinks zeros only ~1000:1, so libbpf's 16 MiB buffer would
 * cost ~22,000 characters of link for a log of a few lines). Optional keys:
 * `fmt`/`bo` (format and byte order the sender forced, so the recipient decodes
 * the bytes the same way) and `note` (an excerpt says it is one). The view keys
 * are viewState.ts's.
 *
 * Links come from strangers: parsing never throws, measures the link before
 * reading it, grows its output from what the payload actually inflates to
 * (never from `n` or `z`), and gives either the exact bytes or an error, never
 * part of them.
 */
import { crc32, decodeBase64Url, encodeBase64Url, lastNonZero, sha256Hex } from './bytes.ts';
import { deflateRaw, inflateRaw } from './deflate.ts';
import { formatCount } from './diagnostics.ts';
import { MAX_LOG_BYTES } from './gzip.ts';
import { classifyLinkLength, type LinkLengthClass } from './linkLength.ts';
import {
  checkLinkLength,
  checkVersion,
  damaged,
  encodeViewState,
  errorText,
  escapeValue,
  fragmentOf,
  parseCount,
  readView,
  SHARE_FORMAT_VERSION,
  splitFragment,
  unescapeValue,
  type ViewState,
} from './viewState.ts';

/** The most a link may inflate to, whatever it declares: the same cap as gzip input. */
export const MAX_SHARED_BYTES = MAX_LOG_BYTES;
/**
 * The longest zero tail a link leaves out (`z`): libbpf's largest log buffer,
 * UINT32_MAX >> 8. Longer tails stay in the deflated payload, so a short link
 * cannot claim a large buffer the recipient would have to allocate.
 */
export const MAX_ZERO_TAIL = 0xffffffff >>> 8;
/** Where `vite preview` serves the app; the CLI's default base. */
export const DEFAULT_SHARE_BASE = 'http://127.0.0.1:4173/';

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
  const zeros = tail >= ZERO_TRIM_MIN ? Math.min(tail, MAX_ZERO_TAIL) : 0;
  const payload = bytes.subarray(0, bytes.length - zeros);
  const deflated = await deflateRaw(payload);
  const crc = crc32(payload).toString(16).padStart(8, '0');
  const z = zeros > 0 ? `&z=${zeros}` : '';
  let head = linkHead(options, `n=${bytes.length}${z}&crc=${crc}`);
  if (options.note) head += `&note=${escapeValue(options.note)}`;
  return finishLink(`${head}&d=${encodeBase64Url(deflated)}`);
}

/**
 * A link carrying only the bytes' SHA-256 and length: it opens once the
 * recipient drops the same file. `sha256`: the bytes' hash, when the caller
 * has it already.
 */
export async function buildHashLink(
  bytes: Uint8Array,
  options: Omit<ShareLinkOptions, 'note'> = {},
  sha256?: string,
): Promise<ShareLink> {
  checkShareable(bytes);
  return finishLink(linkHead(options, `n=${bytes.length}&sha256=${sha256 ?? sha256Hex(bytes)}`));
}

export type ShareLinkResult =
  /** No log in the link: the app's own fragment (or none at all). */
  | { ok: true; kind: 'view'; view: ViewState }
  /** The log is in the link: `bytes` are exactly the sender's. */
  | { ok: true; kind: 'payload'; view: ViewState; bytes: Uint8Array<ArrayBuffer>; note: string | null }
  /** The link names a file by hash; open it when the user drops one of that length and SHA-256. */
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
  checkLinkLength(href);
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
  if (zeros > MAX_ZERO_TAIL)
    throw damaged(
      `it declares a zero tail of ${formatCount(zeros)} bytes, more than the ${formatCount(MAX_ZERO_TAIL)} a link leaves out`,
    );
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
  const withoutLast = inflateRaw(deflated.subarray(0, deflated.length - 1), {
    limit: expected,
    keep: false,
    stop,
  });
  const inflated = await inflateRaw(deflated, { limit: expected, slice: 8192 });
  if (inflated.status !== 'done' || inflated.size !== expected) {
    stop.stopped = true;
    await withoutLast;
    if (inflated.status === 'junk') throw damaged('there is data after the end of its compressed payload');
    if (inflated.status === 'corrupt' || inflated.status === 'cut')
      throw damaged(`its payload does not inflate (${inflated.message})`);
    if (inflated.status === 'over')
      throw damaged(`its payload inflates to more than the ${formatCount(expected)} bytes it declares`);
    throw damaged(
      `its payload inflates to ${formatCount(inflated.size)} bytes, not the ${formatCount(expected)} it declares`,
    );
  }
  const early = (await withoutLast).status;
  if (early === 'done' || early === 'junk')
    throw damaged('there is data after the end of its compressed payload');
  const payload = inflated.bytes;
  if (crc32(payload).toString(16).padStart(8, '0') !== rawCrc)
    throw damaged('its payload does not match its checksum (crc=)');
  let bytes = payload;
  if (zeros > 0) {
    // The zero tail the sender left out: verified payload plus at most MAX_ZERO_TAIL.
    bytes = new Uint8Array(n);
    bytes.set(payload);
  }
  return { ok: true, kind: 'payload', view, bytes, note };
}
