/** UI state (zustand). Selection and filters mirror the URL fragment, which wins. */
import { create } from 'zustand';
import { DEFAULT_VIEW_STATE, type TypeMap, type ViewState } from '../core/index.ts';
import type { LogSummary, RecentEntry, RecordDetail, ShareResult, SortSpec } from '../worker/protocol.ts';

export type Pane = 'record' | 'buffer' | 'text';

export interface ByteRange {
  start: number;
  end: number;
}

export interface ShareState {
  busy: boolean;
  full: ShareResult | null;
  /** An excerpt or hash link offered instead of a link that is too long. */
  alternative: ShareResult | null;
  error: string | null;
}

export interface AppState {
  status: 'idle' | 'loading' | 'ready';
  loadingLabel: string;
  /** A problem opening or reading a file: shown, and the app stays usable. */
  error: string | null;
  /** Something worth saying that is not a problem (an excerpt's note, a matching hash). */
  notice: string | null;
  summary: LogSummary | null;
  /** SHA-256 and length of the open log's bytes, once computed: the URL names the log by them. */
  identity: { sha256: string; length: number } | null;
  /** A hash link waiting for the user to open the file it names. */
  pendingHash: { sha256: string; length: number } | null;
  /** Bumps on every open or re-decode: caches keyed on it. */
  logVersion: number;
  /** Bumps on every new view (filter or sort) from the worker. */
  viewVersion: number;
  viewTotal: number;
  viewError: string | null;
  view: ViewState;
  sort: SortSpec | null;
  /** Where the selected record sits in the current view (-1: hidden by the filter). */
  selectedPosition: number;
  /** Bumps when the table should scroll to the selection. */
  scrollRequest: number;
  pane: Pane;
  /** Bytes highlighted in the hex views (a field of the selected record). */
  highlight: ByteRange | null;
  /** Buffer hex: the offset to scroll to. */
  bufferFocus: { offset: number; seq: number } | null;
  typeMap: TypeMap;
  /** The selected record's fields and text, fetched from the worker. */
  detail: RecordDetail | null;
  share: ShareState | null;
  recent: RecentEntry[];
  /** The open log is stored in this browser's recent logs (said in the UI: logs can hold secrets). */
  remembered: boolean;
  /** A long job in the worker (open, download, search, share) past 300 ms: the progress line, with Cancel. */
  job: { label: string; done: number; total: number | null } | null;
  set: (partial: Partial<AppState>) => void;
}

export const useApp = create<AppState>((set) => ({
  status: 'idle',
  loadingLabel: '',
  error: null,
  notice: null,
  summary: null,
  identity: null,
  pendingHash: null,
  logVersion: 0,
  viewVersion: 0,
  viewTotal: 0,
  viewError: null,
  view: { ...DEFAULT_VIEW_STATE },
  sort: null,
  selectedPosition: -1,
  scrollRequest: 0,
  pane: 'record',
  highlight: null,
  bufferFocus: null,
  typeMap: new Map(),
  detail: null,
  share: null,
  recent: [],
  remembered: false,
  job: null,
  set: (partial) => set(partial),
}));
