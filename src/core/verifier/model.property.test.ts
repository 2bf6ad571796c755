import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodedLog } from '../decode.ts';
import { classifyLineBytes } from './grammar.ts';
import { LINE_KIND_NAMES, LineKind } from './kinds.ts';
import { buildVerifierModel } from './model.ts';

/** Lines that look like the verifier's, cut and spliced at random. */
const verifierish = fc
  .array(
    fc.constantFrom(
      '12: (85) call bpf_map_lookup_elem#1',
      '0: R1=ctx() R10=fp0',
      'from 7 to 9: safe',
      '; x = 1; @ a.c:3',
      'processed 7 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0',
      'verification time 5 usec',
      "libbpf: prog 'p': -- BEGIN PROG LOAD LOG --",
      '-- END PROG LOAD LOG --',
      'PROCESSING a.o/p, DURATION US: 1, VERDICT: failure, VERIFIER LOG:',
      '\u001b[31m',
      '2024-05-01T12:00:00.1Z ',
      'R0 invalid mem access',
      '(',
      ')',
      '\n',
      '\u0000',
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('the verifier model on random input', () => {
  it('never throws on random bytes or spliced verifier lines, and every kind is a known one', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }),
          verifierish.map((t) => new TextEncoder().encode(t)),
        ),
        (bytes) => {
          const model = buildVerifierModel(new DecodedLog(bytes, { format: 'text' }));
          for (const kind of model.lines.kinds) expect(LINE_KIND_NAMES[kind]).toBeDefined();
          expect(model.programs.length).toBeGreaterThan(0);
          const program = model.programs[model.defaultProgram];
          expect(['accepted', 'rejected', 'unknown']).toContain(program.verdict.verdict);
          if (program.verdict.error)
            expect(model.lines.kinds[program.verdict.error.line]).toBe(LineKind.error);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('classifies any byte range without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(200), (bytes, cut) => {
        const end = Math.min(cut, bytes.length);
        expect(LINE_KIND_NAMES[classifyLineBytes(bytes, 0, end)]).toBeDefined();
      }),
    );
  });
});
