/**
 * The verifier view's controller: the verdict, the instruction view, the
 * state at the selected line, def chains and the source pane, each one small
 * request through the owner (the worker holds the model; the page holds what
 * is on screen). Replies about an older log are dropped by `ask`; replies
 * about an older selection or program by the sequence numbers below.
 */
import type { LineKindName } from '../../core/verifier/kinds.ts';
import type { InsnRow, InsnSort, SourceLineView } from '../../core/verifier/view.ts';
import { useApp } from '../store.ts';
import { ask, isDropped, messageOf, set, state } from './owner.ts';
import { applyView, selectRecord, writeUrl } from './view.ts';

const quietly = (e: unknown) => {
  if (!isDropped(e) && !(e instanceof Error && e.name === 'WorkerDied'))
    set({ error: `The verifier view failed: ${messageOf(e)}` });
};

/** The program the URL names, or null for the worker's default (the first rejected). */
const program = () => state().view.program;

let verdictSeq = 0;

/** Loads the verdict, kind counts and instruction count of the shown program; follows a `pc=` deep link. */
export async function loadVerifier(): Promise<void> {
  const seq = ++verdictSeq;
  set({ verdict: null, verdictReady: false, insnSummary: null, sourceFiles: null, defs: null });
  // A log still arriving has no verdict yet (the summary says so): it is asked for once the log is whole.
  if (state().summary?.loading) return;
  try {
    const verdict = await ask({ kind: 'verdict', program: program() });
    if (seq !== verdictSeq) return;
    if (!verdict) {
      set({ verdict: null, verdictReady: true, verifierVersion: state().verifierVersion + 1 });
      return;
    }
    const insnSummary = await ask({ kind: 'insnCount', program: verdict.program });
    if (seq !== verdictSeq) return;
    set({ verdict, verdictReady: true, insnSummary, verifierVersion: state().verifierVersion + 1 });
    if (state().pane === 'source') void loadSource();
    const { view } = state();
    if (view.pc !== null && view.rec === null) await selectPc(view.pc);
    else void followSelection();
  } catch (e) {
    quietly(e);
  }
}

/** The program picker: the verdict, rows, instructions and source follow the chosen program. */
export function selectProgram(index: number): void {
  const view = { ...state().view, program: index, pc: null, rec: null };
  writeUrl(view, true);
  // The store subscription below reloads the verdict for the new program.
  set({ view, selectedLine: null, lineState: null, markedSource: null, visit: null });
  void applyView(false);
}

/** Kind filters: like the type filters, kept in the URL and applied by the worker. */
export function setKinds(kinds: LineKindName[] | null): void {
  const view = { ...state().view, kinds };
  writeUrl(view, false);
  set({ view });
  void applyView(true);
}

/** Jump to error: select and scroll to the record the error's message starts in. */
export function jumpToError(): void {
  const error = state().verdict?.error;
  if (error) selectRecord(error.record, { scroll: true });
}

/** Selects a line of the log by its line number (a state pane link, the verdict's pc). */
export async function selectLine(line: number): Promise<void> {
  try {
    const record = await ask({ kind: 'recordOfLine', line });
    if (record >= 0) selectRecord(record, { scroll: true });
  } catch (e) {
    quietly(e);
  }
}

/** Selects a pc: its first visit at or after the selected line (or the first), and that line's record. */
export async function selectPc(pc: number): Promise<void> {
  await stepVisit(pc, 0);
}

/** The instruction view's next/previous visit of the selected pc; each selects that log line. */
export async function stepVisit(pc: number, step: -1 | 0 | 1): Promise<void> {
  try {
    const { selectedLine, verdict } = state();
    const reply = await ask({
      kind: 'visitStep',
      program: verdict?.program ?? program(),
      pc,
      line: selectedLine,
      step,
    });
    if (!reply) {
      // A pc never visited (or a link to one this log does not have): say so, keep the selection.
      set({ notice: `pc ${pc} has no visit in this log.` });
      return;
    }
    set({ visit: { pc, index: reply.index, count: reply.count } });
    selectRecord(reply.record, { scroll: true });
  } catch (e) {
    quietly(e);
  }
}

export const fetchInsnRows = (start: number, count: number, sort: InsnSort): Promise<InsnRow[]> =>
  ask({ kind: 'insnRows', program: state().verdict?.program ?? program(), start, count, sort });

let selectionSeq = 0;

/**
 * The selected record's line, pc, state and source line. Runs on every
 * selection change; only the newest selection's replies are kept.
 */
export async function followSelection(): Promise<void> {
  const seq = ++selectionSeq;
  const { view, verdict } = state();
  if (view.rec === null || !verdict) {
    set({ selectedLine: null, lineState: null, markedSource: null });
    return;
  }
  try {
    const at = await ask({ kind: 'lineOfRecord', record: view.rec });
    if (seq !== selectionSeq) return;
    if (!at) {
      set({ selectedLine: null, lineState: null, markedSource: null });
      return;
    }
    const visit = state().visit;
    set({ selectedLine: at.line, visit: visit && visit.pc === at.pc ? visit : null });
    // The URL names the instruction too, so a shared link opens on it.
    if (at.pc !== state().view.pc) {
      const next = { ...state().view, pc: at.pc };
      set({ view: next });
      writeUrl(next, false);
    }
    const [lineState, markedSource] = await Promise.all([
      ask({ kind: 'stateAt', line: at.line }),
      ask({ kind: 'sourceLineOf', line: at.line }),
    ]);
    if (seq !== selectionSeq) return;
    set({ lineState, markedSource });
  } catch (e) {
    quietly(e);
  }
}

let defSeq = 0;

/** An operand clicked at a line: mark the instruction that last wrote it, and its chain back. */
export async function showDefChain(line: number, operand: string): Promise<void> {
  const seq = ++defSeq;
  try {
    const defs = await ask({ kind: 'defChain', line, operand });
    if (seq !== defSeq) return;
    set({ defs });
    if (defs && defs.defs.length === 0)
      set({ notice: `No instruction in this log wrote ${operand}: ${defs.end}` });
  } catch (e) {
    quietly(e);
  }
}

/** An operand clicked in the instruction view: read at the selected visit of that pc, else its first. */
export async function showDefChainAtPc(pc: number, operand: string): Promise<void> {
  const { selectedLine, view } = state();
  if (view.pc === pc && selectedLine !== null) return showDefChain(selectedLine, operand);
  try {
    const first = await ask({ kind: 'pcLine', program: state().verdict?.program ?? program(), pc });
    if (first) await showDefChain(first.line, operand);
  } catch (e) {
    quietly(e);
  }
}

export function clearDefs(): void {
  defSeq++;
  set({ defs: null });
}

/** The source pane's files, asked once per program when the pane is opened. */
export async function loadSource(): Promise<void> {
  const seq = verdictSeq;
  if (state().sourceFiles) return;
  try {
    const files = await ask({ kind: 'source', program: state().verdict?.program ?? program() });
    if (seq === verdictSeq) set({ sourceFiles: files });
  } catch (e) {
    quietly(e);
  }
}

/** A source line clicked: select its first instruction. */
export function selectSourceLine(_file: string | null, line: SourceLineView): void {
  if (line.pcs.length > 0) void selectPc(Math.min(...line.pcs));
}

// A new log (or a re-decode) loads its verdict; a new selection its state. Subscribed once, here,
// so no component has to remember to.
useApp.subscribe((now, before) => {
  if (now.logVersion !== before.logVersion || now.view.program !== before.view.program) void loadVerifier();
  else if (now.view.rec !== before.view.rec && now.verdict) void followSelection();
  if (now.pane === 'source' && before.pane !== 'source' && now.verdict) void loadSource();
});
