/** Byte-level helpers shared by the decoders and share links: zeros, integers, checksums, base64url. No DOM, no Node. */
import { sha256 } from '@noble/hashes/sha2.js';
import { runSteps, type Steps } from './steps.ts';

/**
 * Index of the last non-zero byte of bytes[from, to), or from - 1 when they are all zero.
 * Word-at-a-time from the end: zero tails and trailing space run to 100 MB.
 */
export function lastNonZero(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let i = to;
  // Unaligned end byte by byte, so the word view can end on a 4-byte boundary.
  while (i > from && ((bytes.byteOffset + i) & 3) !== 0) {
    if (bytes[i - 1] !== 0) return i - 1;
    i--;
  }
  const head = from + ((4 - ((bytes.byteOffset + from) & 3)) & 3);
  if (i - head >= 4) {
    const words = new Int32Array(bytes.buffer, bytes.byteOffset + head, (i - head) >>> 2);
    let w = words.length;
    // Eight words a step, one branch: twice as fast as a word at a time.
    while (
      w >= 8 &&
      (words[w - 1] |
        words[w - 2] |
        words[w - 3] |
        words[w - 4] |
        words[w - 5] |
        words[w - 6] |
        words[w - 7] |
        words[w - 8]) ===
        0
    )
      w -= 8;
    while (w > 0 && words[w - 1] === 0) w--;
    i = head + (w << 2);
  }
  while (i > from && bytes[i - 1] === 0) i--;
  return i - 1;
}

/** True when every byte of bytes[from, to) is zero. */
export function isAllZero(bytes: Uint8Array, from: number, to: number): boolean {
  return from >= to || lastNonZero(bytes, from, to) < from;
}

export function readU16(bytes: Uint8Array, offset: number, littleEndian: boolean): number {
  return littleEndian ? bytes[offset] | (bytes[offset + 1] << 8) : (bytes[offset] << 8) | bytes[offset + 1];
}

export function readU32(bytes: Uint8Array, offset: number, littleEndian: boolean): number {
  return littleEndian
    ? (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0
    : ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>>
        0;
}

/** Printable ASCII, tab or newline: what a verifier log is made of. */
export function isLogTextByte(c: number): boolean {
  return (c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a;
}

/**
 * The last `capacity` bytes of a stream, for checks that read a buffer's end
 * while the buffer itself is not kept. Copies at most `capacity` bytes a push.
 */
export class TailWindow {
  private readonly buffer: Uint8Array;
  private start = 0;
  private end = 0;

  constructor(readonly capacity: number) {
    // Twice the capacity, so the window is compacted once per `capacity` bytes appended.
    this.buffer = new Uint8Array(2 * capacity);
  }

  append(chunk: Uint8Array): void {
    const cap = this.capacity;
    if (chunk.length >= cap) {
      this.buffer.set(chunk.subarray(chunk.length - cap));
      this.start = 0;
      this.end = cap;
      return;
    }
    if (this.end + chunk.length > this.buffer.length) {
      const keep = Math.min(this.end - this.start, cap - chunk.length);
      this.buffer.copyWithin(0, this.end - keep, this.end);
      this.start = 0;
      this.end = keep;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
    if (this.end - this.start > cap) this.start = this.end - cap;
  }

  /** The window's bytes, oldest first; valid until the next append. */
  bytes(): Uint8Array {
    return this.buffer.subarray(this.start, this.end);
  }
}

/** Index of the first non-zero byte in bytes[from, to), or -1. Zero words are skipped eight at a time. */
export function firstNonZero(bytes: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to && ((bytes.byteOffset + i) & 3) !== 0) {
    if (bytes[i] !== 0) return i;
    i++;
  }
  const wordCount = (to - i) >>> 2;
  if (wordCount > 0) {
    const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, wordCount);
    let w = 0;
    for (; w + 7 < wordCount; w += 8) {
      if (
        (words[w] |
          words[w + 1] |
          words[w + 2] |
          words[w + 3] |
          words[w + 4] |
          words[w + 5] |
          words[w + 6] |
          words[w + 7]) !==
        0
      )
        break;
    }
    for (; w < wordCount; w++) if (words[w] !== 0) break;
    i += w << 2;
  }
  for (; i < to; i++) if (bytes[i] !== 0) return i;
  return -1;
}

const utf8 = new TextDecoder('utf-8');

/**
 * UTF-8 text of bytes[start, end). Chromium's TextDecoder (and Blob) refuse
 * views of a resizable ArrayBuffer, which a streamed log sits on
 * (GrowingBuffer): such a slice is copied first, one record's worth.
 */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const view = bytes.subarray(start, end);
  return utf8.decode((bytes.buffer as { resizable?: boolean }).resizable ? view.slice() : view);
}

// ---------------------------------------------------------------------------
// Hashes and checksums.

/** Bytes hashed between yields of sha256Steps: about 5 ms at 200 MB/s. */
const HASH_STEP_BYTES = 1 << 20;

/**
 * SHA-256 of the bytes, lowercase hex, as steps (steps.ts): the worker hashes
 * a 1 GiB log between requests, reading the bytes where they lie. Not
 * crypto.subtle: it has no incremental digest, takes no view of a resizable
 * buffer (so a streamed log would be copied whole, 0.3 s for 71 MB, held up
 * in one task), and exists only in secure contexts.
 */
export function* sha256Steps(bytes: Uint8Array): Steps<string> {
  const hash = sha256.create();
  for (let at = 0; at < bytes.length; at += HASH_STEP_BYTES) {
    hash.update(bytes.subarray(at, at + HASH_STEP_BYTES));
    yield;
  }
  let hex = '';
  for (const b of hash.digest()) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** SHA-256 of the bytes, lowercase hex, in one go. */
export function sha256Hex(bytes: Uint8Array): string {
  return runSteps(sha256Steps(bytes));
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
