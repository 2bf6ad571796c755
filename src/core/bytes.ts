/** Byte-level helpers shared by the decoders. No DOM, no Node. */

/** True when every byte of bytes[from, to) is zero. Word-at-a-time: trailing space can be 60 MB. */
export function isAllZero(bytes: Uint8Array, from: number, to: number): boolean {
  if (from >= to) return true;
  let i = from;
  while (i < to && ((bytes.byteOffset + i) & 3) !== 0) {
    if (bytes[i] !== 0) return false;
    i++;
  }
  if (i === to) return true;
  const wordCount = (to - i) >>> 2;
  const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, wordCount);
  let w = 0;
  // Eight words an iteration, one branch: twice as fast as a word at a time.
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
    ) {
      return false;
    }
  }
  for (; w < wordCount; w++) if (words[w] !== 0) return false;
  i += wordCount << 2;
  for (; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
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
