/**
 * The log view's cells for one verifier line: No., pc, kind, instruction,
 * state tail, text. The table row around them is the caller's (it keeps
 * `data-record-index`); `logRowAttributes` gives it `data-kind` and `data-pc`.
 */
import type { DefChain, LogLineRow } from '../../core/verifier/view.ts';
import { defStep } from './display.ts';
import { InsnText } from './InsnText.tsx';
import { KindBadge } from './KindFilters.tsx';
import './verifier.css';

/** Add to the row's className: lays the cells out (see verifier.css). */
export const LOG_ROW_CLASS = 'vf-log-row';

export function logRowAttributes(row: LogLineRow, defs?: DefChain | null): Record<`data-${string}`, string> {
  const attributes: Record<`data-${string}`, string> = { 'data-kind': row.kind };
  if (row.pc !== null) attributes['data-pc'] = String(row.pc);
  const step = defStep(defs, row.line);
  if (step >= 0) attributes['data-def'] = String(step);
  if (defs && defs.line === row.line) attributes['data-use'] = defs.operand;
  return attributes;
}

export function LogHeaderCells() {
  return (
    <>
      <span role="columnheader" className="cell vf-col-no">
        No.
      </span>
      <span role="columnheader" className="cell vf-col-pc">
        pc
      </span>
      <span role="columnheader" className="cell vf-col-kind">
        Kind
      </span>
      <span role="columnheader" className="cell vf-col-insn">
        Instruction
      </span>
      <span role="columnheader" className="cell vf-col-state">
        State
      </span>
      <span role="columnheader" className="cell vf-col-text">
        Line
      </span>
    </>
  );
}

export interface LogLineCellsProps {
  row: LogLineRow;
  defs?: DefChain | null;
  onOperand?: (line: number, operand: string) => void;
}

export function LogLineCells({ row, defs, onOperand }: LogLineCellsProps) {
  const isInsn = row.insn !== null;
  // An instruction line's text is its pc, instruction and state, already in their columns:
  // the text column then names a call's arguments, if any.
  const text = isInsn ? (row.call ?? '') : row.text;
  return (
    <>
      <span role="gridcell" className="cell vf-col-no">
        {row.record}
      </span>
      <span role="gridcell" className="cell vf-col-pc">
        {row.pc ?? ''}
      </span>
      <span role="gridcell" className="cell vf-col-kind">
        <KindBadge kind={row.kind} />
      </span>
      {isInsn && (
        <>
          <span role="gridcell" className="cell vf-col-insn">
            {row.insn !== null && (
              <InsnText
                text={row.insn}
                line={row.line}
                defs={defs}
                onOperand={onOperand && ((operand) => onOperand(row.line, operand))}
              />
            )}
          </span>
          <span role="gridcell" className="cell vf-col-state" title={row.stateTail ?? undefined}>
            {row.stateTail ?? ''}
          </span>
        </>
      )}
      <span
        role="gridcell"
        className={`cell vf-col-text col-preview${isInsn ? '' : ' vf-col-wide'}`}
        title={text || undefined}
      >
        {isInsn && row.call ? (
          <InsnText
            text={row.call}
            line={row.line}
            defs={defs}
            onOperand={onOperand && ((operand) => onOperand(row.line, operand))}
          />
        ) : (
          text
        )}
      </span>
    </>
  );
}
