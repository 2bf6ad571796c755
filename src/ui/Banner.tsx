/** The truncation banner: shown whenever the log is incomplete or malformed, in plain words. */
import { problems as problemsOf } from '../core/index.ts';
import { jumpToOffset } from './actions.ts';
import { hex8 } from './format.ts';
import { useApp } from './store.ts';

export function Banner() {
  const summary = useApp((s) => s.summary);
  if (!summary) return null;
  const problems = problemsOf(summary.diagnostics);
  if (!summary.truncation.truncated && problems.length === 0) return null;
  const headline =
    summary.format === null
      ? summary.truncation.message
      : summary.truncation.truncated
        ? summary.truncation.message
        : 'The log is malformed.';
  return (
    <div className="banner" role="alert" data-testid="truncation-banner">
      <strong>{headline}</strong>
      {problems.length > 0 && (
        <ul>
          {problems.map((d) => (
            <li key={`${d.code}-${d.offset}`}>
              <button type="button" className="offset-link" onClick={() => void jumpToOffset(d.offset)}>
                {hex8(d.offset)}
              </button>{' '}
              <code>{d.code}</code> {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
