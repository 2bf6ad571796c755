/**
 * One opened log, as the worker holds it: the bytes, the decoded index, the
 * current view (filtered and sorted record numbers) and lazily built helpers
 * (joined lines, a one-char-per-byte copy for searching). Pure logic, tested
 * in Node; worker.ts only routes messages here.
 */
import {
  buildExcerpt,
  buildHashLink,
  buildShareLink,
  type DecodedLog,
  type Diagnostic,
  decodeLog,
  gunzip,
  hexPreview,
  isGzip,
  type JoinedLines,
  joinTlvLines,
  lineOfRecord,
  logTail,
  NO_LINE,
  sha256Steps,
  type TextIndex,
  TLV_HEADER_SIZE,
  type TlvIndex,
  TYPE_END,
  TYPE_STRING,
  type TypeColumns,
  tallyTypes,
  typeColumns,
  type ViewState,
  verifierOutcome,
} from '../core/index.ts';
import { LineKind } from '../core/verifier/kinds.ts';
import { verifierModelSteps } from '../core/verifier/model.ts';
import { Cancelled, detachedJob, type Job, runInSlices, yieldToEventLoop } from './job.ts';
import {
  type HexPage,
  type LineData,
  type LogSummary,
  type OpenOptions,
  RECORD_TEXT_BYTES,
  type RecordDetail,
  type RowData,
  type ShareMode,
  type ShareResult,
  type SortSpec,
  type ViewFilter,
  type ViewResult,
} from './protocol.ts';
import { compilePattern } from './regex.ts';
import { shownLineText } from './shownText.ts';
import { VerifierSession } from './verifier.ts';

const PREVIEW_CHARS = 240;
const SEARCH_CHUNK_BYTES = 2 << 20;
/**
 * Past this, no search copy (one char per byte: as big as the text) is
 * built: searches read the bytes, so a 1 GiB log costs the log and its
 * index only (LogSession.searchCopyMaxBytes; tests lower it).
 */
export const EAGER_SEARCH_COPY_BYTES = 256 << 20;

/** A slice of the log decoded one char per byte: a match's position is its byte offset. */
interface SearchChunk {
  start: number;
  end: number;
  text: string;
}
const utf8 = new TextDecoder('utf-8');
// One char per byte, so a match position in the string is a byte offset.
const bytewise = new TextDecoder('latin1');

/**
 * A view TextDecoder and crypto.subtle accept: Chromium refuses views of a
 * resizable buffer (where a streamed log grows), so those are copied (a
 * record's or a search slice's bytes, never the whole log at once).
 */
function plain(view: Uint8Array): Uint8Array<ArrayBuffer> {
  return (view.buffer as { resizable?: boolean }).resizable
    ? view.slice()
    : (view as Uint8Array<ArrayBuffer>);
}

/** A log still arriving: how much of it has. */
export interface Loading {
  bytesRead: number;
  total: number | null;
}

function now(): number {
  return performance.now();
}

/** Index of the last value <= x in an ascending array, or -1. */
function floorIndex(values: Uint32Array, count: number, x: number): number {
  let lo = 0;
  let hi = count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export class LogSession {
  private view: Uint32Array | null = null;
  private joined: JoinedLines | null = null;
  private searchChunks: SearchChunk[] = [];
  /** Settles once the search copy built after the open is whole (or its build stopped). */
  private searchPrepared: Promise<void> = Promise.resolve();
  private typeCountCache: TypeColumns | null = null;

  private digest: Promise<string> | null = null;
  /** The verifier's reading of this log: built once, after the index (see startVerifier). */
  private verifierBuild: Promise<VerifierSession> | null = null;
  private verifierReady: VerifierSession | null = null;
  /** Set while the log is still arriving (a streamed open): the log is provisional. */
  private loadingState: Loading | null = null;
  private whole: Promise<void> = Promise.resolve();
  private markWhole: () => void = () => {};

  private constructor(
    readonly name: string,
    /** The bytes as the user gave them (gzip stays gzip), or the File they are in: what "recent logs" stores. */
    public input: Uint8Array | Blob,
    private log: DecodedLog,
    private compressedSize: number | null,
    private loadDiagnostics: Diagnostic[],
    private timings: { gunzip: number; index: number; firstRows?: number | null },
  ) {}

  /** A log whose first records have arrived; `grow` gives it more, `complete` the whole. */
  static streaming(name: string, input: Blob | null, log: DecodedLog, loading: Loading): LogSession {
    const session = new LogSession(name, input ?? log.bytes, log, null, [], { gunzip: 0, index: 0 });
    session.loadingState = loading;
    session.whole = new Promise((resolve) => {
      session.markWhole = resolve;
    });
    return session;
  }

  get loading(): Loading | null {
    return this.loadingState;
  }

  /** More of a streamed log: records only append, so views and search slices stay valid. */
  grow(log: DecodedLog, loading: Loading): void {
    this.log = log;
    this.loadingState = loading;
    this.typeCountCache = null;
    this.joined = null;
  }

  /** The whole log has arrived: final verdict, END, byte order. What waited for it goes on. */
  complete(
    log: DecodedLog,
    compressedSize: number | null,
    loadDiagnostics: Diagnostic[],
    timings: { gunzip: number; index: number; firstRows: number | null },
  ): void {
    const before = this.log;
    this.log = log;
    this.compressedSize = compressedSize;
    this.loadDiagnostics = loadDiagnostics;
    this.timings = timings;
    this.loadingState = null;
    this.tally = null;
    this.typeCountCache = null;
    this.joined = null;
    if (!(this.input instanceof Blob)) this.input = log.bytes;
    // A TLV start that read well both ways may have been walked in the other order: record numbers changed.
    if (
      before.format !== log.format ||
      before.byteOrder !== log.byteOrder ||
      before.bytes.buffer !== log.bytes.buffer
    ) {
      this.view = null;
      this.searchChunks = [];
    }
    this.markWhole();
  }

  /** `job` is checked between inflating and indexing: an open replaced meanwhile skips the index. */
  static async open(
    input: Uint8Array,
    name: string,
    options: OpenOptions = {},
    job: Job = detachedJob(),
  ): Promise<LogSession> {
    let bytes = input;
    let loadDiagnostics: Diagnostic[] = [];
    let gunzipTime = 0;
    if (isGzip(input)) {
      const t0 = now();
      const result = await gunzip(input);
      bytes = result.bytes;
      loadDiagnostics = result.diagnostics;
      gunzipTime = now() - t0;
      job.check();
    }
    const t1 = now();
    const log = decodeLog(bytes, options, loadDiagnostics);
    const timings = { gunzip: gunzipTime, index: now() - t1 };
    return new LogSession(name, input, log, isGzip(input) ? input.length : null, loadDiagnostics, timings);
  }

  /** Decodes the same bytes again with the user's format or byte-order override. */
  reopen(options: OpenOptions): LogSummary {
    const t0 = now();
    this.log = decodeLog(this.log.bytes, options, this.loadDiagnostics);
    this.timings = { gunzip: this.timings.gunzip, index: now() - t0 };
    this.view = null;
    this.joined = null;
    this.searchChunks = [];
    this.typeCountCache = null;
    this.verifierBuild = null;
    this.verifierReady = null;
    return this.summary();
  }

  /**
   * The verifier model, built once per decode: after a yield (so the open's
   * reply and first rows go out first), in slices between other requests
   * (a 1 GiB log's model takes seconds; rows, counts and searches are answered
   * meanwhile). Every verifier request awaits this same promise; a build for
   * a log that was replaced stops at its next slice.
   */
  verifier(): Promise<VerifierSession> {
    if (!this.verifierBuild) {
      // It reads the whole log: a streamed one waits for its last byte.
      const build = this.whole.then(async () => {
        await yieldToEventLoop();
        const log = this.log;
        // buildMs is the build's own time: the waits between slices are other requests'.
        const { value: model, busyMs } = await runInSlices(verifierModelSteps(log), () => {
          if (this.log !== log) throw new Cancelled('a newer log replaced this one');
        });
        const session = VerifierSession.build(log, model, busyMs);
        if (this.log === log) this.verifierReady = session;
        return session;
      });
      // A build stopped for a newer log may have no one left waiting on it.
      build.catch(() => {});
      this.verifierBuild = build;
    }
    return this.verifierBuild;
  }

  /** The verifier model if already built (rows carry its reading only then), else null. */
  get verifierIfReady(): VerifierSession | null {
    return this.verifierReady;
  }

  /**
   * SHA-256 of the decoded bytes, computed once, in slices between requests:
   * what hash links and recent logs name. It waits for the verifier model and
   * the search copy, which the page uses first (71 MB: 0.4 s of hashing,
   * otherwise taken from the first search).
   */
  sha256(): Promise<string> {
    this.digest ??= this.whole
      .then(() => Promise.all([this.verifier().catch(() => undefined), this.searchPrepared]))
      .then(async () => (await runInSlices(sha256Steps(this.log.bytes))).value);
    return this.digest;
  }

  /**
   * A link to this log at `view`: the whole buffer, its hash only, or an
   * excerpt (the records given, or the current view's). An excerpt is a log
   * of its own, so the selection is renumbered into it.
   */
  async share(
    view: ViewState,
    base: string,
    mode: ShareMode,
    records: number[] | null,
  ): Promise<ShareResult> {
    const log = this.log;
    const overrides = { format: view.format, byteOrder: view.byteOrder };
    if (mode === 'full') return { ...(await buildShareLink(plain(log.bytes), { base, view })), note: null };
    if (mode === 'hash')
      return { ...(await buildHashLink(log.bytes, { base, view }, await this.sha256())), note: null };
    const chosen =
      mode === 'excerpt-selected'
        ? (records ?? (view.rec === null ? [] : [view.rec]))
        : Array.from(this.view ?? identity(log.recordCount));
    if (chosen.length === 0)
      throw new Error(mode === 'excerpt-selected' ? 'no record is selected' : 'the view is empty');
    const excerpt = buildExcerpt(log, chosen);
    const rec = view.rec === null ? -1 : excerpt.records.indexOf(view.rec);
    const excerptView: ViewState = {
      ...view,
      ...overrides,
      rec: rec < 0 ? null : rec,
      // The excerpt holds only the chosen records: the filters that chose them are done.
      types: null,
      query: '',
      regex: false,
      format: excerpt.format,
      byteOrder: excerpt.byteOrder,
    };
    const link = await buildShareLink(excerpt.bytes, { base, view: excerptView, note: excerpt.note });
    return { ...link, note: excerpt.note };
  }

  get bytes(): Uint8Array {
    return this.log.bytes;
  }

  get decoded(): DecodedLog {
    return this.log;
  }

  private get tlv(): TlvIndex | null {
    return this.log.index?.format === 'tlv' ? this.log.index : null;
  }

  typeCounts(): TypeColumns | null {
    const index = this.tlv;
    if (!index) return null;
    if (this.loadingState) {
      // While a log streams in, each tick counts only the records new since the last.
      this.tally ??= { counts: new Float64Array(0x10000), counted: 0 };
      tallyTypes(index, this.tally.counts, this.tally.counted);
      this.tally.counted = index.count;
      return typeColumns(this.tally.counts);
    }
    this.typeCountCache ??= typeColumns(tallyTypes(index));
    return this.typeCountCache;
  }

  private tally: { counts: Float64Array; counted: number } | null = null;

  summary(): LogSummary {
    const log = this.log;
    const index = this.tlv;
    return {
      name: this.name,
      size: log.size,
      compressedSize: this.compressedSize,
      format: log.format,
      formatReason: log.formatReason,
      byteOrder: log.byteOrder,
      byteOrderReason: log.byteOrderReason,
      recordCount: log.recordCount,
      typeCounts: this.typeCounts(),
      end: index?.end ? { ...index.end } : null,
      trailing: log.trailing,
      truncation: log.truncation,
      diagnostics: log.diagnostics,
      lineCount: this.tlv ? null : this.log.recordCount,
      outcome: verifierOutcome(logTail(log)),
      timings: this.timings,
      loading: this.loadingState,
      searchCopyBytes: this.searchEnd(),
      searchCopyEager: !this.searchesBytes,
    };
  }

  // ---- views: filter and sort, in the worker ----

  /**
   * Filters and sorts the records, in slices of `job` (a search over a
   * million lines yields between slices and stops when cancelled). The view
   * is replaced only when the job finishes: a cancelled one leaves the old view.
   */
  async setView(filter: ViewFilter, sort: SortSpec | null, job: Job = detachedJob()): Promise<ViewResult> {
    const log = this.log;
    const count = log.recordCount;
    const index = this.tlv;
    let error: string | null = null;
    let matches: Uint32Array | null = null; // null: every record

    const typeSet = index && filter.types ? new Set(filter.types) : null;
    if (typeSet && index) {
      const out = new Uint32Array(count);
      let n = 0;
      for (let i = 0; i < count; i++) if (typeSet.has(index.types[i])) out[n++] = i;
      matches = out.subarray(0, n);
    }
    const kinds = filter.kinds ?? null;
    const program = filter.program ?? null;
    if (kinds !== null || program !== null)
      matches = intersect(matches, this.verifierMatches(await this.verifier(), kinds, program));
    if (filter.query !== '') {
      if (filter.regex) {
        const compiled = compilePattern(filter.query);
        if (compiled.ok) matches = intersect(matches, await this.regexMatches(compiled.test, job));
        else error = compiled.error;
      } else matches = intersect(matches, await this.substringMatches(filter.query, job));
    }
    job.check();
    this.view = sort ? this.sorted(matches, sort) : matches;
    return { total: this.viewSize(), error };
  }

  /** Records whose line has one of `kinds` and lies in `program`'s lines (ascending). */
  private verifierMatches(
    verifier: VerifierSession,
    kindNames: ViewFilter['kinds'],
    program: number | null,
  ): Uint32Array {
    const wanted = new Uint8Array(256);
    if (!kindNames) wanted.fill(1);
    else for (const name of kindNames) if (name in LineKind) wanted[LineKind[name]] = 1;
    const kinds = verifier.kinds;
    const [first, end] = verifier.lineRangeOf(program);
    const count = this.log.recordCount;
    const out = new Uint32Array(this.tlv ? count : Math.max(0, end - first));
    let n = 0;
    if (!this.tlv) {
      for (let l = first; l < end && l < count; l++) if (wanted[kinds[l]]) out[n++] = l;
    } else {
      for (let r = 0; r < count; r++) {
        const l = verifier.lineIndexOfRecord(r);
        if (l >= first && l < end && wanted[kinds[l]]) out[n++] = r;
      }
    }
    return out.subarray(0, n);
  }

  viewSize(): number {
    return this.view ? this.view.length : this.log.recordCount;
  }

  private contentEnd(i: number): number {
    return this.log.contentRange(i)[1];
  }

  private get recordStarts(): Uint32Array {
    const index = this.log.index as TlvIndex | TextIndex | null;
    return index === null ? new Uint32Array(0) : index.format === 'tlv' ? index.offsets : index.lineStarts;
  }

  /** Where searchable bytes end: the text's end, or the last record's. */
  private searchEnd(): number {
    const index = this.log.index;
    if (!index) return 0;
    if (index.format === 'text') return index.textLength;
    return index.count ? this.contentEnd(index.count - 1) : 0;
  }

  /**
   * Decodes the next slice of the log into the search text. Slices end on a
   * record boundary (no match spans records) and are a few MB, so the worker
   * can build them between requests without stalling any. Returns false when done.
   */
  /** Builds the search copy a slice a task, from `delayMs` on, while `current()` (this log is the one open). */
  prepareSearchLater(delayMs: number, current: () => boolean): void {
    this.searchPrepared = new Promise((resolve) => {
      const step = () => {
        if (current() && this.prepareSearchStep()) setTimeout(step, 0);
        else resolve();
      };
      setTimeout(step, delayMs);
    });
  }

  prepareSearchStep(): boolean {
    const limit = this.searchEnd();
    const last = this.searchChunks[this.searchChunks.length - 1];
    const from = last ? last.end : 0;
    if (from >= limit) return false;
    let to = Math.min(limit, from + SEARCH_CHUNK_BYTES);
    if (to < limit) {
      const starts = this.recordStarts;
      const count = this.log.recordCount;
      const r = floorIndex(starts, count, to);
      // Cut at the start of the record holding `to`, or after it when it began before this slice.
      to = starts[r] > from ? starts[r] : r + 1 < count ? starts[r + 1] : limit;
    }
    this.searchChunks.push({
      start: from,
      end: to,
      text: bytewise.decode(plain(this.log.bytes.subarray(from, to))),
    });
    return to < limit;
  }

  private async allSearchChunks(job: Job): Promise<SearchChunk[]> {
    const limit = this.searchEnd();
    while (this.prepareSearchStep()) {
      if (job.due())
        await job.pause(this.searchChunks[this.searchChunks.length - 1].end, limit, 'Preparing search');
    }
    return this.searchChunks;
  }

  /** Past EAGER_SEARCH_COPY_BYTES the search keeps no copy of the text: it reads the bytes themselves. */
  private get searchesBytes(): boolean {
    return this.searchEnd() > LogSession.searchCopyMaxBytes;
  }

  static searchCopyMaxBytes = EAGER_SEARCH_COPY_BYTES;

  /** Records whose text holds the query's bytes, found in the log's bytes (no copy): a native indexOf of its first byte, then a compare. */
  private async byteMatches(query: string, job: Job): Promise<Uint32Array> {
    const needle = new TextEncoder().encode(query);
    const log = this.log;
    const index = log.index as TlvIndex | TextIndex;
    const bytes = log.bytes;
    const starts = this.recordStarts;
    const count = log.recordCount;
    const limit = this.searchEnd();
    const out: number[] = [];
    let at = 0;
    for (let steps = 0; ; steps++) {
      if ((steps & 1023) === 0 && job.due()) await job.pause(at, limit, 'Searching');
      const found = bytes.indexOf(needle[0], at);
      if (found < 0 || found + needle.length > limit) break;
      let same = true;
      for (let k = 1; k < needle.length && same; k++) same = bytes[found + k] === needle[k];
      if (!same) {
        at = found + 1;
        continue;
      }
      const r = floorIndex(starts, count, found);
      const [start, end] = r < 0 ? [0, 0] : log.contentRange(r);
      const isText = index.format === 'text' || index.types[r] === TYPE_STRING;
      if (r >= 0 && isText && found >= start && found + needle.length <= end) {
        out.push(r);
        at = end;
      } else at = found + 1;
    }
    return Uint32Array.from(out);
  }

  /** Records whose text contains the query: a native indexOf sweep over each slice. */
  private async substringMatches(query: string, job: Job): Promise<Uint32Array> {
    if (this.searchesBytes) return this.byteMatches(query, job);
    const needle = bytewise.decode(new TextEncoder().encode(query));
    const log = this.log;
    const index = log.index as TlvIndex | TextIndex;
    const starts = this.recordStarts;
    const count = log.recordCount;
    const out: number[] = [];
    const limit = this.searchEnd();
    for (const chunk of await this.allSearchChunks(job)) {
      if (job.due()) await job.pause(chunk.start, limit, 'Searching');
      let from = 0;
      for (;;) {
        const found = chunk.text.indexOf(needle, from);
        if (found < 0) break;
        const at = chunk.start + found;
        const r = floorIndex(starts, count, at);
        const [start, end] = r < 0 ? [0, 0] : log.contentRange(r);
        const isText = index.format === 'text' || index.types[r] === TYPE_STRING;
        if (r >= 0 && isText && at >= start && at + needle.length <= end) {
          if (out[out.length - 1] !== r) out.push(r);
          from = end - chunk.start;
        } else from = found + 1;
      }
    }
    return Uint32Array.from(out);
  }

  private async regexMatches(test: (text: string) => boolean, job: Job): Promise<Uint32Array> {
    const log = this.log;
    const index = log.index as TlvIndex | TextIndex;
    const count = log.recordCount;
    // A log past the copy budget: each record decoded as it is tested, nothing kept.
    const chunks = this.searchesBytes ? [] : await this.allSearchChunks(job);
    let k = 0;
    const out: number[] = [];
    for (let r = 0; r < count; r++) {
      if ((r & 255) === 0 && job.due()) await job.pause(r, count, 'Searching (regex)');
      if (index.format === 'tlv' && index.types[r] !== TYPE_STRING) continue;
      const [start, end] = log.contentRange(r);
      let text: string;
      while (k < chunks.length && chunks[k].end <= start) k++;
      if (k < chunks.length) {
        // The byte-wise text is exact for ASCII; a record with other bytes is decoded as UTF-8.
        const raw = chunks[k].text.slice(start - chunks[k].start, end - chunks[k].start);
        text = isAscii(raw) ? raw : (log.recordText(r) ?? '');
      } else {
        // A record past the searchable text (an empty last line) has no slice: decode it alone.
        text = log.recordText(r) ?? '';
      }
      if (test(text)) out.push(r);
    }
    return Uint32Array.from(out);
  }

  private sorted(matches: Uint32Array | null, sort: SortSpec): Uint32Array | null {
    const index = this.tlv;
    // Offsets grow with record number, and text lines have no type: those orders are the natural one.
    const natural = sort.column === 'index' || sort.column === 'offset' || (sort.column === 'type' && !index);
    if (natural && !sort.desc) return matches;
    const base = matches ?? identity(this.log.recordCount);
    let out: Uint32Array;
    if (natural) out = base;
    else if (sort.column === 'type' && index) out = countingSortByType(base, index.types);
    else {
      const log = this.log;
      const length = index ? (i: number) => index.lengths[i] : (i: number) => log.recordLength(i);
      out = Uint32Array.from(base).sort((a, b) => length(a) - length(b) || a - b);
    }
    return sort.desc ? Uint32Array.from(out).reverse() : out;
  }

  // ---- windows of data for the page ----

  rows(start: number, count: number): RowData[] {
    const total = this.viewSize();
    const out: RowData[] = [];
    for (let p = Math.max(0, start); p < Math.min(total, start + count); p++) {
      out.push(this.row(this.view ? this.view[p] : p));
    }
    return out;
  }

  private row(i: number): RowData {
    const log = this.log;
    const type = log.recordType(i);
    const [start, end] = log.contentRange(i);
    let preview: string;
    let isText = true;
    if (type === null || type === TYPE_STRING) {
      preview = previewText(plain(log.bytes.subarray(start, Math.min(end, start + PREVIEW_CHARS * 2))));
    } else if (type === TYPE_END) {
      const count = end - start >= 2 ? this.tlv?.end?.count : null;
      preview =
        count === null || count === undefined
          ? `END ${hexPreview(log.bytes, start, end)}`
          : `END · ${count} dropped`;
      isText = false;
    } else {
      preview = hexPreview(log.bytes, start, end, 32);
      isText = false;
    }
    const row: RowData = {
      index: i,
      offset: log.recordOffset(i),
      type,
      length: log.recordLength(i),
      preview,
      isText,
    };
    const verifier = this.verifierReady;
    if (verifier && isText) {
      const line = verifier.lineIndexOfRecord(i);
      const reading = line < 0 ? null : verifier.lineRow(line);
      if (reading) row.verifier = reading;
    }
    return row;
  }

  /** Where record `index` sits in the current view, or -1 when the view hides it. */
  position(index: number): number {
    if (index < 0 || index >= this.log.recordCount) return -1;
    const view = this.view;
    if (!view) return index;
    return view.indexOf(index);
  }

  record(i: number): RecordDetail | null {
    const log = this.log;
    if (!Number.isInteger(i) || i < 0 || i >= log.recordCount) return null;
    const index = this.tlv;
    const [start, end] = log.contentRange(i);
    const offset = log.recordOffset(i);
    const type = log.recordType(i);
    const lines = this.joinedLines();
    const nulTerminated = type === TYPE_STRING && end > start && log.bytes[end - 1] === 0;
    const text = log.recordText(i, RECORD_TEXT_BYTES);
    const textCut =
      text === null ? 0 : Math.max(0, end - (nulTerminated ? 1 : 0) - start - RECORD_TEXT_BYTES);
    return {
      index: i,
      offset,
      type,
      length: log.recordLength(i),
      header: index ? [offset, offset + TLV_HEADER_SIZE] : null,
      contents: [start, end],
      text: textCut > 0 ? `${text}…` : text,
      textCut,
      nulTerminated,
      endCount: type === TYPE_END ? (index?.end?.count ?? null) : null,
      line: lines ? lineOrMinusOne(lineOfRecord(lines, this.tlv as TlvIndex, i)) : i,
    };
  }

  /** A copy of bytes [start, end), clamped to the buffer and to 64 KiB. */
  byteRange(start: number, end: number): Uint8Array {
    const s = Math.max(0, Math.min(start, this.log.size));
    const e = Math.max(s, Math.min(end, this.log.size, s + 65536));
    return this.log.bytes.slice(s, e);
  }

  /** The record whose bytes (header included) hold `offset`, or -1 (trailing space, undecoded bytes). */
  recordAt(offset: number): number {
    const log = this.log;
    const index = log.index;
    if (!index) return -1;
    const starts = index.format === 'tlv' ? index.offsets : index.lineStarts;
    const r = floorIndex(starts, log.recordCount, offset);
    if (r < 0) return -1;
    const end = this.contentEnd(r);
    // A text line owns its newline too.
    const owned = index.format === 'text' && end < index.textLength ? end + 1 : end;
    return offset < owned ? r : -1;
  }

  /** Bytes [start, end) for the buffer hex view, with the records they belong to. */
  hexPage(start: number, end: number): HexPage {
    const bytes = this.byteRange(start, end);
    const from = Math.max(0, Math.min(start, this.log.size));
    const to = from + bytes.length;
    const records: HexPage['records'] = [];
    const index = this.log.index;
    if (index) {
      const starts = index.format === 'tlv' ? index.offsets : index.lineStarts;
      const count = this.log.recordCount;
      for (let r = Math.max(0, floorIndex(starts, count, from)); r < count && starts[r] < to; r++) {
        const [contentStart, contentEnd] = this.log.contentRange(r);
        records.push({ index: r, offset: starts[r], contentStart, end: contentEnd });
      }
    }
    return { start: from, bytes, records };
  }

  private joinedLines(): JoinedLines | null {
    const index = this.tlv;
    if (!index) return null;
    // The verifier model joins the same lines: one copy of the columns, not two.
    this.joined ??= this.verifierReady?.model.joined ?? joinTlvLines(this.log.bytes, index);
    return this.joined;
  }

  lineCount(): number {
    const lines = this.joinedLines();
    return lines ? lines.lineCount : this.log.recordCount;
  }

  lines(start: number, count: number): LineData[] {
    const out: LineData[] = [];
    const lines = this.joinedLines();
    const total = this.lineCount();
    for (let l = Math.max(0, start); l < Math.min(total, start + count); l++) {
      out.push({
        line: l,
        text: shownLineText(this.log, lines, l),
        firstRecord: lines ? lines.firstRecord[l] : l,
        endRecord: lines ? lines.endRecord[l] : l + 1,
      });
    }
    return out;
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the test is for bytes past ASCII
const NON_ASCII = /[^\x00-\x7f]/;
const isAscii = (text: string) => !NON_ASCII.test(text);

function identity(count: number): Uint32Array {
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = i;
  return out;
}

function intersect(a: Uint32Array | null, b: Uint32Array): Uint32Array {
  if (!a) return b;
  const out = new Uint32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out[n++] = a[i];
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out.subarray(0, n);
}

/** Stable sort of record numbers by type: 65,536 buckets, two passes. */
function countingSortByType(records: Uint32Array, types: Uint16Array): Uint32Array {
  const starts = new Uint32Array(65537);
  for (let k = 0; k < records.length; k++) starts[types[records[k]] + 1]++;
  for (let t = 1; t <= 65536; t++) starts[t] += starts[t - 1];
  const out = new Uint32Array(records.length);
  for (let k = 0; k < records.length; k++) out[starts[types[records[k]]]++] = records[k];
  return out;
}

/** One line of text for a table cell: newline, tab and other control characters shown as symbols, long text cut. */
function previewText(bytes: Uint8Array): string {
  let text = utf8.decode(bytes);
  if (text.endsWith('\0')) text = text.slice(0, -1);
  if (text.length > PREVIEW_CHARS) text = `${text.slice(0, PREVIEW_CHARS)}…`;
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    out += c === 0x0a ? '↵' : c === 0x09 ? '→' : c < 0x20 || c === 0x7f ? '·' : ch;
  }
  return out;
}

const lineOrMinusOne = (line: number) => (line === NO_LINE ? -1 : line);
