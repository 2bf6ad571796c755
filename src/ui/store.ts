/** UI state (zustand). Selection and filters mirror the URL fragment, which wins. */
import { create } from 'zustand';
import { DEFAULT_VIEW_STATE, type TypeMap, type ViewState } from '../core/index.ts';
import type { DefChain, SourceFileView, SourceRef, StateView, VerdictView } from '../core/verifier/view.ts';
import type { LogSummary, RecentEntry, RecordDetail, ShareResult, SortSpec } from '../worker/protocol.ts';

export type Pane = 'record' | 'buffer' | 'text' | 'insns' | 'state' | 'source';

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
  /** The shown program's verdict; null when the log holds no verifier output (or before it is known). */
  verdict: VerdictView | null;
  /** Bumps when the verifier view's rows change (a new log or program): the instruction view's cache key. */
  /** The verdict request has answered (verdict null then means: no verifier output). */
  verdictReady: boolean;
  verifierVersion: number;
  /** Distinct pcs of the shown program and the largest visit count (the heat scale). */
  insnSummary: { count: number; maxVisits: number } | null;
  /** The selected record's log line (text: the line; TLV: its joined line). */
  selectedLine: number | null;
  /** Registers and stack at the selected line. */
  lineState: StateView | null;
  /** The source line in force at the selected line. */
  markedSource: SourceRef | null;
  /** The instruction view's step through the visits of `pc`. */
  visit: { pc: number; index: number; count: number } | null;
  /** Use-def marks: the instruction that last wrote a clicked operand, and its chain back. */
  defs: DefChain | null;
  /** The source pane's files, loaded when the pane is first opened. */
  sourceFiles: SourceFileView[] | null;
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
  verdict: null,
  verifierVersion: 0,
  verdictReady: false,
  insnSummary: null,
  selectedLine: null,
  lineState: null,
  markedSource: null,
  visit: null,
  defs: null,
  sourceFiles: null,
  set: (partial) => set(partial),
}));
