/**
 * A fixed-row-height virtual list over @tanstack/react-virtual that stays
 * fast at any row count:
 *  - react-virtual lays out one entry per item whenever the count changes
 *    (a Float64Array pair and a key per item; TanStack/virtual#565): 350 ms
 *    of main thread for a million rows. So it is given blocks of rows, at
 *    most MAX_ITEMS of them, and the rows drawn are the visible ones of the
 *    blocks it returns (plus OVERSCAN rows).
 *  - past Chromium's element height clamp (33,554,428 px) the scroll range
 *    is scaled beyond MAX_SCROLL_PX, so a million rows, or ten million hex
 *    rows, stay reachable to the last one.
 */
import { elementScroll, observeElementOffset, useVirtualizer } from '@tanstack/react-virtual';
import {
  type ReactNode,
  type Ref,
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';

const MAX_SCROLL_PX = 8_000_000;
const MAX_ITEMS = 4096;
const OVERSCAN = 12;
/** The viewport's height assumed until it is measured. */
const INITIAL_VIEWPORT = 600;

/** Scrolls `el` to `top` and records it: its scroll event, which says the same, comes later. */
function scrollElementTo(known: { current: number }, el: HTMLElement, top: number): void {
  el.scrollTop = top;
  known.current = top;
}

export interface VirtualListHandle {
  scrollToIndex(index: number, align?: 'auto' | 'center' | 'start'): void;
  element(): HTMLDivElement | null;
}

interface Props {
  count: number;
  rowHeight: number;
  renderRow: (index: number) => ReactNode;
  onRange?: (start: number, end: number) => void;
  className?: string;
  handle?: Ref<VirtualListHandle>;
  props?: React.HTMLAttributes<HTMLDivElement> & Record<`data-${string}`, string>;
}

export function VirtualList({ count, rowHeight, renderRow, onRange, className, handle, props }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState(INITIAL_VIEWPORT);
  const full = count * rowHeight;
  const scrollHeight = Math.min(full, MAX_SCROLL_PX);
  // Virtual offset per pixel of real scroll: maps [0, scrollHeight - viewport] onto [0, full - viewport].
  const scale = full > MAX_SCROLL_PX ? (full - viewport) / Math.max(1, scrollHeight - viewport) : 1;
  const scaleRef = useRef(scale);
  scaleRef.current = scale;

  // One item per row up to MAX_ITEMS rows; past that, items are blocks of `perItem` rows.
  const perItem = Math.max(1, Math.ceil(count / MAX_ITEMS));
  // The first row in view, kept as state only to re-render: react-virtual re-renders when its
  // range of blocks changes, and the rows drawn must follow scrolling within a block too.
  const [, setTopRow] = useState(0);
  const rowHeightRef = useRef(rowHeight);
  /** Set by a resize that found the list at its end: the rescale below keeps it there. */
  const stayAtEnd = useRef(false);
  /**
   * The element's scrollTop as its scroll events last said, or as this component last set it (its
   * scroll event comes later): read without forcing layout. A new element is at 0.
   */
  const knownScrollTop = useRef(0);
  rowHeightRef.current = rowHeight;
  // Keyed by its first row: a new block size is a new layout even when the number of blocks is not.
  const getItemKey = useCallback((i: number) => i * perItem, [perItem]);
  const virtualizer = useVirtualizer({
    count: Math.ceil(count / perItem),
    getItemKey,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => Math.min(perItem, count - i * perItem) * rowHeight,
    overscan: perItem === 1 ? OVERSCAN : 1,
    // Sizes and offsets are read when a ResizeObserver reports, after layout: reading them while
    // React commits would force the new rows' layout into the same task as their rendering.
    initialRect: { width: 0, height: INITIAL_VIEWPORT },
    observeElementRect: (instance, cb) => {
      const el = instance.scrollElement;
      if (!el) return;
      // Not read here (in React's commit): the observer's first report gives it, after layout.
      let height: number | null = null;
      const observer = new ResizeObserver(() => {
        // A list scrolled to its end stays at its end when its height changes (a panel or a status
        // line above it opening or closing): the last rows, often the ones the user went to, stay in view.
        const atEnd =
          height !== null &&
          el.scrollTop > 0 &&
          el.scrollTop + Math.max(height, el.clientHeight) >= el.scrollHeight - 2;
        if (atEnd && height !== el.clientHeight) {
          stayAtEnd.current = true;
          scrollElementTo(knownScrollTop, el, el.scrollHeight);
        }
        height = el.clientHeight;
        cb({ width: el.clientWidth, height: el.clientHeight });
        setViewport(el.clientHeight || INITIAL_VIEWPORT);
      });
      observer.observe(el);
      return () => observer.disconnect();
    },
    observeElementOffset: (instance, cb) => {
      // Registered once: reads the current scale and row height through refs.
      const onOffset = (offset: number, isScrolling: boolean) => {
        knownScrollTop.current = offset;
        const virtualOffset = offset * scaleRef.current;
        cb(virtualOffset, isScrolling);
        setTopRow(Math.floor(virtualOffset / rowHeightRef.current));
      };
      let stop: (() => void) | undefined;
      const el = instance.scrollElement;
      if (!el) return;
      const start = new ResizeObserver(() => {
        start.disconnect();
        stop = observeElementOffset(instance, onOffset);
      });
      start.observe(el);
      return () => {
        start.disconnect();
        stop?.();
      };
    },
    // react-virtual scrolls to where the element already is when it first sees it; that scroll would
    // force the new rows' layout inside React's commit (30 ms of a 100 ms first render of a log).
    scrollToFn: (offset, options, instance) => {
      if (offset / scaleRef.current === knownScrollTop.current && !options.behavior) return;
      elementScroll(offset / scaleRef.current, options, instance);
    },
  });

  // When the scale changes (a resize, a new count), keep the same rows in view.
  const previousScale = useRef(scale);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && previousScale.current !== scale) {
      if (stayAtEnd.current) scrollElementTo(knownScrollTop, el, el.scrollHeight);
      else {
        // From the scroll events' offset, not el.scrollTop: a streamed open rescales at every progress
        // tick, and each read or write would force a layout (50-100 ms tasks on a 1 GiB TLV buffer).
        // At the top, where a streamed log is read, nothing moves.
        const top = (knownScrollTop.current * previousScale.current) / scale;
        if (top !== knownScrollTop.current) scrollElementTo(knownScrollTop, el, top);
      }
    }
    stayAtEnd.current = false;
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
        scrollElementTo(knownScrollTop, el, Math.max(0, Math.min(maxVirtual, target)) / scaleRef.current);
      },
      element: () => scrollRef.current,
    }),
    [count, rowHeight],
  );

  // Of the rows of the blocks react-virtual returns, those in view and OVERSCAN either side.
  const items = virtualizer.getVirtualItems();
  const top = Math.floor((virtualizer.scrollOffset ?? 0) / rowHeight);
  const visibleRows = Math.ceil(viewport / rowHeight) + 1;
  const first = items.length ? Math.max(items[0].index * perItem, top - OVERSCAN) : 0;
  const last = items.length
    ? Math.max(
        first,
        Math.min(count, (items[items.length - 1].index + 1) * perItem, top + visibleRows + OVERSCAN),
      )
    : 0;
  useEffect(() => {
    onRange?.(first, last);
  }, [first, last, onRange]);

  // Rows sit where the virtual offset says, relative to the real scroll position.
  // As the scroll events said, like virtualTop: reading scrollTop here would force layout inside the render.
  const realTop = knownScrollTop.current;
  const virtualTop = virtualizer.scrollOffset ?? 0;
  const rows: ReactNode[] = [];
  for (let index = first; index < last; index++) {
    const start = index * rowHeight;
    rows.push(
      <div
        key={index}
        style={{
          position: 'absolute',
          left: 0,
          right: 0,
          height: rowHeight,
          transform: `translateY(${scale === 1 ? start : realTop + start - virtualTop}px)`,
        }}
      >
        {renderRow(index)}
      </div>,
    );
  }
  return (
    <div ref={scrollRef} className={className} {...props}>
      <div style={{ height: scrollHeight, position: 'relative' }}>{rows}</div>
    </div>
  );
}
