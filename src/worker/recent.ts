/**
 * Recent logs, kept in this browser's IndexedDB by content hash so a reload
 * or a hash link reopens them at once. Size-capped, clearable, never sent
 * anywhere. Where IndexedDB is missing (Node, some private modes) every call
 * is a quiet no-op: remembering is a convenience, not a requirement.
 */

export interface RecentEntry {
  /** SHA-256 of the decoded bytes (what hash links name). */
  sha256: string;
  name: string;
  /** Decoded size in bytes. */
  size: number;
  /** Bytes stored: the input as the user gave it (gzip stays gzip). */
  storedSize: number;
  openedAt: number;
}

export const RECENT_MAX_ENTRY_BYTES = 64 << 20;
export const RECENT_MAX_TOTAL_BYTES = 256 << 20;
export const RECENT_MAX_COUNT = 8;

const DB_NAME = 'bpf-log-inspector';
const META = 'recent-meta';
const DATA = 'recent-data';

function available(): boolean {
  return typeof indexedDB !== 'undefined';
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(META, { keyPath: 'sha256' });
      request.result.createObjectStore(DATA);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

function result<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withDb<T>(fallback: T, fn: (db: IDBDatabase) => Promise<T>): Promise<T> {
  if (!available()) return fallback;
  let db: IDBDatabase | null = null;
  try {
    db = await openDb();
    return await fn(db);
  } catch {
    return fallback;
  } finally {
    db?.close();
  }
}

export function listRecent(): Promise<RecentEntry[]> {
  return withDb([], async (db) => {
    const all = await result(db.transaction(META).objectStore(META).getAll() as IDBRequest<RecentEntry[]>);
    return all.sort((a, b) => b.openedAt - a.openedAt);
  });
}

/** Stores the log, then drops the oldest until the caps hold. Too big a log is not stored. */
export function rememberLog(
  entry: Omit<RecentEntry, 'storedSize' | 'openedAt'>,
  input: Uint8Array,
): Promise<boolean> {
  if (input.length > RECENT_MAX_ENTRY_BYTES) return Promise.resolve(false);
  return withDb(false, async (db) => {
    const tx = db.transaction([META, DATA], 'readwrite');
    const full: RecentEntry = { ...entry, storedSize: input.length, openedAt: Date.now() };
    tx.objectStore(META).put(full);
    tx.objectStore(DATA).put(input.slice().buffer, entry.sha256);
    await done(tx);
    const entries = await listRecent();
    let total = 0;
    const evict: string[] = [];
    entries.forEach((e, i) => {
      total += e.storedSize;
      if (i >= RECENT_MAX_COUNT || total > RECENT_MAX_TOTAL_BYTES) evict.push(e.sha256);
    });
    if (evict.length) {
      const cleanup = db.transaction([META, DATA], 'readwrite');
      for (const sha of evict) {
        cleanup.objectStore(META).delete(sha);
        cleanup.objectStore(DATA).delete(sha);
      }
      await done(cleanup);
    }
    return true;
  });
}

export function loadRecent(sha256: string): Promise<{ entry: RecentEntry; input: Uint8Array } | null> {
  return withDb(null, async (db) => {
    const tx = db.transaction([META, DATA]);
    const entry = await result(tx.objectStore(META).get(sha256) as IDBRequest<RecentEntry | undefined>);
    const data = await result(tx.objectStore(DATA).get(sha256) as IDBRequest<ArrayBuffer | undefined>);
    if (!entry || !data) return null;
    return { entry, input: new Uint8Array(data) };
  });
}

export function forgetRecent(): Promise<void> {
  return withDb(undefined, async (db) => {
    const tx = db.transaction([META, DATA], 'readwrite');
    tx.objectStore(META).clear();
    tx.objectStore(DATA).clear();
    await done(tx);
  });
}
