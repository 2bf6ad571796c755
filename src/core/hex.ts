/**
 * Hex dump rows in the usual layout: 8-digit offset, 16 bytes a row with a
 * gap after 8, lowercase hex, ASCII gutter with '.' for non-printables.
 */

export const HEX_ROW_BYTES = 16;

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function hexByte(b: number): string {
  return HEX[b];
}

export function isPrintableAscii(b: number): boolean {
  return b >= 0x20 && b < 0x7f;
}

export function hexOffset(offset: number): string {
  return offset.toString(16).padStart(8, '0');
}

/** One row of a dump as text: `00000010  01 00 14 00 00 00 30 3a  20 52 31 3d 63 74 78 28  |......0: R1=ctx(|`. */
function hexDumpLine(
  bytes: Uint8Array,
  rowOffset: number,
  from = rowOffset,
  to = rowOffset + HEX_ROW_BYTES,
  /** Offset of bytes[0], when bytes is a slice of a larger buffer. */
  base = 0,
): string {
  let hex = '';
  let ascii = '';
  for (let k = 0; k < HEX_ROW_BYTES; k++) {
    const at = rowOffset + k;
    if (k === 8) hex += ' ';
    if (at >= from && at < to && at - base < bytes.length && at >= base) {
      const b = bytes[at - base];
      hex += `${HEX[b]} `;
      ascii += isPrintableAscii(b) ? String.fromCharCode(b) : '.';
    } else {
      hex += '   ';
      ascii += ' ';
    }
  }
  return `${hexOffset(rowOffset)}  ${hex} |${ascii}|`;
}

/** A classic dump of offsets [from, to), rows aligned to 16 as in `hexdump -C`; bytes[0] is at `base`. */
export function hexDump(bytes: Uint8Array, from: number, to: number, base = 0): string {
  const lines: string[] = [];
  const end = Math.min(to, base + bytes.length);
  for (let row = from - (from % HEX_ROW_BYTES); row < end; row += HEX_ROW_BYTES) {
    lines.push(hexDumpLine(bytes, row, from, end, base));
  }
  return lines.join('\n');
}

/** Plain hex: `0100140000…`. */
export function hexStream(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < Math.min(to, bytes.length); i++) s += HEX[bytes[i]];
  return s;
}

/** Short hex preview for a table cell: up to `max` bytes, space-separated, with an ellipsis. */
export function hexPreview(bytes: Uint8Array, from: number, to: number, max = 24): string {
  const end = Math.min(to, from + max, bytes.length);
  const parts: string[] = [];
  for (let i = from; i < end; i++) parts.push(HEX[bytes[i]]);
  return parts.join(' ') + (to - from > max ? ' …' : '');
}
