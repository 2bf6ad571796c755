/**
 * Hex dump rows in the usual layout (8-digit offset, 16 bytes with a gap
 * after 8, ASCII gutter with dimmed dots). Each byte knows its offset, so a
 * click can select the field or record that holds it.
 */
import { HEX_ROW_BYTES, hexByte, hexOffset, isPrintableAscii } from '../core/index.ts';

export interface HexRowProps {
  rowOffset: number;
  /** Byte at absolute offset, or undefined outside what is shown. */
  byteAt: (offset: number) => number | undefined;
  classOf: (offset: number) => string;
  onByte: (offset: number) => void;
}

export function HexRow({ rowOffset, byteAt, classOf, onByte }: HexRowProps) {
  const cells = [];
  const ascii = [];
  for (let k = 0; k < HEX_ROW_BYTES; k++) {
    const at = rowOffset + k;
    const b = byteAt(at);
    const cls = b === undefined ? 'byte empty' : `byte ${classOf(at)}`;
    cells.push(
      <span
        key={k}
        className={`${cls}${k === 8 ? ' gap' : ''}`}
        data-offset={b === undefined ? undefined : at}
        onClick={b === undefined ? undefined : () => onByte(at)}
      >
        {b === undefined ? '  ' : hexByte(b)}
      </span>,
    );
    const printable = b !== undefined && isPrintableAscii(b);
    ascii.push(
      <span
        key={k}
        className={`${cls}${printable ? '' : ' dot'}`}
        onClick={b === undefined ? undefined : () => onByte(at)}
      >
        {b === undefined ? ' ' : printable ? String.fromCharCode(b) : '.'}
      </span>,
    );
  }
  return (
    <div className="hex-row">
      <span className="hex-offset">{hexOffset(rowOffset)}</span>
      <span className="hex-bytes">{cells}</span>
      <span className="hex-ascii">|{ascii}|</span>
    </div>
  );
}
