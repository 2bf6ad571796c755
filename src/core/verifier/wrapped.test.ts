import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES } from '../../testing/fixtures.ts';
import { DecodedLog } from '../decode.ts';
import { buildVerifierModel } from './model.ts';

/** Real captures of bcc, tc, ip and bpftrace loads (verifier/wrapped/README.md): each tool's own lines around the log. */
const DIR = join(FIXTURES, 'verifier', 'wrapped');
type Truth = {
  verdict: string;
  error: string | null;
  pc: number | null;
  name: string | null;
  wrapper: string;
};
const truth: Record<string, Truth> = JSON.parse(readFileSync(join(DIR, 'truth.json'), 'utf8'));
const files = Object.keys(truth).filter((f) => f !== '_');

describe('logs as real loading tools print them', () => {
  test.each(files)('%s: verdict, error, pc and program as the capture reads, and no truncation', (file) => {
    const log = new DecodedLog(new Uint8Array(readFileSync(join(DIR, file))));
    const model = buildVerifierModel(log);
    const program = model.programs[model.defaultProgram];
    const want = truth[file];
    expect(program.verdict.verdict).toBe(want.verdict);
    expect(program.verdict.error?.message.split('\n')[0] ?? null).toBe(want.error);
    expect(program.verdict.error?.pc ?? null).toBe(want.pc);
    expect(program.name).toBe(want.name);
    expect(program.wrapper).toBe(want.wrapper);
    // The tools' lines before the log and after its summary are not a cut.
    expect(log.truncation.truncated).toBe(false);
    expect(program.verdict.truncation).toBeNull();
  });

  test('bpftrace without -v prints no log: no verdict and nothing said to be truncated', () => {
    const log = new DecodedLog(new Uint8Array(readFileSync(join(DIR, 'bpftrace_loop.txt'))));
    expect(log.truncation).toMatchObject({ truncated: false, mode: null });
    expect(log.truncation.message).toContain('No verifier log');
    expect(buildVerifierModel(log).programs[0].verdict.verdict).toBe('unknown');
    // Cut mid-line, a verifier log's end is still a rotated log's.
    const bcc = readFileSync(join(DIR, 'bcc_null.L1.txt'), 'latin1');
    const cut = bcc.slice(bcc.indexOf('R10=fp0 fp-8'));
    expect(new DecodedLog(new TextEncoder().encode(cut)).truncation).toMatchObject({
      truncated: true,
      mode: 'rotating',
    });
  });
});
