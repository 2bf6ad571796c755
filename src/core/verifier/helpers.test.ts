import { describe, expect, it } from 'vitest';
import { fixtureBytes, kernelManifest } from '../../testing/fixtures.ts';
import { argMayWrite, formatCall, helperById, prototypeByName } from './helpers.ts';
import { HELPER_ROWS } from './helperTable.ts';

describe('helper and kfunc prototypes', () => {
  it('formats calls with argument names, as the issue asks', () => {
    expect(formatCall('call bpf_map_lookup_elem#1')).toBe('r0 = bpf_map_lookup_elem(map: r1, key: r2)');
    expect(formatCall('9: (85) call bpf_map_update_elem#2')).toBe(
      'r0 = bpf_map_update_elem(map: r1, key: r2, value: r3, flags: r4)',
    );
    expect(formatCall('call bpf_ktime_get_ns#5')).toBe('r0 = bpf_ktime_get_ns()');
    expect(formatCall('call unknown#99999')).toBe('call unknown#99999');
    expect(formatCall('call pc+5')).toBe('call pc+5');
    expect(formatCall('r1 = r2')).toBe('r1 = r2');
  });

  it('formats kfuncs from the BTF table the same way', () => {
    const slice = prototypeByName('bpf_dynptr_slice');
    expect(slice?.kind).toBe('kfunc');
    expect(slice?.returns).toBe('void *');
    expect(formatCall('call bpf_dynptr_slice#71567')).toBe(
      'r0 = bpf_dynptr_slice(p: r1, offset: r2, buffer__opt: r3, buffer__szk: r4)',
    );
  });

  it('agrees with the kernel on every helper the corpus calls (the log prints name and id)', () => {
    const calls = new Map<string, number>();
    for (const { file } of kernelManifest()) {
      if (file.endsWith('.gz')) continue; // the big logs call bpf_map_lookup_elem only, like the small ones
      const text = new TextDecoder().decode(fixtureBytes(`kernel/${file}`));
      for (const m of text.matchAll(/call (bpf_\w+)#(\d+)/g)) calls.set(m[1], Number(m[2]));
    }
    expect(calls.size).toBeGreaterThanOrEqual(5);
    for (const [name, id] of calls) expect(helperById(id)?.name).toBe(name);
  });

  it('tells pointer arguments a helper may write from const ones', () => {
    const comm = helperById(16);
    expect(comm?.name).toBe('bpf_get_current_comm');
    expect(comm?.args.map((a) => argMayWrite(a.type))).toEqual([true, false]);
    expect(helperById(1)?.args.map((a) => argMayWrite(a.type))).toEqual([true, false]);
    // ids are unique and ordered, as __BPF_FUNC_MAPPER numbers them
    const ids = HELPER_ROWS.map((r) => r[0]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });
});
