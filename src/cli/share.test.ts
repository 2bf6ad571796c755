import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SHARE_BASE, decodeLog, LINK_MAX_LENGTH, parseShareLink } from '../core/index.ts';
import { runCli } from '../testing/cli.ts';
import { FIXTURES, fixtureBytes } from '../testing/fixtures.ts';
import { predictedShareLink } from '../testing/shareLinks.ts';
import { USAGE } from './main.ts';

const run = runCli;

const fx = (name: string) => join(FIXTURES, name);

async function parsed(stdout: string) {
  expect(stdout.endsWith('\n')).toBe(true);
  const result = await parseShareLink(stdout.trimEnd());
  if (!result.ok) throw new Error(result.error);
  return result;
}

describe('bpflog share', () => {
  it('prints the link the page makes for the bytes the decoder saw, gzipped or not', async () => {
    for (const name of ['kernel/uninit-reg.bin', 'tlv/oob-big-endian.bin', 'kernel/ok-level2.bin.gz']) {
      const { status, stdout, stderr } = await run(['share', fx(name)]);
      expect(status, name).toBe(0);
      const bytes = fixtureBytes(name);
      // Predicted with Node's zlib, not with the function the CLI calls.
      expect(stdout).toBe(`${predictedShareLink(bytes, DEFAULT_SHARE_BASE)}\n`);
      expect(stdout.startsWith(`${DEFAULT_SHARE_BASE}#v=1&n=`)).toBe(true);
      const result = await parsed(stdout);
      expect(result.kind).toBe('payload');
      if (result.kind === 'payload') expect(Buffer.from(result.bytes).equals(Buffer.from(bytes))).toBe(true);
      // ok-level2's link is longer than chat tools keep: said on stderr, the link still printed.
      if (stdout.length > 2001)
        expect(stderr).toMatch(/^bpflog: warning: The link is [\d,]+ characters long/);
      else expect(stderr).toBe('');
    }
  });

  it('carries the record, filters, base and decoder overrides', async () => {
    const { status, stdout } = await run([
      'share',
      fx('tlv/oob-unknown-types.bin'),
      '--rec',
      '4',
      '--base',
      'https://inspector.example/app/#stale',
      '--show-types',
      '7,1',
      '--query',
      'R1=ctx() & more',
      '--regex',
      '--byte-order',
      'little',
    ]);
    expect(status).toBe(0);
    expect(stdout).toMatch(
      /^https:\/\/inspector\.example\/app\/#v=1&n=\d+(&z=\d+)?&crc=[0-9a-f]{8}&rec=4&types=1,7&q=R1%3Dctx%28%29%20%26%20more&re=1&bo=little&d=/,
    );
    const result = await parsed(stdout);
    expect(result.view).toEqual({
      rec: 4,
      types: [1, 7],
      query: 'R1=ctx() & more',
      regex: true,
      format: null,
      byteOrder: 'little',
      pc: null,
      program: null,
      kinds: null,
    });
  });

  it('--hash prints a hash link', async () => {
    const bytes = fixtureBytes('kernel/loop-level2-15mb.bin.gz');
    const { status, stdout } = await run([
      'share',
      fx('kernel/loop-level2-15mb.bin.gz'),
      '--hash',
      '--rec',
      '10',
    ]);
    expect(status).toBe(0);
    expect(stdout).toBe(
      `${DEFAULT_SHARE_BASE}#v=1&n=${bytes.length}&sha256=${createHash('sha256').update(bytes).digest('hex')}&rec=10\n`,
    );
  });

  it('--excerpt shares chosen records of a log too big to share whole, renumbered, with a note', async () => {
    const name = 'tlv/loop-15mb-fragments.bin.gz';
    const whole = await run(['share', fx(name)]);
    expect(whole.status).toBe(2);
    expect(whole.stdout).toBe('');
    const { length } = predictedShareLink(fixtureBytes(name), DEFAULT_SHARE_BASE);
    expect(length).toBeGreaterThan(LINK_MAX_LENGTH);
    expect(whole.stderr).toBe(
      `bpflog: the link would be ${length.toLocaleString('en-US')} characters, more than the 524,288 a link may have: use --hash or --excerpt\n`,
    );

    const log = decodeLog(fixtureBytes(name));
    const last = log.recordCount - 1;
    const { status, stdout } = await run([
      'share',
      fx(name),
      '--excerpt',
      `0-2,${last - 100}-${last}`,
      '--rec',
      String(last - 1),
    ]);
    expect(status).toBe(0);
    const result = await parsed(stdout);
    if (result.kind !== 'payload') throw new Error(result.kind);
    expect(result.note).toMatch(
      /^Excerpt: 104 of [\d,]+ records \(0-2, [\d,]+-[\d,]+\) of a 44,699,907-byte TLV log/,
    );
    const small = decodeLog(result.bytes);
    expect(small.recordCount).toBe(104);
    expect(result.view.rec).toBe(102);
    expect(small.recordText(102)).toBe(log.recordText(last - 1));
    expect(small.end?.count).toBe(log.end?.count);
  }, 60_000);

  it('exits 2 with one line for bad options, a missing file, or a link too long', async () => {
    for (const args of [
      ['share'],
      ['share', fx('nope.bin')],
      ['share', FIXTURES],
      ['share', fx('kernel/uninit-reg.bin'), '--rec'],
      ['share', fx('kernel/uninit-reg.bin'), '--rec', 'x'],
      ['share', fx('kernel/uninit-reg.bin'), '--rec', '-1'],
      ['share', fx('kernel/uninit-reg.bin'), '--rec', '100000'],
      ['share', fx('kernel/uninit-reg.bin'), '--show-types', '1,x'],
      ['share', fx('kernel/uninit-reg.bin'), '--show-types', '70000'],
      ['share', fx('kernel/uninit-reg.bin'), '--base', 'not a url'],
      ['share', fx('kernel/uninit-reg.bin'), '--format', 'xml'],
      ['share', fx('kernel/uninit-reg.bin'), '--excerpt', '5-2'],
      ['share', fx('kernel/uninit-reg.bin'), '--excerpt', '0-100000'],
      ['share', fx('kernel/uninit-reg.bin'), '--excerpt', '0-3', '--rec', '9'],
      ['share', fx('kernel/uninit-reg.bin'), '--excerpt', '0-3', '--hash'],
      ['share', fx('kernel/uninit-reg.bin'), '--frob'],
      ['share', fx('kernel/uninit-reg.bin'), 'extra'],
      ['share', fx('kernel/too-large-71mb.bin.gz')],
    ]) {
      const { status, stdout, stderr } = await run(args);
      expect(status, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(stderr).toMatch(/^bpflog: /);
    }
    const big = await run(['share', fx('kernel/too-large-71mb.bin.gz')]);
    expect(big.stderr).toMatch(/^bpflog: the link would be [\d,]+ characters, more than the 524,288/);
  }, 60_000);

  it('is in the usage text', () => {
    expect(USAGE).toContain('bpflog share FILE [--rec N] [--base URL]');
  });
});
