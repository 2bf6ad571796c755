/**
 * The message table: TanStack Table for columns, headers and sort state;
 * the rows are a window the worker returns (it filters and sorts), drawn by
 * VirtualList. Keyboard: arrows, Page Up/Down, Home/End, Enter.
 */
import {
  createColumnHelper,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LogLineRow } from '../core/verifier/view.ts';
import type { RowData, SortColumn } from '../worker/protocol.ts';
import { fetchRows, recordLink, selectRecord, setSort, showDefChain } from './actions.ts';
import { copyText, hex8, n, typeText } from './format.ts';
import { useApp } from './store.ts';
import { usePageCache } from './useWindowed.ts';
import { VirtualList, type VirtualListHandle } from './VirtualList.tsx';
import { LOG_ROW_CLASS, LogHeaderCells, LogLineCells, logRowAttributes } from './verifier/LogCells.tsx';

const onOperand = (line: number, operand: string) => void showDefChain(line, operand);

/** A text line the worker sent without the verifier's reading (none yet): shown as plain text. */
const plainLine = (data: RowData): LogLineRow => ({
  line: data.index,
  record: data.index,
  kind: 'unknown',
  pc: null,
  insn: null,
  stateTail: null,
  call: null,
  text: data.preview,
});

export const ROW_HEIGHT = 22;
const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, RowData>();

export function MessageTable() {
  const summary = useApp((s) => s.summary);
  const typeMap = useApp((s) => s.typeMap);
  const viewTotal = useApp((s) => s.viewTotal);
  const viewVersion = useApp((s) => s.viewVersion);
  const logVersion = useApp((s) => s.logVersion);
  // Rows carry the verifier's reading once the model is built: fetch them again then.
  const verifierVersion = useApp((s) => s.verifierVersion);
  const selected = useApp((s) => s.view.rec);
  const selectedPosition = useApp((s) => s.selectedPosition);
  const scrollRequest = useApp((s) => s.scrollRequest);
  const sort = useApp((s) => s.sort);
  const defs = useApp((s) => s.defs);
  const listRef = useRef<VirtualListHandle>(null);
  const [range, setRange] = useState<[number, number]>([0, 0]);
  const [copied, setCopied] = useState<number | null>(null);

  const cache = usePageCache<RowData>(
    `${logVersion}:${viewVersion}:${verifierVersion}`,
    fetchRows,
    range[0],
    range[1],
  );
  const onRange = useCallback((start: number, end: number) => setRange([start, end]), []);

  useEffect(() => {
    if (scrollRequest > 0 && selectedPosition >= 0)
      listRef.current?.scrollToIndex(selectedPosition, 'center');
  }, [scrollRequest, selectedPosition]);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor('index', { id: 'index', header: 'No.', cell: (c) => c.getValue() }),
        helper.accessor('offset', { id: 'offset', header: 'Offset', cell: (c) => hex8(c.getValue()) }),
        helper.accessor('type', { id: 'type', header: 'Type', cell: (c) => typeText(typeMap, c.getValue()) }),
        helper.accessor('length', { id: 'length', header: 'Length', cell: (c) => n(c.getValue()) }),
        helper.accessor('preview', {
          id: 'preview',
          header: 'Contents',
          enableSorting: false,
          cell: (c) => c.getValue(),
        }),
      ]),
    [typeMap],
  );

  const visible: RowData[] = [];
  for (let p = range[0]; p < range[1]; p++) {
    const row = cache.get(p);
    if (row) visible.push(row);
  }
  const sorting: SortingState = sort ? [{ id: sort.column, desc: sort.desc }] : [];
  const table = useTable({
    features,
    columns,
    data: visible,
    manualSorting: true,
    enableSortingRemoval: true,
    // Ascending first for every column, numbers included.
    sortDescFirst: false,
    getRowId: (row: RowData) => String(row.index),
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      setSort(next.length ? { column: next[0].id as SortColumn, desc: next[0].desc } : null);
    },
  });
  const rowById = new Map(table.getRowModel().rows.map((r) => [r.original.index, r]));

  const moveTo = async (position: number) => {
    const target = Math.max(0, Math.min(viewTotal - 1, position));
    if (viewTotal === 0) return;
    // Scroll at once: the rows there are fetched while the row to select is asked for.
    listRef.current?.scrollToIndex(target);
    const row = cache.get(target) ?? (await fetchRows(target, 1).catch(() => []))[0];
    if (row) selectRecord(row.index, { push: false, scroll: false, position: target });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((listRef.current?.element()?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const at = selectedPosition >= 0 ? selectedPosition : range[0] - 1;
    const keys: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      PageDown: at + page,
      PageUp: at - page,
      Home: 0,
      End: viewTotal - 1,
    };
    if (event.key in keys) {
      event.preventDefault();
      void moveTo(keys[event.key]);
    }
  };

  // Text logs read like the verifier thinks: No., pc, kind, instruction, state, line (offset and
  // length are in the record pane). TLV records keep their columns (a STRING row carries its line's kind as data-kind).
  const isTextLog = summary?.format === 'text';
  const renderRow = (position: number) => {
    const data = cache.get(position);
    if (!data) {
      return (
        <div className="row loading" role="row" aria-rowindex={position + 2}>
          <span className="cell">…</span>
        </div>
      );
    }
    const row = rowById.get(data.index);
    const isSelected = data.index === selected;
    const line = isTextLog ? (data.verifier ?? plainLine(data)) : null;
    const kindAttributes = data.verifier ? logRowAttributes(data.verifier, defs) : {};
    return (
      <div
        className={`row${isSelected ? ' selected' : ''}${data.isText ? '' : ' binary'}${line ? ` ${LOG_ROW_CLASS}` : ''}`}
        role="row"
        aria-rowindex={position + 2}
        aria-selected={isSelected}
        {...kindAttributes}
        data-record-index={data.index}
        onClick={() => selectRecord(data.index, { push: true, scroll: false, position })}
      >
        {line ? (
          <LogLineCells row={line} defs={defs} onOperand={onOperand} />
        ) : (
          row?.getAllCells().map((cell) => (
            <span key={cell.id} role="gridcell" className={`cell col-${cell.column.id}`}>
              <table.FlexRender cell={cell} />
            </span>
          ))
        )}
        <span role="gridcell" className="cell col-link">
          <button
            type="button"
            className="link-button"
            title="Copy link to this record"
            aria-label={`Copy link to record ${data.index}`}
            onClick={(e) => {
              e.stopPropagation();
              void copyText(recordLink(data.index)).then((ok) => setCopied(ok ? data.index : null));
            }}
          >
            {copied === data.index ? 'copied' : 'link'}
          </button>
        </span>
      </div>
    );
  };

  if (!summary) return null;
  return (
    <div className="table-wrap">
      <div className={`row header${isTextLog ? ` ${LOG_ROW_CLASS}` : ''}`} role="row">
        {isTextLog && <LogHeaderCells />}
        {!isTextLog &&
          table.getHeaderGroups()[0].headers.map((header) => {
            const sorted = header.column.getIsSorted();
            const sortable = header.column.getCanSort();
            return (
              <span
                key={header.id}
                role="columnheader"
                className={`cell col-${header.column.id}`}
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
              >
                {sortable ? (
                  <button
                    type="button"
                    className="sort-button"
                    onClick={header.column.getToggleSortingHandler()}
                  >
                    <table.FlexRender header={header} />
                    {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                  </button>
                ) : (
                  <table.FlexRender header={header} />
                )}
              </span>
            );
          })}
        <span className="cell col-link" />
      </div>
      <VirtualList
        count={viewTotal}
        rowHeight={ROW_HEIGHT}
        renderRow={renderRow}
        onRange={onRange}
        handle={listRef}
        className="table-body"
        props={{
          role: 'grid',
          tabIndex: 0,
          'aria-label': 'Messages',
          'aria-rowcount': viewTotal + 1,
          'data-testid': 'message-table',
          onKeyDown,
        }}
      />
    </div>
  );
}
