/**
 * The components rendered to HTML (react-dom/server, no DOM needed) from the
 * lines of a real capture, bad-bounds.bin: the stable test hooks are there,
 * the verifier's words are text (never HTML), operands are the instruction's.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { explainError } from '../../core/verifier/explain.ts';
import type { LineKindName } from '../../core/verifier/kinds.ts';
import type { LogLineRow, RegView, StateView, VerdictView } from '../../core/verifier/view.ts';
import { fixtureBytes } from '../../testing/fixtures.ts';
import { heatShare } from './display.ts';
import { KindFilters } from './KindFilters.tsx';
import { LogLineCells, logRowAttributes } from './LogCells.tsx';
import { insnOperands } from './operands.ts';
import { SourcePane } from './SourcePane.tsx';
import { StatePane } from './StatePane.tsx';
import { VerdictPanel } from './VerdictPanel.tsx';

const bytes = fixtureBytes('kernel/bad-bounds.bin');
const LINES = new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0))).split('\n');
const INSN = /^(\d+): \(([0-9a-f]{2})\) (.*?)(?:\s+; (.*))?$/;
const SOURCE = /^; (.*) @ (\S+):(\d+)$/;

function rowOf(line: number): LogLineRow {
  const text = LINES[line];
  const insn = INSN.exec(text);
  let kind: LineKindName = 'message';
  if (insn) kind = 'insn';
  else if (SOURCE.test(text)) kind = 'source';
  else if (text.startsWith('processed ')) kind = 'summary';
  else if (/^\d+: R/.test(text)) kind = 'state';
  return {
    line,
    record: line,
    kind,
    pc: insn ? Number(insn[1]) : /^(\d+): R/.test(text) ? Number(text.split(':')[0]) : null,
    insn: insn ? `(${insn[2]}) ${insn[3]}` : null,
    stateTail: insn?.[4] ?? null,
    call: null,
    text,
  };
}

/** The registers a state tail prints (`R2=pkt_end() R3=pkt(off=4,r=4)`), in order. */
function regsOf(tail: string): RegView[] {
  return tail.split(' ').map((entry) => {
    const [name, text] =
      entry.split('=', 2).length === 2
        ? [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]
        : [entry, ''];
    return {
      name,
      frame: 0,
      text,
      type: text.replace(/\(.*$/, ''),
      fields: [],
      precise: false,
      liveness: '',
      changed: true,
      diff: null,
      previous: null,
    };
  });
}

const failingLine = LINES.findIndex((l) => l.startsWith('6: (71)'));
const summaryLine = LINES.findIndex((l) => l.startsWith('processed '));
const message = LINES.slice(failingLine + 1, summaryLine).join('\n');
const source = SOURCE.exec(LINES[failingLine - 1]);

function verdict(overrides: Partial<VerdictView> = {}): VerdictView {
  const processed = /processed (\d+) insns \(limit (\d+)\)/.exec(LINES[summaryLine]);
  return {
    programs: [
      {
        index: 0,
        name: 'xdp_bad_bounds',
        verdict: 'rejected',
        wrapper: 'plain',
        firstLine: 0,
        endLine: LINES.length,
      },
    ],
    program: 0,
    verdict: 'rejected',
    reason: 'The verifier rejected the program.',
    error: {
      message,
      line: failingLine + 1,
      record: failingLine + 1,
      pc: 6,
      insn: rowOf(failingLine).insn,
      call: null,
      source: source ? { file: source[2], line: Number(source[3]), text: source[1] } : null,
      insnLine: failingLine,
      hint: explainError(message),
    },
    state: {
      line: failingLine,
      pc: 6,
      fromLine: 0,
      regs: regsOf('R1=pkt(r=0) R2=pkt_end() R3=pkt(off=4,r=4)'),
      removed: [],
      previousVisitLine: null,
      extra: [],
    },
    stats: {
      processed: Number(processed?.[1]),
      limit: Number(processed?.[2]),
      maxStatesPerInsn: 0,
      totalStates: 0,
      peakStates: 0,
      markRead: 0,
      verificationTimeUs: null,
      stackDepths: null,
    },
    kinds: {},
    stripped: [],
    ...overrides,
  };
}

const noop = () => {};

describe('VerdictPanel on bad-bounds.bin', () => {
  const html = renderToStaticMarkup(
    <VerdictPanel verdict={verdict()} onJumpToError={noop} onSelectProgram={noop} />,
  );

  it('carries the verdict hooks and the message as written', () => {
    expect(message).toContain('invalid access to packet, off=8 size=1');
    expect(html).toContain('data-testid="verdict" data-verdict="rejected"');
    expect(html).toContain('data-testid="jump-to-error"');
    const error = /data-testid="verdict-error">([^<]*)</.exec(html);
    expect(error?.[1]).toBe(message);
  });

  it('names the failing instruction, its source line and highlights its operands in the registers', () => {
    expect(html).toContain('<span class="vf-source-loc">progs.bpf.c:41</span>');
    expect(html).toContain('return p[8] == 0x45 ? XDP_PASS : XDP_DROP;');
    expect(html).toMatch(/class="vf-reg highlight changed" data-reg="R1"/);
    expect(html).toMatch(/class="vf-reg changed" data-reg="R2"/);
    expect(html).toContain('aria-valuenow="7"');
  });

  it('says what the error usually means, and marks it as read from the wording', () => {
    expect(html).toContain('data-testid="verdict-hint" data-hint="packet-bounds"');
    expect(html).toContain('Packet access without a bounds check against data_end');
    expect(html).toContain('not said by the verifier');
    const unknown = verdict();
    if (unknown.error) unknown.error = { ...unknown.error, hint: null };
    const without = renderToStaticMarkup(
      <VerdictPanel verdict={unknown} onJumpToError={noop} onSelectProgram={noop} />,
    );
    expect(without).not.toContain('verdict-hint');
  });

  it('renders the verifier’s words as text, never as HTML', () => {
    const error = verdict().error;
    expect(error).not.toBeNull();
    if (!error) return;
    const hostile = renderToStaticMarkup(
      <VerdictPanel
        verdict={verdict({ error: { ...error, message: '<img src=x onerror=alert(1)>' } })}
        onJumpToError={noop}
        onSelectProgram={noop}
      />,
    );
    expect(hostile).not.toContain('<img');
    expect(hostile).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('offers a program picker only when the file holds several programs', () => {
    expect(html).not.toContain('program-picker');
    const two = verdict({
      programs: [
        verdict().programs[0],
        { index: 1, name: 'xdp_ok', verdict: 'accepted', wrapper: 'veristat', firstLine: 0, endLine: 1 },
      ],
    });
    const picker = renderToStaticMarkup(
      <VerdictPanel verdict={two} onJumpToError={noop} onSelectProgram={noop} />,
    );
    expect(picker).toContain('data-testid="program-picker"');
    expect(picker.match(/<option /g)).toHaveLength(2);
  });

  it('has no error section or jump for an accepted program', () => {
    const ok = renderToStaticMarkup(
      <VerdictPanel
        verdict={verdict({ verdict: 'accepted', error: null, state: null })}
        onJumpToError={noop}
        onSelectProgram={noop}
      />,
    );
    expect(ok).toContain('data-verdict="accepted"');
    expect(ok).not.toContain('jump-to-error');
    expect(ok).not.toContain('verdict-error');
  });
});

describe('log cells on bad-bounds.bin', () => {
  it('gives every line its kind and pc, and an instruction line its operands', () => {
    let insns = 0;
    for (let line = 0; line < LINES.length - 1; line++) {
      const row = rowOf(line);
      const attributes = logRowAttributes(row);
      expect(attributes['data-kind']).toBe(row.kind);
      expect(attributes['data-pc']).toBe(row.pc === null ? undefined : String(row.pc));
      const html = renderToStaticMarkup(<LogLineCells row={row} onOperand={noop} />);
      const operands = [...html.matchAll(/data-operand="([^"]+)"/g)].map((m) => m[1]);
      if (row.insn) {
        insns++;
        expect([...new Set(operands)]).toEqual(insnOperands(row.insn));
      } else expect(operands).toEqual([]);
    }
    expect(insns).toBe(7);
  });

  it('marks the rows of a def chain and the operand each wrote', () => {
    // r3 at pc 5 (`if r3 > r2`) was last written by pc 4 (`r3 += 4`), and before that by pc 3 (`r3 = r1`).
    const lineOf = (pc: number) => LINES.findIndex((l) => l.startsWith(`${pc}: (`));
    const defs = {
      operand: 'r3',
      line: lineOf(5),
      defs: [4, 3].map((pc) => ({
        line: lineOf(pc),
        record: lineOf(pc),
        pc,
        operand: 'r3',
        text: LINES[lineOf(pc)],
      })),
      end: 'r3 = r1',
    };
    expect(logRowAttributes(rowOf(lineOf(4)), defs)['data-def']).toBe('0');
    expect(logRowAttributes(rowOf(lineOf(3)), defs)['data-def']).toBe('1');
    expect(logRowAttributes(rowOf(lineOf(5)), defs)['data-use']).toBe('r3');
    expect(logRowAttributes(rowOf(lineOf(2)), defs)['data-def']).toBeUndefined();
    const html = renderToStaticMarkup(<LogLineCells row={rowOf(lineOf(3))} defs={defs} />);
    expect(html).toMatch(/data-operand="r3" data-def="1"/);
    expect(html).not.toMatch(/data-operand="r1" data-def/);
  });
});

describe('StatePane', () => {
  it('lists every register of the state with its operand, and the difference from the previous visit', () => {
    const tail = rowOf(LINES.findIndex((l) => l.startsWith('5: ('))).stateTail ?? '';
    expect(tail).toBe('R2=pkt_end() R3=pkt(off=4,r=4)');
    const regs = regsOf(tail);
    regs[1] = { ...regs[1], diff: 'changed', previous: 'pkt(off=4,r=0)' };
    const state: StateView = {
      line: 12,
      pc: 5,
      fromLine: 0,
      regs,
      removed: [{ name: 'R0', frame: 0, previous: '1' }],
      previousVisitLine: null,
      extra: [],
    };
    const html = renderToStaticMarkup(<StatePane state={state} onOperand={noop} />);
    expect(html).toContain('data-testid="state-pane"');
    expect([...html.matchAll(/data-reg="([^"]+)"/g)].map((m) => m[1])).toEqual(['R2', 'R3']);
    expect([...html.matchAll(/data-operand="([^"]+)"/g)].map((m) => m[1])).toEqual(['r2', 'r3']);
    expect(html).toContain('was <code>pkt(off=4,r=0)</code>');
    expect(html).toContain('data-removed="R0"');
  });

  it('says when nothing is selected', () => {
    expect(renderToStaticMarkup(<StatePane state={null} />)).toContain('Select a line');
  });
});

describe('SourcePane and KindFilters', () => {
  it('lists the source lines the log names and marks the selected one', () => {
    const named = new Map<number, string>();
    for (const l of LINES) {
      const m = SOURCE.exec(l);
      if (m) named.set(Number(m[3]), m[1]);
    }
    const files = [
      {
        file: 'progs.bpf.c',
        lines: [...named]
          .sort((a, b) => a[0] - b[0])
          .map(([line, text]) => ({ line, text, pcs: [], visits: 1 })),
      },
    ];
    const html = renderToStaticMarkup(
      <SourcePane
        files={files}
        marked={{ file: 'progs.bpf.c', line: 41, text: named.get(41) ?? '' }}
        onSelectSourceLine={noop}
      />,
    );
    expect([...html.matchAll(/data-source-line="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'progs.bpf.c:33',
      'progs.bpf.c:35',
      'progs.bpf.c:36',
      'progs.bpf.c:38',
      'progs.bpf.c:41',
    ]);
    expect(html).toMatch(/class="vf-source-line marked" data-source-line="progs.bpf.c:41"/);
    // Quotes without a location (kernels before 6.x) are told apart, and marked, by their text.
    const quotes = [{ file: null, lines: files[0].lines.map((l, k) => ({ ...l, line: k + 1 })) }];
    const old = renderToStaticMarkup(
      <SourcePane
        files={quotes}
        marked={{ file: null, line: null, text: named.get(41) ?? '' }}
        onSelectSourceLine={noop}
      />,
    );
    expect(old).toContain('Quoted without a file and line');
    expect(old.match(/vf-source-line marked/g)).toHaveLength(1);
    expect(old).toContain(`data-source-line="; ${named.get(41)}"`);
  });

  it('shows a chip per kind present, pressed when shown', () => {
    const html = renderToStaticMarkup(
      <KindFilters
        counts={{ insn: 7, source: 5, error: 2, state: 0 }}
        shown={['insn', 'error']}
        onChange={noop}
      />,
    );
    expect(
      [...html.matchAll(/class="vf-chip" data-kind="(\w+)" aria-pressed="(\w+)"/g)].map(
        (m) => `${m[1]}:${m[2]}`,
      ),
    ).toEqual(['insn:true', 'source:false', 'error:true']);
  });

  it('scales heat so a single visit shows beside a hot loop', () => {
    expect(heatShare(0, 100)).toBe(0);
    expect(heatShare(1, 1_000_000)).toBeGreaterThan(0);
    expect(heatShare(100, 100)).toBe(1);
    expect(heatShare(25, 100)).toBe(0.5);
  });
});
