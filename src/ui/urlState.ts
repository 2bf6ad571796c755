/**
 * The URL fragment is the source of truth for what is selected and filtered:
 * `#v=1&rec=<No.>&types=1,7&q=<text>&re=1`. Read from the full href (never
 * location.hash, which some browsers decode).
 */
export interface UrlViewState {
  rec: number | null;
  types: number[] | null;
  q: string;
  re: boolean;
}

export const EMPTY_VIEW_STATE: UrlViewState = { rec: null, types: null, q: '', re: false };

export function fragmentOf(href: string): string {
  const at = href.indexOf('#');
  return at < 0 ? '' : href.slice(at + 1);
}

export function parseUrlViewState(href: string): UrlViewState {
  const params = new URLSearchParams(fragmentOf(href));
  const rec = params.get('rec');
  const types = params.get('types');
  const recNumber = rec !== null && /^\d+$/.test(rec) ? Number(rec) : null;
  const typeList =
    types === null
      ? null
      : types === ''
        ? []
        : types
            .split(',')
            .filter((t) => /^\d+$/.test(t))
            .map(Number)
            .filter((t) => t <= 0xffff);
  return { rec: recNumber, types: typeList, q: params.get('q') ?? '', re: params.get('re') === '1' };
}

/** The fragment for a view state, keys in a fixed, readable order. */
export function formatUrlViewState(state: UrlViewState): string {
  const parts = ['v=1'];
  if (state.rec !== null) parts.push(`rec=${state.rec}`);
  if (state.types !== null) parts.push(`types=${state.types.join(',')}`);
  if (state.q !== '') parts.push(`q=${encodeURIComponent(state.q)}`);
  if (state.re) parts.push('re=1');
  return parts.join('&');
}
