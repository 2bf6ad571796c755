/** The user's names for TLV types, kept in localStorage. */
import { parseTypeMap, serializeTypeMap, type TypeMap } from '../../core/index.ts';
import { set } from './owner.ts';

export const TYPE_MAP_STORAGE_KEY = 'bpf-log-inspector.type-map';

export function loadStoredTypeMap(): void {
  try {
    const stored = localStorage.getItem(TYPE_MAP_STORAGE_KEY);
    if (stored) set({ typeMap: parseTypeMap(stored).map });
  } catch {
    // Storage may be disabled; the built-in names still work.
  }
}

export function setTypeMap(map: TypeMap): void {
  set({ typeMap: new Map(map) });
  try {
    localStorage.setItem(TYPE_MAP_STORAGE_KEY, serializeTypeMap(map));
  } catch {
    // Not persisted; the names still apply for this session.
  }
}
