/**
 * One row per pc, objdump-like: pc, instruction (helper arguments named),
 * source line, visits as a number and a heat bar. The rows are a window the
 * caller's loader returns (the worker sorts), drawn by VirtualList, so a
 * million instructions cost what is on screen. For the selected pc, step
 * through its visits in the log. Keyboard: arrows, Page Up/Down, Home/End.
 */
import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { DefChain, InsnRow, InsnSort } from '../../core/verifier/view.ts';
import { n } from '../format.ts';
import { usePageCache } from '../useWindowed.ts';
import { VirtualList, type VirtualListHandle } from '../VirtualList.tsx';
import { defStepAtPc, heatShare } from './display.ts';
import { InsnText } from './InsnText.tsx';
import { useEscapeClears } from './useEscape.ts';
import './verifier.css';

export const INSN_ROW_HEIGHT = 22;

export interface InsnViewProps {
  /** Changes when the rows do (a new log or program): drops the cached pages. */
  version: string;
  /** Rows in the view: distinct pcs of the program. */
  count: number;
  loadInsnRows: (start: number, count: number, sort: InsnSort) => Promise<InsnRow[]>;
  /** The largest visit count (the heat scale); asked of the loader (first row by visits) when absent. */
  maxVisits?: number;
  initialSort?: InsnSort;
  selectedPc: number | null;
  onSelectPc: (pc: number) => void;
  /** The selected pc's visit being shown (index 0-based), of `count`; null when none. */
  visit?: { index: number; count: number } | null;
  onStepVisit?: (direction: -1 | 1) => void;
  defs?: DefChain | null;
  /** An operand clicked in a row: the caller reads it at the selected visit of that pc. */
  onOperand?: (pc: number, operand: string) => void;
  onClearDefs?: () => void;
}

export function InsnView({
  version,
  count,
  loadInsnRows,
  maxVisits,
  initialSort = 'pc',
  selectedPc,
  onSelectPc,
  visit,
  onStepVisit,
  defs,
  onOperand,
  onClearDefs,
}: InsnViewProps) {
  const [sort, setSort] = useState<InsnSort>(initialSort);
  const [range, setRange] = useState<[number, number]>([0, 0]);
  const [position, setPosition] = useState(-1);
  const [fetchedMax, setFetchedMax] = useState<number | null>(null);
  const listRef = useRef<VirtualListHandle>(null);
  useEscapeClears(Boolean(defs), onClearDefs);

  const fetchPage = useCallback(
    (start: number, size: number) => loadInsnRows(start, size, sort),
    [loadInsnRows, sort],
  );
  const cache = usePageCache<InsnRow>(`${version}:${sort}`, fetchPage, range[0], range[1]);
  const onRange = useCallback((start: number, end: number) => setRange([start, end]), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version has a new maximum
  useEffect(() => {
    if (maxVisits !== undefined || count === 0) return;
    let live = true;
    loadInsnRows(0, 1, 'visits').then(
      (rows) => live && setFetchedMax(rows[0]?.visits ?? 0),
      () => live && setFetchedMax(0),
    );
    return () => {
      live = false;
    };
  }, [version, count, maxVisits, loadInsnRows]);
  const max = maxVisits ?? fetchedMax ?? 0;

  // A pc selected elsewhere (the log, a link): its row among those on screen, once loaded.
  let shownAt = -1;
  if (selectedPc !== null) {
    for (let p = range[0]; p < range[1] && shownAt < 0; p++) if (cache.get(p)?.pc === selectedPc) shownAt = p;
  }
  useEffect(() => {
    if (selectedPc === null || cache.get(position)?.pc === selectedPc) return;
    if (shownAt >= 0) setPosition(shownAt);
    // In pc order a row sits at or a little before its pc (ld_imm64 takes two): look there.
    else if (sort === 'pc') listRef.current?.scrollToIndex(Math.min(selectedPc, count - 1), 'center');
  }, [selectedPc, shownAt, cache, position, sort, count]);

  const moveTo = async (target: number) => {
    if (count === 0) return;
    const at = Math.max(0, Math.min(count - 1, target));
    listRef.current?.scrollToIndex(at);
    const row = cache.get(at) ?? (await loadInsnRows(at, 1, sort))[0];
    if (!row) return;
    setPosition(at);
    onSelectPc(row.pc);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(
      1,
      Math.floor((listRef.current?.element()?.clientHeight ?? 400) / INSN_ROW_HEIGHT) - 1,
    );
    const at = position >= 0 ? position : range[0] - 1;
    const keys: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      PageDown: at + page,
      PageUp: at - page,
      Home: 0,
      End: count - 1,
    };
    if (event.key in keys) {
      event.preventDefault();
      void moveTo(keys[event.key]);
    }
  };

  const renderRow = (index: number) => {
    const row = cache.get(index);
    if (!row) {
      return (
        <div className="vf-insn-row loading" role="row">
          <span className="cell">…</span>
        </div>
      );
    }
    const selected = row.pc === selectedPc;
    const step = defStepAtPc(defs, row.pc);
    const share = heatShare(row.visits, max);
    return (
      <div
        className={`vf-insn-row${selected ? ' selected' : ''}`}
        role="row"
        aria-selected={selected}
        data-pc={row.pc}
        data-visits={row.visits}
        data-def={step >= 0 ? step : undefined}
        onClick={() => {
          setPosition(index);
          onSelectPc(row.pc);
        }}
      >
        <span role="gridcell" className="cell vf-col-pc">
          {row.pc}
        </span>
        <span role="gridcell" className="cell vf-col-insn" title={row.call ?? row.text}>
          <InsnText
            text={row.call ?? row.text}
            onOperand={onOperand && ((operand) => onOperand(row.pc, operand))}
          />
        </span>
        <span role="gridcell" className="cell vf-col-source" title={row.source?.text}>
          {row.source && (
            <>
              {row.source.file !== null && (
                <span className="vf-source-loc">
                  {row.source.file}:{row.source.line}
                </span>
              )}{' '}
              <span className="muted">{row.source.text}</span>
            </>
          )}
        </span>
        <span role="gridcell" className="cell vf-col-visits">
          <span className="vf-visits">{n(row.visits)}</span>
          <span className="vf-heat" aria-hidden="true">
            <span className="vf-heat-fill" style={{ width: `${share * 100}%` }} />
          </span>
        </span>
      </div>
    );
  };

  const header = (column: InsnSort, label: string) => (
    <span
      role="columnheader"
      className={`cell vf-col-${column}`}
      aria-sort={sort === column ? (column === 'visits' ? 'descending' : 'ascending') : 'none'}
    >
      <button
        type="button"
        className="sort-button"
        data-sort={column}
        onClick={() => {
          setSort(column);
          setPosition(-1);
          listRef.current?.scrollToIndex(0, 'start');
        }}
      >
        {label}
        {sort === column ? (column === 'visits' ? ' ▼' : ' ▲') : ''}
      </button>
    </span>
  );

  return (
    <div className="vf vf-insn-view" data-testid="insn-view" data-sort={sort}>
      <div className="vf-visit-bar">
        {selectedPc === null ? (
          <span className="muted">Select an instruction to step through its visits.</span>
        ) : (
          <>
            <span>pc {selectedPc}</span>
            <button
              type="button"
              data-testid="previous-visit"
              disabled={!onStepVisit || !visit || visit.index <= 0}
              onClick={() => onStepVisit?.(-1)}
            >
              ◀ previous visit
            </button>
            <span data-testid="visit-position">
              {visit ? `visit ${n(visit.index + 1)} of ${n(visit.count)}` : 'not visited'}
            </span>
            <button
              type="button"
              data-testid="next-visit"
              disabled={!onStepVisit || !visit || visit.index >= visit.count - 1}
              onClick={() => onStepVisit?.(1)}
            >
              next visit ▶
            </button>
          </>
        )}
      </div>
      <div className="vf-insn-row header" role="row">
        {header('pc', 'pc')}
        <span role="columnheader" className="cell vf-col-insn">
          Instruction
        </span>
        <span role="columnheader" className="cell vf-col-source">
          Source
        </span>
        {header('visits', 'Visits')}
      </div>
      <VirtualList
        count={count}
        rowHeight={INSN_ROW_HEIGHT}
        renderRow={renderRow}
        onRange={onRange}
        handle={listRef}
        className="vf-insn-body"
        props={{
          role: 'grid',
          tabIndex: 0,
          'aria-label': 'Instructions',
          'aria-rowcount': count + 1,
          onKeyDown,
        }}
      />
    </div>
  );
}
