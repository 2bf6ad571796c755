/** Recent logs, kept in this browser's IndexedDB (the worker's side is worker/recent.ts). */
import { askGlobal, set, state } from './owner.ts';

export async function refreshRecent(): Promise<void> {
  try {
    const recent = await askGlobal({ kind: 'recent' });
    const { identity } = state();
    set({ recent, remembered: identity ? recent.some((r) => r.sha256 === identity.sha256) : false });
  } catch {
    set({ recent: [] });
  }
}

/** Clears every stored log; the log on screen stays open, but is no longer kept. */
export async function forgetRecentLogs(): Promise<void> {
  await askGlobal({ kind: 'forgetRecent' }).catch(() => null);
  await refreshRecent();
  set({ notice: 'Recent logs forgotten: this browser keeps no copy of any log now.' });
}
