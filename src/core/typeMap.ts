/**
 * Names for TLV message types. STRING (1) and END (2) are built in and fixed,
 * since the decoder's rules depend on them; every other value can be named by
 * the user (a later kernel's choice, or a private experiment) and otherwise
 * keeps its number.
 */
import { TYPE_END, TYPE_STRING } from './tlv.ts';

export type TypeMap = ReadonlyMap<number, string>;

export const BUILTIN_TYPE_NAMES: TypeMap = new Map([
  [TYPE_STRING, 'STRING'],
  [TYPE_END, 'END'],
]);

export const UNKNOWN_TYPE_NAME = 'unknown';
const MAX_NAME_LENGTH = 64;

export function typeName(map: TypeMap, type: number): string {
  return BUILTIN_TYPE_NAMES.get(type) ?? map.get(type) ?? UNKNOWN_TYPE_NAME;
}

/** "STRING (1)", "ERRNO (7)", "unknown (9)". */
export function typeLabel(map: TypeMap, type: number): string {
  return `${typeName(map, type)} (${type})`;
}

export function isKnownType(map: TypeMap, type: number): boolean {
  return BUILTIN_TYPE_NAMES.has(type) || map.has(type);
}

export interface ParsedTypeMap {
  map: Map<number, string>;
  /** One message per rejected entry; the valid entries are still used. */
  errors: string[];
}

/**
 * Reads a user type map: a JSON object `{ "7": "ERRNO", "0x10": "BTF_ID" }`.
 * Keys are decimal or 0x-hex type values 3..65535; values are names of 1-64
 * printable characters. Bad entries are reported, not fatal.
 */
export function parseTypeMap(source: string | unknown): ParsedTypeMap {
  const map = new Map<number, string>();
  const errors: string[] = [];
  let value: unknown = source;
  if (typeof source === 'string') {
    try {
      value = JSON.parse(source);
    } catch (e) {
      return { map, errors: [`not JSON: ${(e as Error).message}`] };
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { map, errors: ['a type map is a JSON object such as {"7": "ERRNO"}'] };
  }
  for (const [key, name] of Object.entries(value as Record<string, unknown>)) {
    const type = /^0x[0-9a-f]+$/i.test(key)
      ? Number.parseInt(key, 16)
      : /^\d+$/.test(key)
        ? Number(key)
        : Number.NaN;
    if (!Number.isInteger(type) || type < 0 || type > 0xffff) {
      errors.push(`"${key}": a type is a number from 0 to 65535`);
      continue;
    }
    if (BUILTIN_TYPE_NAMES.has(type) || type === 0) {
      errors.push(
        `"${key}": type ${type} is ${type === 0 ? 'unused space' : BUILTIN_TYPE_NAMES.get(type)} and cannot be renamed`,
      );
      continue;
    }
    if (
      typeof name !== 'string' ||
      name.trim() === '' ||
      name.length > MAX_NAME_LENGTH ||
      !/^[\x20-\x7e]+$/.test(name)
    ) {
      errors.push(`"${key}": a name is 1 to ${MAX_NAME_LENGTH} printable ASCII characters`);
      continue;
    }
    map.set(type, name.trim());
  }
  return { map, errors };
}

/** The inverse of parseTypeMap, for saving. */
export function serializeTypeMap(map: TypeMap): string {
  const entries = [...map.entries()].sort((a, b) => a[0] - b[0]);
  return JSON.stringify(Object.fromEntries(entries.map(([k, v]) => [String(k), v])));
}
