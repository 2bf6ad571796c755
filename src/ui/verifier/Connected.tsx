/**
 * The verifier view's components wired to the store and the controller's
 * actions (never the worker): the verdict above the table, kind filters in
 * the sidebar, and the Instructions / State / Source panes.
 */
import {
  clearDefs,
  fetchInsnRows,
  jumpToError,
  selectLine,
  selectPc,
  selectProgram,
  selectSourceLine,
  setKinds,
  showDefChain,
  showDefChainAtPc,
  stepVisit,
} from '../actions.ts';
import { useApp } from '../store.ts';
import { InsnView } from './InsnView.tsx';
import { KindFilters } from './KindFilters.tsx';
import { SourcePane } from './SourcePane.tsx';
import { StatePane } from './StatePane.tsx';
import { VerdictPanel } from './VerdictPanel.tsx';

const onOperand = (line: number, operand: string) => void showDefChain(line, operand);
const onSelectLine = (line: number) => void selectLine(line);

export function VerdictSection() {
  const verdict = useApp((s) => s.verdict);
  const defs = useApp((s) => s.defs);
  const ready = useApp((s) => s.verdictReady);
  const loading = useApp((s) => s.summary?.loading ?? false);
  const open = useApp((s) => s.summary !== null);
  if (!open) return null;
  // One slot of fixed height from the open on: the verdict arrives after the rows (the model is
  // built then), and a table that changed height under the user would lose its place.
  return (
    <div className="vf-verdict-slot">
      {verdict ? (
        <VerdictPanel
          verdict={verdict}
          onJumpToError={jumpToError}
          onSelectProgram={selectProgram}
          onSelectLine={onSelectLine}
          defs={defs}
          onOperand={onOperand}
        />
      ) : (
        <p className="vf-verdict-waiting">
          {loading
            ? 'The verifier’s verdict waits for the whole log.'
            : ready
              ? 'No verifier output in this log.'
              : 'Reading the verifier’s log…'}
        </p>
      )}
    </div>
  );
}

export function KindFilterSection() {
  const verdict = useApp((s) => s.verdict);
  const kinds = useApp((s) => s.view.kinds);
  if (!verdict) return null;
  return <KindFilters counts={verdict.kinds} shown={kinds} onChange={setKinds} />;
}

export function InsnPane() {
  const verdict = useApp((s) => s.verdict);
  const insnSummary = useApp((s) => s.insnSummary);
  const version = useApp((s) => s.verifierVersion);
  const pc = useApp((s) => s.view.pc);
  const visit = useApp((s) => s.visit);
  const defs = useApp((s) => s.defs);
  if (!verdict || !insnSummary) return <p className="muted">This log holds no verifier instructions.</p>;
  return (
    <InsnView
      version={String(version)}
      count={insnSummary.count}
      maxVisits={insnSummary.maxVisits}
      loadInsnRows={fetchInsnRows}
      selectedPc={pc}
      onSelectPc={(next) => void selectPc(next)}
      visit={visit && visit.pc === pc ? visit : null}
      onStepVisit={pc === null ? undefined : (direction) => void stepVisit(pc, direction)}
      defs={defs}
      onOperand={(at, operand) => void showDefChainAtPc(at, operand)}
      onClearDefs={clearDefs}
    />
  );
}

export function StatePaneSection() {
  const lineState = useApp((s) => s.lineState);
  const defs = useApp((s) => s.defs);
  return (
    <StatePane
      state={lineState}
      defs={defs}
      onOperand={onOperand}
      onSelectLine={onSelectLine}
      onClearDefs={clearDefs}
    />
  );
}

export function SourcePaneSection() {
  const files = useApp((s) => s.sourceFiles);
  const marked = useApp((s) => s.markedSource);
  if (!files) return <p className="muted">Reading the source lines…</p>;
  return <SourcePane files={files} marked={marked} onSelectSourceLine={selectSourceLine} />;
}
