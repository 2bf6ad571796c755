/**
 * The whole buffer as hex: where each record sits (headers and contents
 * coloured apart), trailing space and undecodable bytes. Clicking a byte
 * selects the record that holds it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { HEX_ROW_BYTES } from '../core/index.ts';
import type { HexPage } from '../worker/protocol.ts';
import { fetchHexPage, selectRecord } from './actions.ts';
import { HexRow } from './HexRows.tsx';
import { useApp } from './store.ts';
import { usePageCache } from './useWindowed.ts';
import { VirtualList, type VirtualListHandle } from './VirtualList.tsx';

const ROW = HEX_ROW_BYTES;
const HEX_ROW_HEIGHT = 18;

export function BufferHex() {
  const summary = useApp((s) => s.summary);
  const logVersion = useApp((s) => s.logVersion);
  const detail = useApp((s) => s.detail);
  const highlight = useApp((s) => s.highlight);
  const focus = useApp((s) => s.bufferFocus);
  const listRef = useRef<VirtualListHandle>(null);
  const [range, setRange] = useState<[number, number]>([0, 0]);
  // A page of the cache is one HexPage of 128 rows; the cache indexes it by row.
  const fetchRows = useCallback(async (startRow: number, count: number) => {
    const page = await fetchHexPage(startRow * ROW, (startRow + count) * ROW);
    return Array.from({ length: count }, () => page);
  }, []);
  const cache = usePageCache<HexPage>(`${logVersion}`, fetchRows, range[0], range[1]);
  const onRange = useCallback((start: number, end: number) => setRange([start, end]), []);

  useEffect(() => {
    if (focus) listRef.current?.scrollToIndex(Math.floor(focus.offset / ROW), 'center');
  }, [focus]);

  if (!summary) return null;
  const rowCount = Math.ceil(summary.size / ROW);
  const trailing = summary.trailing;
  const undecoded = summary.end === null && trailing ? trailing.offset : Number.POSITIVE_INFINITY;
  const selStart = detail?.offset ?? -1;
  const selEnd = detail ? detail.contents[1] : -1;

  const renderRow = (index: number) => {
    const page = cache.get(index);
    const rowOffset = index * ROW;
    if (!page) return <div className="hex-row loading">{rowOffset.toString(16).padStart(8, '0')} …</div>;
    const byteAt = (offset: number) =>
      offset - page.start < page.bytes.length && offset >= page.start
        ? page.bytes[offset - page.start]
        : undefined;
    const classOf = (offset: number) => {
      const parts: string[] = [];
      if (offset >= undecoded) parts.push('undecoded');
      else if (trailing && offset >= trailing.offset) parts.push('trailing');
      else {
        const record = page.records.find((r) => offset >= r.offset && offset < r.end);
        if (record)
          parts.push(
            offset < record.contentStart ? 'field-header' : 'field-contents',
            record.index % 2 ? 'odd' : 'even',
          );
        else parts.push('gap');
      }
      if (offset >= selStart && offset < selEnd) parts.push('selected-record');
      if (highlight && offset >= highlight.start && offset < highlight.end) parts.push('highlight');
      return parts.join(' ');
    };
    const onByte = (offset: number) => {
      const record = page.records.find((r) => offset >= r.offset && offset < r.end);
      if (record) selectRecord(record.index, { push: true, scroll: true });
    };
    return <HexRow rowOffset={rowOffset} byteAt={byteAt} classOf={classOf} onByte={onByte} />;
  };

  return (
    <div className="buffer-hex">
      <p className="legend">
        <span className="byte field-header">header</span>{' '}
        <span className="byte field-contents even">contents</span>{' '}
        <span className="byte trailing">trailing space</span>{' '}
        <span className="byte undecoded">undecoded</span>{' '}
        <span className="byte selected-record">selected record</span>
      </p>
      <VirtualList
        count={rowCount}
        rowHeight={HEX_ROW_HEIGHT}
        renderRow={renderRow}
        onRange={onRange}
        handle={listRef}
        className="hex buffer-hex-body"
        props={{ 'data-testid': 'buffer-hex', 'aria-label': 'Whole buffer as hex' }}
      />
    </div>
  );
}
