/** Byte-level helpers shared by the decoders. No DOM, no Node. */

/** True when every byte of bytes[from, to) is zero. Word-at-a-time: trailing space can be 60 MB. */
export function isAllZero(bytes: Uint8Array, from: number, to: number): boolean {
  let i = from;
  while (i < to && ((bytes.byteOffset + i) & 3) !== 0) {
    if (bytes[i] !== 0) return false;
    i++;
  }
  const wordCount = (to - i) >>> 2;
  if (wordCount > 0) {
    const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, wordCount);
    let acc = 0;
    for (let w = 0; w < wordCount; w++) {
      acc |= words[w];
      // Check now and then rather than every word, so the loop stays a plain OR.
      if ((w & 4095) === 4095 && acc !== 0) return false;
    }
    if (acc !== 0) return false;
    i += wordCount << 2;
  }
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
