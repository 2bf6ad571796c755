/**
 * The verifier's register and stack state as kernel/bpf/log.c prints it
 * (print_verifier_state, print_reg_state, print_scalar_ranges,
 * print_liveness): parsed into structured values that keep the printed text,
 * so printState(parseState(x)) === x. Numbers are BigInt: 64-bit bounds do
 * not fit a double. Bad input never throws: what parsed is kept and the rest
 * is marked with an error and its offset.
 */

/** One `name=...` inside a value's parentheses, as printed: `smin=smin32=0` has two names. */
export interface StateAttr {
  /** Every name the value was printed under (the kernel merges equal bounds). */
  readonly names: readonly string[];
  /** The value as printed; null for a bare word (`non_own_ref`). */
  readonly text: string | null;
}

/** A tnum: the bits in `mask` are unknown, the others are those of `value`. */
export interface VarOff {
  readonly value: bigint;
  readonly mask: bigint;
}

/** The numbers and names a value's attributes hold, typed. Absent: not printed. */
export interface StateFields {
  smin?: bigint;
  smax?: bigint;
  umin?: bigint;
  umax?: bigint;
  smin32?: bigint;
  smax32?: bigint;
  umin32?: bigint;
  umax32?: bigint;
  varOff?: VarOff;
  /** `id=800-7`: the id (800) and the constant added to the linked value (-7). */
  id?: number;
  idDelta?: bigint;
  refObjId?: number;
  /** `ref_id=` of dynptr and iterator stack slots. */
  refId?: number;
  dynptrId?: number;
  off?: bigint;
  /** Packet range (`r=`). */
  r?: bigint;
  /** Memory size (`sz=`). */
  sz?: bigint;
  imm?: bigint;
  /** `fp-8,call_-1`: the call site of the frame a stack pointer points into (kernels before 5.3). */
  callsite?: number;
  ks?: number;
  vs?: number;
  map?: string;
  /** dynptr type (`type=xdp`), iterator state (`state=active`), iterator depth. */
  dynptrType?: string;
  iterState?: string;
  depth?: number;
  nonOwnRef?: boolean;
}

export const TYPE_MODIFIERS = ['rdonly', 'ringbuf', 'user', 'percpu', 'rcu', 'untrusted', 'trusted'] as const;
export type TypeModifier = (typeof TYPE_MODIFIERS)[number];

/** A register's or stack slot's value: `P0`, `scalar(...)`, `map_value_or_null(...)`, `fp[1]-8`, `mmmm????`. */
export interface StateValue {
  /** The value as printed. */
  readonly raw: string;
  /** Stack slots: the slot-type characters before a spilled register (`mmmm` of `mmmm????`, `????` of `????0`). */
  readonly slotTypes: string;
  /** `P`: a scalar the verifier tracks precisely. */
  readonly precise: boolean;
  /** Kernels before 6.0 print `P` after the type (`invP0`, `scalarP(…)`), newer ones before it (`P0`). */
  readonly precisionAfterType: boolean;
  /**
   * The type as printed, prefixes included: `scalar`, `map_value_or_null`,
   * `ptr_or_null_task_struct`, `fp`, `dynptr_xdp`, `iter_num`. Null for a
   * constant (`0`, `-7`, `0x300000000`) and for slot types alone.
   */
  readonly type: string | null;
  /**
   * The base type without prefixes and `_or_null`: `map_value`, `ptr` (BTF pointers), `mem`, `fp`,
   * `scalar` (which kernels before 5.18 print as `inv`).
   */
  readonly base: string | null;
  readonly modifiers: readonly TypeModifier[];
  readonly orNull: boolean;
  /** `ptr_<btf type>`: the BTF type's name. */
  readonly btfName: string | null;
  /** `fp[1]-8`: a stack pointer into frame 1. Null when into the register's own frame. */
  readonly pointerFrame: number | null;
  /** A known value: a constant scalar, or a constant stack pointer's offset (`fp-8` → -8). */
  readonly constant: bigint | null;
  /** The constant as printed (`0x300000000`, `-8`), for printing back. */
  readonly constantText: string | null;
  /** Whether `(...)` was printed after the type. */
  readonly hasParens: boolean;
  readonly attrs: readonly StateAttr[];
  readonly fields: StateFields;
  /** Why the value did not parse; null when it did. */
  readonly error: string | null;
}

/** `R1_w=...`, `fp-8=...`: one register or stack slot of one frame. */
export interface StateEntry {
  readonly kind: 'reg' | 'slot';
  /** `R0`..`R10`, `fp-8`. */
  readonly name: string;
  /** The function frame the entry belongs to (the ` frameN:` before it; 0 without one). */
  readonly frame: number;
  /** Register number, or the slot's offset from the frame pointer (-8, -16, …). */
  readonly index: number;
  /** print_liveness letters after `_`: '', 'r', 'w', 'rw', 'D', … (kernels before 6.17 print them). */
  readonly liveness: string;
  readonly value: StateValue;
  /** `R1_w=P0` as printed. */
  readonly raw: string;
}

export type StateItem =
  | ({ readonly kind: 'reg' | 'slot' } & StateEntry)
  | { readonly kind: 'frame'; readonly frame: number }
  | { readonly kind: 'refs'; readonly ids: readonly number[]; readonly raw: string }
  | { readonly kind: 'flag'; readonly name: 'cb' | 'async_cb' }
  | { readonly kind: 'unknown'; readonly raw: string };

export interface ParsedState {
  /** In printed order: frame markers, registers, slots, `refs=`, `cb`. */
  readonly items: readonly StateItem[];
  /** Text after the first item that did not parse (kept so it prints back). */
  readonly rest: string;
  /** The first problem and its offset in the parsed text; null for a clean parse. */
  readonly error: { readonly offset: number; readonly message: string } | null;
}

const SLOT_CHARS = /^[?rm0dif]+$/;
/** Slot types printed before a spilled register: the bytes above a 1, 2, 4 or full 8-byte spill. */
const SPILL_PREFIX_LENGTHS = [0, 4, 6, 7];
const NUMBER = /^(?:-?(?:0|[1-9][0-9]*)|0x[0-9a-f]+)$/;
const TYPE_WORD = /^[A-Za-z_][A-Za-z0-9_]*/;
const ATTR_NAME = /^[a-z_][a-z0-9_]*$/;
const SIGNED_64 = new Set(['smin', 'smax', 'off', 'imm']);
const SIGNED_32 = new Set(['smin32', 'smax32']);
const UNSIGNED = new Set(['umin', 'umax', 'umin32', 'umax32', 'r', 'sz']);
/** The bounds' names before 6.2 (`smin_value=`, `s32_min_value=`), as today's. */
const LEGACY_NAMES: Record<string, string> = {
  smin_value: 'smin',
  smax_value: 'smax',
  umin_value: 'umin',
  umax_value: 'umax',
  s32_min_value: 'smin32',
  s32_max_value: 'smax32',
  u32_min_value: 'umin32',
  u32_max_value: 'umax32',
};
/** A scalar's type word before 6.0, `P` after it when precise: `inv`, `invP`, `scalarP`. */
const LEGACY_SCALAR = /^(inv|scalar)(P?)(?=[-0-9(]|$)/;
const SMALL_INTS: Record<string, keyof StateFields> = {
  ref_obj_id: 'refObjId',
  ref_id: 'refId',
  dynptr_id: 'dynptrId',
  ks: 'ks',
  vs: 'vs',
  depth: 'depth',
};

/**
 * A printed number as the kernel means it: decimal, or `%#llx` of the bits;
 * signed fields read the bits as two's complement of their width.
 */
export function parseStateNumber(text: string, width: 0 | 32 | 64 = 0): bigint | null {
  if (!NUMBER.test(text)) return null;
  const value = BigInt(text);
  if (width === 0 || !text.startsWith('0x')) return value;
  return BigInt.asIntN(width, value);
}

/** Splits on `separator` outside parentheses; null when they do not balance. */
function splitTopLevel(text: string, separator: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      if (--depth < 0) return null;
    } else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) return null;
  parts.push(text.slice(start));
  return parts;
}

function parseVarOff(text: string): VarOff | null {
  const m = /^\((0x[0-9a-f]+); (0x[0-9a-f]+)\)$/.exec(text);
  if (m) return { value: BigInt(m[1]), mask: BigInt(m[2]) };
  const constant = parseStateNumber(text);
  return constant === null ? null : { value: constant, mask: 0n };
}

/**
 * Reads one attribute into `fields`. `hexImm`: the kernel printed `imm=` with
 * `%llx` (before 6.6; the value's other attributes tell), not as a number.
 */
function setField(fields: StateFields, printedName: string, text: string, hexImm: boolean): string | null {
  const name = LEGACY_NAMES[printedName] ?? printedName;
  if (name === 'imm' && /^[0-9a-f]+$/.test(text) && (hexImm || /[a-f]/.test(text))) {
    fields.imm = BigInt.asIntN(64, BigInt(`0x${text}`));
    return null;
  }
  if (name === 'var_off') {
    const varOff = parseVarOff(text);
    if (!varOff) return `var_off is not a tnum: ${text}`;
    fields.varOff = varOff;
    return null;
  }
  if (name === 'id') {
    const m = /^([0-9]+)([+-][0-9]+)?$/.exec(text);
    if (!m) return `bad id: ${text}`;
    fields.id = Number(m[1]);
    if (m[2]) fields.idDelta = BigInt(m[2]);
    return null;
  }
  if (name === 'map') {
    fields.map = text;
    return null;
  }
  if (name === 'type') {
    fields.dynptrType = text;
    return null;
  }
  if (name === 'state') {
    fields.iterState = text;
    return null;
  }
  const small = SMALL_INTS[name];
  if (small) {
    if (!/^[0-9]+$/.test(text)) return `bad ${name}: ${text}`;
    (fields as Record<string, number>)[small] = Number(text);
    return null;
  }
  const width = SIGNED_64.has(name) ? 64 : SIGNED_32.has(name) ? 32 : UNSIGNED.has(name) ? 0 : null;
  if (width === null) return null; // a name this grammar does not know: kept in attrs only
  const value = parseStateNumber(text, width);
  if (value === null) return `bad ${name}: ${text}`;
  (fields as Record<string, bigint>)[name] = value;
  return null;
}

interface ValueParts {
  type: string | null;
  base: string | null;
  modifiers: TypeModifier[];
  orNull: boolean;
  btfName: string | null;
}

/** `rdonly_ringbuf_mem_or_null`, `trusted_ptr_or_null_task_struct`, `fp`. */
export function splitTypeWord(word: string): ValueParts {
  let rest = word;
  const modifiers: TypeModifier[] = [];
  for (const modifier of TYPE_MODIFIERS) {
    if (rest.startsWith(`${modifier}_`) && rest.length > modifier.length + 1) {
      modifiers.push(modifier);
      rest = rest.slice(modifier.length + 1);
    }
  }
  if (rest.startsWith('ptr_')) {
    let btfName = rest.slice(4);
    const orNull = btfName.startsWith('or_null_');
    if (orNull) btfName = btfName.slice(8);
    return { type: word, base: 'ptr', modifiers, orNull, btfName };
  }
  const orNull = rest.endsWith('_or_null');
  if (orNull) rest = rest.slice(0, -8);
  return { type: word, base: rest, modifiers, orNull, btfName: null };
}

const EMPTY_PARTS: ValueParts = { type: null, base: null, modifiers: [], orNull: false, btfName: null };

function failedValue(raw: string, slotTypes: string, error: string): StateValue {
  return {
    raw,
    slotTypes,
    precise: false,
    precisionAfterType: false,
    ...EMPTY_PARTS,
    pointerFrame: null,
    constant: null,
    constantText: null,
    hasParens: false,
    attrs: [],
    fields: {},
    error,
  };
}

/** A register's value (print_reg_state), possibly after a stack slot's type characters. */
function parseRegValue(raw: string, slotTypes: string): StateValue {
  let text = raw.slice(slotTypes.length);
  let precise = text.startsWith('P');
  if (precise) text = text.slice(1);
  if (NUMBER.test(text)) {
    return {
      raw,
      slotTypes,
      precise,
      precisionAfterType: false,
      ...EMPTY_PARTS,
      pointerFrame: null,
      constant: parseStateNumber(text, 64),
      constantText: text,
      hasParens: false,
      attrs: [],
      fields: {},
      error: null,
    };
  }
  let legacy = LEGACY_SCALAR.exec(text);
  // One `P` or the other: `PscalarP` is not a kernel's.
  if (precise && legacy?.[2]) legacy = null;
  const precisionAfterType = legacy?.[2] === 'P';
  if (precisionAfterType) precise = true;
  // `fp0`, `fp-8`, `fp[1]-8`: the stack pointer's type word is followed by its offset.
  const word = legacy ? legacy[1] : /^fp(?=[-0-9[(]|$)/.test(text) ? 'fp' : TYPE_WORD.exec(text)?.[0];
  if (!word) return failedValue(raw, slotTypes, `not a value: ${text}`);
  const parts = legacy ? { ...EMPTY_PARTS, type: word, base: 'scalar' } : splitTypeWord(word);
  let after = text.slice(legacy ? legacy[0].length : word.length);
  let pointerFrame: number | null = null;
  let constant: bigint | null = null;
  let constantText: string | null = null;
  const fields: StateFields = {};
  if (legacy && NUMBER.test(after)) {
    // `inv0`, `invP-5`: a known scalar.
    constant = parseStateNumber(after, 64);
    constantText = after;
    after = '';
  }
  if (word === 'fp') {
    const frame = /^\[([0-9]+)\]/.exec(after);
    if (frame) {
      pointerFrame = Number(frame[1]);
      after = after.slice(frame[0].length);
    }
    // Kernels before 5.3 add the frame's call site: `fp-8,call_-1`.
    const call = /,call_(-?[0-9]+)$/.exec(after);
    if (call) fields.callsite = Number(call[1]);
    const offset = call ? after.slice(0, call.index) : after;
    if (NUMBER.test(offset)) {
      constant = parseStateNumber(offset, 64);
      constantText = offset;
      after = '';
    }
  }
  const attrs: StateAttr[] = [];
  const hasParens = after.startsWith('(') && after.endsWith(')');
  if (!hasParens && after !== '')
    return failedValue(raw, slotTypes, `unexpected text after ${word}: ${after}`);
  let error: string | null = null;
  if (hasParens && after.length > 2) {
    const pieces = splitTopLevel(after.slice(1, -1), ',');
    if (!pieces) return failedValue(raw, slotTypes, 'unbalanced parentheses');
    // Kernels before 6.6 print `imm=%llx`; they also print `id=0` and `off=0`, which newer ones leave out.
    const hexImm =
      legacy !== null || pieces.some((p) => p === 'id=0' || p === 'off=0' || p.includes('_value='));
    for (const piece of pieces) {
      const names = piece.split('=');
      if (names.length === 1) {
        if (!ATTR_NAME.test(piece)) return failedValue(raw, slotTypes, `bad attribute: ${piece}`);
        attrs.push({ names, text: null });
        if (piece === 'non_own_ref') fields.nonOwnRef = true;
        continue;
      }
      const value = names.pop() as string;
      // var_off's tnum is the only value that holds parentheses.
      if (names.some((n) => !ATTR_NAME.test(n)) || value === '')
        return failedValue(raw, slotTypes, `bad attribute: ${piece}`);
      attrs.push({ names, text: value });
      for (const name of names) error ??= setField(fields, name, value, hexImm);
    }
  }
  return {
    raw,
    slotTypes,
    precise,
    precisionAfterType,
    ...parts,
    pointerFrame,
    constant,
    constantText,
    hasParens,
    attrs,
    fields,
    error,
  };
}

/** A stack slot's value: slot types alone (`mmmm????`), or the types above a spilled register and its value. */
function parseSlotValue(raw: string): StateValue {
  if (raw.length === 8 && SLOT_CHARS.test(raw)) return { ...failedValue(raw, raw, ''), error: null };
  let best: StateValue | null = null;
  for (const length of SPILL_PREFIX_LENGTHS) {
    if (length >= raw.length) break;
    const prefix = raw.slice(0, length);
    if (length > 0 && !/^[?m0]+$/.test(prefix)) continue;
    const value = parseRegValue(raw, prefix);
    if (!value.error) return value;
    best ??= value;
  }
  return best ?? failedValue(raw, '', 'empty slot value');
}

const REG_NAME = /^R([0-9]|10)(?:_([rwD]+))?=/;
const SLOT_NAME = /^fp(-[0-9]+)(?:_([rwD]+))?=/;

function parseToken(token: string, frame: number): StateItem {
  const reg = REG_NAME.exec(token);
  const slot = reg ? null : SLOT_NAME.exec(token);
  const head = reg ?? slot;
  if (head) {
    const valueText = token.slice(head[0].length);
    const value = reg ? parseRegValue(valueText, '') : parseSlotValue(valueText);
    return {
      kind: reg ? 'reg' : 'slot',
      name: reg ? `R${head[1]}` : `fp${head[1]}`,
      frame,
      index: Number(head[1]),
      liveness: head[2] ?? '',
      value,
      raw: token,
    };
  }
  const frameMarker = /^frame([0-9]+):$/.exec(token);
  if (frameMarker) return { kind: 'frame', frame: Number(frameMarker[1]) };
  if (token === 'cb' || token === 'async_cb') return { kind: 'flag', name: token };
  const refs = /^refs=([0-9]+(?:,[0-9]+)*)$/.exec(token);
  if (refs) return { kind: 'refs', ids: refs[1].split(',').map(Number), raw: token };
  return { kind: 'unknown', raw: token };
}

/**
 * Parses the state text the kernel prints after `12:`, `from 7 to 9:` or an
 * instruction's `;`: space-separated items, each introduced by a space
 * (` R0=1 R10=fp0`, ` frame1: R1=ctx() refs=2 cb`). Never throws.
 */
export function parseState(text: string): ParsedState {
  const items: StateItem[] = [];
  let frame = 0;
  let at = 0;
  const fail = (message: string): ParsedState => ({
    items,
    rest: text.slice(at),
    error: { offset: at, message },
  });
  while (at < text.length) {
    if (text[at] !== ' ') return fail('expected a space before a state item');
    // An item runs to the next space outside parentheses (var_off=(0x0; 0xff) holds one).
    let depth = 0;
    let end = at + 1;
    for (; end < text.length; end++) {
      const c = text[end];
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === ' ' && depth <= 0) break;
      if (depth < 0) break;
    }
    if (depth !== 0) return fail('unbalanced parentheses');
    const token = text.slice(at + 1, end);
    if (token === '') return fail('empty state item');
    const item = parseToken(token, frame);
    if (item.kind === 'unknown') return fail(`unknown state item: ${token}`);
    if ((item.kind === 'reg' || item.kind === 'slot') && item.value.error) return fail(item.value.error);
    if (item.kind === 'frame') frame = item.frame;
    items.push(item);
    at = end;
  }
  return { items, rest: '', error: null };
}

/** The registers and slots of a parsed state, in printed order. */
export function stateEntries(state: ParsedState): StateEntry[] {
  return state.items.filter(
    (item): item is StateItem & StateEntry => item.kind === 'reg' || item.kind === 'slot',
  );
}

/** The type word built back from its parts (not copied from the raw text). */
function typeWordOf(value: StateValue): string {
  if (value.base === null) return '';
  if (value.type === 'inv') return 'inv';
  const prefix = value.modifiers.map((m) => `${m}_`).join('');
  if (value.base === 'ptr' && value.btfName !== null)
    return `${prefix}ptr_${value.orNull ? 'or_null_' : ''}${value.btfName}`;
  return `${prefix}${value.base}${value.orNull ? '_or_null' : ''}`;
}

/** A value printed back from its parts, the way print_reg_state prints it. */
export function printValue(value: StateValue): string {
  if (value.error) return value.raw;
  let out = value.slotTypes + (value.precise && !value.precisionAfterType ? 'P' : '');
  if (value.base === null) return out + (value.constantText ?? '');
  out += typeWordOf(value) + (value.precisionAfterType ? 'P' : '');
  if (value.pointerFrame !== null) out += `[${value.pointerFrame}]`;
  const callsite = value.fields.callsite === undefined ? '' : `,call_${value.fields.callsite}`;
  if (value.constantText !== null) return out + value.constantText + callsite;
  if (!value.hasParens) return out;
  const attrs = value.attrs.map((a) => (a.text === null ? a.names[0] : `${a.names.join('=')}=${a.text}`));
  return `${out}(${attrs.join(',')})`;
}

export function printEntry(entry: StateEntry): string {
  const liveness = entry.liveness ? `_${entry.liveness}` : '';
  return `${entry.name}${liveness}=${printValue(entry.value)}`;
}

function printItem(item: StateItem): string {
  switch (item.kind) {
    case 'frame':
      return `frame${item.frame}:`;
    case 'refs':
      return `refs=${item.ids.join(',')}`;
    case 'flag':
      return item.name;
    case 'unknown':
      return item.raw;
    default:
      return printEntry(item);
  }
}

/** The state text back, each item after a space: printState(parseState(x)) === x. */
export function printState(state: ParsedState): string {
  let out = '';
  for (const item of state.items) out += ` ${printItem(item)}`;
  return out + state.rest;
}

/** Where a line's state text is, and what the line says around it. */
export type StateLineForm =
  /** `12: R0=1 R10=fp0`: the state before insn 12 (full at a path's start, else the registers just changed). */
  | 'pc'
  /** `from 7 to 9: R1=…`: a branch taken from the stack, its full state (log level 2). */
  | 'branch'
  /** `3: (bf) r3 = r1   ; R1=pkt(r=0) R3=pkt(r=0)`: the registers insn 3 changed. */
  | 'tail'
  /** `15: (2d) if r3 > r2 goto pc-8 8: R0=…`: log level 1 rewound to the branch and printed the jump target's full state after it. */
  | 'jump'
  /** ` frame1: R1=…` alone on a line: the full state of one frame, after `caller:`, `callee:`, `returning from callee:`, `to caller at N:`. */
  | 'bare';

export interface StateLine {
  readonly form: StateLineForm;
  /** The pc the state is at: `12:`'s 12, `from 7 to 9`'s 9, the tail's instruction, the jump's target. */
  readonly pc: number | null;
  /** `from 7 to 9`'s 7; the jump line's branch instruction. */
  readonly fromPc: number | null;
  readonly speculative: boolean;
  /** Where the state text starts in the line. */
  readonly stateStart: number;
  readonly state: ParsedState;
}

const PC_STATE = /^([0-9]+):(?= (?:R[0-9]|fp-|frame[0-9]|refs=|cb|async_cb))/;
const BRANCH_STATE =
  /^from ([0-9]+) to ([0-9]+)( \(speculative execution\))?:(?= (?:R[0-9]|fp-|frame[0-9]|refs=))/;
const INSN = /^([0-9]+): \([0-9a-f]{2}\) /;
const JUMP_TARGET = / ([0-9]+):(?= (?:R[0-9]|fp-|frame[0-9]))/;
const TAIL = / ?; (?=R[0-9]|fp-|frame[0-9]|refs=)/;
const BARE = /^ ?(?=(?:frame[0-9]+: |R[0-9]+(?:_[rwD]+)?=))/;

/**
 * Finds and parses the state a line holds, in any of the kernel's forms;
 * null when the line holds none. Never throws.
 */
export function parseStateLine(line: string): StateLine | null {
  const at = (
    form: StateLineForm,
    pc: number | null,
    fromPc: number | null,
    start: number,
    speculative = false,
  ) => ({
    form,
    pc,
    fromPc,
    speculative,
    stateStart: start,
    state: parseState(line.slice(start)),
  });
  let m = PC_STATE.exec(line);
  if (m) return at('pc', Number(m[1]), null, m[0].length);
  m = BRANCH_STATE.exec(line);
  if (m) return at('branch', Number(m[2]), Number(m[1]), m[0].length, m[3] !== undefined);
  m = INSN.exec(line);
  if (m) {
    const pc = Number(m[1]);
    const rest = line.slice(m[0].length);
    const tail = TAIL.exec(rest);
    const jump = JUMP_TARGET.exec(rest);
    // The jump form's state follows the instruction text directly; a tail's follows `;`.
    if (jump && (!tail || jump.index < tail.index))
      return at('jump', Number(jump[1]), pc, m[0].length + jump.index + jump[0].length);
    if (tail) return at('tail', pc, null, m[0].length + tail.index + tail[0].length - 1);
    return null;
  }
  m = BARE.exec(line);
  if (m && line.length > 0) {
    // The state text starts at a space; a bare line printed without one is read from a virtual one.
    if (line.startsWith(' ')) return at('bare', null, null, 0);
    const state = parseState(` ${line}`);
    return { form: 'bare', pc: null, fromPc: null, speculative: false, stateStart: -1, state };
  }
  return null;
}

/** The line printed back from a parsed state line (its prefix is the line's own text). */
export function printStateLine(line: string, parsed: StateLine): string {
  if (parsed.stateStart < 0) return printState(parsed.state).slice(1);
  return line.slice(0, parsed.stateStart) + printState(parsed.state);
}
