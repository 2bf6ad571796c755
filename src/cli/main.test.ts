import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.ts';
import { FIXTURES, fixtureBytes, tlvCases } from '../testing/fixtures.ts';

const run = runCli;

const fx = (name: string) => join(FIXTURES, name);

describe('bpflog inspect --json', () => {
  it('reports a TLV fixture exactly as its ground truth says', async () => {
    for (const truth of tlvCases().filter((t) => !t.binFile.endsWith('.gz'))) {
      const { status, stdout } = await run(['inspect', fx(truth.binFile), '--json']);
      expect(status).toBe(0);
      const report = JSON.parse(stdout);
      if (truth.log_size === 0) {
        expect(report).toMatchObject({ format: null, byteOrder: null, size: 0, recordCount: 0, records: [] });
        expect(report.diagnostics[0].code).toBe('empty');
        continue;
      }
      expect(report.format).toBe('tlv');
      expect(report.byteOrder).toBe(truth.big_endian ? 'big' : 'little');
      expect(report.size).toBe(truth.log_size);
      expect(report.recordCount).toBe(truth.records.length);
      expect(
        report.records.map((r: { offset: number; type: number; length: number }) => [
          r.offset,
          r.type,
          r.length,
        ]),
      ).toEqual(truth.records.map((r) => [r.offset, r.type, r.len]));
      expect(report.records.map((r: { index: number }) => r.index)).toEqual(truth.records.map((_, i) => i));
      expect(report.end).toEqual(
        truth.end_offset === null ? null : { offset: truth.end_offset, count: truth.end_count },
      );
      const problems = report.diagnostics.filter((d: { severity: string }) => d.severity !== 'info');
      expect(problems.map((d: { code: string }) => d.code)).toEqual(
        truth.diagnostic ? [truth.diagnostic] : [],
      );
    }
  });

  it('gives STRING text without its NUL, and null text for other types', async () => {
    const { stdout } = await run(['inspect', fx('tlv/oob-unknown-types.bin'), '--json']);
    const report = JSON.parse(stdout);
    expect(report.records[0].text).toBe('0: R1=ctx() R10=fp0\n');
    const unknown = report.records.filter((r: { type: number }) => r.type !== 1 && r.type !== 2);
    expect(unknown.length).toBeGreaterThan(0);
    for (const r of unknown) expect(r.text).toBeNull();
    expect(report.records.at(-1)).toMatchObject({ type: 2, length: 2, text: null });
  });

  it('reports a gzipped kernel text log: lines as records, truncation with its mode', async () => {
    const { status, stdout } = await run(['inspect', fx('kernel/too-large-rotated.bin.gz'), '--json']);
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    const bytes = fixtureBytes('kernel/too-large-rotated.bin.gz');
    expect(report).toMatchObject({ format: 'text', byteOrder: null, size: bytes.length, end: null });
    expect(report.truncation).toMatchObject({ truncated: true, dropped: null, mode: 'rotating' });
    const text = Buffer.from(bytes.subarray(0, bytes.indexOf(0))).toString('latin1');
    expect(report.records.map((r: { text: string }) => r.text).join('\n')).toBe(text.replace(/\n$/, ''));
    expect(report.records[1]).toMatchObject({ index: 1, type: null, offset: text.indexOf('\n') + 1 });
    expect(report.records[1].length).toBe(report.records[1].text.length);
    expect(report.trailing).toBeNull();
  });

  it('--summary leaves out records; --format and --byte-order override detection', async () => {
    const summary = JSON.parse(
      (await run(['inspect', fx('tlv/oob-big-endian.bin'), '--json', '--summary'])).stdout,
    );
    expect(summary.records).toBeUndefined();
    expect(summary.byteOrder).toBe('big');
    expect(summary.recordCount).toBe(33);
    const forced = JSON.parse(
      (await run(['inspect', fx('tlv/oob-big-endian.bin'), '--json', '--summary', '--byte-order', 'little']))
        .stdout,
    );
    expect(forced.byteOrder).toBe('little');
    expect(forced.diagnostics[0].code).toBe('length-overflow');
    const asText = JSON.parse(
      (await run(['inspect', fx('tlv/oob-whole.bin'), '--json', '--summary', '--format', 'text'])).stdout,
    );
    expect(asText.format).toBe('text');
  });
});

describe('bpflog inspect (human summary)', () => {
  it('names types from --types and shows END, truncation and diagnostics', async () => {
    const dir = await import('node:os').then((os) => os.tmpdir());
    const typesFile = join(dir, `bpflog-types-${process.pid}.json`);
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(typesFile, '{"19744": "BTF_REF", "2127": "ERRNO"}'),
    );
    const { status, stdout } = await run(['inspect', fx('tlv/oob-unknown-types.bin'), '--types', typesFile]);
    expect(status).toBe(0);
    expect(stdout).toContain('format: TLV, little-endian');
    expect(stdout).toMatch(/BTF_REF \(19744\)\s+1/);
    expect(stdout).toMatch(/ERRNO \(2127\)\s+1/);
    expect(stdout).toMatch(/STRING \(1\)\s+32/);
    expect(stdout).toContain('truncated: no (Complete');
  });

  it('quotes the verifier’s complaint and summary', async () => {
    const { stdout } = await run(['inspect', fx('kernel/null-deref.bin')]);
    expect(stdout).toContain('verifier error (line 13, pc 7):');
    expect(stdout).toContain("  R0 invalid mem access 'map_value_or_null'");
    expect(stdout).toContain('verifier: processed 7 insns (limit 1,000,000)');
    expect(stdout).toContain('  hint: R0 may be NULL where it is used. Check the pointer before using it');
    const json = JSON.parse(
      (await run(['inspect', fx('kernel/null-deref.bin'), '--json', '--summary'])).stdout,
    );
    expect(json.verifier.error).toMatchObject({
      message: "R0 invalid mem access 'map_value_or_null'",
      line: 13,
      pc: 7,
      hint: { id: 'null-check', title: 'R0 may be NULL where it is used' },
    });
    expect(json.verifier).toMatchObject({ verdict: 'rejected', processed: 7, limit: 1000000, program: null });
  });

  it('never prints a log’s control characters to the terminal', async () => {
    const dir = await import('node:os').then((os) => os.tmpdir());
    const file = join(dir, `bpflog-esc-${process.pid}.bin`);
    // A program name that would retitle the terminal (a line with control bytes is not verifier prose, so
    // the second line is never quoted at all).
    const hostile =
      "libbpf: prog 'x\x1b]0;owned\x07': -- BEGIN PROG LOAD LOG --\n0: (b7) r0 = 0\n\x1b[2Jbad\x07 bad\n";
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(file, `${hostile}processed 1 insns (limit 1000000)\n-- END PROG LOAD LOG --\n\0`),
    );
    const { status, stdout } = await run(['inspect', file]);
    expect(status).toBe(0);
    expect(stdout).toContain('(program x\\x1b]0;owned\\x07)');
    const controls = [...stdout].filter((c) => c !== '\n' && (c < ' ' || c === '\x7f'));
    expect(controls).toEqual([]);
  });

  it('says how many messages were dropped', async () => {
    const { stdout } = await run(['inspect', fx('tlv/oob-truncated-600.bin')]);
    expect(stdout).toContain(
      'truncated: yes (22 messages were dropped: the buffer (600 bytes) was too small.)',
    );
  });
});

describe('bpflog exit status', () => {
  it('exits 2 with one line for a missing file, a bad option or a bad type map', async () => {
    for (const args of [
      ['inspect', fx('nope.bin')],
      ['inspect', fx('tlv/oob-whole.bin'), '--format', 'xml'],
      ['inspect', fx('tlv/oob-whole.bin'), '--frobnicate'],
      ['inspect'],
      ['inspect', fx('tlv/oob-whole.bin'), '--types', fx('tlv/oob-whole.bin')],
      ['frob'],
      ['inspect', FIXTURES],
    ]) {
      const { status, stdout, stderr } = await run(args);
      expect(status, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^bpflog: /);
    }
  });

  it('exits 0 on a malformed buffer: problems are diagnostics', async () => {
    const { status, stdout } = await run(['inspect', fx('tlv/bad-length-overflow.bin'), '--json']);
    expect(status).toBe(0);
    expect(JSON.parse(stdout).diagnostics[0]).toMatchObject({
      code: 'length-overflow',
      severity: 'error',
      offset: 26,
    });
  });
});

describe('the built executable', () => {
  beforeAll(() => {
    execFileSync('npx', ['vite', 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'error'], {
      stdio: 'inherit',
    });
  }, 120_000);

  it('runs with plain node and streams a million-line log as one JSON object', () => {
    const result = spawnSync(
      'node',
      ['dist/cli/bpflog.js', 'inspect', fx('kernel/too-large-71mb.bin.gz'), '--json'],
      {
        maxBuffer: 1 << 30,
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.recordCount).toBe(1_000_006);
    expect(report.records).toHaveLength(1_000_006);
    expect(report.records[999_999].index).toBe(999_999);
    expect(report.truncation.truncated).toBe(false);
    expect(report.trailing).toMatchObject({ offset: 71_486_878, allZero: true });
  }, 120_000);

  it('exits 2 for a missing file', () => {
    const result = spawnSync('node', ['dist/cli/bpflog.js', 'inspect', 'no-such-file'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('bpflog: cannot read no-such-file: no such file\n');
  });
});
