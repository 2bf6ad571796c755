import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.ts';
import { FIXTURES } from '../testing/fixtures.ts';

const fx = (name: string) => `${FIXTURES}/${name}`;

describe('bpflog inspect: the verifier', () => {
  it('finds the error behind the stats lines of a real libbpf report', async () => {
    const { stdout } = await runCli([
      'inspect',
      fx('verifier/null-deref-libbpf-l5.txt'),
      '--json',
      '--summary',
    ]);
    const { verifier } = JSON.parse(stdout);
    expect(verifier).toMatchObject({
      verdict: 'rejected',
      error: { message: "R0 invalid mem access 'map_value_or_null'", line: 15, pc: 7 },
      processed: 7,
      limit: 1000000,
      program: 'xdp_null_deref',
      programs: [{ name: 'xdp_null_deref', wrapper: 'libbpf', verdict: 'rejected' }],
    });
    expect(verifier.kinds).toMatchObject({ error: 1, stats: 2, summary: 1, insn: 7 });
  });

  it('reports on the program --program names, and refuses a name the file lacks', async () => {
    const ok = await runCli([
      'inspect',
      fx('verifier/ctx-write-libbpf-l6.txt'),
      '--program',
      'sock_write_ctx',
    ]);
    expect(ok.stdout).toContain('verifier: rejected (program sock_write_ctx)');
    expect(ok.stdout).toContain('verifier error (line 13, pc 1):');
    const missing = await runCli(['inspect', fx('verifier/ctx-write-libbpf-l6.txt'), '--program', 'nope']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no program "nope" (the log has: sock_write_ctx)');
  });
});

describe('bpflog insns', () => {
  it('prints one JSON line per pc, in pc order, with visits and source', async () => {
    const { status, stdout } = await runCli(['insns', fx('kernel/loop-level2-15mb.bin.gz'), '--json']);
    expect(status).toBe(0);
    const rows = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const pcs = rows.map((r) => r.pc);
    expect(pcs).toEqual([...pcs].sort((a, b) => a - b));
    // 21,996 instruction lines in the log (grammar test), every one a visit of some pc.
    expect(rows.reduce((sum, r) => sum + r.visits, 0)).toBe(21996);
    expect(rows[0]).toEqual({
      pc: 0,
      insn: '(b7) r2 = 0',
      visits: 1,
      source: { file: 'big.bpf.c', line: expect.any(Number), text: expect.any(String) },
    });
  });

  it('lists the 71 MB log’s 16 instructions with the loop body hot and the failing one marked', async () => {
    const { stdout } = await runCli(['insns', fx('kernel/too-large-71mb.bin.gz')]);
    expect(stdout).toContain('16 instructions, 800,002 visits; verdict rejected, failing at pc 9');
    expect(stdout).toMatch(/^\* {4}8 {2}100,000 {2}\(bf\) r3 = r1$/m);
    expect(stdout).toMatch(/^> {4}9 {2}100,000 {2}\(67\) r3 <<= 32$/m);
    expect(stdout).toMatch(/^ {5}0 {8}1 {2}\(61\) r1 = \*\(u32 \*\)\(r1 \+12\)$/m);
    expect(stdout).toContain('; acc += i * 3; @ errs.bpf.c:30');
  });
});
