/**
 * Transparent gzip input (RFC 1952). The member's header and trailer are read
 * here; its deflate data goes through deflate.ts. Decompressing engines throw
 * away output they produced in the same step as a bad trailer (and differ on
 * junk and second members), so the trailer is checked here: every byte
 * inflated before any damage is kept, and the damage becomes a diagnostic.
 */
import { crc32, readU32 } from './bytes.ts';
import { deflateEnd, inflateRaw, inflateRawSalvaging } from './deflate.ts';
import { diagnostic, formatCount, formatOffset } from './diagnostics.ts';
import type { Diagnostic } from './types.ts';

/**
 * The most bytes a log can have: the kernel refuses a log buffer larger than
 * UINT_MAX >> 2 (bpf_verifier_log_attr_valid), 1 GiB less one byte. Both gzip
 * and share links inflate at most this much.
 */
export const MAX_LOG_BYTES = 0xffffffff >>> 2;
/** Default cap on decompressed size. */
export const DEFAULT_MAX_DECOMPRESSED = MAX_LOG_BYTES;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08;
}

export interface GunzipResult {
  bytes: Uint8Array<ArrayBuffer>;
  /** Non-empty when the stream was damaged or past the cap; `bytes` then holds what was decompressed before. */
  diagnostics: Diagnostic[];
}

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const FRESERVED = 0xe0;
const TRAILER_SIZE = 8;

/** Where the deflate data of the member at the start of `input` begins, or why it cannot be found. */
function headerEnd(input: Uint8Array): number | 'cut' | 'bad' {
  if (input.length < 10) return 'cut';
  const flags = input[3];
  if (flags & FRESERVED) return 'bad';
  let at = 10;
  if (flags & FEXTRA) {
    if (at + 2 > input.length) return 'cut';
    at += 2 + (input[at] | (input[at + 1] << 8));
  }
  for (const field of [FNAME, FCOMMENT]) {
    if (!(flags & field)) continue;
    while (at < input.length && input[at] !== 0) at++;
    at++; // the NUL
  }
  if (flags & FHCRC) at += 2;
  return at > input.length ? 'cut' : at;
}

/** Decompresses the first gzip member of `input`, at most `maxSize` bytes. Never throws. */
export async function gunzip(input: Uint8Array, maxSize = DEFAULT_MAX_DECOMPRESSED): Promise<GunzipResult> {
  const empty = new Uint8Array(0);
  const start = isGzip(input) ? headerEnd(input) : 'bad';
  if (start === 'cut')
    return {
      bytes: empty,
      diagnostics: [
        diagnostic(
          'gzip-truncated',
          'error',
          0,
          'The gzip file ends inside its header: there is nothing to show.',
        ),
      ],
    };
  if (start === 'bad')
    return {
      bytes: empty,
      diagnostics: [
        diagnostic(
          'gzip-corrupt',
          'error',
          0,
          'The gzip header is not one this inspector reads: there is nothing to show.',
        ),
      ],
    };

  const body = input.subarray(start);
  // The common case, one inflate: one whole member, its 8-byte trailer last and matching.
  if (body.length > TRAILER_SIZE) {
    const whole = await inflateRaw(body.subarray(0, body.length - TRAILER_SIZE), { limit: maxSize });
    if (whole.status === 'done' && trailerMatches(input, input.length - TRAILER_SIZE, whole.bytes))
      return { bytes: whole.bytes, diagnostics: [] };
    if (whole.status === 'over') return tooLarge(whole.bytes, maxSize);
  }

  const inflated = await inflateRawSalvaging(body, { limit: maxSize });
  const { size } = inflated;
  const shown = `the ${formatCount(size)} bytes decompressed before ${formatOffset(size)} are shown`;
  switch (inflated.status) {
    case 'over':
      return tooLarge(inflated.bytes, maxSize);
    case 'cut':
      return {
        bytes: inflated.bytes,
        diagnostics: [diagnostic('gzip-truncated', 'error', size, `The gzip file was cut short; ${shown}.`)],
      };
    case 'corrupt':
    case 'stopped':
      return {
        bytes: inflated.bytes,
        diagnostics: [
          diagnostic(
            'gzip-corrupt',
            'error',
            size,
            `The gzip stream is damaged${inflated.goodInput === undefined ? '' : ` at ${formatOffset(start + inflated.goodInput)} of the file`} (${inflated.message}); ${shown}.`,
          ),
        ],
      };
    case 'done':
    case 'junk': {
      // The deflate data ended before the file did: find where, and read the trailer there.
      const end = start + (await deflateEnd(body, size, trailerCandidates(input, start, inflated.bytes)));
      const exact =
        end === input.length && inflated.status === 'done'
          ? inflated
          : await inflateRaw(input.subarray(start, end), { limit: maxSize });
      return { bytes: exact.bytes, diagnostics: checkTrailer(input, end, exact.bytes) };
    }
  }
}

function tooLarge(bytes: Uint8Array<ArrayBuffer>, maxSize: number): GunzipResult {
  return {
    bytes,
    diagnostics: [
      diagnostic(
        'gzip-too-large',
        'error',
        bytes.length,
        `The file decompresses to more than ${formatCount(maxSize)} bytes, the most this inspector reads; only the first ${formatCount(maxSize)} are shown.`,
      ),
    ],
  };
}

function trailerMatches(input: Uint8Array, at: number, bytes: Uint8Array): boolean {
  return (
    at >= 0 &&
    at + TRAILER_SIZE <= input.length &&
    readU32(input, at, true) === crc32(bytes) &&
    readU32(input, at + 4, true) === bytes.length >>> 0
  );
}

/** Likely ends of the deflate data, relative to `start`: where a word matches the CRC or ISIZE of what inflated. */
function trailerCandidates(input: Uint8Array, start: number, bytes: Uint8Array): number[] {
  const crc = crc32(bytes);
  const isize = bytes.length >>> 0;
  const candidates: number[] = [];
  for (let at = start; at + 4 <= input.length && candidates.length < 8; at++) {
    const word = readU32(input, at, true);
    if (word === crc) candidates.push(at - start);
    else if (word === isize && at - 4 >= start) candidates.push(at - 4 - start);
  }
  return candidates;
}

/** Checks the trailer at `end` (where the deflate data ended) and what follows the member. */
function checkTrailer(input: Uint8Array, end: number, bytes: Uint8Array): Diagnostic[] {
  const size = bytes.length;
  const crc = crc32(bytes);
  const isize = size >>> 0;
  const after = `after the ${formatCount(size)} bytes it decompresses to`;
  if (end + TRAILER_SIZE > input.length)
    return [
      diagnostic(
        'gzip-truncated',
        'error',
        size,
        `The gzip file ends inside its trailer (at ${formatOffset(input.length)} of the file), ${after}: its checksum cannot be checked. All ${formatCount(size)} bytes are shown.`,
      ),
    ];
  const found: Diagnostic[] = [];
  if (readU32(input, end, true) !== crc)
    found.push(
      diagnostic(
        'gzip-bad-crc',
        'error',
        size,
        `The gzip file's checksum (CRC-32 at ${formatOffset(end)} of the file) does not match the ${formatCount(size)} bytes it decompresses to: they may differ from what was compressed. They are shown.`,
      ),
    );
  if (readU32(input, end + 4, true) !== isize)
    found.push(
      diagnostic(
        'gzip-bad-size',
        'error',
        size,
        `The gzip file's length field (ISIZE at ${formatOffset(end + 4)} of the file) says ${formatCount(readU32(input, end + 4, true))} bytes, but it decompresses to ${formatCount(size)}; they are shown.`,
      ),
    );
  const rest = end + TRAILER_SIZE;
  if (rest < input.length)
    found.push(
      isGzip(input.subarray(rest))
        ? diagnostic(
            'gzip-second-member',
            'warning',
            size,
            `The gzip file holds a second member at ${formatOffset(rest)} of the file (${formatCount(input.length - rest)} bytes), which is not read: only the first member, a log of its own, is shown.`,
          )
        : diagnostic(
            'gzip-trailing-data',
            'warning',
            size,
            `The gzip file has ${formatCount(input.length - rest)} bytes that are not gzip after its end (at ${formatOffset(rest)} of the file); they are ignored.`,
          ),
    );
  return found;
}
