/**
 * Windows of worker data (table rows, text lines, buffer bytes) fetched a
 * page at a time and cached per version, so scrolling a million rows asks
 * only for what is on screen.
 */
import { useEffect, useMemo, useReducer } from 'react';

export const PAGE = 128;

export class PageCache<T> {
  private readonly pages = new Map<number, T[]>();
  private readonly pending = new Set<number>();
  constructor(
    private readonly fetchPage: (start: number, count: number) => Promise<T[]>,
    private readonly onArrive: () => void,
  ) {}

  get(i: number): T | undefined {
    return this.pages.get(Math.floor(i / PAGE))?.[i % PAGE];
  }

  /** Makes sure pages covering [start, end) are loaded or on their way. */
  want(start: number, end: number): void {
    for (let p = Math.floor(Math.max(0, start) / PAGE); p * PAGE < end; p++) {
      if (this.pages.has(p) || this.pending.has(p)) continue;
      this.pending.add(p);
      this.fetchPage(p * PAGE, PAGE).then(
        (items) => {
          this.pending.delete(p);
          this.pages.set(p, items);
          // Keep memory flat when a user scrolls through a million rows.
          if (this.pages.size > 64) this.pages.delete(this.pages.keys().next().value as number);
          this.onArrive();
        },
        () => this.pending.delete(p),
      );
    }
  }
}

/** A PageCache that lives as long as `version` does, and re-renders the caller when data arrives. */
export function usePageCache<T>(
  version: string,
  fetchPage: (start: number, count: number) => Promise<T[]>,
  start: number,
  end: number,
): PageCache<T> {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new cache exactly when the version changes
  const cache = useMemo(() => new PageCache<T>(fetchPage, bump), [version]);
  useEffect(() => {
    if (end > start) cache.want(start, end);
  }, [cache, start, end]);
  return cache;
}
