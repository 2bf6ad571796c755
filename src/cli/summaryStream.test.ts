import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodedLog } from '../core/index.ts';
import { runCli } from '../testing/cli.ts';
import { FIXTURES, fixtureBytes, fixtureRaw } from '../testing/fixtures.ts';
import { factsOf, jsonReport } from './report.ts';
import { SummaryStream } from './summaryStream.ts';

/** The --json --summary object computed the old way: the whole buffer decoded. */
function wholeSummary(bytes: Uint8Array): unknown {
  return JSON.parse(
    [...jsonReport(factsOf(new DecodedLog(bytes)), new Map(), null, { records: null })].join(''),
  );
}

describe('inspect streams the file and keeps only a summary', () => {
  it('gives the summary of the whole buffer for million-record logs whose columns it dropped', async () => {
    for (const file of [
      'kernel/loop-level2-15mb.bin.gz',
      'tlv/loop-15mb-fragments.bin.gz',
      'tlv/oob-big-endian.bin',
    ]) {
      const { status, stdout } = await runCli([
        'inspect',
        join(FIXTURES, file),
        '--json',
        '--summary',
        '--no-verifier',
      ]);
      expect(status).toBe(0);
      const streamed = JSON.parse(stdout);
      expect(streamed).toEqual(wholeSummary(fixtureBytes(file)));
    }
  });

  it('names the verifier error and its record from the kept tail, as the whole log does', () => {
    const bytes = fixtureBytes('tlv/loop-15mb-fragments.bin.gz');
    const summary = new SummaryStream();
    for (let at = 0; at < bytes.length; at += 65_536) summary.push(bytes.subarray(at, at + 65_536));
    const facts = summary.finish();
    const whole = factsOf(new DecodedLog(bytes));
    expect(facts.index?.format === 'tlv' && facts.index.firstRecord).toBeGreaterThan(0);
    expect(whole.tail.length).toBeGreaterThan(5);
    expect(facts.tail.slice(-5)).toEqual(whole.tail.slice(-5));
    expect(facts.recordCount).toBe(whole.recordCount);
  });

  it('reads a log past the cap to the cap, with a diagnostic', () => {
    const bytes = fixtureBytes('kernel/ctx-write.bin');
    const summary = new SummaryStream({}, 4096);
    expect(summary.push(bytes.subarray(0, 3000))).toBe(true);
    expect(summary.push(bytes.subarray(3000))).toBe(false);
    const facts = summary.finish();
    expect(facts.size).toBe(4096);
    expect(facts.diagnostics[0]).toMatchObject({ code: 'file-too-large', offset: 4096 });
  });

  it('reports a cut gzip file as damaged and summarises what was inflated before the cut', async () => {
    const raw = fixtureRaw('kernel/too-large-rotated.bin.gz');
    const dir = mkdtempSync(join(tmpdir(), 'bpflog-'));
    const cut = join(dir, 'cut.bin.gz');
    writeFileSync(cut, raw.subarray(0, raw.length >> 1));
    const { status, stdout } = await runCli(['inspect', cut, '--json', '--summary']);
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.diagnostics[0]).toMatchObject({ code: 'gzip-truncated', offset: report.size });
    expect(report.size).toBeGreaterThan(0);
    expect(report.recordCount).toBeGreaterThan(0);
  });
});
