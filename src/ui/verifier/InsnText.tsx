/**
 * An instruction's text with its register and stack operands as clickable
 * spans (`data-operand="r1"`, `data-operand="fp-8"`). Rendered as text only.
 * On a line of a def chain, the operand that step wrote carries `data-def`;
 * on the line the chain was asked from, the operand read carries `data-use`.
 */
import { useMemo } from 'react';
import type { DefChain } from '../../core/verifier/view.ts';
import { insnTokens } from './operands.ts';
import './verifier.css';

export interface InsnTextProps {
  text: string;
  /** The log line this text is from: places it in `defs`. */
  line?: number | null;
  defs?: DefChain | null;
  /** Operands to highlight (the failing instruction's in the verdict panel). */
  highlight?: readonly string[];
  /** An operand was clicked. The click does not reach the row (it would select it). */
  onOperand?: (operand: string) => void;
}

export function InsnText({ text, line, defs, highlight, onOperand }: InsnTextProps) {
  const tokens = useMemo(() => insnTokens(text), [text]);
  const step = defs && line != null ? defs.defs.findIndex((d) => d.line === line) : -1;
  const written = step >= 0 ? defs?.defs[step].operand : undefined;
  const read = defs && line != null && defs.line === line ? defs.operand : undefined;
  return (
    <span className="vf-insn">
      {tokens.map((token, i) => {
        const operand = token.operand;
        if (!operand) return token.text;
        const classes = ['vf-operand'];
        if (highlight?.includes(operand)) classes.push('highlight');
        return (
          <span
            // biome-ignore lint/suspicious/noArrayIndexKey: tokens are a fixed split of a fixed text
            key={i}
            className={classes.join(' ')}
            data-operand={operand}
            data-def={operand === written ? step : undefined}
            data-use={operand === read ? '' : undefined}
            role={onOperand ? 'button' : undefined}
            title={operand === token.text ? `Where ${operand} came from` : `${operand}: where it came from`}
            onClick={
              onOperand
                ? (event) => {
                    event.stopPropagation();
                    onOperand(operand);
                  }
                : undefined
            }
          >
            {token.text}
          </span>
        );
      })}
    </span>
  );
}
