/**
 * Windows of the log on screen, for the components: each is one request
 * about the shown generation, dropped (RequestDropped) when another log is
 * shown before it comes back.
 */
import type { HexPage, LineData, RecordDetail, RowData } from '../../worker/protocol.ts';
import { ask } from './owner.ts';

export const fetchRows = (start: number, count: number): Promise<RowData[]> =>
  ask({ kind: 'rows', start, count });
export const fetchLines = (start: number, count: number): Promise<LineData[]> =>
  ask({ kind: 'lines', start, count });
export const fetchLineCount = (): Promise<number> => ask({ kind: 'lineCount' });
export const fetchRecord = (index: number): Promise<RecordDetail | null> => ask({ kind: 'record', index });
export const fetchBytes = (start: number, end: number): Promise<Uint8Array> =>
  ask({ kind: 'bytes', start, end });
export const fetchHexPage = (start: number, end: number): Promise<HexPage> =>
  ask({ kind: 'hexPage', start, end });
