/**
 * Kind chips with counts, the verifier's answer to the TLV type filters: a
 * click toggles a kind, All/None reset. `shown` null means every kind.
 */
import { LINE_KIND_NAMES, type LineKindName } from '../../core/verifier/kinds.ts';
import { n } from '../format.ts';
import { KIND_LABELS } from './display.ts';
import './verifier.css';

export function KindBadge({ kind }: { kind: LineKindName }) {
  return (
    <span className="vf-kind" data-kind={kind}>
      {KIND_LABELS[kind]}
    </span>
  );
}

export interface KindFiltersProps {
  /** Lines per kind (VerdictView.kinds); kinds absent or zero are not listed. */
  counts: Partial<Record<LineKindName, number>>;
  /** The kinds shown; null for all. */
  shown: readonly LineKindName[] | null;
  onChange: (shown: LineKindName[] | null) => void;
}

export function KindFilters({ counts, shown, onChange }: KindFiltersProps) {
  // In the kinds' own order (the order of a log: instructions first, the summary last).
  const present = LINE_KIND_NAMES.filter((kind) => (counts[kind] ?? 0) > 0);
  const isShown = (kind: LineKindName) => !shown || shown.includes(kind);
  const toggle = (kind: LineKindName) => {
    const next = present.filter((k) => (k === kind ? !isShown(k) : isShown(k)));
    onChange(next.length === present.length ? null : next);
  };
  return (
    <fieldset className="vf vf-kind-filter" data-testid="kind-filter">
      <legend>Kinds</legend>
      <div className="filter-buttons">
        <button type="button" onClick={() => onChange(null)}>
          All
        </button>
        <button type="button" onClick={() => onChange([])}>
          None
        </button>
      </div>
      <div className="vf-chips">
        {present.map((kind) => (
          <button
            key={kind}
            type="button"
            className="vf-chip"
            data-kind={kind}
            aria-pressed={isShown(kind)}
            onClick={() => toggle(kind)}
          >
            <span className="vf-kind" data-kind={kind}>
              {KIND_LABELS[kind]}
            </span>
            <span className="vf-chip-count">{n(counts[kind] ?? 0)}</span>
          </button>
        ))}
      </div>
    </fieldset>
  );
}
