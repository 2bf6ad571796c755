/**
 * One instruction's text, as kernel/bpf/disasm.c (print_bpf_insn) prints it,
 * read into what it does: registers read and written, memory and stack
 * accessed, call and jump targets. Parsed on demand, per line the user looks
 * at: never precomputed for a whole log. Never throws: text no printer makes
 * gives `{ op: 'unknown' }`.
 */

export type InsnOp =
  /** `r1 += r2`, `w1 s/= 3`, `r1 = r2`, `r1 = (s8)r2`: dst op= src. */
  | 'alu'
  /** `r1 = -r1`. */
  | 'neg'
  /** `r1 = be16 r1`, `r1 = le32 r1`, `r1 = bswap64 r1`. */
  | 'endian'
  /** `r1 = addr_space_cast(r1, 0, 1)`. */
  | 'addrSpaceCast'
  /** `r1 = *(u32 *)(r2 +4)`, `r1 = *(s8 *)(r2 +0)`. */
  | 'load'
  /** `*(u64 *)(r10 -8) = r1` (STX) and `*(u32 *)(r10 -4) = 0` (ST). */
  | 'store'
  /** `lock *(u64 *)(r1 +0) += r2`, `r0 = atomic64_fetch_add(...)`, xchg, cmpxchg, load_acquire, store_release. */
  | 'atomic'
  /** `r1 = 0xffff888104392c00`, `r1 = 0x1234 ll`, `r1 = map[id:5]`: BPF_LD_IMM64, two pcs. */
  | 'ldImm64'
  /** `r0 = *(u8 *)skb[12]`, `r0 = *(u16 *)skb[r6 + 0]`: legacy packet loads. */
  | 'ldAbs'
  | 'call'
  | 'exit'
  /** `goto pc+3`, `gotol pc+3`. */
  | 'goto'
  /** `if r1 > r2 goto pc+2`, `if w1 > 0x5 goto pc+2`. */
  | 'condJump'
  /** `may_goto pc+2`: a bounded loop's exit, a branch on a hidden counter. */
  | 'mayGoto'
  /** `nospec`: a speculation barrier. */
  | 'nospec'
  | 'unknown';

export type CallKind = 'helper' | 'kfunc' | 'subprog' | 'unknown';

export interface CallTarget {
  kind: CallKind;
  /** `bpf_map_lookup_elem` for helpers and kfuncs. */
  name: string | null;
  /** The helper id, or the kfunc's BTF id as the kernel printed it. */
  id: number | null;
  /** For `call pc+N`: N (the callee is at pc + N + 1). */
  offset: number | null;
}

/** A memory access: `*(size *)(base +offset)`. */
export interface MemAccess {
  base: number;
  offset: number;
  /** Bytes: 1, 2, 4 or 8. */
  size: number;
  signed: boolean;
  read: boolean;
  write: boolean;
}

export interface StackAccess {
  /** Byte offset from the frame pointer (negative): -4 for `(r10 -4)`. */
  offset: number;
  size: number;
  /** The 8-byte slot the kernel names it by: `fp-8` holds bytes -8..-1. */
  slot: number;
  read: boolean;
  write: boolean;
}

export interface Insn {
  op: InsnOp;
  /** The instruction's text as given (no pc, opcode or state tail). */
  text: string;
  /** Operator for alu, condJump and atomic: `+=`, `s>>=`, `=`, `>`, `fetch_add`, `xchg`, …. */
  operator: string | null;
  /** True for the 32-bit forms (`w` registers, JMP32, 32-bit atomics). */
  is32: boolean;
  /** Register numbers (0-10) read and written, in the order the text names them. */
  reads: number[];
  writes: number[];
  /** Immediate operand as printed (`0x5`, `-4`, `0x1234`, `map[id:5]`). */
  imm: string | null;
  mem: MemAccess | null;
  /** The access when its base is r10: a stack slot of the current frame. */
  stack: StackAccess | null;
  call: CallTarget | null;
  /** Jump offset: the target is pc + jump + 1. */
  jump: number | null;
  /** Instruction slots it occupies: 2 for ldImm64. */
  width: number;
}

const SIZES: Record<string, number> = { u8: 1, u16: 2, u32: 4, u64: 8, s8: 1, s16: 2, s32: 4, s64: 8 };

function blank(text: string, op: InsnOp): Insn {
  return {
    op,
    text,
    operator: null,
    is32: false,
    reads: [],
    writes: [],
    imm: null,
    mem: null,
    stack: null,
    call: null,
    jump: null,
    width: 1,
  };
}

const regNum = (reg: string): number => Number(reg.slice(1));

function withMem(insn: Insn, sizeName: string, base: string, offset: string, read: boolean, write: boolean) {
  const size = SIZES[sizeName];
  const baseReg = regNum(base);
  const off = Number(offset);
  insn.mem = { base: baseReg, offset: off, size, signed: sizeName[0] === 's', read, write };
  if (baseReg === 10) insn.stack = { offset: off, size, slot: Math.floor(off / 8) * 8, read, write };
  return insn;
}

const REG = '([rw](?:10|[0-9]))';
const MEM = '\\(([us](?:8|16|32|64)) \\*\\)\\(r(10|[0-9]) ([+-]\\d+)\\)';
const re = (source: string) => new RegExp(`^${source}$`);

const ALU_REG = re(`${REG} (\\+=|-=|\\*=|/=|s/=|%=|s%=|\\|=|&=|\\^=|<<=|>>=|s>>=|=) ${REG}`);
const ALU_IMM = re(`${REG} (\\+=|-=|\\*=|/=|s/=|%=|s%=|\\|=|&=|\\^=|<<=|>>=|s>>=|=) (-?\\d+)`);
const MOVSX = re(`${REG} = \\((s8|s16|s32)\\)${REG}`);
const NEG = re(`${REG} = -${REG}`);
const ENDIAN = re(`${REG} = (be|le|bswap)(16|32|64) ${REG}`);
const CAST = re(`${REG} = addr_space_cast\\(${REG}, (-?\\d+), (-?\\d+)\\)`);
const LOAD = re(`${REG} = \\*${MEM}`);
const STORE_REG = re(`\\*${MEM} = ${REG}`);
const STORE_IMM = re(`\\*${MEM} = (-?\\d+)`);
const LOCK = re(`lock \\*${MEM} (\\+=|&=|\\|=|\\^=) ${REG}`);
const FETCH = re(`${REG} = atomic(64)?_(fetch_add|fetch_and|fetch_or|fetch_xor|xchg)\\(${MEM}, ${REG}\\)`);
const CMPXCHG = re(`r0 = atomic(64)?_cmpxchg\\(${MEM}, r0, ${REG}\\)`);
const LOAD_ACQ = re(`${REG} = load_acquire\\(${MEM}\\)`);
const STORE_REL = re(`store_release\\(${MEM}, ${REG}\\)`);
const LD_ABS = re(`r0 = \\*\\((u8|u16|u32|u64) \\*\\)skb\\[(-?\\d+)\\]`);
const LD_IND = re(`r0 = \\*\\((u8|u16|u32|u64) \\*\\)skb\\[r(10|[0-9]) \\+ (-?\\d+)\\]`);
const LD_IMM64 = re(`${REG} = (0x[0-9a-f]+(?: ll)?|-?\\d+(?: ll)?|map\\[id:\\d+\\](?:\\[0\\]\\+\\d+)?|\\S+)`);
const CALL_SUBPROG = re('call pc([+-]\\d+)');
// `call bpf_map_lookup_elem#1`, or a bare name when the printer has no id.
const CALL_BY_NAME = re('call ([\\w.$-]+)(?:#(-?\\d+))?');
const GOTO = re('(goto|gotol) pc([+-]\\d+)');
const MAY_GOTO = re('may_goto pc([+-]\\d+)');
const COND = re(`if ${REG} (==|!=|>|>=|<|<=|s>|s>=|s<|s<=|&) (${REG}|0x[0-9a-f]+|-?\\d+) goto pc([+-]\\d+)`);

/**
 * Split `12: (85) call bpf_map_lookup_elem#1    ; R0=…` into its parts; null if
 * it is no instruction line. The tail is the `; …` state, or the next pc's
 * state the kernel prints on the same line after a jump (`goto pc-8 8: R0=…`).
 */
export function splitInsnLine(
  line: string,
): { pc: number; opcode: number; insn: string; tail: string | null } | null {
  const m = /^\s*(\d+): \(([0-9a-f]{2})\) (.*)$/.exec(line);
  if (!m) return null;
  let insn = m[3];
  let tail: string | null = null;
  const cut = insn.search(/;|\s\d+: /);
  if (cut >= 0) {
    tail = insn.slice(cut).replace(/^;\s?|^\s/, '');
    insn = insn.slice(0, cut);
  }
  return { pc: Number(m[1]), opcode: Number.parseInt(m[2], 16), insn: insn.trim(), tail };
}

/** What one instruction does, from its text (`r1 = *(u32 *)(r10 -4)`). A whole log line works too. */
export function parseInsn(input: string): Insn {
  const line = splitInsnLine(input);
  const text = line ? line.insn : input.trim();
  try {
    return parseText(text, line ? line.opcode : null);
  } catch {
    return blank(text, 'unknown');
  }
}

/** Every call clobbers r0-r5 and passes its arguments in r1-r5. */
function asCall(insn: Insn, target: CallTarget): Insn {
  insn.op = 'call';
  insn.call = target;
  insn.reads = [1, 2, 3, 4, 5];
  insn.writes = [0, 1, 2, 3, 4, 5];
  return insn;
}

type Rule = readonly [RegExp, (m: RegExpExecArray, insn: Insn) => Insn];

/** Tried in order; the first pattern that matches the whole text decides. */
const RULES: readonly Rule[] = [
  [
    ALU_REG,
    (m, insn) => {
      insn.op = 'alu';
      insn.operator = m[2];
      insn.is32 = m[1][0] === 'w';
      const dst = regNum(m[1]);
      const src = regNum(m[3]);
      insn.reads = m[2] === '=' ? [src] : dst === src ? [dst] : [dst, src];
      insn.writes = [dst];
      return insn;
    },
  ],
  [
    ALU_IMM,
    (m, insn) => {
      insn.op = 'alu';
      insn.operator = m[2];
      insn.is32 = m[1][0] === 'w';
      const dst = regNum(m[1]);
      insn.reads = m[2] === '=' ? [] : [dst];
      insn.writes = [dst];
      insn.imm = m[3];
      return insn;
    },
  ],
  [
    MOVSX,
    (m, insn) => {
      insn.op = 'alu';
      insn.operator = `= (${m[2]})`;
      insn.is32 = m[1][0] === 'w';
      insn.reads = [regNum(m[3])];
      insn.writes = [regNum(m[1])];
      return insn;
    },
  ],
  [
    NEG,
    (m, insn) => {
      insn.op = 'neg';
      insn.is32 = m[1][0] === 'w';
      insn.reads = [regNum(m[2])];
      insn.writes = [regNum(m[1])];
      return insn;
    },
  ],
  [
    ENDIAN,
    (m, insn) => {
      insn.op = 'endian';
      insn.operator = `${m[2]}${m[3]}`;
      insn.reads = [regNum(m[4])];
      insn.writes = [regNum(m[1])];
      return insn;
    },
  ],
  [
    CAST,
    (m, insn) => {
      insn.op = 'addrSpaceCast';
      insn.reads = [regNum(m[2])];
      insn.writes = [regNum(m[1])];
      insn.imm = `${m[3]}, ${m[4]}`;
      return insn;
    },
  ],
  [
    LOAD,
    (m, insn) => {
      insn.op = 'load';
      insn.reads = [Number(m[3])];
      insn.writes = [regNum(m[1])];
      return withMem(insn, m[2], `r${m[3]}`, m[4], true, false);
    },
  ],
  [
    STORE_REG,
    (m, insn) => {
      insn.op = 'store';
      insn.reads = [Number(m[2]), regNum(m[4])];
      return withMem(insn, m[1], `r${m[2]}`, m[3], false, true);
    },
  ],
  [
    STORE_IMM,
    (m, insn) => {
      insn.op = 'store';
      insn.reads = [Number(m[2])];
      insn.imm = m[4];
      return withMem(insn, m[1], `r${m[2]}`, m[3], false, true);
    },
  ],
  [
    LOCK,
    (m, insn) => {
      insn.op = 'atomic';
      insn.operator = m[4];
      insn.is32 = m[1] !== 'u64';
      insn.reads = [Number(m[2]), regNum(m[5])];
      return withMem(insn, m[1], `r${m[2]}`, m[3], true, true);
    },
  ],
  [
    FETCH,
    (m, insn) => {
      insn.op = 'atomic';
      insn.operator = m[3];
      insn.is32 = m[2] === undefined;
      insn.reads = [Number(m[5]), regNum(m[7])];
      insn.writes = [regNum(m[1])];
      return withMem(insn, m[4], `r${m[5]}`, m[6], true, true);
    },
  ],
  [
    CMPXCHG,
    (m, insn) => {
      insn.op = 'atomic';
      insn.operator = 'cmpxchg';
      insn.is32 = m[1] === undefined;
      insn.reads = [Number(m[3]), 0, regNum(m[5])];
      insn.writes = [0];
      return withMem(insn, m[2], `r${m[3]}`, m[4], true, true);
    },
  ],
  [
    LOAD_ACQ,
    (m, insn) => {
      insn.op = 'atomic';
      insn.operator = 'load_acquire';
      insn.reads = [Number(m[3])];
      insn.writes = [regNum(m[1])];
      return withMem(insn, m[2], `r${m[3]}`, m[4], true, false);
    },
  ],
  [
    STORE_REL,
    (m, insn) => {
      insn.op = 'atomic';
      insn.operator = 'store_release';
      insn.reads = [Number(m[2]), regNum(m[4])];
      return withMem(insn, m[1], `r${m[2]}`, m[3], false, true);
    },
  ],
  [
    LD_ABS,
    (m, insn) => {
      insn.op = 'ldAbs';
      // The skb is r6 implicitly; the call-like sequence clobbers r1-r5 too.
      insn.reads = [6];
      insn.writes = [0, 1, 2, 3, 4, 5];
      insn.imm = m[2];
      return insn;
    },
  ],
  [
    LD_IND,
    (m, insn) => {
      insn.op = 'ldAbs';
      insn.reads = [6, Number(m[2])];
      insn.writes = [0, 1, 2, 3, 4, 5];
      insn.imm = m[3];
      return insn;
    },
  ],
  [CALL_SUBPROG, (m, insn) => asCall(insn, { kind: 'subprog', name: null, id: null, offset: Number(m[1]) })],
  [
    CALL_BY_NAME,
    (m, insn) => {
      const name = m[1];
      const id = m[2] === undefined ? null : Number(m[2]);
      // Helper ids are small (< 1000); kfuncs print their BTF id; opcode 0x85 alone can't tell.
      const kind: CallKind =
        name === 'unknown'
          ? 'unknown'
          : id !== null && id < 1000 && name.startsWith('bpf_')
            ? 'helper'
            : 'kfunc';
      return asCall(insn, { kind, name: name === 'unknown' ? null : name, id, offset: null });
    },
  ],
  [
    MAY_GOTO,
    (m, insn) => {
      insn.op = 'mayGoto';
      insn.jump = Number(m[1]);
      return insn;
    },
  ],
  [
    GOTO,
    (m, insn) => {
      insn.op = 'goto';
      insn.operator = m[1];
      insn.jump = Number(m[2]);
      return insn;
    },
  ],
  [
    COND,
    (m, insn) => {
      insn.op = 'condJump';
      insn.operator = m[2];
      insn.is32 = m[1][0] === 'w';
      insn.reads = [regNum(m[1])];
      if (m[4]) insn.reads.push(regNum(m[4]));
      else insn.imm = m[3];
      insn.jump = Number(m[5]);
      return insn;
    },
  ],
];

function parseText(text: string, opcode: number | null): Insn {
  const insn = blank(text, 'unknown');
  if (text === 'exit') {
    insn.op = 'exit';
    insn.reads = [0];
    return insn;
  }
  if (text === 'nospec') {
    insn.op = 'nospec';
    return insn;
  }
  for (const [pattern, build] of RULES) {
    const m = pattern.exec(text);
    if (m) return build(m, insn);
  }
  // Last: `rN = <anything>` is a wide load (opcode 0x18) whose immediate a
  // callback may name (`map[id:5]`, a kernel symbol); other opcodes would be a misread.
  const wide = LD_IMM64.exec(text);
  if (wide && (opcode === null || opcode === 0x18) && wide[1][0] === 'r') {
    insn.op = 'ldImm64';
    insn.writes = [regNum(wide[1])];
    insn.imm = wide[2];
    insn.width = 2;
  }
  return insn;
}

/** `r3`, `w3` → 3; null otherwise. */
export function parseRegister(name: string): number | null {
  const m = /^[rRwW](10|[0-9])$/.exec(name.trim());
  return m ? Number(m[1]) : null;
}
