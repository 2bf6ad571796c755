/** UI state (zustand). Selection and filters mirror the URL fragment, which wins. */
import { create } from 'zustand';
import type { TypeMap } from '../core/index.ts';
import type { LogSummary, OpenOptions, RecordDetail, SortSpec } from '../worker/protocol.ts';
import type { UrlViewState } from './urlState.ts';

export type Pane = 'record' | 'buffer' | 'text';

export interface ByteRange {
  start: number;
  end: number;
}

export interface AppState {
  status: 'idle' | 'loading' | 'ready';
  loadingLabel: string;
  /** A problem opening or reading a file: shown, and the app stays usable. */
  error: string | null;
  summary: LogSummary | null;
  overrides: OpenOptions;
  /** Bumps on every open or re-decode: caches keyed on it. */
  logVersion: number;
  /** Bumps on every new view (filter or sort) from the worker. */
  viewVersion: number;
  viewTotal: number;
  viewError: string | null;
  view: UrlViewState;
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
  set: (partial: Partial<AppState>) => void;
}

export const useApp = create<AppState>((set) => ({
  status: 'idle',
  loadingLabel: '',
  error: null,
  summary: null,
  overrides: {},
  logVersion: 0,
  viewVersion: 0,
  viewTotal: 0,
  viewError: null,
  view: { rec: null, types: null, q: '', re: false },
  sort: null,
  selectedPosition: -1,
  scrollRequest: 0,
  pane: 'record',
  highlight: null,
  bufferFocus: null,
  typeMap: new Map(),
  detail: null,
  set: (partial) => set(partial),
}));
