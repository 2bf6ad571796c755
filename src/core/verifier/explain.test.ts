import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../testing/fixtures.ts';
import { DecodedLog } from '../decode.ts';
import { explainError } from './explain.ts';
import { buildVerifierModel } from './model.ts';

/**
 * The bug each fresh capture's program plants (see fresh/src/*.bpf.c), as the hint that should
 * name it; the accepted programs get none.
 */
const PLANTED: Record<string, string | null> = {
  bpf_loop_cb: 'return-value',
  can_loop_bad: 'value-bounds',
  ctx_write: 'context-access',
  global_subprog: 'null-check',
  helper_arg: 'argument-type',
  infinite_loop: 'loop',
  iter_num: 'value-bounds',
  jumps_complex: 'too-complex',
  kfunc_obj: 'scalar-deref',
  map_oob: 'value-bounds',
  multi_prog: 'null-check',
  null_deref: 'null-check',
  pkt_bounds: 'packet-bounds',
  ptr_arith: 'null-check',
  rdonly_r0: 'uninit-register',
  ret_range: 'return-value',
  ret_range_stack: 'return-value',
  ringbuf_leak: 'reference-leak',
  spin_lock: 'lock',
  stack_fp_pos: 'stack-bounds',
  stack_oob: 'stack-bounds',
  static_subprog: 'stack-bounds',
  too_large: 'too-complex',
  unreachable: 'unreachable-code',
  wrong_helper: 'helper-not-allowed',
  ok_iter_canloop: null,
  ok_simple: null,
  ok_socket_comm: null,
  ok_subprog_loop: null,
};

const FRESH = join(FIXTURES, 'verifier', 'fresh');
const truth: { file: string }[] = JSON.parse(readFileSync(join(FRESH, 'truth.json'), 'utf8'));

describe('hints for the verifier’s errors', () => {
  it('names the bug each real capture plants, from the error the model reads', () => {
    let checked = 0;
    for (const { file } of truth) {
      if (file.endsWith('.gz')) continue;
      const program = /^logs\/([a-z0-9_]+?)(?:\.|-)/.exec(file)?.[1] ?? '';
      expect(program in PLANTED, file).toBe(true);
      const model = buildVerifierModel(new DecodedLog(new Uint8Array(readFileSync(join(FRESH, file)))));
      const { verdict, error } = model.programs[model.defaultProgram].verdict;
      if (PLANTED[program] === null) {
        expect(verdict, file).toBe('accepted');
        continue;
      }
      // A fixed-mode cut can lose the error: then there is nothing to explain.
      if (!error) continue;
      expect(explainError(error.message)?.id ?? null, file).toBe(PLANTED[program]);
      checked++;
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('reads older kernels’ wording, names the register, and knows when it does not know', () => {
    expect(explainError('R1 type=inv expected=fp')).toMatchObject({
      id: 'argument-type',
      why: expect.stringContaining('holds a scalar'),
    });
    expect(explainError("R7 invalid mem access 'inv'")).toMatchObject({
      id: 'scalar-deref',
      title: expect.stringMatching(/^R7 /),
    });
    expect(
      explainError('R7 min value is negative, either use unsigned index or do a if (index >=0) check.')?.id,
    ).toBe('value-bounds');
    expect(explainError('invalid indirect read from stack R2 off -16+0 size 16')?.id).toBe('uninit-stack');
    expect(explainError('invalid read from stack off -8+0 size 8')?.id).toBe('uninit-stack');
    expect(explainError('combined stack size of 3 calls is 544. Too large')?.id).toBe('stack-size');
    expect(explainError('the kernel said something new')).toBeNull();
  });
});
