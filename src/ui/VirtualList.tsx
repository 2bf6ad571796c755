/**
 * A fixed-row-height virtual list over @tanstack/react-virtual that also
 * works past Chromium's element height clamp (33,554,428 px): beyond
 * MAX_SCROLL_PX the scroll range is scaled, so a million rows, or ten
 * million hex rows, stay reachable to the last one.
 */
import {
  elementScroll,
  observeElementOffset,
  useVirtualizer,
  type VirtualItem,
} from '@tanstack/react-virtual';
import {
  type ReactNode,
  type Ref,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';

const MAX_SCROLL_PX = 8_000_000;

export interface VirtualListHandle {
  scrollToIndex(index: number, align?: 'auto' | 'center' | 'start'): void;
  element(): HTMLDivElement | null;
}

interface Props {
  count: number;
  rowHeight: number;
  renderRow: (item: VirtualItem) => ReactNode;
  onRange?: (start: number, end: number) => void;
  className?: string;
  handle?: Ref<VirtualListHandle>;
  props?: React.HTMLAttributes<HTMLDivElement> & Record<`data-${string}`, string>;
}

export function VirtualList({ count, rowHeight, renderRow, onRange, className, handle, props }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState(600);
  const full = count * rowHeight;
  const scrollHeight = Math.min(full, MAX_SCROLL_PX);
  // Virtual offset per pixel of real scroll: maps [0, scrollHeight - viewport] onto [0, full - viewport].
  const scale = full > MAX_SCROLL_PX ? (full - viewport) / Math.max(1, scrollHeight - viewport) : 1;
  const scaleRef = useRef(scale);
  scaleRef.current = scale;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    observeElementOffset: (instance, cb) =>
      observeElementOffset(instance, (offset, isScrolling) => cb(offset * scaleRef.current, isScrolling)),
    scrollToFn: (offset, options, instance) => elementScroll(offset / scaleRef.current, options, instance),
  });

  // Measure before the first paint, so the first scroll uses the real scale.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (el.clientHeight) setViewport(el.clientHeight);
    const observer = new ResizeObserver(() => setViewport(el.clientHeight || 600));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // When the scale changes (a resize, a new count), keep the same rows in view.
  const previousScale = useRef(scale);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && previousScale.current !== scale) el.scrollTop = (el.scrollTop * previousScale.current) / scale;
    previousScale.current = scale;
  }, [scale]);

  // Scrolling to a row is done here, not by virtualizer.scrollToIndex, which clamps to the element's
  // real (scaled-down) scroll height.
  useImperativeHandle(
    handle,
    () => ({
      scrollToIndex: (index, align = 'auto') => {
        const el = scrollRef.current;
        if (!el) return;
        const height = el.clientHeight;
        const top = index * rowHeight;
        const current = el.scrollTop * scaleRef.current;
        let target: number;
        if (align === 'center') target = top - (height - rowHeight) / 2;
        else if (align === 'start') target = top;
        else if (top < current) target = top;
        else if (top + rowHeight > current + height) target = top + rowHeight - height;
        else return;
        const maxVirtual = Math.max(0, count * rowHeight - height);
        el.scrollTop = Math.max(0, Math.min(maxVirtual, target)) / scaleRef.current;
      },
      element: () => scrollRef.current,
    }),
    [count, rowHeight],
  );

  const items = virtualizer.getVirtualItems();
  const first = items.length ? items[0].index : 0;
  const last = items.length ? items[items.length - 1].index + 1 : 0;
  useEffect(() => {
    onRange?.(first, last);
  }, [first, last, onRange]);

  // Rows sit where the virtual offset says, relative to the real scroll position.
  const realTop = scrollRef.current?.scrollTop ?? 0;
  const virtualTop = virtualizer.scrollOffset ?? 0;
  return (
    <div ref={scrollRef} className={className} {...props}>
      <div style={{ height: scrollHeight, position: 'relative' }}>
        {items.map((item) => (
          <div
            key={item.key}
            style={{
              position: 'absolute',
              left: 0,
              right: 0,
              height: rowHeight,
              transform: `translateY(${scale === 1 ? item.start : realTop + item.start - virtualTop}px)`,
            }}
          >
            {renderRow(item)}
          </div>
        ))}
      </div>
    </div>
  );
}
