/** The log as lines: STRING fragments joined (TLV) or the text's lines; each line links to its records. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LineData } from '../worker/protocol.ts';
import { fetchLineCount, fetchLines, selectRecord } from './actions.ts';
import { useApp } from './store.ts';
import { usePageCache } from './useWindowed.ts';
import { VirtualList, type VirtualListHandle } from './VirtualList.tsx';

const LINE_HEIGHT = 20;

export function TextView() {
  const summary = useApp((s) => s.summary);
  const logVersion = useApp((s) => s.logVersion);
  const detail = useApp((s) => s.detail);
  const listRef = useRef<VirtualListHandle>(null);
  const [range, setRange] = useState<[number, number]>([0, 0]);
  const cache = usePageCache<LineData>(`${logVersion}`, fetchLines, range[0], range[1]);
  const onRange = useCallback((start: number, end: number) => setRange([start, end]), []);
  const selectedLine = detail?.line ?? -1;
  // A TLV log's line count needs its fragments joined: asked for when this view first shows.
  const [lineCount, setLineCount] = useState<number | null>(summary?.lineCount ?? null);
  useEffect(() => {
    if (summary?.lineCount != null) {
      setLineCount(summary.lineCount);
      return;
    }
    let live = true;
    setLineCount(null);
    fetchLineCount()
      .then((count) => live && setLineCount(count))
      .catch(() => live && setLineCount(0));
    return () => {
      live = false;
    };
  }, [summary]);

  useEffect(() => {
    if (selectedLine >= 0) listRef.current?.scrollToIndex(selectedLine, 'center');
  }, [selectedLine]);

  if (!summary) return null;
  if (lineCount === null) return <p className="muted">Joining the fragments into lines…</p>;
  const renderRow = (index: number) => {
    const line = cache.get(index);
    if (!line) return <div className="text-line loading">…</div>;
    const records = line.endRecord - line.firstRecord;
    return (
      <div
        className={`text-line${line.line === selectedLine ? ' selected' : ''}`}
        data-line={line.line}
        title={
          records > 1 ? `records ${line.firstRecord}–${line.endRecord - 1}` : `record ${line.firstRecord}`
        }
        onClick={() => selectRecord(line.firstRecord, { push: true, scroll: true })}
      >
        {/* Lines are labelled with their first record's No., the number the table and links use. */}
        <span className="line-no">{line.firstRecord}</span>
        <span className="line-text">{line.text}</span>
        {records > 1 && <span className="line-records">{records} records</span>}
      </div>
    );
  };
  return (
    <VirtualList
      count={lineCount}
      rowHeight={LINE_HEIGHT}
      renderRow={renderRow}
      onRange={onRange}
      handle={listRef}
      className="text-view"
      props={{ 'data-testid': 'text-view', 'aria-label': 'Log text' }}
    />
  );
}
