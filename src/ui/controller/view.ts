/**
 * The view: selection, filters and sort, kept in the URL fragment (the
 * source of truth), applied by the worker. A new filter or sort cancels the
 * search it replaces.
 */
import { encodeViewState, parseViewState, type ViewState } from '../../core/index.ts';
import type { SortSpec } from '../../worker/protocol.ts';
import { openFromLocation, overridesOf } from './opening.ts';
import { ask, isDropped, messageOf, runJob, set, state } from './owner.ts';

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

export function writeUrl(view: ViewState, push: boolean): void {
  const url = `${location.pathname}${location.search}#${fragmentFor(view)}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

export function recordLink(index: number): string {
  return `${location.origin}${location.pathname}${location.search}#${fragmentFor({ ...state().view, rec: index })}`;
}

/** Re-decodes the open log with a format or byte-order override (kept in the URL). */
export async function reopen(format: ViewState['format'], byteOrder: ViewState['byteOrder']): Promise<void> {
  const view = { ...state().view, format, byteOrder, rec: null, types: null };
  writeUrl(view, false);
  set({ view });
  try {
    const summary = await ask({ kind: 'reopen', options: overridesOf(view) });
    set({ summary, logVersion: state().logVersion + 1, highlight: null, detail: null });
    await applyView(true);
  } catch (e) {
    if (!isDropped(e)) set({ error: `Could not re-decode: ${messageOf(e)}` });
  }
}

/** Asks the worker for the view the URL describes, then finds the selection in it. */
export async function applyView(scrollToSelection: boolean): Promise<void> {
  const { view, sort, summary } = state();
  if (!summary) return;
  const label = view.query
    ? `Searching for ${view.regex ? '/' : '“'}${view.query.slice(0, 60)}${view.regex ? '/' : '”'}`
    : 'Filtering';
  try {
    const result = await runJob('view', label, {
      kind: 'view',
      filter: {
        types: view.types,
        query: view.query,
        regex: view.regex,
        kinds: view.kinds,
        program: view.program,
      },
      sort,
    });
    set({ viewTotal: result.total, viewError: result.error, viewVersion: state().viewVersion + 1 });
    await locateSelection(scrollToSelection);
  } catch (e) {
    if (!isDropped(e) && e instanceof Error && e.name !== 'WorkerDied')
      set({ error: `Filtering failed: ${messageOf(e)}` });
  }
}

async function locateSelection(scroll: boolean): Promise<void> {
  const { view, summary } = state();
  if (!summary || view.rec === null || view.rec >= summary.recordCount) {
    set({ selectedPosition: -1 });
    return;
  }
  const position = await ask({ kind: 'position', index: view.rec });
  set({
    selectedPosition: position,
    scrollRequest: scroll ? state().scrollRequest + 1 : state().scrollRequest,
  });
}

const quietly = (e: unknown) => {
  if (!isDropped(e) && !(e instanceof Error && e.name === 'WorkerDied')) set({ error: messageOf(e) });
};

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
    void locateSelection(options.scroll ?? true).catch(quietly);
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
export function applyUrlView(next: ViewState): void {
  const { view } = state();
  const filtersChanged =
    next.query !== view.query ||
    next.regex !== view.regex ||
    String(next.types) !== String(view.types) ||
    String(next.kinds) !== String(view.kinds) ||
    next.program !== view.program;
  set({ view: next, highlight: null });
  if (filtersChanged) void applyView(true);
  else void locateSelection(true).catch(quietly);
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
    const record = await ask({ kind: 'recordAt', offset });
    if (record >= 0) {
      selectRecord(record, { scroll: true });
      set({ bufferFocus: { offset, seq: Date.now() } });
    } else {
      set({ pane: 'buffer', bufferFocus: { offset, seq: Date.now() } });
    }
  } catch (e) {
    quietly(e);
  }
}
