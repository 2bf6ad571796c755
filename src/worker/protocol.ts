/**
 * Messages between the page and the log worker. The worker owns the bytes
 * and the index; the page asks for windows of rows, filter results and byte
 * ranges, and never holds per-record objects for a whole log.
 */
import type {
  ByteOrder,
  Diagnostic,
  LinkLengthClass,
  LogFormat,
  TrailingSpace,
  TruncationVerdict,
  TypeColumns,
  VerifierOutcome,
  ViewState,
} from '../core/index.ts';
import type { LineKindName } from '../core/verifier/kinds.ts';
import type {
  DefChain,
  InsnRow,
  InsnSort,
  LogLineRow,
  SourceFileView,
  SourceRef,
  StateView,
  VerdictView,
} from '../core/verifier/view.ts';
import type { RecentEntry } from './recent.ts';

export type { RecentEntry };

export interface OpenOptions {
  format?: LogFormat;
  byteOrder?: ByteOrder;
}

export interface LogSummary {
  name: string;
  size: number;
  compressedSize: number | null;
  format: LogFormat | null;
  formatReason: string;
  byteOrder: ByteOrder | null;
  byteOrderReason: string | null;
  recordCount: number;
  /** TLV: records per type, as two columns (a log may hold all 65,536 types). Text: null. */
  typeCounts: TypeColumns | null;
  end: { index: number; offset: number; count: number | null; wellFormed: boolean } | null;
  trailing: TrailingSpace | null;
  truncation: TruncationVerdict;
  diagnostics: Diagnostic[];
  /** Text logs: their lines. TLV: null, since joining fragments takes a pass over every record; ask with 'lineCount'. */
  lineCount: number | null;
  /** The verifier's closing summary and its complaint, read from the log's last lines. */
  outcome: VerifierOutcome;
  /** Milliseconds spent in the worker: decompressing, indexing (a streamed open: reading, to the first rows and to the end). */
  timings: { gunzip: number; index: number; firstRows?: number | null };
  /**
   * Set while the log is still arriving (a streamed open): the summary is
   * provisional (records so far; no truncation verdict, END count or
   * diagnostics yet). Bytes read of the source, and its size when known.
   */
  loading?: { bytesRead: number; total: number | null } | null;
  /** Bytes of the one-char-per-byte copy of the text that search builds in the worker after the open. */
  searchCopyBytes?: number;
  /** True: that copy is built right after the open; false: none is built (a log past 256 MB: search reads the bytes). */
  searchCopyEager?: boolean;
}

/** What regex searches take: said in the UI beside the regex toggle. */
export const REGEX_SYNTAX_NOTE = 'RE2 syntax (as in Go and grep -E): no backreferences, no lookaround';

export interface ViewFilter {
  /** Types shown; null = all. Ignored for text logs. */
  types: number[] | null;
  query: string;
  regex: boolean;
  /** Verifier line kinds shown (text lines, or TLV records via their joined line); null or absent = all. */
  kinds?: LineKindName[] | null;
  /** Only this program's lines (index into the verdict's programs); null or absent = all. */
  program?: number | null;
}

export type SortColumn = 'index' | 'offset' | 'type' | 'length';
export interface SortSpec {
  column: SortColumn;
  desc: boolean;
}

export interface ViewResult {
  total: number;
  /** A regex that does not compile: the view then ignores the query. */
  error: string | null;
}

export interface RowData {
  index: number;
  offset: number;
  type: number | null;
  length: number;
  /** One-line preview: text for STRING and text lines, hex otherwise. */
  preview: string;
  isText: boolean;
  /** The verifier's reading of the row's line (text lines, TLV STRING records via their joined line), once the model is built. */
  verifier?: LogLineRow;
}

export interface RecordDetail {
  index: number;
  offset: number;
  type: number | null;
  length: number;
  /** [start, end) of the header (TLV only). */
  header: [number, number] | null;
  /** [start, end) of the contents. */
  contents: [number, number];
  text: string | null;
  /** Bytes of the text left out of `text` (a record past RECORD_TEXT_BYTES); 0 when it is whole. */
  textCut: number;
  /** TLV STRING whose last content byte is a NUL (dropped from the text). */
  nulTerminated: boolean;
  /** END's count (TLV END only). */
  endCount: number | null;
  /** Joined line this record belongs to, or -1. */
  line: number;
}

/**
 * Text sent to the page is cut: a 5 MB line costs the page seconds of layout,
 * and a 1 GiB one is past V8's longest string. Log rows and the Text tab's
 * lines get LINE_TEXT_BYTES, the record pane RECORD_TEXT_BYTES; the hex views
 * show every byte.
 */
export const LINE_TEXT_BYTES = 4096;
export const RECORD_TEXT_BYTES = 16 << 10;

export interface LineData {
  line: number;
  text: string;
  firstRecord: number;
  endRecord: number;
}

export interface HexPage {
  start: number;
  bytes: Uint8Array;
  /** Records overlapping the page: header bytes are [offset, contentStart), contents [contentStart, end). */
  records: { index: number; offset: number; contentStart: number; end: number }[];
}

/** What a share link carries: the whole buffer, its hash only, or an excerpt of records. */
export type ShareMode = 'full' | 'hash' | 'excerpt-view' | 'excerpt-selected';

export interface ShareResult {
  link: string;
  length: number;
  lengthClass: LinkLengthClass;
  /** An excerpt's note ("Excerpt: 12 of 5,231 records …"), else null. */
  note: string | null;
}

/** What opening the page's own URL found in it. */
export type LinkOpenResult =
  | { kind: 'view'; view: ViewState }
  | { kind: 'payload'; view: ViewState; note: string | null; summary: LogSummary }
  | { kind: 'hash'; view: ViewState; sha256: string; length: number; summary: LogSummary | null }
  | { kind: 'error'; error: string };

/** Test-only faults, honoured only when the page runs with `?test-hooks`: the e2e tests kill the worker with them. */
export type TestFault = 'throw' | 'hang';

/**
 * Every request kind: its parameters and its reply. `Request<K>` and
 * `Reply<K>` are derived from this one table, so a handler that answers a
 * kind with the wrong type does not compile. A new kind (a verifier view, a
 * streamed open) is one more line here and one more case in worker.ts.
 */
export interface Protocol {
  /** Opens a log the page holds as a Blob (a File, pasted text): the worker reads it, the page keeps the reference. */
  open: {
    params: { source: Blob; name: string; options: OpenOptions; remember: boolean };
    reply: LogSummary;
  };
  /** `?src=` and samples: the worker downloads the body as a stream, refusing past `maxBytes`. */
  openUrl: {
    params: { url: string; name: string; options: OpenOptions; remember: boolean; maxBytes: number };
    reply: LogSummary;
  };
  openLink: { params: { href: string; remember: boolean }; reply: LinkOpenResult };
  /** A recent log, refused when its bytes no longer hash to `sha256`. */
  openRecent: { params: { sha256: string; options: OpenOptions }; reply: LogSummary };
  /** The open log's hash; `remembered` once it is stored in this browser's recent logs. */
  identity: { params: Record<never, never>; reply: { sha256: string; length: number; remembered: boolean } };
  share: {
    params: { view: ViewState; base: string; mode: ShareMode; records: number[] | null };
    reply: ShareResult;
  };
  recent: { params: Record<never, never>; reply: RecentEntry[] };
  forgetRecent: { params: Record<never, never>; reply: null };
  reopen: { params: { options: OpenOptions }; reply: LogSummary };
  view: { params: { filter: ViewFilter; sort: SortSpec | null }; reply: ViewResult };
  rows: { params: { start: number; count: number }; reply: RowData[] };
  position: { params: { index: number }; reply: number };
  record: { params: { index: number }; reply: RecordDetail | null };
  bytes: { params: { start: number; end: number }; reply: Uint8Array };
  recordAt: { params: { offset: number }; reply: number };
  lines: { params: { start: number; count: number }; reply: LineData[] };
  lineCount: { params: Record<never, never>; reply: number };
  hexPage: { params: { start: number; end: number }; reply: HexPage };
  original: { params: Record<never, never>; reply: Uint8Array };
  testFault: { params: { fault: TestFault }; reply: null };

  // ---- the verifier's reading of the open log (each waits for the model, built once after the index) ----
  /**
   * null when the log holds no verifier output. `program` null (here and in the instruction,
   * source and pc requests) = the default program (first rejected, else first); for `kindCounts`,
   * as for the `view` filter, null = the whole file.
   */
  verdict: { params: { program: number | null }; reply: VerdictView | null };
  kindCounts: { params: { program: number | null }; reply: Partial<Record<LineKindName, number>> };
  insnCount: { params: { program: number | null }; reply: { count: number; maxVisits: number } };
  /** A window of instruction rows; sort 'visits' = descending visits, ties by pc. */
  insnRows: {
    params: { program: number | null; start: number; count: number; sort: InsnSort };
    reply: InsnRow[];
  };
  /** Row index of `pc` in that sort, -1 if none. */
  insnPosition: { params: { program: number | null; pc: number; sort: InsnSort }; reply: number };
  /**
   * step 0: the visit at or after `line` (the last one when none is after it; the first when `line`
   * is null); ±1: the next/previous visit from `line` (null past either end; from null: first/last).
   */
  visitStep: {
    params: { program: number | null; pc: number; line: number | null; step: -1 | 0 | 1 };
    reply: { line: number; record: number; index: number; count: number } | null;
  };
  lineOfRecord: {
    params: { record: number };
    reply: { line: number; pc: number | null; program: number | null } | null;
  };
  recordOfLine: { params: { line: number }; reply: number };
  /** Registers and stack in force at a line, with `changed` and the diff vs the previous visit of the same pc. */
  stateAt: { params: { line: number }; reply: StateView | null };
  /** operand: `r1`, `w1`, `fp-8`. */
  defChain: { params: { line: number; operand: string }; reply: DefChain | null };
  source: { params: { program: number | null }; reply: SourceFileView[] };
  /** The `; … @ file:line` source line in force at a log line. */
  sourceLineOf: { params: { line: number }; reply: SourceRef | null };
  /** A pc's first visit (for `#pc=` deep links). */
  pcLine: { params: { program: number | null; pc: number }; reply: { line: number; record: number } | null };
}

export type RequestKind = keyof Protocol;
export type Request<K extends RequestKind = RequestKind> = K extends RequestKind
  ? { kind: K } & Protocol[K]['params']
  : never;
export type Reply<K extends RequestKind> = Protocol[K]['reply'];

/** Kinds that replace the open log: each takes a new generation, and the worker keeps only the newest. */
export const OPENING_KINDS = ['open', 'openUrl', 'openLink', 'openRecent'] as const satisfies RequestKind[];
/** Kinds that do not concern the open log: answered whatever the generation. */
export const GLOBAL_KINDS = ['recent', 'forgetRecent', 'testFault'] as const satisfies RequestKind[];

export const isOpening = (kind: RequestKind) => (OPENING_KINDS as readonly RequestKind[]).includes(kind);
export const isGlobal = (kind: RequestKind) => (GLOBAL_KINDS as readonly RequestKind[]).includes(kind);

/** Page to worker. `generation` is the log the request is about: the worker drops it if that log is gone. */
export type ToWorker =
  | { type: 'request'; id: number; generation: number; request: Request }
  | { type: 'cancel'; id: number };

/** Why a request ended without a value. */
export type FailureReason = 'error' | 'cancelled' | 'stale';

/** Worker to page: a reply, or progress of a long job (also the worker's heartbeat). */
export type FromWorker =
  | { type: 'reply'; id: number; generation: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; generation: number; ok: false; reason: FailureReason; error: string }
  | {
      type: 'progress';
      id: number;
      done: number;
      total: number | null;
      label: string;
      /** A streamed open: the log so far, shown while the rest arrives. */
      partial?: LogSummary;
    };
