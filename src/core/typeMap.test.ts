import { describe, expect, it } from 'vitest';
import { parseTypeMap, serializeTypeMap, typeLabel, typeName } from './typeMap.ts';

describe('type map', () => {
  it('names built-in and user types, and keeps the number of unknown ones', () => {
    const { map, errors } = parseTypeMap('{"7": "ERRNO", "0x10": "BTF_ID"}');
    expect(errors).toEqual([]);
    expect(typeLabel(map, 1)).toBe('STRING (1)');
    expect(typeLabel(map, 2)).toBe('END (2)');
    expect(typeLabel(map, 7)).toBe('ERRNO (7)');
    expect(typeLabel(map, 16)).toBe('BTF_ID (16)');
    expect(typeLabel(map, 9)).toBe('unknown (9)');
    expect(typeName(map, 65535)).toBe('unknown');
  });

  it('rejects bad entries one by one and keeps the good ones', () => {
    const { map, errors } = parseTypeMap({ '1': 'TEXT', '70000': 'X', abc: 'Y', '5': '', '6': 3, '8': 'OK' });
    expect([...map.entries()]).toEqual([[8, 'OK']]);
    expect(errors).toHaveLength(5);
    expect(errors.join('\n')).toContain('type 1 is STRING and cannot be renamed');
  });

  it('rejects what is not a JSON object', () => {
    expect(parseTypeMap('[1]').errors[0]).toContain('JSON object');
    expect(parseTypeMap('{').errors[0]).toMatch(/^not JSON/);
  });

  it('round-trips through serializeTypeMap', () => {
    const { map } = parseTypeMap({ '300': 'B', '7': 'A' });
    expect(serializeTypeMap(map)).toBe('{"7":"A","300":"B"}');
    expect(parseTypeMap(serializeTypeMap(map)).map).toEqual(map);
  });
});
