/**
 * Where a value came from: for a register or stack slot read at a line, the
 * line that last wrote it on that path, and the chain back from there.
 *
 * The walk goes back over the log's own lines, so it follows the path the
 * verifier took: a `from X to Y:` line means the path continues from the most
 * recent earlier visit of pc X (where the branch was pushed); an `exit` walked
 * back over enters the callee that returned (its r0 is the caller's r0); a
 * `call pc+N` reached in the callee's own frame is its entry (its r1-r5 are
 * the caller's). Helper and kfunc calls define r0 and clobber r1-r5, and write
 * the stack through pointer arguments that are not to const. Stack slots are
 * per frame. Nothing is precomputed per line: each question walks at most
 * `maxLines` lines, and instructions are parsed once per pc.
 */

import { argMayWrite, prototypeOfCall } from './helpers.ts';
import { type Insn, parseInsn, splitInsnLine } from './insn.ts';
import { LineKind, NO_PC, type VerifierLines } from './kinds.ts';

export type Operand = { kind: 'reg'; reg: number } | { kind: 'stack'; offset: number; size: number };

export type DefHow =
  /** An instruction wrote it: a move, ALU, load, a store to the slot, an atomic. */
  | 'insn'
  /** r0 after a helper, kfunc or global-function call. */
  | 'callResult'
  /** r1-r5 after a call: the call clobbered them (reading one is the program's bug). */
  | 'callClobber'
  /** A helper or kfunc wrote the stack slot through a pointer argument. */
  | 'helperWrite'
  /** A callee's r1-r5 at its entry: the caller's, at the `call pc+N` line. */
  | 'callArg'
  /** The caller's r0 after a subprogram returned: the callee's r0 at its `exit` line. */
  | 'return'
  /** A callee's register or stack slot at entry: never written. */
  | 'uninit'
  /** The walk reached the log's first line: the program's input (r1 = ctx), or what a rotated log lost. */
  | 'start'
  /** A `from X to Y:` whose pc X is not printed earlier (the log lost it). */
  | 'lost'
  /** Gave up after `maxLines` lines. */
  | 'budget';

export interface Def {
  operand: Operand;
  /** The line reading `operand`; the walk starts just before it. */
  useLine: number;
  how: DefHow;
  /** The defining line; for start/lost/budget, where the walk stopped (-1 before line 0). */
  line: number;
  pc: number;
  insn: Insn | null;
  /** The def's frame relative to the use's: +1 for `return` (the callee), -1 for `callArg` (the caller). */
  frameDelta: number;
  /** The `from X to Y:` lines the walk jumped through, in walk order. */
  branches: number[];
  /** For a stack slot: the write covers every byte read. */
  complete: boolean;
  linesWalked: number;
}

export interface UseDefOptions {
  /** Lines one lookup may walk (branch searches included). */
  maxLines?: number;
}

/** Parsed instructions by pc, shared by the lookups of one question. */
export type InsnCache = Map<number, Insn>;

const DEFAULT_MAX_LINES = 2_000_000;
const FROM = /^\s*from (\d+) to (\d+)/;
const GLOBAL_FUNC = /is global and assumed valid/;

export function findDef(
  lines: VerifierLines,
  useLine: number,
  operand: Operand,
  options: UseDefOptions = {},
  cache: InsnCache = new Map(),
): Def {
  const maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
  const branches: number[] = [];
  let walked = 0;
  let frame = 0; // the walk's frame relative to the use's: > 0 inside callees that returned
  let globalCall = false;
  const done = (
    how: DefHow,
    line: number,
    insn: Insn | null = null,
    frameDelta = 0,
    complete = true,
  ): Def => ({
    operand,
    useLine,
    how,
    line,
    pc: line >= 0 && line < lines.lineCount ? lines.pcs[line] : NO_PC,
    insn,
    frameDelta,
    branches,
    complete,
    linesWalked: walked,
  });

  let i = Math.min(useLine, lines.lineCount) - 1;
  while (i >= 0) {
    if (walked >= maxLines) return done('budget', i);
    walked++;
    const kind = lines.kinds[i];
    if (kind === LineKind.insn) {
      const insn = insnAt(lines, i, cache);
      const isGlobalCall = globalCall;
      globalCall = false;
      if (insn.op === 'exit') {
        if (frame === 0 && operand.kind === 'reg' && operand.reg === 0) return done('return', i, insn, 1);
        frame++;
      } else if (insn.op === 'call' && insn.call?.kind === 'subprog' && !isGlobalCall) {
        if (frame > 0) {
          frame--;
          if (frame === 0 && isReg(operand, 1, 5)) return done('callClobber', i, insn);
        } else {
          return isReg(operand, 1, 5) ? done('callArg', i, insn, -1) : done('uninit', i, insn);
        }
      } else if (frame === 0) {
        const found = writes(lines, i, insn, operand, cache);
        if (found) return done(found.how, i, insn, 0, found.complete);
      }
    } else if (kind === LineKind.state) {
      const from = FROM.exec(lines.text(i));
      if (from) {
        const origin = Number(from[1]);
        branches.push(i);
        let j = i - 1;
        while (j >= 0 && !(lines.kinds[j] === LineKind.insn && lines.pcs[j] === origin)) {
          if (walked >= maxLines) return done('budget', j);
          walked++;
          j--;
        }
        if (j < 0) return done('lost', i);
        i = j; // the pushing instruction itself is on the path
        continue;
      }
    } else if (kind === LineKind.func && GLOBAL_FUNC.test(lines.text(i))) {
      globalCall = true; // printed right after the call it answers
    }
    i--;
  }
  return done('start', -1);
}

const isReg = (operand: Operand, low: number, high: number) =>
  operand.kind === 'reg' && operand.reg >= low && operand.reg <= high;

function insnAt(lines: VerifierLines, line: number, cache: InsnCache): Insn {
  const pc = lines.pcs[line];
  const cached = pc === NO_PC ? undefined : cache.get(pc);
  if (cached) return cached;
  const insn = parseInsn(lines.text(line));
  if (pc !== NO_PC) cache.set(pc, insn);
  return insn;
}

/** Does the instruction at `line` (in the operand's frame) write it? */
function writes(
  lines: VerifierLines,
  line: number,
  insn: Insn,
  operand: Operand,
  cache: InsnCache,
): { how: DefHow; complete: boolean } | null {
  if (operand.kind === 'reg') {
    if (insn.op === 'call') {
      if (operand.reg === 0) return hit('callResult');
      return isReg(operand, 1, 5) ? hit('callClobber') : null;
    }
    return insn.writes.includes(operand.reg) ? hit('insn') : null;
  }
  if (insn.op === 'call') return helperWritesStack(lines, line, operand, cache);
  const mem = insn.mem;
  if (!mem?.write) return null;
  const base = mem.base === 10 ? 0 : stackPointerAt(lines, line, mem.base, insn, cache);
  if (base === null) return null;
  return overlap(base + mem.offset, mem.size, operand);
}

const hit = (how: DefHow) => ({ how, complete: true });

function overlap(offset: number, size: number, operand: { offset: number; size: number }) {
  if (offset >= operand.offset + operand.size || operand.offset >= offset + size) return null;
  return {
    how: 'insn' as DefHow,
    complete: offset <= operand.offset && offset + size >= operand.offset + operand.size,
  };
}

/** A helper's or kfunc's non-const pointer arguments that point into this frame's stack, over the slot. */
function helperWritesStack(
  lines: VerifierLines,
  line: number,
  operand: { offset: number; size: number },
  cache: InsnCache,
): { how: DefHow; complete: boolean } | null {
  const proto = prototypeOfCall(lines.text(line));
  if (!proto) return null;
  for (let a = 0; a < proto.args.length && a < 5; a++) {
    if (!argMayWrite(proto.args[a].type)) continue;
    const pointer = valueAt(lines, line, a + 1, cache, POINTER);
    if (pointer === null) continue;
    // The size is the next argument when the prototype says so (`void *buf, u32 size`).
    const next = proto.args[a + 1];
    const sized = next && /size|len|sz/.test(next.name) ? valueAt(lines, line, a + 2, cache, SCALAR) : null;
    const size = sized ?? -pointer;
    const found = overlap(pointer, size, operand);
    if (found) return { how: 'helperWrite', complete: found.complete };
  }
  return null;
}

const POINTER = (reg: number) => new RegExp(`(?:^|[\\s;:])R${reg}(?:_[a-zA-Z]+)?=fp(-?\\d+)(?![\\d[])`);
const SCALAR = (reg: number) => new RegExp(`(?:^|[\\s;:])R${reg}(?:_[a-zA-Z]+)?=P?(\\d+)(?![\\w(])`);

/** Register `reg`'s value as read at `line`, from the state its def line printed. */
function valueAt(
  lines: VerifierLines,
  line: number,
  reg: number,
  cache: InsnCache,
  pattern: (reg: number) => RegExp,
): number | null {
  const def = findDef(lines, line, { kind: 'reg', reg }, { maxLines: 10_000 }, cache);
  if (def.how !== 'insn') return null;
  const tail = splitInsnLine(lines.text(def.line))?.tail;
  const m = tail ? pattern(reg).exec(tail) : null;
  return m ? Number(m[1]) : null;
}

/**
 * Where `reg` points into this frame's stack at `line` (`R2=fp-8` → -8), or
 * null: the line's own state tail shows the base of a store or load unless
 * the instruction overwrote it; otherwise the state printed where it was set.
 */
function stackPointerAt(lines: VerifierLines, line: number, reg: number, insn: Insn, cache: InsnCache) {
  if (!insn.writes.includes(reg)) {
    const tail = splitInsnLine(lines.text(line))?.tail;
    const m = tail ? POINTER(reg).exec(tail) : null;
    if (m) return Number(m[1]);
  }
  return valueAt(lines, line, reg, cache, POINTER);
}

/** The operands a def itself read: where the chain goes next, and in which frame. */
export function defSources(lines: VerifierLines, def: Def, cache: InsnCache = new Map()): Operand[] {
  const insn = def.insn;
  switch (def.how) {
    case 'callArg':
      return [def.operand];
    case 'return':
      return [{ kind: 'reg', reg: 0 }];
    case 'callResult': {
      const proto = prototypeOfCall(lines.text(def.line));
      const count = Math.min(proto?.args.length ?? 0, 5);
      return Array.from({ length: count }, (_, a) => ({ kind: 'reg', reg: a + 1 }) as Operand);
    }
    case 'insn':
      break;
    default:
      return [];
  }
  if (!insn) return [];
  const registers = (regs: number[]) =>
    regs.filter((r) => r !== 10).map((reg) => ({ kind: 'reg', reg }) as Operand);
  const mem = insn.mem;
  if (insn.op === 'load' && mem) {
    const base = mem.base === 10 ? 0 : stackPointerAt(lines, def.line, mem.base, insn, cache);
    if (base !== null) return [{ kind: 'stack', offset: base + mem.offset, size: mem.size }];
    return registers([mem.base]);
  }
  if (insn.op === 'store' && mem) return registers(insn.reads.filter((_, k) => k > 0));
  return registers(insn.reads);
}

export interface ChainNode {
  def: Def;
  /** Index of the node whose source this is; -1 for the root. */
  parent: number;
  depth: number;
  /** Frame relative to the question's line: 1 inside a callee it returned from, -1 in its caller. */
  frame: number;
}

export interface ChainOptions extends UseDefOptions {
  maxDepth?: number;
  maxNodes?: number;
}

/**
 * The def of `operand` read at `useLine`, and recursively the defs of what
 * that def read: breadth first, at most `maxNodes` nodes, `maxDepth` deep.
 */
export function defChain(
  lines: VerifierLines,
  useLine: number,
  operand: Operand,
  options: ChainOptions = {},
): ChainNode[] {
  const maxDepth = options.maxDepth ?? 16;
  const maxNodes = options.maxNodes ?? 64;
  const cache: InsnCache = new Map();
  const nodes: ChainNode[] = [
    { def: findDef(lines, useLine, operand, options, cache), parent: -1, depth: 0, frame: 0 },
  ];
  for (let n = 0; n < nodes.length && nodes.length < maxNodes; n++) {
    const node = nodes[n];
    if (node.depth >= maxDepth || node.def.line < 0) continue;
    const frame = node.frame + node.def.frameDelta;
    for (const source of defSources(lines, node.def, cache)) {
      if (nodes.length >= maxNodes) break;
      const def = findDef(lines, node.def.line, source, options, cache);
      nodes.push({ def, parent: n, depth: node.depth + 1, frame });
    }
  }
  return nodes;
}

/** `r3` → a register operand; `fp-8` (8 bytes) or `fp-4:4` → a stack operand; null otherwise. */
export function parseOperand(text: string): Operand | null {
  const reg = /^[rw](10|[0-9])$/i.exec(text.trim());
  if (reg) return { kind: 'reg', reg: Number(reg[1]) };
  const slot = /^fp(-\d+)(?::(1|2|4|8))?$/.exec(text.trim());
  if (slot) return { kind: 'stack', offset: Number(slot[1]), size: slot[2] ? Number(slot[2]) : 8 };
  return null;
}
