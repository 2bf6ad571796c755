/** Text on its way to the page, cut to what a row can show (LINE_TEXT_BYTES, protocol.ts). */
import {
  type DecodedLog,
  decodeUtf8,
  type JoinedLines,
  joinedLineText,
  type TlvIndex,
} from '../core/index.ts';
import { LINE_TEXT_BYTES } from './protocol.ts';

/** `text`, cut after LINE_TEXT_BYTES characters with an ellipsis. */
export function clipText(text: string): string {
  return text.length > LINE_TEXT_BYTES ? `${text.slice(0, LINE_TEXT_BYTES)}…` : text;
}

/**
 * Line `line` of the log as the page shows it (a text log's line, a TLV log's
 * joined line): only its first LINE_TEXT_BYTES bytes are decoded, so a 1 GiB
 * line costs what a short one does.
 */
export function shownLineText(log: DecodedLog, joined: JoinedLines | null, line: number): string {
  if (joined) return joinedLineText(log.bytes, log.index as TlvIndex, joined, line, LINE_TEXT_BYTES);
  const [start, end] = log.contentRange(line);
  const text = decodeUtf8(log.bytes, start, Math.min(end, start + LINE_TEXT_BYTES));
  return end - start > LINE_TEXT_BYTES ? `${text}…` : text;
}
