/** The page: toolbar, banner, filters, the message table and the detail / buffer / text panes. */
import { useEffect, useState } from 'react';
import {
  cancelJobs,
  clearDefs,
  fetchRecord,
  forgetRecentLogs,
  loadStoredTypeMap,
  openFile,
  openFromLocation,
  openText,
  readLocation,
  refreshRecent,
  selectRecord,
  startShare,
  syncFromUrl,
} from './actions.ts';
import { Banner } from './Banner.tsx';
import { BufferHex } from './BufferHex.tsx';
import { DetailPane } from './DetailPane.tsx';
import { SearchBox, TypeFilters } from './Filters.tsx';
import { hex8, n } from './format.ts';
import { MessageTable } from './MessageTable.tsx';
import { RecentLogs } from './RecentLogs.tsx';
import { ShareDialog } from './ShareDialog.tsx';
import { type Pane, useApp } from './store.ts';
import { TextView } from './TextView.tsx';
import { Toolbar } from './Toolbar.tsx';
import { TypeMapEditor } from './TypeMapEditor.tsx';
import {
  InsnPane,
  KindFilterSection,
  SourcePaneSection,
  StatePaneSection,
  VerdictSection,
} from './verifier/Connected.tsx';
import { useEscapeClears } from './verifier/useEscape.ts';

function useDropAnywhere(): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (e: DragEvent) => e.preventDefault();
    const drop = (e: DragEvent) => {
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const file = e.dataTransfer?.files?.[0];
      if (file) void openFile(file);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return dragging;
}

/** Ctrl+V outside an input opens the clipboard's text as a log. */
function usePasteAnywhere(): void {
  useEffect(() => {
    const paste = (e: ClipboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea, [contenteditable]')) return;
      const file = e.clipboardData?.files?.[0];
      if (file) {
        e.preventDefault();
        void openFile(file);
        return;
      }
      const text = e.clipboardData?.getData('text/plain');
      if (text) {
        e.preventDefault();
        void openText(text);
      }
    };
    window.addEventListener('paste', paste);
    return () => window.removeEventListener('paste', paste);
  }, []);
}

/**
 * Fetches the selected record's detail whenever the selection or the log
 * changes. A component of its own, so a new selection re-renders it, not App.
 */
function SelectedDetail(): null {
  const rec = useApp((s) => s.view.rec);
  const summary = useApp((s) => s.summary);
  const set = useApp((s) => s.set);
  useEffect(() => {
    if (rec === null || !summary || rec >= summary.recordCount) {
      set({ detail: null });
      return;
    }
    let live = true;
    fetchRecord(rec)
      .then((detail) => live && set({ detail }))
      .catch(() => live && set({ detail: null }));
    return () => {
      live = false;
    };
  }, [rec, summary, set]);
  return null;
}

/** "S of T records shown": its own component, for the same reason. */
function StatusLine() {
  const summary = useApp((s) => s.summary);
  const viewTotal = useApp((s) => s.viewTotal);
  const selectedPosition = useApp((s) => s.selectedPosition);
  const rec = useApp((s) => s.view.rec);
  if (!summary) return null;
  return (
    <div className="status-line">
      <span data-testid="record-count">
        {n(viewTotal)} of {n(summary.recordCount)}
      </span>{' '}
      {summary.format === 'text' ? 'lines' : 'records'} shown
      {summary.loading && (
        <span className="muted" data-testid="loading-note">
          {' '}
          · still reading: filters and search cover the {summary.format === 'text' ? 'lines' : 'records'} read
          so far
        </span>
      )}
      {rec !== null && selectedPosition < 0 && (
        <span className="muted"> · record {rec} is hidden by the filter</span>
      )}
    </div>
  );
}

export function App() {
  const status = useApp((s) => s.status);
  const loadingLabel = useApp((s) => s.loadingLabel);
  const error = useApp((s) => s.error);
  const notice = useApp((s) => s.notice);
  const pendingHash = useApp((s) => s.pendingHash);
  const job = useApp((s) => s.job);
  const summary = useApp((s) => s.summary);
  const pane = useApp((s) => s.pane);
  const hasVerifier = useApp((s) => s.verdict !== null);
  const hasDefs = useApp((s) => s.defs !== null);
  const set = useApp((s) => s.set);
  const dragging = useDropAnywhere();
  usePasteAnywhere();
  // Def marks also show in the log table, whichever pane is open: Esc clears them from anywhere.
  useEscapeClears(hasDefs, clearDefs);

  useEffect(() => {
    loadStoredTypeMap();
    readLocation();
    void openFromLocation().then(refreshRecent);
    // `s` shares, as in the issue tracker's keyboard habits; not while typing.
    const keys = (e: KeyboardEvent) => {
      // Esc stops a running open (or search): the log on screen before it stays.
      if (e.key === 'Escape' && useApp.getState().job) {
        cancelJobs();
        return;
      }
      const target = e.target as HTMLElement | null;
      if (e.key !== 's' || e.ctrlKey || e.metaKey || e.altKey || target?.closest('input, textarea, select'))
        return;
      e.preventDefault();
      void startShare();
    };
    window.addEventListener('popstate', syncFromUrl);
    window.addEventListener('hashchange', syncFromUrl);
    window.addEventListener('keydown', keys);
    return () => {
      window.removeEventListener('popstate', syncFromUrl);
      window.removeEventListener('hashchange', syncFromUrl);
      window.removeEventListener('keydown', keys);
    };
  }, []);

  const panes: [Pane, string][] = [
    ['record', 'Record'],
    ['buffer', 'Buffer hex'],
    ['text', 'Text'],
  ];
  // The verifier's panes, for logs that hold verifier output: state first, it is what a line means.
  if (hasVerifier) panes.push(['state', 'State'], ['insns', 'Instructions'], ['source', 'Source']);
  const shownPane =
    !hasVerifier && (pane === 'state' || pane === 'insns' || pane === 'source') ? 'record' : pane;
  return (
    <div className={`app${dragging ? ' dragging' : ''}`}>
      <SelectedDetail />
      <Toolbar />
      {error && (
        <div className="error-box" role="status" data-testid="error">
          {error}{' '}
          <button type="button" onClick={() => set({ error: null })}>
            Dismiss
          </button>
        </div>
      )}
      {notice && (
        <div className="notice-box" role="status" data-testid="notice">
          {notice}{' '}
          <button type="button" onClick={() => set({ notice: null })}>
            Dismiss
          </button>
        </div>
      )}
      {pendingHash && (
        <div className="notice-box" role="status" data-testid="pending-hash">
          This link names a log by its SHA-256 ({pendingHash.sha256.slice(0, 16)}…, {n(pendingHash.length)}{' '}
          bytes) rather than carrying it. Open or drop that file to see it; the page checks that it is the
          same file.
        </div>
      )}
      {(status === 'loading' || job) && (
        <p className="loading-line" role="status" data-testid="progress-line">
          {job ? job.label : loadingLabel}
          {job && (
            <>
              {' '}
              <progress
                value={job.total ? job.done : undefined}
                max={job.total ?? undefined}
                data-testid={job.label.startsWith('Downloading') ? 'download-progress' : 'job-progress'}
              />{' '}
              {job.total ? `${n(job.done)} of ${n(job.total)}` : job.done > 0 ? n(job.done) : ''}
              {job.label.startsWith('Downloading') && job.done > 0 && ' bytes'}{' '}
              <button type="button" onClick={cancelJobs} data-testid="cancel-job">
                Cancel
              </button>
            </>
          )}
        </p>
      )}
      <ShareDialog />
      <Banner />
      {!summary ? (
        <main className="welcome">
          <p>
            Drop a BPF verifier log buffer anywhere on this page — a TLV buffer or a text log from today’s
            kernels, gzipped or not — or use <em>Open file</em>, <em>Paste text</em> or <em>Open a sample</em>
            .
          </p>
          <p className="muted">Everything stays in this browser: the page makes no requests with your log.</p>
          <RecentLogs />
        </main>
      ) : (
        <>
          {/* A slot of fixed height: the note appears once the log is stored, after the open, and the
              lists below must not change height under the user then. */}
          <div className="kept-slot">
            <KeptNote />
          </div>
          <main className="workspace">
            <aside className="sidebar">
              <SummaryBox />
              <SearchBox />
              <KindFilterSection />
              <TypeFilters />
              <TypeMapEditor key={summary.name + summary.size} />
            </aside>
            <section className="center">
              <VerdictSection />
              <StatusLine />
              <MessageTable />
            </section>
            <section className="panes">
              <div className="tabs" role="tablist">
                {panes.map(([id, label]) => (
                  <button
                    key={id}
                    type="button"
                    role="tab"
                    aria-selected={shownPane === id}
                    data-pane={id}
                    onClick={() => set({ pane: id })}
                  >
                    {label}
                  </button>
                ))}
              </div>
              <div className="pane-body">
                {shownPane === 'record' && <DetailPane />}
                {shownPane === 'buffer' && <BufferHex />}
                {shownPane === 'text' && <TextView />}
                {shownPane === 'state' && <StatePaneSection />}
                {shownPane === 'insns' && <InsnPane />}
                {shownPane === 'source' && <SourcePaneSection />}
              </div>
            </section>
          </main>
        </>
      )}
    </div>
  );
}

/**
 * Says plainly that the open log is stored in this browser (logs can hold
 * secrets) and offers to forget: on every screen with a log, as the welcome
 * screen's recent-logs list does without one.
 */
function KeptNote() {
  const remembered = useApp((s) => s.remembered);
  const recentCount = useApp((s) => s.recent.length);
  if (!remembered && recentCount === 0) return null;
  return (
    <p className="kept-note muted" data-testid="kept-note">
      {remembered
        ? 'This log is kept in this browser (IndexedDB, never sent anywhere) so a reload reopens it. Logs can hold secrets.'
        : `${recentCount} recent log${recentCount === 1 ? ' is' : 's are'} kept in this browser.`}{' '}
      <button type="button" onClick={() => void forgetRecentLogs()}>
        Forget recent logs
      </button>
    </p>
  );
}

function SummaryBox() {
  const summary = useApp((s) => s.summary);
  if (!summary) return null;
  const notes = summary.diagnostics.filter((d) => d.severity === 'info');
  return (
    <dl className="summary" data-testid="summary">
      <dt>file</dt>
      <dd title={summary.name}>{summary.name}</dd>
      <dt>size</dt>
      <dd>
        {n(summary.size)} bytes{summary.compressedSize !== null && ` (${n(summary.compressedSize)} gzipped)`}
      </dd>
      <dt>format</dt>
      <dd data-testid="format">
        {summary.format === 'tlv' ? `TLV, ${summary.byteOrder}-endian` : (summary.format ?? 'none')}
      </dd>
      {summary.end && (
        <>
          <dt>END</dt>
          <dd>
            at {hex8(summary.end.offset)}, {summary.end.count ?? '?'} dropped
          </dd>
        </>
      )}
      {summary.trailing && (
        <>
          <dt>after the log</dt>
          <dd>
            {n(summary.trailing.length)} bytes, {summary.trailing.allZero ? 'all zero' : 'not zero'}
          </dd>
        </>
      )}
      {summary.loading && (
        <>
          <dt>reading</dt>
          <dd data-testid="stream-progress">
            {n(summary.loading.bytesRead)}
            {summary.loading.total !== null && ` of ${n(summary.loading.total)}`} bytes read. The truncation
            verdict, the END count, byte-order checks and the verifier's verdict wait for the whole log.
          </dd>
        </>
      )}
      {!summary.loading && summary.searchCopyBytes ? (
        <>
          <dt>search</dt>
          <dd data-testid="search-copy">
            {summary.searchCopyEager === false
              ? 'reads the log’s bytes directly: no copy of this large log is made (slower searches)'
              : `a copy of the text (${n(summary.searchCopyBytes)} bytes) is built in the worker after the open`}
          </dd>
        </>
      ) : null}
      <dt>truncated</dt>
      <dd data-testid="truncated">
        {summary.loading ? 'waiting for the whole log' : summary.truncation.truncated ? 'yes' : 'no'}
      </dd>
      {summary.outcome.summary && (
        <>
          <dt>verifier</dt>
          <dd>
            {n(summary.outcome.summary.insns)} insns processed (limit {n(summary.outcome.summary.limit)})
          </dd>
        </>
      )}
      {summary.outcome.error && (
        <dd className="verifier-error" data-testid="verifier-error">
          <button
            type="button"
            className="offset-link"
            title="Select the record this message starts in"
            onClick={() => selectRecord(summary.outcome.error?.record ?? 0, { scroll: true })}
          >
            record {n(summary.outcome.error.record)}
          </button>
          {summary.outcome.error.lines.map((line) => (
            <span key={line} className="verifier-error-line">
              {line}
            </span>
          ))}
        </dd>
      )}
      <dt>decoded in</dt>
      <dd>
        {summary.timings.gunzip > 0 && `${summary.timings.gunzip.toFixed(0)} ms gunzip + `}
        {summary.timings.index.toFixed(0)} ms index
      </dd>
      {notes.map((d) => (
        <dd key={d.code} className="note">
          {d.message}
        </dd>
      ))}
    </dl>
  );
}
