/** Telling TLV from text (tlv-log-format.md 1.2) and choosing the byte order (1.3). */
import { readU16, readU32 } from './bytes.ts';
import { detectByteOrder, TLV_HEADER_SIZE, TYPE_END, TYPE_STRING } from './tlv.ts';
import type { ByteOrder, LogFormat } from './types.ts';

export interface FormatChoice {
  format: LogFormat | null;
  /** Why: shown to the user beside the choice. */
  reason: string;
}

export function detectFormat(bytes: Uint8Array): FormatChoice {
  return classifyStart(bytes.subarray(0, TLV_HEADER_SIZE), bytes.length, true) as FormatChoice;
}

/**
 * The format from the buffer's first bytes, as they arrive: `head` holds the
 * first (up to 6) bytes of `received` so far. Null while undecided: the first
 * header names STRING or END but its contents have not all arrived, or fewer
 * than 6 bytes have. `final`: nothing more will arrive.
 */
export function classifyStart(head: Uint8Array, received: number, final: boolean): FormatChoice | null {
  if (received === 0) return final ? { format: null, reason: 'the buffer is empty' } : null;
  if (head.length < TLV_HEADER_SIZE) return final ? TEXT : null;
  let mayBeTlv = false;
  for (const littleEndian of [true, false]) {
    const type = readU16(head, 0, littleEndian);
    if (type !== TYPE_STRING && type !== TYPE_END) continue;
    if (TLV_HEADER_SIZE + readU32(head, 2, littleEndian) <= received) {
      return { format: 'tlv', reason: 'detected: it starts with a STRING or END header' };
    }
    mayBeTlv = true;
  }
  return mayBeTlv && !final ? null : TEXT;
}

const TEXT: FormatChoice = { format: 'text', reason: 'detected: it does not start with a TLV header' };

export interface ByteOrderChoice {
  byteOrder: ByteOrder;
  reason: string;
}

export function chooseByteOrder(bytes: Uint8Array, override?: ByteOrder): ByteOrderChoice {
  if (override) return { byteOrder: override, reason: 'chosen by the user' };
  return {
    byteOrder: detectByteOrder(bytes),
    reason: 'detected',
  };
}
