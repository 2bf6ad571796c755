/**
 * The answer first: accepted or rejected, and for a rejection the message,
 * the failing instruction with its source line, the registers there (the
 * instruction's operands highlighted) and a button to the error's record.
 * Then what truncation means for the verdict, a program picker when the file
 * holds several, and the verifier's stats.
 */
import type { DefChain, StatsView, VerdictView } from '../../core/verifier/view.ts';
import { n } from '../format.ts';
import { formatMicros, formatShare, hasStats } from './display.ts';
import { InsnText } from './InsnText.tsx';
import { insnOperands } from './operands.ts';
import { RegList } from './StatePane.tsx';
import './verifier.css';

export type VerdictError = NonNullable<VerdictView['error']>;

export interface VerdictPanelProps {
  verdict: VerdictView;
  /** Select and scroll to the error's record (`error.record`). */
  onJumpToError: (error: VerdictError) => void;
  /** Show another of the file's programs (`ProgramRef.index`). */
  onSelectProgram: (index: number) => void;
  /** Select the failing instruction's line (`error.insnLine`). */
  onSelectLine?: (line: number) => void;
  defs?: DefChain | null;
  onOperand?: (line: number, operand: string) => void;
}

const VERDICT_TEXT = { accepted: 'Accepted', rejected: 'Rejected', unknown: 'Verdict unknown' } as const;

export function VerdictPanel({
  verdict,
  onJumpToError,
  onSelectProgram,
  onSelectLine,
  defs,
  onOperand,
}: VerdictPanelProps) {
  const { error, state, programs } = verdict;
  const program = programs.find((p) => p.index === verdict.program);
  const failing = error?.insn ?? null;
  const operands = failing ? insnOperands(error?.call ?? failing) : [];
  const stateLine = state?.line ?? error?.insnLine ?? error?.line ?? 0;
  return (
    <section
      className="vf vf-verdict"
      data-testid="verdict"
      data-verdict={verdict.verdict}
      aria-label="Verifier verdict"
    >
      <header className="vf-verdict-head">
        <span className="vf-verdict-badge" data-verdict={verdict.verdict}>
          {VERDICT_TEXT[verdict.verdict]}
        </span>
        {program && (verdict.programs.length > 1 || program.wrapper !== 'plain') && (
          <span className="vf-program-name">{program.name}</span>
        )}
        {programs.length > 1 && (
          <label className="vf-program-picker">
            Program{' '}
            <select
              data-testid="program-picker"
              value={verdict.program}
              onChange={(e) => onSelectProgram(Number(e.target.value))}
            >
              {programs.map((p) => (
                <option key={p.index} value={p.index}>
                  {p.name} · {p.verdict}
                </option>
              ))}
            </select>
          </label>
        )}
        {error && (
          <button
            type="button"
            className="vf-jump"
            data-testid="jump-to-error"
            onClick={() => onJumpToError(error)}
          >
            Jump to error
          </button>
        )}
      </header>
      {verdict.reason && <p className="vf-reason">{verdict.reason}</p>}
      {error && (
        <div className="vf-error">
          <pre className="vf-error-message" data-testid="verdict-error">
            {error.message}
          </pre>
          {failing !== null && (
            <div className="vf-failing">
              <span className="vf-failing-label">at</span>
              {error.pc !== null &&
                (onSelectLine && error.insnLine !== null ? (
                  <button
                    type="button"
                    className="vf-link vf-pc"
                    title="Select this instruction's line"
                    onClick={() => error.insnLine !== null && onSelectLine(error.insnLine)}
                  >
                    pc {error.pc}
                  </button>
                ) : (
                  <span className="vf-pc">pc {error.pc}</span>
                ))}
              <code className="vf-failing-insn">
                <InsnText
                  text={error.call ?? failing}
                  line={error.insnLine}
                  defs={defs}
                  highlight={operands}
                  onOperand={onOperand && ((o) => onOperand(error.insnLine ?? error.line, o))}
                />
              </code>
              {error.source && (
                <span className="vf-source-ref">
                  {error.source.file !== null && (
                    <span className="vf-source-loc">
                      {error.source.file}:{error.source.line}
                    </span>
                  )}{' '}
                  <code>{error.source.text}</code>
                </span>
              )}
            </div>
          )}
          {error.hint && (
            <details className="vf-hint" data-testid="verdict-hint" data-hint={error.hint.id}>
              <summary>
                <span className="vf-hint-label">Likely cause</span> {error.hint.title}
              </summary>
              <p>{error.hint.why}</p>
              <p>
                <span className="vf-hint-label">Usual fix</span> {error.hint.fix}
              </p>
              <p className="muted vf-hint-note">Read from the error’s wording, not said by the verifier.</p>
            </details>
          )}
          {state && state.regs.length > 0 && (
            <RegList
              regs={state.regs}
              highlight={operands}
              compact
              line={stateLine}
              defs={defs}
              onOperand={onOperand}
            />
          )}
        </div>
      )}
      {verdict.stripped.length > 0 && (
        <p className="vf-stripped muted">
          Not part of the kernel's log, set aside: {verdict.stripped.join('; ')}.
        </p>
      )}
      {hasStats(verdict.stats) && <VerifierStats stats={verdict.stats} />}
    </section>
  );
}

export function VerifierStats({ stats }: { stats: StatsView }) {
  const { processed, limit } = stats;
  const share = processed !== null && limit ? Math.min(1, processed / limit) : null;
  return (
    <dl className="vf-stats" data-testid="verifier-stats">
      {processed !== null && (
        <>
          <dt>Processed</dt>
          <dd>
            {share !== null && (
              <span
                className={`vf-bar${share >= 1 ? ' full' : ''}`}
                role="meter"
                aria-valuemin={0}
                aria-valuemax={limit ?? undefined}
                aria-valuenow={processed}
                aria-label="instructions processed of the limit"
              >
                <span className="vf-bar-fill" style={{ width: `${Math.max(share * 100, 0.5)}%` }} />
              </span>
            )}
            {n(processed)} insns
            {limit !== null && (
              <span className="muted">
                {' '}
                of {n(limit)} ({formatShare(processed, limit)})
              </span>
            )}
          </dd>
        </>
      )}
      {(stats.totalStates !== null || stats.peakStates !== null) && (
        <>
          <dt>States</dt>
          <dd>
            {stats.totalStates !== null && <>{n(stats.totalStates)} total</>}
            {stats.totalStates !== null && stats.peakStates !== null && ', '}
            {stats.peakStates !== null && <>{n(stats.peakStates)} at peak</>}
            {stats.maxStatesPerInsn !== null && <>, at most {n(stats.maxStatesPerInsn)} per insn</>}
          </dd>
        </>
      )}
      {stats.verificationTimeUs !== null && (
        <>
          <dt>Time</dt>
          <dd>{formatMicros(stats.verificationTimeUs)}</dd>
        </>
      )}
      {stats.stackDepths && (
        <>
          <dt>Stack</dt>
          <dd>
            {stats.stackDepths.length === 1
              ? `${n(stats.stackDepths[0])} bytes`
              : stats.stackDepths.map((d, i) => `frame ${i}: ${n(d)} B`).join(', ')}
          </dd>
        </>
      )}
    </dl>
  );
}
