/**
 * What the UI does: open logs, change the view, select records, share. Talks
 * to the worker, writes the URL fragment (the source of truth for selection
 * and filters) and the store. Every failure ends as a message in the store,
 * never as an uncaught error.
 */
import {
  DEFAULT_VIEW_STATE,
  encodeViewState,
  formatCount,
  parseTypeMap,
  parseViewState,
  serializeTypeMap,
  type TypeMap,
  type ViewState,
} from '../core/index.ts';
import { LogWorkerClient } from '../worker/client.ts';
import type { LogSummary, OpenOptions, ShareMode, SortSpec } from '../worker/protocol.ts';
import { useApp } from './store.ts';

let worker: LogWorkerClient | null = null;
export function logWorker(): LogWorkerClient {
  worker ??= new LogWorkerClient();
  return worker;
}

const state = () => useApp.getState();
const set = (partial: Parameters<ReturnType<typeof useApp.getState>['set']>[0]) => state().set(partial);
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
const n = formatCount;

export const TYPE_MAP_STORAGE_KEY = 'bpf-log-inspector.type-map';

export function loadStoredTypeMap(): void {
  try {
    const stored = localStorage.getItem(TYPE_MAP_STORAGE_KEY);
    if (stored) set({ typeMap: parseTypeMap(stored).map });
  } catch {
    // Storage may be disabled; the built-in names still work.
  }
}

export function setTypeMap(map: TypeMap): void {
  set({ typeMap: new Map(map) });
  try {
    localStorage.setItem(TYPE_MAP_STORAGE_KEY, serializeTypeMap(map));
  } catch {
    // Not persisted; the names still apply for this session.
  }
}

const overridesOf = (view: ViewState): OpenOptions => ({
  format: view.format ?? undefined,
  byteOrder: view.byteOrder ?? undefined,
});

// ---- the URL ----

/**
 * `#v=1&n=<len>&sha256=<hex>&rec=…&types=…&q=…&re=1`: the view, and (once
 * known) the log's hash, so a reload reopens it from recent logs and the URL
 * itself is a hash link another machine can open with the file.
 */
function fragmentFor(view: ViewState): string {
  const { identity } = state();
  const log = identity ? `&n=${identity.length}&sha256=${identity.sha256}` : '';
  const keys = encodeViewState(view);
  return `v=1${log}${keys ? `&${keys}` : ''}`;
}

function writeUrl(view: ViewState, push: boolean): void {
  const url = `${location.pathname}${location.search}#${fragmentFor(view)}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

export function recordLink(index: number): string {
  return `${location.origin}${location.pathname}${location.search}#${fragmentFor({ ...state().view, rec: index })}`;
}

// ---- opening logs ----

/** After any open: show it, apply the URL's view, and learn its hash for the URL and recent logs. */
async function opened(summary: LogSummary, view: ViewState): Promise<void> {
  set({
    summary,
    view,
    identity: null,
    status: 'ready',
    logVersion: state().logVersion + 1,
    highlight: null,
    bufferFocus: null,
    detail: null,
    share: null,
  });
  await applyView(true);
  const pending = state().pendingHash;
  try {
    const identity = await logWorker().request({ kind: 'identity' });
    set({ identity });
    writeUrl(state().view, false);
    if (pending) {
      set({
        pendingHash: null,
        ...(identity.sha256 === pending.sha256 && identity.length === pending.length
          ? { notice: 'This is the file the link names: its SHA-256 matches.' }
          : {
              error: `This is not the file the link names: its SHA-256 is ${identity.sha256.slice(0, 16)}…, the link's ${pending.sha256.slice(0, 16)}…. Showing it anyway.`,
            }),
      });
    }
    void refreshRecent();
  } catch {
    // Without a hash (no crypto.subtle outside a secure context) the URL just has no log key.
  }
}

/**
 * Each open takes a ticket; an open that finishes after a newer one started
 * (a slow sample download, then a file dropped) must not replace it.
 */
let openTicket = 0;
const isCurrent = (ticket: number) => ticket === openTicket;

/** Opens bytes the page holds: the buffer is transferred to the worker, not copied. */
export async function openBuffer(buffer: ArrayBuffer, name: string, ticket = ++openTicket): Promise<void> {
  if (!isCurrent(ticket)) return;
  set({
    status: 'loading',
    loadingLabel: `Decoding ${name} (${n(buffer.byteLength)} bytes)…`,
    error: null,
    notice: null,
  });
  try {
    // The first log opened takes the view the page was opened with (a deep link waiting for its
    // file); a later one starts clean, since record numbers and types are each log's own.
    const view = state().summary ? { ...DEFAULT_VIEW_STATE } : state().view;
    const summary = await logWorker().request(
      { kind: 'open', buffer, name, options: overridesOf(view), remember: true },
      [buffer],
    );
    if (!isCurrent(ticket)) return;
    await opened(summary, view);
  } catch (e) {
    if (isCurrent(ticket))
      set({ status: state().summary ? 'ready' : 'idle', error: `Could not open ${name}: ${messageOf(e)}` });
  }
}

export async function openFile(file: File): Promise<void> {
  const ticket = ++openTicket;
  let buffer: ArrayBuffer;
  try {
    buffer = await file.arrayBuffer();
  } catch (e) {
    if (isCurrent(ticket)) set({ error: `Could not read ${file.name}: ${messageOf(e)}` });
    return;
  }
  await openBuffer(buffer, file.name, ticket);
}

export async function openText(text: string, name = 'pasted text'): Promise<void> {
  await openBuffer(new TextEncoder().encode(text).buffer as ArrayBuffer, name);
}

export async function openSample(url: string, name: string): Promise<void> {
  const ticket = ++openTicket;
  set({ status: 'loading', loadingLabel: `Loading sample ${name}…`, error: null });
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const buffer = await response.arrayBuffer();
    await openBuffer(buffer, name, ticket);
  } catch (e) {
    if (!isCurrent(ticket)) return;
    set({
      status: state().summary ? 'ready' : 'idle',
      error: `Could not load the sample ${name}: ${messageOf(e)}`,
    });
  }
}

/**
 * `?src=<url>`: a log kept elsewhere (a CI artifact). The only request the app
 * makes for a log, and only because the link asks for it.
 */
export async function openFromUrl(src: string): Promise<void> {
  let url: URL;
  try {
    url = new URL(src, location.href);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('only http and https');
  } catch {
    set({ error: `The src= address "${src.slice(0, 200)}" is not an http(s) URL.` });
    return;
  }
  const name = decodeURIComponent(url.pathname.split('/').pop() || url.host);
  const ticket = ++openTicket;
  set({
    status: 'loading',
    loadingLabel: `Downloading ${url.href}…`,
    error: null,
    download: { url: url.href, loaded: 0, total: null },
  });
  let response: Response;
  try {
    response = await fetch(url.href, { credentials: 'omit', cache: 'no-store' });
  } catch {
    set({
      status: state().summary ? 'ready' : 'idle',
      download: null,
      error: `Could not download ${url.href}: the server did not answer, or it does not let other sites read the file (CORS: it must send Access-Control-Allow-Origin). Download it yourself and drop it here.`,
    });
    return;
  }
  if (!response.ok) {
    set({
      status: state().summary ? 'ready' : 'idle',
      download: null,
      error: `Could not download ${url.href}: the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
    });
    return;
  }
  const total = Number(response.headers.get('content-length')) || null;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  try {
    const reader = response.body?.getReader();
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.length;
        set({ download: { url: url.href, loaded, total } });
      }
    }
  } catch (e) {
    set({
      status: state().summary ? 'ready' : 'idle',
      download: null,
      error: `The download of ${url.href} broke off after ${n(loaded)} bytes: ${messageOf(e)}`,
    });
    return;
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  if (!isCurrent(ticket)) return;
  set({ download: null });
  const view = parseViewState(location.href);
  await openBuffer(bytes.buffer, name, ticket);
  if (view.ok && isCurrent(ticket)) applyUrlView(view.view);
}

/**
 * On start, synchronously: the view the URL asks for, and the hash it names,
 * so a file opened before the worker has read the link still gets them.
 */
export function readLocation(): void {
  const parsed = parseViewState(location.href);
  if (parsed.ok) set({ view: parsed.view });
  const fragment = location.href.includes('#') ? location.href.slice(location.href.indexOf('#') + 1) : '';
  const sha256 = /(^|&)sha256=([0-9a-fA-F]{64})(&|$)/.exec(fragment)?.[2];
  const length = /(^|&)n=(\d{1,16})(&|$)/.exec(fragment)?.[2];
  if (sha256 && length && !/(^|&)d=/.test(fragment)) {
    set({ pendingHash: { sha256: sha256.toLowerCase(), length: Number(length) } });
  }
}

/** On start: what the URL holds (a view, a log in the link, a log named by hash, or a log to download). */
export async function openFromLocation(): Promise<void> {
  const src = new URL(location.href).searchParams.get('src');
  if (src) {
    await openFromUrl(src);
    return;
  }
  const fragment = location.href.includes('#') ? location.href.slice(location.href.indexOf('#') + 1) : '';
  if (fragment === '') return;
  const heavy = /(^|&)(d|sha256)=/.test(fragment);
  if (heavy) set({ status: 'loading', loadingLabel: 'Opening the log in the link…' });
  const ticket = ++openTicket;
  try {
    const result = await logWorker().request({ kind: 'openLink', href: location.href, remember: true });
    // A file opened meanwhile wins over the link (the worker has it open now too).
    if (!isCurrent(ticket)) return;
    if (result.kind === 'error') {
      set({ status: 'idle', error: `${result.error} Nothing was opened from it.` });
      return;
    }
    if (result.kind === 'view') {
      set({ view: result.view, status: state().summary ? 'ready' : 'idle' });
      return;
    }
    if (result.kind === 'payload') {
      await opened(result.summary, result.view);
      if (result.note) set({ notice: result.note });
      return;
    }
    if (result.summary) {
      await opened(result.summary, result.view);
      set({ notice: 'Reopened from the recent logs kept in this browser.' });
    } else {
      set({
        status: 'idle',
        view: result.view,
        pendingHash: { sha256: result.sha256, length: result.length },
      });
    }
  } catch (e) {
    set({ status: 'idle', error: `This link could not be opened: ${messageOf(e)}` });
  }
}

// ---- recent logs ----

export async function refreshRecent(): Promise<void> {
  try {
    set({ recent: await logWorker().request({ kind: 'recent' }) });
  } catch {
    set({ recent: [] });
  }
}

export async function openRecent(sha256: string): Promise<void> {
  const ticket = ++openTicket;
  set({ status: 'loading', loadingLabel: 'Opening a recent log…', error: null, notice: null });
  try {
    const summary = await logWorker().request({ kind: 'openRecent', sha256, options: {} });
    if (!summary) throw new Error('it is no longer kept');
    if (!isCurrent(ticket)) return;
    await opened(summary, { ...DEFAULT_VIEW_STATE });
  } catch (e) {
    set({
      status: state().summary ? 'ready' : 'idle',
      error: `Could not open the recent log: ${messageOf(e)}`,
    });
  }
}

export async function forgetRecentLogs(): Promise<void> {
  await logWorker()
    .request({ kind: 'forgetRecent' })
    .catch(() => null);
  await refreshRecent();
}

// ---- decoding choices and views ----

/** Re-decodes the open log with a format or byte-order override (kept in the URL). */
export async function reopen(format: ViewState['format'], byteOrder: ViewState['byteOrder']): Promise<void> {
  const view = { ...state().view, format, byteOrder, rec: null, types: null };
  writeUrl(view, false);
  set({ view });
  try {
    const summary = await logWorker().request({ kind: 'reopen', options: overridesOf(view) });
    set({ summary, logVersion: state().logVersion + 1, highlight: null, detail: null });
    await applyView(true);
  } catch (e) {
    set({ error: `Could not re-decode: ${messageOf(e)}` });
  }
}

let viewSeq = 0;

/** Asks the worker for the view the URL describes, then finds the selection in it. */
export async function applyView(scrollToSelection: boolean): Promise<void> {
  const { view, sort, summary } = state();
  if (!summary) return;
  const seq = ++viewSeq;
  try {
    const result = await logWorker().request({
      kind: 'view',
      filter: { types: view.types, query: view.query, regex: view.regex },
      sort,
    });
    if (seq !== viewSeq) return;
    set({ viewTotal: result.total, viewError: result.error, viewVersion: state().viewVersion + 1 });
    await locateSelection(scrollToSelection);
  } catch (e) {
    set({ error: `Filtering failed: ${messageOf(e)}` });
  }
}

async function locateSelection(scroll: boolean): Promise<void> {
  const { view, summary } = state();
  if (!summary || view.rec === null || view.rec >= summary.recordCount) {
    set({ selectedPosition: -1 });
    return;
  }
  const position = await logWorker().request({ kind: 'position', index: view.rec });
  set({
    selectedPosition: position,
    scrollRequest: scroll ? state().scrollRequest + 1 : state().scrollRequest,
  });
}

/** Selects a record. Clicks push history (Back walks selections); keyboard moves replace it. */
export function selectRecord(
  index: number,
  options: { push?: boolean; scroll?: boolean; position?: number } = {},
): void {
  const current = state().view;
  if (current.rec === index && options.position === undefined) return;
  const view = { ...current, rec: index };
  writeUrl(view, options.push ?? true);
  set({ view, highlight: null });
  if (options.position !== undefined) {
    set({
      selectedPosition: options.position,
      scrollRequest: options.scroll ? state().scrollRequest + 1 : state().scrollRequest,
    });
  } else {
    void locateSelection(options.scroll ?? true).catch((e) => set({ error: messageOf(e) }));
  }
}

let filterTimer: ReturnType<typeof setTimeout> | undefined;

/** Changes filters: the URL is replaced at once, the worker asked after a short pause while typing. */
export function setFilter(partial: Partial<Pick<ViewState, 'types' | 'query' | 'regex'>>, delay = 0): void {
  const view = { ...state().view, ...partial };
  writeUrl(view, false);
  set({ view });
  clearTimeout(filterTimer);
  if (delay > 0) filterTimer = setTimeout(() => void applyView(true), delay);
  else void applyView(true);
}

export function setSort(sort: SortSpec | null): void {
  set({ sort });
  void applyView(true);
}

/** A view from the URL, applied to the open log. */
function applyUrlView(next: ViewState): void {
  const { view } = state();
  const filtersChanged =
    next.query !== view.query || next.regex !== view.regex || String(next.types) !== String(view.types);
  set({ view: next, highlight: null });
  if (filtersChanged) void applyView(true);
  else void locateSelection(true).catch((e) => set({ error: messageOf(e) }));
}

/** Back/Forward and edited links: the URL wins. */
export function syncFromUrl(): void {
  const parsed = parseViewState(location.href);
  if (!parsed.ok) {
    set({ error: parsed.error });
    return;
  }
  const { identity } = state();
  // A link that carries or names another log is a new log to open, not a view of this one.
  const fragment = location.href.slice(location.href.indexOf('#') + 1);
  const names = /(^|&)sha256=([0-9a-f]{64})/.exec(fragment)?.[2];
  if (/(^|&)d=/.test(fragment) || (names && names !== identity?.sha256)) {
    void openFromLocation();
    return;
  }
  if (parsed.view.format !== state().view.format || parsed.view.byteOrder !== state().view.byteOrder) {
    set({ view: parsed.view });
    void reopen(parsed.view.format, parsed.view.byteOrder);
    return;
  }
  applyUrlView(parsed.view);
}

/** Jumps to what a diagnostic points at: its record, or the raw bytes when no record holds the offset. */
export async function jumpToOffset(offset: number): Promise<void> {
  try {
    const record = await logWorker().request({ kind: 'recordAt', offset });
    if (record >= 0) {
      selectRecord(record, { scroll: true });
      set({ bufferFocus: { offset, seq: Date.now() } });
    } else {
      set({ pane: 'buffer', bufferFocus: { offset, seq: Date.now() } });
    }
  } catch (e) {
    set({ error: messageOf(e) });
  }
}

// ---- sharing ----

function shareBase(): string {
  return `${location.origin}${location.pathname}`;
}

/** Builds the full link; when it is too long, the dialog offers the alternatives. */
export async function startShare(): Promise<void> {
  if (!state().summary) return;
  set({ share: { busy: true, full: null, alternative: null, error: null } });
  try {
    const full = await logWorker().request({
      kind: 'share',
      view: state().view,
      base: shareBase(),
      mode: 'full',
      records: null,
    });
    set({ share: { busy: false, full, alternative: null, error: null } });
  } catch (e) {
    set({ share: { busy: false, full: null, alternative: null, error: messageOf(e) } });
  }
}

export async function shareAlternative(mode: Exclude<ShareMode, 'full'>): Promise<void> {
  const current = state().share;
  if (!current) return;
  set({ share: { ...current, busy: true, error: null } });
  try {
    const alternative = await logWorker().request({
      kind: 'share',
      view: state().view,
      base: shareBase(),
      mode,
      records: null,
    });
    set({ share: { ...current, busy: false, alternative } });
  } catch (e) {
    set({ share: { ...current, busy: false, error: messageOf(e) } });
  }
}

/** The decoded buffer as a file download (for hash links). */
export async function downloadBuffer(): Promise<void> {
  const { summary } = state();
  if (!summary) return;
  const bytes = await logWorker().request({ kind: 'original' });
  const url = URL.createObjectURL(
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = summary.name.replace(/\.gz$/, '');
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
