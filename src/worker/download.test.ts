/**
 * `?src=` bodies: the stream an open reads (BYOB, into its reused buffer, or
 * chunk by chunk) carries the server's bytes exactly, and a body past the cap
 * or broken off mid-way fails with the message the page shows.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeLog } from '../core/index.ts';
import { fixtureBytes } from '../testing/fixtures.ts';
import { DownloadError, downloadStream } from './download.ts';
import { Job } from './job.ts';
import { streamOpen } from './streamOpen.ts';

const bytes = fixtureBytes('kernel/loop-level2-rotated.bin');
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    res.writeHead(200, path === '/declared' ? {} : { 'content-length': String(bytes.length) });
    if (path === '/broken') {
      // Half the body, then the connection drops.
      res.write(bytes.subarray(0, bytes.length >> 1), () => res.destroy());
      return;
    }
    // The body in uneven pieces, as a network delivers it.
    let at = 0;
    const next = () => {
      if (at >= bytes.length) return res.end();
      const end = Math.min(bytes.length, at + 1000 + ((at * 7) % 5000));
      res.write(bytes.subarray(at, end), next);
      at = end;
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a ?src= body', () => {
  it('opens as the whole log, read BYOB through the body into the open’s buffer', async () => {
    const { body, declared } = await downloadStream(`${base}/log`, 1 << 30, new Job(1));
    expect(declared).toBe(bytes.length);
    const result = await streamOpen({ body, total: declared, label: 'x' }, {}, new Job(1), () => {});
    const whole = decodeLog(bytes);
    expect(Buffer.from(result.log.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(result.log.recordCount).toBe(whole.recordCount);
    expect(result.log.truncation).toEqual(whole.truncation);
  });

  it('reads whole through a default reader too', async () => {
    const { body } = await downloadStream(`${base}/log`, 1 << 30, new Job(1));
    const parts: Uint8Array[] = [];
    for await (const part of body) parts.push(part.slice());
    expect(Buffer.concat(parts).equals(Buffer.from(bytes))).toBe(true);
  });

  it('fails past the cap with the refusal, and when the transfer breaks off', async () => {
    const capped = await downloadStream(`${base}/declared`, 10_000, new Job(1));
    const reader = capped.body.getReader({ mode: 'byob' });
    const refusal = (async () => {
      for (;;) if ((await reader.read(new Uint8Array(4096))).done) return null;
    })();
    await expect(refusal).rejects.toThrow(/sent more than that, more than the 10,000 bytes/);

    const broken = await downloadStream(`${base}/broken`, 1 << 30, new Job(1));
    const open = streamOpen({ body: broken.body, total: bytes.length, label: 'x' }, {}, new Job(1), () => {});
    await expect(open).rejects.toBeInstanceOf(DownloadError);
    await expect(open).rejects.toThrow(/broke off after [\d,]+ bytes/);
  });
});
