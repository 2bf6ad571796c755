/** Type filters (one checkbox per type present) and the text/regex search. Filtering runs in the worker. */
import { useEffect, useState } from 'react';
import { setFilter } from './actions.ts';
import { n, typeText } from './format.ts';
import { useApp } from './store.ts';

export function TypeFilters() {
  const summary = useApp((s) => s.summary);
  const types = useApp((s) => s.view.types);
  const typeMap = useApp((s) => s.typeMap);
  if (!summary) return null;
  const counts = summary.typeCounts;
  if (!counts) {
    return (
      <fieldset className="type-filter" data-testid="type-filter">
        <legend>Types</legend>
        <p className="muted">A text log: its lines have no type.</p>
      </fieldset>
    );
  }
  const shown = new Set(types ?? counts.map((c) => c.type));
  const toggle = (type: number, on: boolean) => {
    const next = counts.map((c) => c.type).filter((t) => (t === type ? on : shown.has(t)));
    setFilter({ types: next.length === counts.length ? null : next });
  };
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
      {counts.map(({ type, count }) => (
        <label key={type} className={type === 1 || type === 2 ? '' : 'unknown-type'}>
          <input type="checkbox" checked={shown.has(type)} onChange={(e) => toggle(type, e.target.checked)} />{' '}
          {typeText(typeMap, type)} · {n(count)}
        </label>
      ))}
    </fieldset>
  );
}

export function SearchBox() {
  const query = useApp((s) => s.view.query);
  const regex = useApp((s) => s.view.regex);
  const viewError = useApp((s) => s.viewError);
  const [text, setText] = useState(query);
  useEffect(() => setText(query), [query]);
  let liveError: string | null = null;
  if (regex && text) {
    try {
      new RegExp(text, 'u');
    } catch (e) {
      liveError = (e as Error).message;
    }
  }
  const error = liveError ?? (regex ? viewError : null);
  return (
    <div className="search">
      <label>
        Search{' '}
        <input
          type="search"
          data-testid="search-input"
          placeholder={regex ? 'regular expression' : 'text in messages'}
          value={text}
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setText(e.target.value);
            setFilter({ query: e.target.value }, 200);
          }}
        />
      </label>
      <label className="regex-toggle">
        <input type="checkbox" checked={regex} onChange={(e) => setFilter({ regex: e.target.checked })} />{' '}
        regex
      </label>
      {error && (
        <p className="error" role="status" data-testid="search-error">
          Invalid regular expression: {error}
        </p>
      )}
    </div>
  );
}
