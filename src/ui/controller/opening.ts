/**
 * Opening logs: files, pasted text, samples, `?src=` downloads, links and
 * recent logs. Each open takes a new generation (the worker keeps only the
 * newest) and remembers where the log came from, so a worker that dies is
 * replaced and the log reopened from that source, not from a copy.
 */
import { DEFAULT_VIEW_STATE, formatCount, parseViewState, type ViewState } from '../../core/index.ts';
import type { Progress } from '../../worker/client.ts';
import { MAX_DOWNLOAD_BYTES } from '../../worker/download.ts';
import type { LinkOpenResult, LogSummary, OpenOptions } from '../../worker/protocol.ts';
import {
  ask,
  isDropped,
  isLatest,
  markShown,
  messageOf,
  nextGeneration,
  onWorkerDeath,
  runJob,
  set,
  settings,
  shownGeneration,
  state,
} from './owner.ts';
import { refreshRecent } from './recent.ts';
import { applyUrlView, applyView, selectRecord, writeUrl } from './view.ts';

const n = formatCount;

/** Where the log on screen came from: what a new worker reopens it from. */
export type LogSource =
  | { kind: 'blob'; blob: Blob; name: string }
  | { kind: 'url'; url: string; name: string }
  | { kind: 'link'; href: string }
  | { kind: 'recent'; sha256: string };

let shownSource: LogSource | null = null;

export const overridesOf = (view: ViewState): OpenOptions => ({
  format: view.format ?? undefined,
  byteOrder: view.byteOrder ?? undefined,
});

/** What was on screen before a streamed open showed its first rows: a cancel or a failure brings it back. */
interface ShownBefore {
  generation: number;
  source: LogSource | null;
  state: Pick<ReturnType<typeof state>, 'summary' | 'view' | 'identity' | 'remembered'>;
}
let shownBefore: ShownBefore | null = null;
/** The generation a streamed open has shown (its first rows), until it completes or is dropped. */
let streamingShown = -1;
/** The generation whose selection follows the last row as rows arrive (End was pressed while it streamed). */
let followingEnd = -1;

/** While the rest arrives, views re-run on each tick unfiltered; filtered (a search over all so far), at most this often. */
const FILTERED_REFRESH_MS = 2000;

/**
 * A streamed open's progress: its first partial log is shown at once (the
 * log on screen is kept aside), each later one grows the table, count and view.
 */
function followStream(generation: number, view: ViewState): (progress: Progress) => void {
  let lastFiltered = 0;
  return ({ partial }) => {
    if (!partial || !isLatest(generation)) return;
    if (streamingShown !== generation) {
      const now = state();
      shownBefore = {
        generation: shownGeneration(),
        source: shownSource,
        state: { summary: now.summary, view: now.view, identity: now.identity, remembered: now.remembered },
      };
      streamingShown = generation;
      markShown(generation);
      set({
        summary: partial,
        view,
        identity: null,
        remembered: false,
        logVersion: now.logVersion + 1,
        highlight: null,
        bufferFocus: null,
        detail: null,
        share: null,
      });
      void applyView(true);
      return;
    }
    const { view: shownView, summary: shownSummary, sort } = state();
    const { query, types, kinds, program, rec } = shownView;
    const filtered = query !== '' || types !== null || (kinds ?? null) !== null || (program ?? null) !== null;
    // The last row selected (End) in record order: the selection follows the rows as they arrive.
    const following =
      !filtered &&
      (!sort || (sort.column === 'index' && !sort.desc)) &&
      rec !== null &&
      rec === (shownSummary?.recordCount ?? 0) - 1;
    if (following) followingEnd = generation;
    set({ summary: partial });
    if (filtered) {
      if (performance.now() - lastFiltered < FILTERED_REFRESH_MS) return;
      lastFiltered = performance.now();
    }
    void applyView(false).then(() => {
      const last = partial.recordCount - 1;
      if (following && last > (rec ?? 0) && shownGeneration() === generation && state().view.rec === rec)
        selectRecord(last, { push: false, scroll: true, position: last });
    });
  };
}

/** A streamed open that ended without its log (cancelled, failed): the log shown before it comes back. */
function restoreShownBefore(generation: number): void {
  if (streamingShown !== generation) return;
  streamingShown = -1;
  const before = shownBefore;
  shownBefore = null;
  if (!before) return;
  markShown(before.generation);
  shownSource = before.source;
  set({
    ...before.state,
    logVersion: state().logVersion + 1,
    highlight: null,
    bufferFocus: null,
    detail: null,
    share: null,
  });
  if (before.state.summary) void applyView(true);
}

/** After any open: show it, apply the view, and learn its hash for the URL and recent logs. */
async function opened(
  summary: LogSummary,
  view: ViewState,
  generation: number,
  source: LogSource,
): Promise<boolean> {
  // A streamed open was shown from its first rows: the view the user set meanwhile stays.
  const streamed = streamingShown === generation;
  // The record the open asked for (a deep link's): still selected at the end, it is scrolled to again.
  const requested = view.rec;
  let followEnd = false;
  if (streamed) {
    streamingShown = -1;
    shownBefore = null;
    view = state().view;
    const { sort, summary: partial } = state();
    followEnd =
      view.rec !== null &&
      (view.rec === (partial?.recordCount ?? 0) - 1 || followingEnd === generation) &&
      view.query === '' &&
      view.types === null &&
      (!sort || (sort.column === 'index' && !sort.desc));
  }
  // A deep-linked record past what had arrived could not be scrolled to during the stream, and one
  // that was may have been scrolled away from by the rows arriving: scroll to it now, unless the
  // user chose another record meanwhile.
  const rescroll = streamed && view.rec !== null && (state().selectedPosition < 0 || view.rec === requested);
  markShown(generation);
  shownSource = source;
  set({
    summary,
    view,
    identity: null,
    remembered: false,
    status: 'ready',
    logVersion: state().logVersion + 1,
    highlight: null,
    bufferFocus: null,
    detail: null,
    share: null,
  });
  await applyView(!streamed || rescroll);
  if (followEnd && summary.recordCount - 1 > (view.rec ?? 0))
    selectRecord(summary.recordCount - 1, { push: false, scroll: true, position: summary.recordCount - 1 });
  const pending = state().pendingHash;
  try {
    const { remembered, ...identity } = await ask({ kind: 'identity' });
    set({ identity, remembered });
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
    // Without a hash (the log was replaced meanwhile) the URL just has no log key.
  }
  return streamed;
}

/** What the page falls back to when an open fails or is cancelled: the log on screen stays. */
function settle(generation: number, error: string | null): void {
  restoreShownBefore(generation);
  if (!isLatest(generation)) return;
  set({ status: state().summary ? 'ready' : 'idle', ...(error ? { error } : {}) });
}

/** The first log opened takes the view the page was opened with (a deep link waiting for its file); a later one starts clean. */
const viewForNewLog = (): ViewState => (state().summary ? { ...DEFAULT_VIEW_STATE } : state().view);

/** Opens a Blob (a File, pasted text, a fetched sample): the worker reads it; the page keeps only the reference. */
export async function openBlob(
  blob: Blob,
  name: string,
  generation = nextGeneration(),
  view = viewForNewLog(),
): Promise<void> {
  set({
    status: 'loading',
    loadingLabel: `Decoding ${name} (${n(blob.size)} bytes)…`,
    error: null,
    notice: null,
  });
  try {
    const summary = await runJob(
      'open',
      `Opening ${name}`,
      { kind: 'open', source: blob, name, options: overridesOf(view), remember: true },
      generation,
      followStream(generation, view),
    );
    if (!isLatest(generation)) return;
    await opened(summary, view, generation, { kind: 'blob', blob, name });
  } catch (e) {
    settle(generation, isDropped(e) ? null : `Could not open ${name}: ${messageOf(e)}`);
  }
}

export function openFile(file: File): Promise<void> {
  return openBlob(file, file.name);
}

export function openText(text: string, name = 'pasted text'): Promise<void> {
  return openBlob(new Blob([text]), name);
}

/** Samples are the app's own files: fetched by the page into a Blob (browser memory, not the JS heap). */
export async function openSample(url: string, name: string): Promise<void> {
  const generation = nextGeneration();
  set({ status: 'loading', loadingLabel: `Loading sample ${name}…`, error: null });
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const blob = await response.blob();
    if (!isLatest(generation)) return;
    await openBlob(blob, name, generation);
  } catch (e) {
    settle(generation, `Could not load the sample ${name}: ${messageOf(e)}`);
  }
}

/**
 * `?src=<url>`: a log kept elsewhere (a CI artifact). The only request the app
 * makes for a log, and only because the link asks for it. The worker streams
 * the body and refuses it past 1 GiB, declared or actual.
 */
export async function openFromUrl(src: string, view = parseViewState(location.href)): Promise<void> {
  let url: URL;
  try {
    url = new URL(src, location.href);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('only http and https');
  } catch {
    set({ error: `The src= address "${src.slice(0, 200)}" is not an http(s) URL.` });
    return;
  }
  const name = decodeURIComponent(url.pathname.split('/').pop() || url.host);
  const generation = nextGeneration();
  set({ status: 'loading', loadingLabel: `Downloading ${url.href}…`, error: null });
  const target = view.ok ? view.view : viewForNewLog();
  try {
    const summary = await runJob(
      'open',
      `Downloading ${url.href}`,
      {
        kind: 'openUrl',
        url: url.href,
        name,
        options: overridesOf(target),
        remember: true,
        maxBytes: settings.maxDownloadBytes ?? MAX_DOWNLOAD_BYTES,
      },
      generation,
      followStream(generation, target),
    );
    if (!isLatest(generation)) return;
    const streamed = await opened(summary, target, generation, { kind: 'url', url: url.href, name });
    // A streamed open took the URL's view at its first rows; since then the user may have moved.
    if (view.ok && !streamed) applyUrlView(view.view);
  } catch (e) {
    settle(generation, isDropped(e) ? null : messageOf(e));
  }
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
  await openLink(location.href);
}

async function openLink(href: string): Promise<void> {
  const heavy = /(^|&)(d|sha256)=/.test(href.slice(href.indexOf('#') + 1));
  if (heavy) set({ status: 'loading', loadingLabel: 'Opening the log in the link…' });
  const generation = nextGeneration();
  let result: LinkOpenResult;
  try {
    result = await runJob(
      'open',
      'Opening the log in the link',
      { kind: 'openLink', href, remember: true },
      generation,
    );
  } catch (e) {
    settle(generation, isDropped(e) ? null : `This link could not be opened: ${messageOf(e)}`);
    return;
  }
  // A file opened meanwhile wins over the link.
  if (!isLatest(generation)) return;
  if (result.kind === 'error') {
    set({ status: state().summary ? 'ready' : 'idle', error: `${result.error} Nothing was opened from it.` });
    return;
  }
  if (result.kind === 'view') {
    // The log on screen (if any) answers for this generation now.
    if (state().summary) markShown(generation);
    set({ view: result.view, status: state().summary ? 'ready' : 'idle' });
    return;
  }
  if (result.kind === 'payload') {
    await opened(result.summary, result.view, generation, { kind: 'link', href });
    if (result.note) set({ notice: result.note });
    return;
  }
  if (result.summary) {
    await opened(result.summary, result.view, generation, { kind: 'link', href });
    set({ notice: 'Reopened from the recent logs kept in this browser.' });
  } else {
    set({ status: 'idle', view: result.view, pendingHash: { sha256: result.sha256, length: result.length } });
  }
}

export async function openRecent(sha256: string, view: ViewState = { ...DEFAULT_VIEW_STATE }): Promise<void> {
  const generation = nextGeneration();
  set({ status: 'loading', loadingLabel: 'Opening a recent log…', error: null, notice: null });
  try {
    const summary = await runJob(
      'open',
      'Opening a recent log',
      { kind: 'openRecent', sha256, options: overridesOf(view) },
      generation,
    );
    if (!isLatest(generation)) return;
    await opened(summary, view, generation, { kind: 'recent', sha256 });
  } catch (e) {
    settle(generation, isDropped(e) ? null : `Could not open the recent log: ${messageOf(e)}`);
  }
}

/** Opens the log on screen again in a new worker, at the same view. */
async function reopenShown(source: LogSource, view: ViewState): Promise<void> {
  const generation = nextGeneration();
  if (source.kind === 'blob') return openBlob(source.blob, source.name, generation, view);
  if (source.kind === 'recent') return openRecent(source.sha256, view);
  if (source.kind === 'link') return openLink(source.href);
  const summary = await runJob(
    'open',
    `Downloading ${source.url}`,
    {
      kind: 'openUrl',
      url: source.url,
      name: source.name,
      options: overridesOf(view),
      remember: false,
      maxBytes: settings.maxDownloadBytes ?? MAX_DOWNLOAD_BYTES,
    },
    generation,
  );
  if (isLatest(generation)) await opened(summary, view, generation, source);
}

onWorkerDeath((reason) => {
  const source = shownSource;
  const { summary, view } = state();
  const what =
    summary && source ? `; a new one was started and ${summary.name} reopened` : '; a new one was started';
  if (summary && source)
    void reopenShown(source, view).catch((e) => {
      if (!isDropped(e))
        set({ error: `Could not reopen ${summary.name}: ${messageOf(e)}. Open the file again.` });
    });
  else set({ status: 'idle' });
  // After the reopen started (an open clears old notices): say what happened.
  set({ notice: `The log worker stopped (${reason})${what}.` });
});

// e2e only: the streaming tests open a slow `?src=` over a log already shown.
if (settings.testHooks && typeof window !== 'undefined') {
  const hooks = window as unknown as { bpfLogTestHooks?: Record<string, unknown> };
  hooks.bpfLogTestHooks = { ...hooks.bpfLogTestHooks, openFromUrl };
}
