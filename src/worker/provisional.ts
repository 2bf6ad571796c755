/**
 * A DecodedLog over what a LogStream has so far: the records complete so far
 * (their offsets and bytes are final), no diagnostics, and a verdict that
 * says it waits for the whole log. Built on every progress tick; the columns
 * are views of the indexer's arrays, not copies.
 */
import { DecodedLog, type IndexedLog, type LogStream, type TruncationVerdict } from '../core/index.ts';
import type { OpenOptions } from './protocol.ts';

export const WAITING_VERDICT: TruncationVerdict = {
  truncated: false,
  dropped: null,
  saturated: false,
  mode: null,
  rewound: false,
  message: 'Still reading: whether the log was truncated is known once its last byte has arrived.',
};

/** Null while the format is undecided (the first TLV header's contents have not all arrived). */
export function provisionalLog(stream: LogStream, options: OpenOptions): DecodedLog | null {
  const progress = stream.progress();
  const bytes = stream.bytes();
  let indexed: IndexedLog;
  if (progress.text) {
    const { completeLines, lineStarts, terminator } = progress.text;
    // The text so far ends where the line still arriving starts (after the last newline), or at the NUL.
    const open = completeLines < lineStarts.length;
    const textLength = open ? lineStarts[completeLines] : (terminator ?? bytes.length);
    indexed = {
      format: 'text',
      formatReason: 'detected: it does not start with a TLV header',
      byteOrder: null,
      byteOrderReason: null,
      index: {
        format: 'text',
        size: bytes.length,
        textLength,
        terminator,
        lineStarts,
        lineCount: completeLines,
        endsWithNewline: open || (textLength > 0 && bytes[textLength - 1] === 0x0a),
        trailing: null,
        truncation: WAITING_VERDICT,
        diagnostics: [],
      },
      truncation: WAITING_VERDICT,
      diagnostics: [],
    };
  } else if (progress.tlv && progress.byteOrder) {
    const tlv = progress.tlv;
    indexed = {
      format: 'tlv',
      formatReason: 'detected: it starts with a TLV header',
      byteOrder: progress.byteOrder,
      byteOrderReason: progress.byteOrderFinal
        ? 'detected'
        : 'provisional: the start reads well in both byte orders; decided once the whole log has arrived',
      index: {
        format: 'tlv',
        byteOrder: progress.byteOrder,
        size: bytes.length,
        count: tlv.count,
        offsets: tlv.offsets,
        types: tlv.types,
        lengths: tlv.lengths,
        end: tlv.end,
        trailing: null,
        nulTerminatedStrings: 0,
        diagnostics: [],
      },
      truncation: WAITING_VERDICT,
      diagnostics: [],
    };
  } else return null;
  return new DecodedLog(bytes, options, [], indexed);
}
