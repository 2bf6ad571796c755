/**
 * View state: the fragment keys an app URL and a share link have in common
 * (selected record, type filter, search, forced format and byte order), and
 * the strict reading of fragment keys the link parser shares.
 *
 *   BASE#rec=12&types=1,7&q=R1%3D&re=1        (the app's own view state)
 *   BASE#v=1&rec=12&types=1,7                 (the same, versioned: a view, no log)
 *   BASE#v=1&…&program=1&pc=6&kinds=insn,error (the verifier view: a program, an instruction, kinds)
 *
 * Fragments come from strangers: reading never throws past parseViewState,
 * and a fragment is measured before it is read.
 */
import { formatCount, formatRanges } from './diagnostics.ts';
import { LINK_MAX_LENGTH } from './linkLength.ts';
import type { ByteOrder, LogFormat } from './types.ts';
import { LINE_KIND_NAMES, type LineKindName } from './verifier/kinds.ts';

export const SHARE_FORMAT_VERSION = 1;

const DAMAGED = 'This link is damaged';

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
export const escapeValue = (text: string) =>
  encodeURIComponent(
    text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  ).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Sorted type numbers with ranges for runs of three or more: "1,7,10-12".
 * "All but type 7" is then "0-6,8-65535", not 65,535 numbers.
 */
const typeRanges = (sorted: readonly number[]) => formatRanges(sorted, { minRun: 3, separator: ',' });

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
export const damaged = (reason: string) => new LinkError(`${DAMAGED}: ${reason}.`);

/** The fragment of an href: everything after the first '#' ('' when there is none). */
export function fragmentOf(href: string): string {
  const hash = href.indexOf('#');
  return hash < 0 ? '' : href.slice(hash + 1);
}

/** Splits a fragment into keys. Unknown keys are kept (and later ignored); a known key twice is damage. */
export function splitFragment(fragment: string): Map<string, string> {
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

export function unescapeValue(key: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw damaged(`${key}= is not valid percent-encoded text`);
  }
}

/** A decimal integer without sign, exponent or leading zeros, at most `max`. */
export function parseCount(key: string, raw: string, max: number): number {
  if (!/^(0|[1-9]\d{0,15})$/.test(raw)) throw damaged(`${key}= must be a whole number, not "${clip(raw)}"`);
  const n = Number(raw);
  if (n > max) throw damaged(`${key}=${raw} is more than ${formatCount(max)}`);
  return n;
}

const clip = (text: string) => (text.length > 24 ? `${text.slice(0, 24)}...` : text);

/** Checks `v` (absent is allowed: the app's own fragments carry none). */
export function checkVersion(keys: Map<string, string>): void {
  const v = keys.get('v');
  if (v === undefined || v === String(SHARE_FORMAT_VERSION)) return;
  throw new LinkError(
    /^[1-9]\d{0,5}$/.test(v)
      ? `This link uses format v=${v}, which this inspector cannot read (it reads v=${SHARE_FORMAT_VERSION}): it was made by a newer version.`
      : `${DAMAGED}: its format version v=${clip(v)} is not a version.`,
  );
}

export function readView(keys: Map<string, string>): ViewState {
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
    checkLinkLength(href);
    const keys = splitFragment(fragmentOf(href));
    checkVersion(keys);
    return { ok: true, view: readView(keys) };
  } catch (e) {
    return { ok: false, error: errorText(e) };
  }
}

export function errorText(e: unknown): string {
  if (e instanceof LinkError) return e.message;
  // Nothing else should get here; if it does, it is still the link's fault, not a crash.
  return `${DAMAGED}: it could not be read (${(e as Error)?.message ?? String(e)}).`;
}

/** Refuses, before reading a key, an href longer than any link the inspector makes. */
export function checkLinkLength(href: string): void {
  if (href.length > LINK_MAX_LENGTH)
    throw new LinkError(
      `This link is ${formatCount(href.length)} characters long, more than the ${formatCount(LINK_MAX_LENGTH)} a link may have: it was not made by this inspector.`,
    );
}
