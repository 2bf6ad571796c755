/**
 * What `bpflog inspect` prints, as strings: a human summary, and the JSON
 * object, streamed in chunks so that a million-record log never becomes one
 * giant string. No Node APIs here, so the page could reuse it.
 */
import {
  type ByteOrder,
  countTypes,
  type DecodedLog,
  type Diagnostic,
  formatCount,
  formatOffset,
  type LogFormat,
  logTail,
  type TailLine,
  type TextIndex,
  type TlvIndex,
  type TrailingSpace,
  type TruncationVerdict,
  type TypeMap,
  typeLabel,
  type VerifierModel,
  type VerifierProgram,
  verifierOutcome,
} from '../core/index.ts';
import { verifierJson, verifierSummaryLines } from './verifier.ts';

/** The verifier model and the program the report is about. */
export interface VerifierView {
  model: VerifierModel;
  program: VerifierProgram;
}

const n = formatCount;

/**
 * Log text as it may be printed to a terminal: control characters (an ESC
 * sequence in a hostile or binary "log" could rewrite the screen) become
 * \xNN escapes; tabs stay.
 */
export function terminalSafe(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 9 || (c > 0x1f && c < 0x7f) || c > 0x9f) continue;
    out += `${text.slice(from, i)}\\x${c.toString(16).padStart(2, '0')}`;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** What the summary and the JSON head and tail say about a log: from a DecodedLog, or a streamed summary that kept no bytes. */
export interface LogFacts {
  size: number;
  format: LogFormat | null;
  formatReason: string;
  byteOrder: ByteOrder | null;
  byteOrderReason: string | null;
  index: TlvIndex | TextIndex | null;
  recordCount: number;
  /** The log's last lines, for the verifier's outcome. */
  tail: TailLine[];
  trailing: TrailingSpace | null;
  end: { offset: number; count: number | null } | null;
  truncation: TruncationVerdict;
  diagnostics: Diagnostic[];
}

export function factsOf(log: DecodedLog): LogFacts {
  const { size, format, formatReason, byteOrder, byteOrderReason, index, recordCount, trailing, end } = log;
  const { truncation, diagnostics } = log;
  return {
    ...{ size, format, formatReason, byteOrder, byteOrderReason, index, recordCount, trailing, end },
    ...{ truncation, diagnostics, tail: logTail(log) },
  };
}

export function summaryText(
  name: string,
  log: LogFacts,
  compressedSize: number | null,
  types: TypeMap,
  verifier: VerifierView | null,
): string {
  const out: string[] = [];
  const sizeText =
    compressedSize === null
      ? `${n(log.size)} bytes`
      : `${n(compressedSize)} bytes gzipped, ${n(log.size)} bytes decompressed`;
  out.push(`${name}: ${sizeText}`);
  if (log.format === null) {
    out.push('format: none (the buffer is empty)');
  } else if (log.format === 'tlv') {
    const index = log.index as TlvIndex;
    out.push(
      `format: TLV, ${log.byteOrder}-endian (${log.formatReason}; byte order: ${log.byteOrderReason})`,
    );
    out.push(`records: ${n(index.count)}`);
    for (const { type, count } of countTypes(index))
      out.push(`  ${terminalSafe(typeLabel(types, type)).padEnd(24)} ${n(count)}`);
    out.push(
      index.end
        ? `END: at ${formatOffset(index.end.offset)} (record ${n(index.end.index)}), count ${index.end.count ?? 'unreadable'}${index.end.wellFormed ? '' : ' (malformed)'}`
        : 'END: none',
    );
  } else {
    const index = log.index as TextIndex;
    out.push(`format: text (${log.formatReason})`);
    out.push(
      `lines: ${n(index.lineCount)} in ${n(index.textLength)} bytes of text, ${index.terminator === null ? 'no terminating NUL' : `NUL at ${formatOffset(index.terminator)}`}`,
    );
  }
  if (verifier) {
    for (const line of verifierSummaryLines(verifier.model, verifier.program)) out.push(terminalSafe(line));
  } else {
    // --no-verifier: the complaint read from the last lines only.
    const outcome = verifierOutcome(log.tail);
    if (outcome.summary)
      out.push(`verifier: processed ${n(outcome.summary.insns)} insns (limit ${n(outcome.summary.limit)})`);
    if (outcome.error) {
      out.push(`verifier error (record ${n(outcome.error.record)}):`);
      for (const line of outcome.error.lines) out.push(`  ${terminalSafe(line)}`);
    }
  }
  const t = log.trailing;
  if (t) {
    out.push(
      `trailing: ${n(t.length)} bytes at ${formatOffset(t.offset)}, ${t.allZero ? 'all zero' : 'not all zero'} (not part of the log)`,
    );
  }
  out.push(`truncated: ${log.truncation.truncated ? 'yes' : 'no'} (${log.truncation.message})`);
  if (log.diagnostics.length === 0) out.push('diagnostics: none');
  else {
    out.push('diagnostics:');
    for (const d of log.diagnostics)
      out.push(`  ${d.severity.padEnd(7)} ${d.code} at ${formatOffset(d.offset)}: ${d.message}`);
  }
  return `${out.join('\n')}\n`;
}

/** The JSON object's fields other than `records`, in the documented order. */
function head(log: LogFacts, types: TypeMap) {
  const index = log.index;
  return {
    format: log.format,
    byteOrder: log.format === 'tlv' ? log.byteOrder : null,
    size: log.size,
    recordCount: log.recordCount,
    types:
      index?.format === 'tlv'
        ? countTypes(index).map(({ type, count }) => ({
            type,
            name: typeLabel(types, type).replace(/ \(\d+\)$/, ''),
            count,
          }))
        : null,
  };
}

function tail(log: LogFacts, verifier: VerifierView | null) {
  const { truncated, dropped, saturated, mode, rewound, message } = log.truncation;
  return {
    verifier: verifier ? verifierJson(verifier.model, verifier.program) : null,
    end: log.end,
    truncation: { truncated, dropped, mode, saturated, rewound, message },
    trailing: log.trailing,
    diagnostics: log.diagnostics.map(({ code, severity, offset, message: m }) => ({
      code,
      severity,
      offset,
      message: m,
    })),
  };
}

/**
 * The JSON report in chunks of about `chunkSize` characters. Concatenated,
 * the chunks are one JSON object.
 */
export function* jsonReport(
  facts: LogFacts,
  types: TypeMap,
  verifier: VerifierView | null,
  options: { records: DecodedLog | null; chunkSize?: number },
): Generator<string> {
  const chunkSize = options.chunkSize ?? 1 << 20;
  const first = JSON.stringify(head(facts, types));
  const last = JSON.stringify(tail(facts, verifier));
  const log = options.records;
  if (!log) {
    yield `${first.slice(0, -1)},${last.slice(1)}\n`;
    return;
  }
  let chunk = `${first.slice(0, -1)},"records":[`;
  const count = log.recordCount;
  for (let i = 0; i < count; i++) {
    const type = log.recordType(i);
    chunk += `${i === 0 ? '' : ','}{"index":${i},"offset":${log.recordOffset(i)},"type":${type},"length":${log.recordLength(i)},"text":${JSON.stringify(log.recordText(i))}}`;
    if (chunk.length >= chunkSize) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}],${last.slice(1)}\n`;
}
