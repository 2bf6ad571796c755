/**
 * Helpers and kfuncs by name: `call bpf_map_lookup_elem#1` reads as
 * `r0 = bpf_map_lookup_elem(map: r1, key: r2)`. The prototypes are the
 * generated helperTable.ts (linux/bpf.h and the kernel's BTF).
 */

import { HELPER_ROWS, KFUNC_ROWS } from './helperTable.ts';
import { parseInsn } from './insn.ts';

export interface Prototype {
  kind: 'helper' | 'kfunc';
  name: string;
  /** The helper id (kfuncs: null; their `#N` is a BTF id of one kernel build). */
  id: number | null;
  returns: string;
  args: readonly { name: string; type: string }[];
}

let byId: Map<number, Prototype> | null = null;
let byName: Map<string, Prototype> | null = null;

function tables() {
  if (!byId || !byName) {
    byId = new Map();
    byName = new Map();
    for (const [id, name, returns, args] of HELPER_ROWS) {
      const proto: Prototype = { kind: 'helper', name, id, returns, args: args.map(toArg) };
      byId.set(id, proto);
      byName.set(name, proto);
    }
    for (const [name, returns, args] of KFUNC_ROWS) {
      if (!byName.has(name))
        byName.set(name, { kind: 'kfunc', name, id: null, returns, args: args.map(toArg) });
    }
  }
  return { byId, byName };
}

const toArg = ([name, type]: readonly [string, string]) => ({ name, type });

export function helperById(id: number): Prototype | null {
  return tables().byId.get(id) ?? null;
}

/** A helper or kfunc by its name as the log prints it. */
export function prototypeByName(name: string): Prototype | null {
  return tables().byName.get(name) ?? null;
}

/** The prototype a call instruction's text names (by name first: the kernel prints its own names). */
export function prototypeOfCall(text: string): Prototype | null {
  const call = parseInsn(text).call;
  if (!call || (call.kind !== 'helper' && call.kind !== 'kfunc')) return null;
  return (call.name ? prototypeByName(call.name) : null) ?? (call.id !== null ? helperById(call.id) : null);
}

/** A pointer argument the callee may write through: a pointer that is not to const. */
export function argMayWrite(type: string): boolean {
  return type.includes('*') && !/^const\b/.test(type.trim());
}

/**
 * `call bpf_map_lookup_elem#1` → `r0 = bpf_map_lookup_elem(map: r1, key: r2)`;
 * kfuncs the same; anything else (unknown ids, subprogram calls, other text) as is.
 */
export function formatCall(text: string): string {
  const proto = prototypeOfCall(text);
  if (!proto) return text;
  const args = proto.args.slice(0, 5).map((arg, i) => `${arg.name}: r${i + 1}`);
  const call = `${proto.name}(${args.join(', ')})`;
  return proto.returns === 'void' ? call : `r0 = ${call}`;
}
