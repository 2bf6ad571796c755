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
  VerifierOutcome,
  ViewState,
} from '../core/index.ts';
import type { RecentEntry } from './recent.ts';

export type { RecentEntry };

export interface OpenOptions {
  format?: LogFormat;
  byteOrder?: ByteOrder;
}

export interface TypeCount {
  type: number;
  count: number;
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
  /** TLV: records per type. Text: null. */
  typeCounts: TypeCount[] | null;
  end: { index: number; offset: number; count: number | null; wellFormed: boolean } | null;
  trailing: TrailingSpace | null;
  truncation: TruncationVerdict;
  diagnostics: Diagnostic[];
  /** Text logs: their lines. TLV: null, since joining fragments takes a pass over every record; ask with 'lineCount'. */
  lineCount: number | null;
  /** The verifier's closing summary and its complaint, read from the log's last lines. */
  outcome: VerifierOutcome;
  /** Milliseconds spent in the worker: decompressing, indexing. */
  timings: { gunzip: number; index: number };
}

export interface ViewFilter {
  /** Types shown; null = all. Ignored for text logs. */
  types: number[] | null;
  query: string;
  regex: boolean;
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
  /** TLV STRING whose last content byte is a NUL (dropped from the text). */
  nulTerminated: boolean;
  /** END's count (TLV END only). */
  endCount: number | null;
  /** Joined line this record belongs to, or -1. */
  line: number;
}

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

export type Request =
  | { kind: 'open'; buffer: ArrayBuffer; name: string; options: OpenOptions; remember: boolean }
  | { kind: 'openLink'; href: string; remember: boolean }
  | { kind: 'identity' }
  | { kind: 'share'; view: ViewState; base: string; mode: ShareMode; records: number[] | null }
  | { kind: 'recent' }
  | { kind: 'openRecent'; sha256: string; options: OpenOptions }
  | { kind: 'forgetRecent' }
  | { kind: 'reopen'; options: OpenOptions }
  | { kind: 'view'; filter: ViewFilter; sort: SortSpec | null }
  | { kind: 'rows'; start: number; count: number }
  | { kind: 'position'; index: number }
  | { kind: 'record'; index: number }
  | { kind: 'bytes'; start: number; end: number }
  | { kind: 'recordAt'; offset: number }
  | { kind: 'lines'; start: number; count: number }
  | { kind: 'lineCount' }
  | { kind: 'hexPage'; start: number; end: number }
  | { kind: 'original' };

export interface ResponseMap {
  open: LogSummary;
  openLink: LinkOpenResult;
  identity: { sha256: string; length: number };
  share: ShareResult;
  recent: RecentEntry[];
  openRecent: LogSummary | null;
  forgetRecent: null;
  reopen: LogSummary;
  view: ViewResult;
  rows: RowData[];
  position: number;
  record: RecordDetail | null;
  bytes: Uint8Array;
  recordAt: number;
  lines: LineData[];
  lineCount: number;
  hexPage: HexPage;
  original: Uint8Array;
}

export type RequestOf<K extends Request['kind']> = Extract<Request, { kind: K }>;

export interface RequestEnvelope {
  id: number;
  request: Request;
}

export type ResponseEnvelope =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string };
