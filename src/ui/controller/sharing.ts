/** Share links and the buffer download, built in the worker for the log on screen. */
import type { ShareMode } from '../../worker/protocol.ts';
import { ask, isDropped, messageOf, runJob, set, state } from './owner.ts';

function shareBase(): string {
  return `${location.origin}${location.pathname}`;
}

/** Builds the full link; when it is too long, the dialog offers the alternatives. */
export async function startShare(): Promise<void> {
  const { summary } = state();
  // Not while a log streams in: its bytes are not all there (the Share button says so).
  if (!summary || summary.loading) return;
  set({ share: { busy: true, full: null, alternative: null, error: null } });
  try {
    const full = await runJob('share', 'Building the link', {
      kind: 'share',
      view: state().view,
      base: shareBase(),
      mode: 'full',
      records: null,
    });
    set({ share: { busy: false, full, alternative: null, error: null } });
  } catch (e) {
    set({ share: isDropped(e) ? null : { busy: false, full: null, alternative: null, error: messageOf(e) } });
  }
}

export async function shareAlternative(mode: Exclude<ShareMode, 'full'>): Promise<void> {
  const current = state().share;
  if (!current) return;
  set({ share: { ...current, busy: true, error: null } });
  try {
    const alternative = await runJob('share', 'Building the link', {
      kind: 'share',
      view: state().view,
      base: shareBase(),
      mode,
      records: null,
    });
    set({ share: { ...current, busy: false, alternative } });
  } catch (e) {
    set({ share: { ...current, busy: false, error: isDropped(e) ? null : messageOf(e) } });
  }
}

/** The decoded buffer as a file download (for hash links). */
export async function downloadBuffer(): Promise<void> {
  const { summary } = state();
  if (!summary) return;
  const bytes = await ask({ kind: 'original' });
  const url = URL.createObjectURL(
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = summary.name.replace(/\.gz$/, '');
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
