/**
 * What the UI does: open logs, change the view, select records. Talks to the
 * worker, writes the URL fragment (the source of truth for selection and
 * filters) and the store. Every failure ends as a message in the store, never
 * as an uncaught error.
 */
import { parseTypeMap, serializeTypeMap, type TypeMap } from '../core/index.ts';
import { LogWorkerClient } from '../worker/client.ts';
import type { OpenOptions, SortSpec } from '../worker/protocol.ts';
import { useApp } from './store.ts';
import { formatUrlViewState, parseUrlViewState, type UrlViewState } from './urlState.ts';

let worker: LogWorkerClient | null = null;
export function logWorker(): LogWorkerClient {
  worker ??= new LogWorkerClient();
  return worker;
}

const state = () => useApp.getState();
const set = (partial: Parameters<ReturnType<typeof useApp.getState>['set']>[0]) => state().set(partial);
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

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

/** Opens bytes the page holds: the buffer is transferred to the worker, not copied. */
export async function openBuffer(buffer: ArrayBuffer, name: string): Promise<void> {
  set({
    status: 'loading',
    loadingLabel: `Decoding ${name} (${buffer.byteLength.toLocaleString('en-US')} bytes)…`,
    error: null,
  });
  try {
    const overrides: OpenOptions = {};
    const summary = await logWorker().request({ kind: 'open', buffer, name, options: overrides }, [buffer]);
    set({
      summary,
      overrides,
      status: 'ready',
      logVersion: state().logVersion + 1,
      highlight: null,
      bufferFocus: null,
    });
    await applyView(true);
  } catch (e) {
    set({ status: state().summary ? 'ready' : 'idle', error: `Could not open ${name}: ${messageOf(e)}` });
  }
}

export async function openFile(file: File): Promise<void> {
  let buffer: ArrayBuffer;
  try {
    buffer = await file.arrayBuffer();
  } catch (e) {
    set({ error: `Could not read ${file.name}: ${messageOf(e)}` });
    return;
  }
  await openBuffer(buffer, file.name);
}

export async function openText(text: string, name = 'pasted text'): Promise<void> {
  await openBuffer(new TextEncoder().encode(text).buffer as ArrayBuffer, name);
}

export async function openSample(url: string, name: string): Promise<void> {
  set({ status: 'loading', loadingLabel: `Loading sample ${name}…`, error: null });
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    await openBuffer(await response.arrayBuffer(), name);
  } catch (e) {
    set({
      status: state().summary ? 'ready' : 'idle',
      error: `Could not load the sample ${name}: ${messageOf(e)}`,
    });
  }
}

/** Re-decodes the open log with a format or byte-order override. */
export async function reopen(overrides: OpenOptions): Promise<void> {
  try {
    const summary = await logWorker().request({ kind: 'reopen', options: overrides });
    set({ summary, overrides, logVersion: state().logVersion + 1, highlight: null });
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
      filter: { types: view.types, query: view.q, regex: view.re },
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

function writeUrl(view: UrlViewState, push: boolean): void {
  const url = `${location.pathname}${location.search}#${formatUrlViewState(view)}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
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
export function setFilter(partial: Partial<Pick<UrlViewState, 'types' | 'q' | 're'>>, delay = 0): void {
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

/** Back/Forward and edited links: the URL wins. */
export function syncFromUrl(): void {
  const next = parseUrlViewState(location.href);
  const { view } = state();
  const filtersChanged =
    next.q !== view.q || next.re !== view.re || String(next.types) !== String(view.types);
  set({ view: next, highlight: null });
  if (filtersChanged) void applyView(true);
  else void locateSelection(true).catch((e) => set({ error: messageOf(e) }));
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

export function recordLink(index: number): string {
  const view = { ...state().view, rec: index };
  return `${location.origin}${location.pathname}${location.search}#${formatUrlViewState(view)}`;
}
