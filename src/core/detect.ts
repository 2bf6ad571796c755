/** Telling TLV from text (tlv-log-format.md 1.2) and choosing the byte order (1.3). */
import { detectByteOrder, firstHeaderLooksTlv } from './tlv.ts';
import type { ByteOrder, LogFormat } from './types.ts';

export interface FormatChoice {
  format: LogFormat | null;
  /** Why: shown to the user beside the choice. */
  reason: string;
}

export function detectFormat(bytes: Uint8Array): FormatChoice {
  if (bytes.length === 0) return { format: null, reason: 'the buffer is empty' };
  const le = firstHeaderLooksTlv(bytes, true);
  const be = firstHeaderLooksTlv(bytes, false);
  if (le || be) {
    return { format: 'tlv', reason: 'detected: it starts with a STRING or END header' };
  }
  return { format: 'text', reason: 'detected: it does not start with a TLV header' };
}

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
