/** Type filters (one checkbox per type present) and the text/regex search. Filtering runs in the worker. */
import { useEffect, useMemo, useState } from 'react';
import { BUILTIN_TYPE_NAMES, mostFrequentTypes } from '../core/index.ts';
import { REGEX_SYNTAX_NOTE } from '../worker/protocol.ts';
import { setFilter } from './actions.ts';
import { n, typeText } from './format.ts';
import { useApp } from './store.ts';

/** The search waits for a pause in typing this long, so a burst of keys costs one search. */
export const SEARCH_PAUSE_MS = 120;

/** More types than this (a log full of unknown types) are grouped as "other types". */
const MAX_LISTED_TYPES = 40;

/**
 * The `types` filter for a set of shown types: null when all are shown, the
 * shown types when they are few, else every type value but the hidden ones,
 * which the URL writes as a few ranges ("0-6,8-65535").
 */
function typesFilter(present: Uint16Array, isShown: (type: number) => boolean): number[] | null {
  const hidden = Array.from(present).filter((t) => !isShown(t));
  if (hidden.length === 0) return null;
  const shown = Array.from(present).filter(isShown);
  if (shown.length <= hidden.length) return shown;
  const hiddenSet = new Set(hidden);
  const all: number[] = [];
  for (let t = 0; t <= 0xffff; t++) if (!hiddenSet.has(t)) all.push(t);
  return all;
}

export function TypeFilters() {
  const summary = useApp((s) => s.summary);
  const types = useApp((s) => s.view.types);
  const typeMap = useApp((s) => s.typeMap);
  const counts = summary?.typeCounts;
  // Once per summary (each progress tick of a streamed open), linear in the types present.
  const listed = useMemo(() => (counts ? mostFrequentTypes(counts, MAX_LISTED_TYPES) : []), [counts]);
  const listedSet = useMemo(() => new Set(listed.map((c) => c.type)), [listed]);
  const others = useMemo(() => {
    if (!counts) return { types: 0, records: 0 };
    let records = 0;
    const all = counts.counts;
    for (let k = 0; k < all.length; k++) records += all[k];
    for (const { count } of listed) records -= count;
    return { types: counts.types.length - listed.length, records };
  }, [counts, listed]);
  if (!summary) return null;
  if (!counts) {
    return (
      <fieldset className="type-filter" data-testid="type-filter">
        <legend>Types</legend>
        <p className="muted">A text log: its lines have no type.</p>
      </fieldset>
    );
  }
  const shownSet = types ? new Set(types) : null;
  const isShown = (t: number) => !shownSet || shownSet.has(t);
  const present = counts.types;
  // With every type shown (the usual case, and all of a streamed open) nothing needs counting.
  let othersShown = shownSet ? 0 : others.types;
  if (shownSet && others.types > 0)
    for (let k = 0; k < present.length; k++)
      if (!listedSet.has(present[k]) && shownSet.has(present[k])) othersShown++;
  const apply = (next: (t: number) => boolean) => setFilter({ types: typesFilter(present, next) });
  return (
    <fieldset className="type-filter" data-testid="type-filter">
      <legend>Types</legend>
      <div className="filter-buttons">
        <button type="button" onClick={() => setFilter({ types: null })}>
          All
        </button>
        <button type="button" onClick={() => setFilter({ types: [] })}>
          None
        </button>
      </div>
      {listed.map(({ type, count }) => (
        <label key={type} className={BUILTIN_TYPE_NAMES.has(type) ? '' : 'unknown-type'}>
          <input
            type="checkbox"
            checked={isShown(type)}
            onChange={(e) => apply((t) => (t === type ? e.target.checked : isShown(t)))}
          />{' '}
          {typeText(typeMap, type)} · {n(count)}
        </label>
      ))}
      {others.types > 0 && (
        <label className="unknown-type" data-testid="other-types">
          <input
            type="checkbox"
            checked={othersShown === others.types}
            ref={(el) => {
              if (el) el.indeterminate = othersShown > 0 && othersShown < others.types;
            }}
            onChange={(e) => apply((t) => (listedSet.has(t) ? isShown(t) : e.target.checked))}
          />{' '}
          {n(others.types)} other types · {n(others.records)}
        </label>
      )}
    </fieldset>
  );
}

export function SearchBox() {
  const query = useApp((s) => s.view.query);
  const regex = useApp((s) => s.view.regex);
  const viewError = useApp((s) => s.viewError);
  const [text, setText] = useState(query);
  useEffect(() => setText(query), [query]);
  // The worker compiles the pattern (RE2, linear time) and says what it refuses; the page does not guess with JS RegExp.
  const error = regex ? viewError : null;
  return (
    <div className="search">
      <label>
        Search{' '}
        <input
          type="search"
          data-testid="search-input"
          placeholder={regex ? 'regular expression (RE2)' : 'text in messages'}
          value={text}
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setText(e.target.value);
            setFilter({ query: e.target.value }, SEARCH_PAUSE_MS);
          }}
        />
      </label>
      <label className="regex-toggle">
        <input type="checkbox" checked={regex} onChange={(e) => setFilter({ regex: e.target.checked })} />{' '}
        regex
      </label>
      {regex && (
        <p className="muted search-syntax" data-testid="search-syntax">
          {REGEX_SYNTAX_NOTE}.
        </p>
      )}
      {error && (
        <p className="error" role="status" data-testid="search-error">
          {error}
        </p>
      )}
    </div>
  );
}
