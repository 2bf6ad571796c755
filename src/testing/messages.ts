/** Test helper: a STRING message for the TLV encoder. */
import type { TlvMessage } from '../core/encode.ts';
import { TYPE_STRING } from '../core/tlv.ts';

const utf8 = new TextEncoder();

export function stringMessage(text: string): TlvMessage {
  return { type: TYPE_STRING, contents: utf8.encode(text) };
}
