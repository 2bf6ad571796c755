/** Names for unknown message types: edited here, kept in localStorage, importable from JSON. */
import { useMemo, useState } from 'react';
import {
  BUILTIN_TYPE_NAMES,
  isKnownType,
  mostFrequentTypes,
  parseTypeMap,
  serializeTypeMap,
} from '../core/index.ts';
import { setTypeMap } from './actions.ts';
import { useApp } from './store.ts';

const MAX_EDITED_TYPES = 12;

export function TypeMapEditor() {
  const summary = useApp((s) => s.summary);
  const typeMap = useApp((s) => s.typeMap);
  const [message, setMessage] = useState('');
  // The most frequent unknown types; any other can be named by number below.
  const counts = summary?.typeCounts;
  const present = useMemo(
    () =>
      counts
        ? mostFrequentTypes(counts, MAX_EDITED_TYPES, (type) => !BUILTIN_TYPE_NAMES.has(type))
            .sort((a, b) => b.count - a.count || a.type - b.type)
            .map((c) => c.type)
        : [],
    [counts],
  );
  const [newType, setNewType] = useState('');
  // Open at first when some unknown type has no name; after that the user decides (not every render).
  const [openInitially] = useState(() => present.some((t) => !isKnownType(typeMap, t)));
  const named = [...typeMap.keys()].filter((t) => !present.includes(t));
  const rename = (type: number, name: string) => {
    const next = new Map(typeMap);
    if (name.trim() === '') next.delete(type);
    else {
      const parsed = parseTypeMap({ [String(type)]: name });
      if (parsed.errors.length) {
        setMessage(parsed.errors[0]);
        return;
      }
      next.set(type, name.trim());
    }
    setMessage('');
    setTypeMap(next);
  };
  return (
    <details className="type-map" open={openInitially}>
      <summary>Type names</summary>
      {[...present, ...named].map((type) => (
        <label key={`${type}:${typeMap.get(type) ?? ''}`} className="type-name">
          type {type}{' '}
          <input
            data-testid={`type-name-${type}`}
            defaultValue={typeMap.get(type) ?? ''}
            placeholder="name"
            maxLength={64}
            onBlur={(e) => rename(type, e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') rename(type, e.currentTarget.value);
            }}
          />
        </label>
      ))}
      <label className="type-name">
        name type{' '}
        <input
          data-testid="type-number"
          inputMode="numeric"
          placeholder="number"
          value={newType}
          onChange={(e) => setNewType(e.target.value.replace(/\D/g, '').slice(0, 5))}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && newType) {
              rename(Number(newType), (e.target as HTMLInputElement).value && `type_${newType}`);
              setNewType('');
            }
          }}
        />
      </label>
      <label className="import">
        Import JSON…{' '}
        <input
          type="file"
          accept=".json,application/json"
          aria-label="Import type names from JSON"
          data-testid="type-map-import"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            const { map, errors } = parseTypeMap(await file.text());
            setTypeMap(new Map([...typeMap, ...map]));
            setMessage(
              errors.length
                ? `Imported ${map.size}; skipped: ${errors.join('; ')}`
                : `Imported ${map.size} name(s).`,
            );
          }}
        />
      </label>
      <button type="button" onClick={() => setMessage(serializeTypeMap(typeMap))}>
        Show as JSON
      </button>
      {message && (
        <p className="muted" role="status">
          {message}
        </p>
      )}
    </details>
  );
}
