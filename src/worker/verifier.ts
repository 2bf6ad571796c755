/**
 * The verifier's reading of the open log, as the worker answers the page:
 * built once from the core model (buildVerifierModel) after the index, then
 * every answer is a window or one line's worth (a verdict, rows of
 * instructions, the state at a line), made from the model's typed arrays.
 * Line numbers are the file's lines (text) or the joined STRING lines (TLV);
 * records are what the table selects (text: the line; TLV: its first record).
 */
import {
  defChain as coreDefChain,
  stateAt as coreStateAt,
  type DecodedLog,
  diffStates,
  formatCall,
  insnText,
  type JoinedLines,
  LINE_KIND_NAMES,
  LineKind,
  lineOfRecord,
  NO_LINE,
  NO_PC,
  type Operand,
  parseInsn,
  parseOperand,
  parseSourceLine,
  type StateEntry,
  splitInsnLine,
  type TlvIndex,
  VERIFIER_KINDS,
  type VerifierModel,
  type VerifierProgram,
} from '../core/index.ts';
import { explainError } from '../core/verifier/explain.ts';
import type { LineKindName } from '../core/verifier/kinds.ts';
import type {
  DefChain,
  InsnRow,
  InsnSort,
  LogLineRow,
  ProgramRef,
  RegView,
  SourceFileView,
  SourceRef,
  StateView,
  VerdictView,
} from '../core/verifier/view.ts';
import { detachedJob, type Job, runInSlices } from './job.ts';
import { clipText, shownLineText } from './shownText.ts';

const KIND_COUNT = LINE_KIND_NAMES.length;
/** Lines up to this long are read as instructions (a level-2 state tail can run to kilobytes); longer ones are shown as text. */
const PARSED_LINE_BYTES = 64 << 10;
/** How far back a line's source quote is looked for. */
const SOURCE_LOOKBACK = 1 << 16;
/** Lines one use-def lookup may walk: a chain of 64 lookups stays well under a second on the 71 MB log. */
const DEF_WALK_LINES = 400_000;

const WRAPPER_NAMES: Record<string, string> = {
  none: 'plain',
  libbpf: 'libbpf',
  veristat: 'veristat',
  bpftrace: 'bpftrace',
  cilium: 'cilium/ebpf',
  aya: 'Aya',
  bcc: 'bcc',
};

const DEF_END: Record<string, string> = {
  start: 'the walk reached the log’s first line (the program’s input, or what a rotated log lost)',
  lost: 'a branch’s origin is not in the log (it was lost)',
  budget: 'the walk stopped at its bound',
  uninit: 'a callee’s register or slot never written',
};

function operandName(operand: Operand): string {
  if (operand.kind === 'reg') return `r${operand.reg}`;
  return operand.size === 8 ? `fp${operand.offset}` : `fp${operand.offset}:${operand.size}`;
}

/** Row orders of a program's instructions: pcs with at least one visit. */
interface InsnOrders {
  byPc: Uint32Array;
  byVisits: Uint32Array | null;
  maxVisits: number;
}

export class VerifierSession {
  /** Lines per kind, per program, and for the whole file. */
  private readonly programKinds: Uint32Array[];
  private readonly fileKinds = new Uint32Array(KIND_COUNT);
  private readonly orders = new Map<number, InsnOrders>();
  private readonly joined: JoinedLines | null;

  private constructor(
    private readonly log: DecodedLog,
    readonly model: VerifierModel,
    /** Milliseconds the model took to build. */
    readonly buildMs: number,
  ) {
    const { kinds } = model.lines;
    for (let i = 0; i < kinds.length; i++) this.fileKinds[kinds[i]]++;
    this.programKinds = model.programs.map((p) => {
      const counts = new Uint32Array(KIND_COUNT);
      const k = p.lines.kinds;
      for (let i = 0; i < k.length; i++) counts[k[i]]++;
      return counts;
    });
    this.joined = model.joined;
  }

  static build(log: DecodedLog, model: VerifierModel, buildMs: number): VerifierSession {
    return new VerifierSession(log, model, buildMs);
  }

  get lineCount(): number {
    return this.model.lines.lineCount;
  }

  /** Whether any line is the verifier's own (not prose, wrapper or garbage). */
  get hasVerifierOutput(): boolean {
    return VERIFIER_KINDS.some((k) => this.fileKinds[k] > 0);
  }

  // ---- programs, lines and records ----

  private programAt(index: number | null): VerifierProgram | null {
    const programs = this.model.programs;
    if (programs.length === 0) return null;
    if (index === null || !Number.isInteger(index) || index < 0 || index >= programs.length)
      return programs[this.model.defaultProgram];
    return programs[index];
  }

  private programIndexOf(program: VerifierProgram): number {
    return this.model.programs.indexOf(program);
  }

  /** The program whose log holds file line `line`, or null (wrapper lines between programs). */
  programOfLine(line: number): number | null {
    const programs = this.model.programs;
    let lo = 0;
    let hi = programs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const p = programs[mid];
      if (line < p.startLine) hi = mid - 1;
      else if (line >= p.endLine) lo = mid + 1;
      else return mid;
    }
    return null;
  }

  /** The lines [first, end) a filter on `program` keeps: the program's, or the whole file's. */
  lineRangeOf(program: number | null): [number, number] {
    if (program === null) return [0, this.lineCount];
    const p = this.model.programs[program];
    return p ? [p.startLine, p.endLine] : [0, 0];
  }

  recordOfLine(line: number): number {
    if (!Number.isInteger(line) || line < 0 || line >= this.lineCount) return -1;
    return this.joined ? this.joined.firstRecord[line] : line;
  }

  /** The joined line a record belongs to (text: the record itself), or -1. */
  lineIndexOfRecord(record: number): number {
    if (!Number.isInteger(record) || record < 0 || record >= this.log.recordCount) return -1;
    if (!this.joined) return record < this.lineCount ? record : -1;
    const line = lineOfRecord(this.joined, this.log.index as TlvIndex, record);
    return line === NO_LINE ? -1 : line;
  }

  lineOfRecord(record: number): { line: number; pc: number | null; program: number | null } | null {
    const line = this.lineIndexOfRecord(record);
    if (line < 0) return null;
    const pc = this.model.lines.pcs[line];
    return { line, pc: pc === NO_PC ? null : pc, program: this.programOfLine(line) };
  }

  /** Kind per line (the model's column, shared: the session filters over it). */
  get kinds(): Uint8Array {
    return this.model.lines.kinds;
  }

  /** Bytes line `line` holds in the buffer (a TLV line: its records'), counted until past `limit`. */
  private lineBytes(line: number, limit: number): number {
    if (!this.joined) return this.log.recordLength(line);
    let bytes = 0;
    for (let r = this.joined.firstRecord[line]; r < this.joined.endRecord[line] && bytes <= limit; r++)
      bytes += this.log.recordLength(r);
    return bytes;
  }

  /** What the log view shows for line `line`. */
  lineRow(line: number): LogLineRow | null {
    if (!Number.isInteger(line) || line < 0 || line >= this.lineCount) return null;
    const lines = this.model.lines;
    const kind = lines.kinds[line];
    // Longer than any line the verifier prints about one instruction: only its start, as text.
    const text = this.lineBytes(line, PARSED_LINE_BYTES) > PARSED_LINE_BYTES ? null : lines.text(line);
    const isInsn = text !== null && kind === LineKind.insn;
    const stateTail = isInsn ? (splitInsnLine(text)?.tail ?? null) : null;
    const pc = lines.pcs[line];
    return {
      line,
      record: this.recordOfLine(line),
      kind: LINE_KIND_NAMES[kind] ?? 'unknown',
      pc: pc === NO_PC ? null : pc,
      insn: isInsn ? insnText(text) : null,
      stateTail: stateTail === null ? null : clipText(stateTail),
      call: isInsn ? callOf(text) : null,
      text: text === null ? shownLineText(this.log, this.joined, line) : clipText(text),
    };
  }

  // ---- verdict, kinds, stats ----

  kindCounts(program: number | null): Partial<Record<LineKindName, number>> {
    const counts = program === null ? this.fileKinds : (this.programKinds[program] ?? new Uint32Array(0));
    const out: Partial<Record<LineKindName, number>> = {};
    counts.forEach((count, kind) => {
      if (count > 0) out[LINE_KIND_NAMES[kind]] = count;
    });
    return out;
  }

  programs(): ProgramRef[] {
    return this.model.programs.map((p, index) => ({
      index,
      name: p.name ?? '(unnamed)',
      verdict: p.verdict.verdict,
      wrapper: WRAPPER_NAMES[p.wrapper] ?? p.wrapper,
      firstLine: p.startLine,
      endLine: p.endLine,
    }));
  }

  verdict(programIndex: number | null): VerdictView | null {
    if (!this.hasVerifierOutput) return null;
    const program = this.programAt(programIndex);
    if (!program) return null;
    const index = this.programIndexOf(program);
    const { verdict, stats } = program;
    const error = verdict.error;
    let errorView: VerdictView['error'] = null;
    if (error) {
      const insnLineText = error.insnLine === null ? null : this.model.lines.text(error.insnLine);
      errorView = {
        message: error.message,
        line: error.line,
        record: this.recordOfLine(error.line),
        pc: error.pc,
        insn: insnLineText === null ? null : insnText(insnLineText),
        call: insnLineText === null ? null : callOf(insnLineText),
        source: error.sourceLine === null ? null : this.sourceRef(error.sourceLine),
        insnLine: error.insnLine,
        hint: explainError(error.message),
      };
    }
    const reason =
      verdict.truncation && verdict.truncation !== verdict.reason
        ? `${verdict.reason} ${verdict.truncation}`
        : verdict.reason;
    return {
      programs: this.programs(),
      program: index,
      verdict: verdict.verdict,
      reason,
      error: errorView,
      state: error?.insnLine != null ? this.stateAt(error.insnLine) : null,
      stats,

      kinds: this.kindCounts(index),
      stripped: this.strippedNotes(),
    };
  }

  private strippedNotes(): string[] {
    const out: string[] = [];
    const { timestampLines, ansiSequences, indent } = this.model.stripped;
    if (indent) out.push(`the indentation every line shared (${JSON.stringify(indent)})`);
    if (timestampLines > 0) out.push(`timestamps on ${timestampLines.toLocaleString('en-US')} lines`);
    if (ansiSequences > 0) out.push(`${ansiSequences.toLocaleString('en-US')} ANSI colour sequences`);
    const wrappers = new Set(this.model.programs.map((p) => p.wrapper).filter((w) => w !== 'none'));
    const wrapperLines = this.fileKinds[LineKind.wrapper];
    if (wrappers.size > 0 && wrapperLines > 0)
      out.push(`${wrapperLines.toLocaleString('en-US')} lines of ${[...wrappers].join(' and ')} output`);
    return out;
  }

  /** A `; … @ file:line` line, or the older `; code` without a location, as a SourceRef. */
  private sourceRef(line: number): SourceRef | null {
    const ref = parseSourceLine(this.model.lines.text(line));
    return ref ? { file: ref.file, line: ref.line, text: ref.text } : null;
  }

  // ---- instructions ----

  private ordersOf(program: VerifierProgram): InsnOrders {
    const key = this.programIndexOf(program);
    let orders = this.orders.get(key);
    if (!orders) {
      const { insns } = program;
      let n = 0;
      let maxVisits = 0;
      for (let pc = 0; pc < insns.pcCount; pc++) {
        const v = insns.visits(pc);
        if (v > 0) n++;
        if (v > maxVisits) maxVisits = v;
      }
      const byPc = new Uint32Array(n);
      n = 0;
      for (let pc = 0; pc < insns.pcCount; pc++) if (insns.visits(pc) > 0) byPc[n++] = pc;
      orders = { byPc, byVisits: null, maxVisits };
      this.orders.set(key, orders);
    }
    return orders;
  }

  private order(program: VerifierProgram, sort: InsnSort): Uint32Array {
    const orders = this.ordersOf(program);
    if (sort === 'pc') return orders.byPc;
    if (!orders.byVisits) {
      const { insns } = program;
      orders.byVisits = Uint32Array.from(orders.byPc).sort(
        (a, b) => insns.visits(b) - insns.visits(a) || a - b,
      );
    }
    return orders.byVisits;
  }

  insnCount(programIndex: number | null): { count: number; maxVisits: number } {
    const program = this.programAt(programIndex);
    if (!program) return { count: 0, maxVisits: 0 };
    const { byPc, maxVisits } = this.ordersOf(program);
    return { count: byPc.length, maxVisits };
  }

  insnRows(programIndex: number | null, start: number, count: number, sort: InsnSort): InsnRow[] {
    const program = this.programAt(programIndex);
    if (!program) return [];
    const order = this.order(program, sort);
    const out: InsnRow[] = [];
    const from = Math.max(0, Math.floor(start));
    const to = Math.min(order.length, from + Math.max(0, Math.floor(count)));
    for (let k = from; k < to; k++) out.push(this.insnRow(program, order[k]));
    return out;
  }

  private insnRow(program: VerifierProgram, pc: number): InsnRow {
    const { insns } = program;
    const text = insns.text(pc) ?? '';
    const source = insns.firstSource[pc];
    return {
      pc,
      text,
      call: callOf(text),
      visits: insns.visits(pc),
      source: source < 0 ? null : this.sourceRef(source),
    };
  }

  insnPosition(programIndex: number | null, pc: number, sort: InsnSort): number {
    const program = this.programAt(programIndex);
    if (!program || program.insns.visits(pc) === 0) return -1;
    return this.order(program, sort).indexOf(pc);
  }

  /** Index of the first visit of `pc` at or after `line` (visits are ascending), or the visit count. */
  private visitAtOrAfter(program: VerifierProgram, pc: number, line: number): number {
    const { insns } = program;
    let lo = 0;
    let hi = insns.visits(pc);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (insns.visitLine(pc, mid) < line) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  visitStep(
    programIndex: number | null,
    pc: number,
    line: number | null,
    step: -1 | 0 | 1,
  ): { line: number; record: number; index: number; count: number } | null {
    const program = this.programAt(programIndex);
    if (!program) return null;
    const count = program.insns.visits(pc);
    if (count === 0) return null;
    let k: number;
    if (line === null) k = step === -1 ? count - 1 : 0;
    else if (step === 0) k = Math.min(this.visitAtOrAfter(program, pc, line), count - 1);
    else if (step === 1) k = this.visitAtOrAfter(program, pc, line + 1);
    else k = this.visitAtOrAfter(program, pc, line) - 1;
    if (k < 0 || k >= count) return null;
    const at = program.insns.visitLine(pc, k);
    return { line: at, record: this.recordOfLine(at), index: k, count };
  }

  pcLine(programIndex: number | null, pc: number): { line: number; record: number } | null {
    const program = this.programAt(programIndex);
    if (!program || !Number.isInteger(pc) || program.insns.visits(pc) === 0) return null;
    const line = program.insns.visitLine(pc, 0);
    return { line, record: this.recordOfLine(line) };
  }

  // ---- state, use-def, source ----

  /** The program holding `line` and the line's index inside it. */
  private local(line: number): { program: VerifierProgram; at: number } | null {
    if (!Number.isInteger(line)) return null;
    const index = this.programOfLine(line);
    if (index === null) return null;
    const program = this.model.programs[index];
    return { program, at: line - program.startLine };
  }

  stateAt(line: number): StateView | null {
    const found = this.local(line);
    if (!found) return null;
    const { program, at } = found;
    const lines = program.lines;
    const state = coreStateAt(lines, at);
    const pc = lines.pcs[at];
    // The previous visit from the visit table (a binary search), not a walk back over the log.
    let previousVisitLine: number | null = null;
    if (lines.kinds[at] === LineKind.insn && pc !== NO_PC) {
      const k = this.visitAtOrAfter(program, pc, line) - 1;
      if (k >= 0) previousVisitLine = program.insns.visitLine(pc, k);
    }
    const previous =
      previousVisitLine === null ? null : coreStateAt(lines, previousVisitLine - program.startLine);
    const changes = previous ? diffStates(previous.frames, state.frames) : [];
    const changeOf = new Map(changes.map((c) => [`${c.frame}:${c.name}`, c]));
    const changed = new Set(state.changed.map((e) => `${e.frame}:${e.name}`));
    const regs: RegView[] = [];
    const extra: string[] = [];
    for (const frame of state.frames) {
      for (const entry of frame.entries) {
        const key = `${frame.frame}:${entry.name}`;
        const change = changeOf.get(key);
        regs.push({
          ...regView(entry, frame.frame),
          changed: changed.has(key),
          diff: previous
            ? change
              ? change.change === 'removed'
                ? 'changed'
                : change.change
              : 'same'
            : null,
          previous: change ? change.before : null,
        });
      }
      const prefix = state.frames.length > 1 ? `frame${frame.frame}: ` : '';
      if (frame.refs.length > 0) extra.push(`${prefix}refs=${frame.refs.join(',')}`);
      if (frame.callback) extra.push(`${prefix}cb`);
      if (frame.asyncCallback) extra.push(`${prefix}async_cb`);
    }
    return {
      line,
      pc: pc === NO_PC ? null : pc,
      fromLine: state.baseLine === null ? null : state.baseLine + program.startLine,
      regs,
      removed: changes
        .filter((c) => c.change === 'removed')
        .map((c) => ({ name: c.name, frame: c.frame, previous: c.before ?? '' })),
      previousVisitLine,
      extra,
    };
  }

  defChain(line: number, operandText: string): DefChain | null {
    const operand = parseOperand(operandText);
    const found = this.local(line);
    if (!operand || !found) return null;
    const { program, at } = found;
    const nodes = coreDefChain(program.lines, at, operand, { maxLines: DEF_WALK_LINES });
    const ends = new Set<string>();
    const kept = new Map<number, number>();
    const defs: DefChain['defs'] = [];
    nodes.forEach((node, n) => {
      const { def } = node;
      const end = DEF_END[def.how];
      if (end) ends.add(end);
      if (def.line < 0 || def.how === 'start' || def.how === 'lost' || def.how === 'budget') return;
      kept.set(n, defs.length);
      const fileLine = def.line + program.startLine;
      defs.push({
        line: fileLine,
        record: this.recordOfLine(fileLine),
        pc: def.pc === NO_PC ? null : def.pc,
        operand: operandName(def.operand),
        text: program.lines.text(def.line),
        how: def.how,
        parent: node.parent < 0 ? -1 : (kept.get(node.parent) ?? -1),
        depth: node.depth,
      });
    });
    return {
      operand: operandText,
      line,
      defs,
      end: ends.size > 0 ? [...ends].join('; ') : 'every value was traced to the instruction that wrote it',
    };
  }

  /** Built on first call, in slices (a 1 GiB log's map takes a second); `job` can stop it. */
  async source(programIndex: number | null, job: Job = detachedJob()): Promise<SourceFileView[]> {
    const program = this.programAt(programIndex);
    if (!program) return [];
    const { value: files } = await runInSlices(program.sourceSteps(), () => job.check());
    // Quotes without a location (kernels before 6.x) come last, numbered in the order the log quotes them.
    const ordered = [...files].sort((a, b) => Number(a.file === null) - Number(b.file === null));
    return ordered.map((f) => ({
      file: f.file,
      lines: (f.file === null ? [...f.lines].sort((a, b) => a.firstLogLine - b.firstLogLine) : f.lines).map(
        (l, k) => ({
          line: l.line ?? k + 1,
          text: l.text,
          pcs: l.pcs,
          visits: l.visits,
          logLine: l.firstLogLine + program.startLine,
        }),
      ),
    }));
  }

  sourceLineOf(line: number): SourceRef | null {
    const found = this.local(line);
    if (!found) return null;
    const { program, at } = found;
    const kinds = program.lines.kinds;
    for (let k = at; k >= 0 && k >= at - SOURCE_LOOKBACK; k--) {
      if (kinds[k] !== LineKind.source) continue;
      return this.sourceRef(k + program.startLine);
    }
    return null;
  }
}

/** A call instruction with its arguments named; null for other instructions. */
function callOf(text: string): string | null {
  const insn = parseInsn(text);
  if (insn.op !== 'call' || (insn.call?.kind !== 'helper' && insn.call?.kind !== 'kfunc')) return null;
  const split = splitInsnLine(text);
  const formatted = formatCall(split ? split.insn : text);
  return formatted === (split ? split.insn : text) ? null : formatted;
}

function regView(entry: StateEntry, frame: number): Omit<RegView, 'changed' | 'diff' | 'previous'> {
  const value = entry.value;
  const fields: [string, string][] = [];
  for (const attr of value.attrs) for (const name of attr.names) fields.push([name, attr.text ?? '']);
  return {
    name: entry.name,
    frame,
    text: value.raw,
    // Kernels before 5.18 call a scalar `inv`.
    type:
      value.base === 'scalar'
        ? 'scalar'
        : (value.type ?? (value.constant !== null ? 'scalar' : value.slotTypes ? 'stack' : '')),
    fields,
    precise: value.precise,
    liveness: entry.liveness,
  };
}
