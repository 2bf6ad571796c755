/**
 * 117 logs captured fresh from kernel 6.18 (see __fixtures__/verifier/fresh/README.md): 29
 * programs, raw buffers, libbpf reports and bpftool output, levels 1, 2 and stats, cut in
 * rotating and fixed mode. The truth is the kernel's errno and the log read by a separate
 * script (fresh/src/truth.py), never this model.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureBytes } from '../../testing/fixtures.ts';
import { DecodedLog } from '../decode.ts';
import { buildVerifierModel } from './model.ts';

interface Truth {
  file: string;
  form: 'raw' | 'rawsyscall' | 'libbpf' | 'bpftool';
  program: string;
  verdict: 'accepted' | 'rejected';
  errno: number;
  /** The error's lines; null when the log lost it (a fixed-mode cut: `note` says so). */
  error: string[] | null;
  pc: number | null;
  truncated: boolean;
  program_count: number;
  note?: string;
}

const truths: Truth[] = JSON.parse(readFileSync(join(FIXTURES, 'verifier', 'fresh', 'truth.json'), 'utf8'));

describe('fresh kernel 6.18 captures: verdict, error, pc, program and truncation as the kernel says', () => {
  it('holds the whole set', () => {
    expect(truths.length).toBe(117);
    expect(new Set(truths.map((t) => t.program)).size).toBeGreaterThanOrEqual(29);
  });

  for (const t of truths) {
    it(t.file, () => {
      const log = new DecodedLog(fixtureBytes(`verifier/fresh/${t.file}`));
      const model = buildVerifierModel(log);
      const program = model.programs[model.defaultProgram];
      const { verdict, error } = program.verdict;
      expect(model.programs.length).toBe(t.program_count);
      if (t.form === 'libbpf' || t.form === 'bpftool') expect(program.name).toBe(t.program);
      expect(log.truncation.truncated).toBe(t.truncated);
      if (t.verdict === 'accepted') {
        expect(verdict).toBe('accepted');
        expect(error).toBeNull();
        return;
      }
      if (t.error === null) {
        // A fixed-mode cut lost the error: the verdict cannot be told from the log.
        expect(t.note).toMatch(/FIXED/);
        expect(verdict).toBe('unknown');
        expect(error).toBeNull();
        return;
      }
      expect(verdict).toBe('rejected');
      expect(error?.message.split('\n')[0]).toBe(t.error[0]);
      expect(error?.message).toBe(t.error.join('\n'));
      expect(error?.pc ?? null).toBe(t.pc);
    });
  }
});
