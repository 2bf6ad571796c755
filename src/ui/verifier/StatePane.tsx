/**
 * The register and stack state in force at the selected line, parsed: one
 * element per register or slot (`data-reg`), grouped by frame; what this
 * instruction wrote is marked, and the difference from the previous visit
 * of the same pc shown (new, changed with the value before, removed).
 * `RegList` is the same list, compact, for the verdict panel.
 */
import type { DefChain, RegView, StateView } from '../../core/verifier/view.ts';
import { regOperand } from './operands.ts';
import { useEscapeClears } from './useEscape.ts';
import './verifier.css';

export interface RegListProps {
  regs: readonly RegView[];
  /** Operands to highlight (the failing instruction's). */
  highlight?: readonly string[];
  compact?: boolean;
  /** The line the state is at: where a clicked register is read. */
  line: number;
  defs?: DefChain | null;
  onOperand?: (line: number, operand: string) => void;
}

function groupByFrame(regs: readonly RegView[]): [number, RegView[]][] {
  const frames = new Map<number, RegView[]>();
  for (const reg of regs) {
    const list = frames.get(reg.frame);
    if (list) list.push(reg);
    else frames.set(reg.frame, [reg]);
  }
  // The innermost frame first: it is where the instruction runs.
  return [...frames].sort((a, b) => b[0] - a[0]);
}

function Reg({
  reg,
  highlighted,
  compact,
  line,
  defs,
  onOperand,
}: {
  reg: RegView;
  highlighted: boolean;
  compact: boolean;
  line: number;
  defs?: DefChain | null;
  onOperand?: (line: number, operand: string) => void;
}) {
  const operand = regOperand(reg.name);
  const isUse = defs?.line === line && defs.operand === operand;
  const classes = ['vf-reg'];
  if (highlighted) classes.push('highlight');
  if (reg.changed) classes.push('changed');
  if (reg.diff === 'added' || reg.diff === 'changed') classes.push(`diff-${reg.diff}`);
  return (
    <li className={classes.join(' ')} data-reg={reg.name} data-frame={reg.frame} title={reg.text}>
      <span
        className="vf-operand vf-reg-name"
        data-operand={operand}
        data-use={isUse ? '' : undefined}
        role={onOperand ? 'button' : undefined}
        onClick={onOperand ? () => onOperand(line, operand) : undefined}
      >
        {reg.name}
      </span>
      <span className="vf-marks">
        {reg.changed && (
          <span className="vf-mark vf-mark-changed" title="written by this instruction">
            w
          </span>
        )}
        {reg.precise && (
          <span className="vf-mark vf-mark-precise" title="precise: its exact value mattered to a decision">
            P
          </span>
        )}
        {reg.liveness && (
          <span className="vf-mark vf-mark-live" title={`liveness: ${reg.liveness}`}>
            {reg.liveness}
          </span>
        )}
      </span>
      {compact ? (
        <span className="vf-reg-text">{reg.text}</span>
      ) : (
        <>
          <span className="vf-reg-type">{reg.type}</span>
          <span className="vf-reg-fields">
            {reg.fields.map(([key, value], i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fields keep their print order; keys may repeat
              <span key={i} className="vf-field">
                {key && <span className="vf-field-key">{key}=</span>}
                {value}
              </span>
            ))}
          </span>
        </>
      )}
      {!compact && reg.diff === 'added' && <span className="vf-diff">new since the previous visit</span>}
      {!compact && reg.diff === 'changed' && (
        <span className="vf-diff">
          was <code>{reg.previous}</code>
        </span>
      )}
    </li>
  );
}

export function RegList({ regs, highlight, compact = false, line, defs, onOperand }: RegListProps) {
  const frames = groupByFrame(regs);
  return (
    <div className={`vf-regs${compact ? ' compact' : ''}`}>
      {frames.map(([frame, list]) => (
        <section key={frame} className="vf-frame" data-frame={frame}>
          {frames.length > 1 && <h4>frame {frame}</h4>}
          <ul>
            {list.map((reg) => (
              <Reg
                key={reg.name}
                reg={reg}
                highlighted={highlight?.includes(regOperand(reg.name)) ?? false}
                compact={compact}
                line={line}
                defs={defs}
                onOperand={onOperand}
              />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

export interface StatePaneProps {
  /** The state at the selected line; null when nothing is selected or the line has none. */
  state: StateView | null;
  defs?: DefChain | null;
  onOperand?: (line: number, operand: string) => void;
  /** Go to a line (the previous visit, or where the full state was printed). */
  onSelectLine?: (line: number) => void;
  onClearDefs?: () => void;
}

export function StatePane({ state, defs, onOperand, onSelectLine, onClearDefs }: StatePaneProps) {
  useEscapeClears(Boolean(defs), onClearDefs);
  if (!state) {
    return (
      <div className="vf vf-state" data-testid="state-pane">
        <p className="muted">Select a line of the log to see the registers and stack there.</p>
      </div>
    );
  }
  const lineButton = (line: number, label: string) =>
    onSelectLine ? (
      <button type="button" className="vf-link" onClick={() => onSelectLine(line)}>
        {label}
      </button>
    ) : (
      label
    );
  return (
    <div className="vf vf-state" data-testid="state-pane" data-line={state.line}>
      <p className="vf-state-head">
        {state.pc !== null ? <>At pc {state.pc}</> : <>At line {state.line}</>}
        {state.fromLine !== null && state.fromLine !== state.line && (
          <> · full state from {lineButton(state.fromLine, `line ${state.fromLine}`)}</>
        )}
        {state.previousVisitLine !== null ? (
          <>
            {' '}
            · compared with the previous visit,{' '}
            {lineButton(state.previousVisitLine, `line ${state.previousVisitLine}`)}
          </>
        ) : (
          state.pc !== null && <> · first visit of this pc</>
        )}
      </p>
      {state.regs.length === 0 ? (
        <p className="muted">No register state is known here.</p>
      ) : (
        <RegList regs={state.regs} line={state.line} defs={defs} onOperand={onOperand} />
      )}
      {state.removed.length > 0 && (
        <div className="vf-removed">
          Gone since the previous visit:
          <ul className="vf-removed-list">
            {state.removed.map((r) => (
              <li key={`${r.frame}:${r.name}`} data-removed={r.name} data-frame={r.frame}>
                <span className="vf-reg-name">{r.name}</span> was <code>{r.previous}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {state.extra.length > 0 && <p className="vf-extra">{state.extra.join(' ')}</p>}
    </div>
  );
}
