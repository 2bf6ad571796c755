/**
 * Writes TLV buffers the way the proposal's kernel would: messages one after
 * another, the last 8 bytes kept for END, a message that does not fit dropped
 * whole and counted. The inverse of walkTlv; used by tests, samples and benches.
 */
import { END_COUNT_SATURATED, TLV_END_RESERVE, TLV_HEADER_SIZE, TYPE_END } from './tlv.ts';
import type { ByteOrder } from './types.ts';

export interface TlvMessage {
  type: number;
  contents: Uint8Array;
}

export interface EncodeOptions {
  byteOrder?: ByteOrder;
  /** The user's log_size. Omitted: exactly large enough for every message and END. */
  logSize?: number;
  /** Write no END (a buffer cut short, or not written in TLV mode). */
  omitEnd?: boolean;
}

export interface EncodedTlv {
  bytes: Uint8Array<ArrayBuffer>;
  /** Messages written, in order (indices into the input). */
  kept: number[];
  dropped: number;
  endOffset: number | null;
}

function writeHeader(view: DataView, offset: number, type: number, len: number, le: boolean): void {
  view.setUint16(offset, type, le);
  view.setUint32(offset + 2, len, le);
}

export function encodeTlv(messages: readonly TlvMessage[], options: EncodeOptions = {}): EncodedTlv {
  const le = (options.byteOrder ?? 'little') === 'little';
  const endSize = options.omitEnd ? 0 : TLV_END_RESERVE;
  let logSize = options.logSize;
  if (logSize === undefined) {
    logSize = endSize;
    for (const m of messages) logSize += TLV_HEADER_SIZE + m.contents.length;
  }
  if (!Number.isInteger(logSize) || logSize < endSize) {
    throw new RangeError(`log size ${logSize} is smaller than the ${endSize} bytes END needs`);
  }
  const bytes = new Uint8Array(logSize);
  const view = new DataView(bytes.buffer);
  const room = logSize - endSize;
  const kept: number[] = [];
  let used = 0;
  let dropped = 0;
  messages.forEach((m, i) => {
    if (m.type < 0 || m.type > 0xffff || m.type === TYPE_END)
      throw new RangeError(`message ${i}: bad type ${m.type}`);
    const need = TLV_HEADER_SIZE + m.contents.length;
    if (used + need > room) {
      dropped++;
      return;
    }
    writeHeader(view, used, m.type, m.contents.length, le);
    bytes.set(m.contents, used + TLV_HEADER_SIZE);
    used += need;
    kept.push(i);
  });
  let endOffset: number | null = null;
  if (!options.omitEnd) {
    endOffset = used;
    writeHeader(view, used, TYPE_END, 2, le);
    view.setUint16(used + TLV_HEADER_SIZE, Math.min(dropped, END_COUNT_SATURATED), le);
  }
  return { bytes, kept, dropped, endOffset };
}
