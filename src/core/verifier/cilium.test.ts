/**
 * cilium/ebpf's VerifierError printed with `%+v` by a Go program: real output
 * (see __fixtures__/verifier/cilium/README.md). The log sits after a header
 * ending with the errno's text, a tab in front of every line, and the Go
 * program's own lines after it; the program's name is in the error summary
 * that follows.
 */
import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../testing/fixtures.ts';
import { DecodedLog } from '../decode.ts';
import { buildVerifierModel } from './model.ts';

const cases = [
  { file: 'cil_null.L1.txt', truncated: false, mode: null, errorLine: 13 },
  { file: 'cil_null.L2.txt', truncated: false, mode: null, errorLine: 26 },
  // A 700-byte buffer at level 2: the kernel kept the end (rotating), and returned ENOSPC.
  { file: 'cil_null.L2-700.txt', truncated: true, mode: 'rotating', errorLine: 10 },
  // `%-5v`: `(22 line(s) omitted)`, then the last 5 lines; the log starts after that line, its start lost.
  { file: 'cil_null.L2-last5.txt', truncated: true, mode: 'rotating', errorLine: 5, startLine: 2 },
] as const;

describe('cilium/ebpf VerifierError (%+v)', () => {
  for (const c of cases) {
    it(`${c.file}: the program, its error at pc 7, and the truncation verdict`, () => {
      const bytes = fixtureBytes(`verifier/cilium/${c.file}`);
      const log = new DecodedLog(bytes);
      const model = buildVerifierModel(log);
      expect(model.programs.map((p) => [p.name, p.wrapper])).toEqual([['xdp_count_proto', 'cilium']]);
      const program = model.programs[model.defaultProgram];
      // The log is the block of tabbed lines after the header, without the tabs.
      expect(program.startLine).toBe('startLine' in c ? c.startLine : 1);
      const lines = new TextDecoder().decode(bytes).split('\n');
      expect(lines[program.endLine]).toMatch(/loading objects: program xdp_count_proto: load program: /);
      expect(lines.slice(1, program.endLine).every((l) => l.startsWith('\t'))).toBe(true);
      expect(program.verdict.verdict).toBe('rejected');
      expect(program.verdict.error?.message).toBe("R0 invalid mem access 'map_value_or_null'");
      expect(program.verdict.error?.pc).toBe(7);
      expect(program.verdict.error?.line).toBe(c.errorLine);
      expect(lines[c.errorLine]).toBe("\tR0 invalid mem access 'map_value_or_null'");
      expect(log.truncation.truncated).toBe(c.truncated);
      expect(log.truncation.mode).toBe(c.mode);
    });
  }

  it('a header must end with an errno text, or its block with the summary: other tabbed text is not taken', () => {
    const text = 'config:\n\tkey = value\n\tother = 1\n0: R1=ctx() R10=fp0\n0: (b7) r0 = 0\n1: (95) exit\n';
    const model = buildVerifierModel(new DecodedLog(new TextEncoder().encode(text)));
    expect(model.programs.map((p) => p.wrapper)).toEqual(['none']);
  });

  // A hang guard, not a speed measure: read block by block from every line, these 200,000 lines
  // took 47 s (the 20 s limit fails that); read in one pass, well under a second.
  it('looks at each tabbed line once: 200,000 of them, each ending with a colon, are read in one pass', () => {
    const text = `config:\n${'\tkey:\n'.repeat(200_000)}0: R1=ctx() R10=fp0\n`;
    const model = buildVerifierModel(new DecodedLog(new TextEncoder().encode(text)));
    expect(model.programs.map((p) => p.wrapper)).toEqual(['none']);
    expect(model.lines.lineCount).toBe(200_002);
  }, 20_000);
});
