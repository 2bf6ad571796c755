/**
 * Test helper: the share link the format (tlv-log-format.md's share section and
 * shareLink.ts's header) prescribes, predicted with Node's zlib alone, so
 * tests compare the core and the CLI with an independent maker, not with
 * themselves.
 */
import { deflateRawSync, crc32 as zlibCrc32 } from 'node:zlib';

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** A payload link with no view keys. At most 16 MiB - 1 trailing zeros are left out (z=). */
export function predictedShareLink(bytes: Uint8Array, base: string): string {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const zeros = bytes.length - end >= 1024 ? Math.min(bytes.length - end, 0xffffff) : 0;
  const payload = bytes.subarray(0, bytes.length - zeros);
  const d = Buffer.from(deflateRawSync(payload)).toString('base64url');
  return `${base}#v=1&n=${bytes.length}${zeros ? `&z=${zeros}` : ''}&crc=${hex8(zlibCrc32(payload))}&d=${d}`;
}
