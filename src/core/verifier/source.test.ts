import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../testing/fixtures.ts';
import { DecodedLog } from '../decode.ts';
import { buildVerifierModel } from './model.ts';
import { parseSourceLine } from './source.ts';

describe('source map', () => {
  it('parses both forms of a source quote', () => {
    expect(parseSourceLine('; sum += *p; @ progs.bpf.c:23')).toEqual({
      text: 'sum += *p;',
      file: 'progs.bpf.c',
      line: 23,
    });
    expect(parseSourceLine(';  @ errs.bpf.c:0')).toEqual({ text: '', file: 'errs.bpf.c', line: 0 });
    expect(parseSourceLine('; r1 = *(u32 *)(r1 +0)')).toEqual({
      text: 'r1 = *(u32 *)(r1 +0)',
      file: null,
      line: null,
    });
  });

  it('maps each source line of the 71 MB log to its pcs and visits', () => {
    const model = buildVerifierModel(new DecodedLog(fixtureBytes('kernel/too-large-71mb.bin.gz')));
    const files = model.programs[0].source();
    expect(files.map((f) => f.file)).toEqual(['errs.bpf.c']);
    const byLine = new Map(files[0].lines.map((l) => [l.line, l]));
    // `acc += i * 3;` (line 30) covers the loop body's first four pcs; the loop test (29) the rest.
    expect(byLine.get(30)?.pcs).toEqual([8, 9, 10, 11]);
    expect(byLine.get(29)?.pcs).toEqual([3, 4, 5, 6, 7, 12, 13, 14, 15]);
    const visits = files[0].lines.reduce((sum, l) => sum + l.visits, 0);
    expect(visits).toBe(800002);
  });
});
