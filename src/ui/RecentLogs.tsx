/** Logs opened before in this browser (IndexedDB, by content hash): reopen one, or forget them all. */
import { forgetRecentLogs, openRecent } from './actions.ts';
import { n } from './format.ts';
import { useApp } from './store.ts';

export function RecentLogs() {
  const recent = useApp((s) => s.recent);
  if (recent.length === 0) return null;
  return (
    <section className="recent" aria-label="Recent logs" data-testid="recent-logs">
      <h2>Recent logs, kept only in this browser</h2>
      <ul>
        {recent.map((r) => (
          <li key={r.sha256}>
            <button type="button" className="offset-link" onClick={() => void openRecent(r.sha256)}>
              {r.name}
            </button>{' '}
            <span className="muted">
              {n(r.size)} bytes · {new Date(r.openedAt).toLocaleString()}
            </span>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void forgetRecentLogs()}>
        Forget recent logs
      </button>
    </section>
  );
}
