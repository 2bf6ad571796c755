import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { DEFAULT_VIEW_STATE } from '../core/index.ts';
import { fixtureRaw } from '../testing/fixtures.ts';
import { WorkerHost } from './host.ts';
import type { FromWorker, LogSummary, Reply, Request, RequestKind, RowData } from './protocol.ts';

type ReplyMessage = Extract<FromWorker, { type: 'reply' }>;

/** A host driven as the page drives the worker: numbered requests, replies collected by id. */
function harness(testHooks = false) {
  const replies = new Map<number, (m: ReplyMessage) => void>();
  const progress: Extract<FromWorker, { type: 'progress' }>[] = [];
  const host = new WorkerHost(
    (m) => {
      if (m.type === 'reply') replies.get(m.id)?.(m);
      else progress.push(m);
    },
    { testHooks },
  );
  let nextId = 0;
  const send = <K extends RequestKind>(request: Request<K>, generation: number) => {
    const id = ++nextId;
    const reply = new Promise<ReplyMessage>((resolve) => replies.set(id, resolve));
    host.receive({ type: 'request', id, generation, request });
    return { id, reply };
  };
  const value = async <K extends RequestKind>(request: Request<K>, generation: number): Promise<Reply<K>> => {
    const m = await send(request, generation).reply;
    if (!m.ok) throw new Error(`${request.kind}: ${m.reason}: ${m.error}`);
    return m.value as Reply<K>;
  };
  return { host, send, value, progress, cancel: (id: number) => host.receive({ type: 'cancel', id }) };
}

const blobOf = (relative: string) => new Blob([fixtureRaw(relative) as Uint8Array<ArrayBuffer>]);
const openRequest = (relative: string): Request<'open'> => ({
  kind: 'open',
  source: blobOf(relative),
  name: relative,
  options: {},
  remember: false,
});

/** A log of one line that makes a backtracking engine take exponential time on `^(a+)+$`. */
const evilLog = () => new Blob([`0: R1=1\n${'a'.repeat(34)}!\nprocessed 1 insns (limit 1000000)\n`]);

let server: Server;
let origin = '';
beforeAll(async () => {
  const log = fixtureRaw('kernel/bad-bounds.bin');
  server = createServer((req, res) => {
    if (req.url === '/log.bin') res.writeHead(200, { 'content-length': log.length }).end(log);
    else if (req.url === '/declares-2gib.bin') {
      res.writeHead(200, { 'content-length': String(2 ** 31) });
      res.write(log.subarray(0, 100));
      // Never ends: the refusal must come from the header alone.
    } else if (req.url === '/endless.bin') {
      res.writeHead(200); // chunked, no length: only what arrives can be counted
      const chunk = Buffer.alloc(64 << 10, 0x61);
      const timer = setInterval(() => res.write(chunk), 1);
      res.on('close', () => clearInterval(timer));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('every request kind has its typed reply', () => {
  it('types: the reply follows from the request kind', () => {
    expectTypeOf<Reply<'rows'>>().toEqualTypeOf<RowData[]>();
    expectTypeOf<Reply<'open'>>().toEqualTypeOf<LogSummary>();
    expectTypeOf<Reply<'position'>>().toEqualTypeOf<number>();
    // @ts-expect-error a 'rows' request has no `index`
    const wrong: Request<'rows'> = { kind: 'rows', index: 3 };
    expect(wrong.kind).toBe('rows');
  });

  it('answers each kind with its reply, through the host', async () => {
    const h = harness();
    const summary = await h.value(openRequest('tlv/oob-unknown-types.bin'), 1);
    expect(summary.recordCount).toBe(35);
    // One check per kind; the mapped type makes leaving a kind out a compile error.
    const cases: {
      [K in RequestKind]: { request: Request<K>; generation?: number; check: (reply: Reply<K>) => void };
    } = {
      identity: {
        request: { kind: 'identity' },
        check: (r) =>
          expect(r).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), remembered: false }),
      },
      share: {
        request: {
          kind: 'share',
          view: { ...DEFAULT_VIEW_STATE, rec: 2 },
          base: 'https://x.test/',
          mode: 'full',
          records: null,
        },
        check: (r) => expect(r.link).toMatch(/^https:\/\/x\.test\/#v=1&n=\d+/),
      },
      recent: { request: { kind: 'recent' }, check: (r) => expect(r).toEqual([]) },
      forgetRecent: { request: { kind: 'forgetRecent' }, check: (r) => expect(r).toBeNull() },
      reopen: { request: { kind: 'reopen', options: {} }, check: (r) => expect(r.recordCount).toBe(35) },
      view: {
        request: { kind: 'view', filter: { types: [2], query: '', regex: false }, sort: null },
        check: (r) => expect(r).toEqual({ total: 1, error: null }),
      },
      rows: {
        request: { kind: 'rows', start: 0, count: 5 },
        check: (r) => expect(r.map((row) => row.type)).toEqual([2]),
      },
      position: { request: { kind: 'position', index: 34 }, check: (r) => expect(r).toBe(0) },
      record: { request: { kind: 'record', index: 0 }, check: (r) => expect(r?.header).toEqual([0, 6]) },
      bytes: { request: { kind: 'bytes', start: 0, end: 6 }, check: (r) => expect(r.length).toBe(6) },
      recordAt: { request: { kind: 'recordAt', offset: 7 }, check: (r) => expect(r).toBe(0) },
      lines: {
        request: { kind: 'lines', start: 0, count: 2 },
        check: (r) => expect(r[0].firstRecord).toBe(0),
      },
      lineCount: { request: { kind: 'lineCount' }, check: (r) => expect(r).toBeGreaterThan(0) },
      hexPage: {
        request: { kind: 'hexPage', start: 0, end: 32 },
        check: (r) => expect(r.records[0]).toMatchObject({ index: 0, offset: 0, contentStart: 6 }),
      },
      original: { request: { kind: 'original' }, check: (r) => expect(r.length).toBe(summary.size) },
      testFault: { request: { kind: 'testFault', fault: 'throw' }, check: () => expect.unreachable() },
      // The verifier's reading of the same TLV log (its STRING records joined into lines).
      verdict: {
        request: { kind: 'verdict', program: null },
        check: (r) =>
          expect(r).toMatchObject({ verdict: 'rejected', error: { pc: 18, line: 29, record: 31 } }),
      },
      kindCounts: {
        request: { kind: 'kindCounts', program: null },
        check: (r) => expect(r).toMatchObject({ insn: 18, error: 2, summary: 1 }),
      },
      insnCount: {
        request: { kind: 'insnCount', program: null },
        check: (r) => expect(r).toEqual({ count: 18, maxVisits: 1 }),
      },
      insnRows: {
        request: { kind: 'insnRows', program: null, start: 0, count: 2, sort: 'pc' },
        check: (r) =>
          expect(r.map((row) => [row.pc, row.text])).toEqual([
            [0, '(b7) r0 = 1'],
            [1, '(61) r2 = *(u32 *)(r1 +4)'],
          ]),
      },
      insnPosition: {
        request: { kind: 'insnPosition', program: null, pc: 18, sort: 'pc' },
        check: (r) => expect(r).toBe(17),
      },
      visitStep: {
        request: { kind: 'visitStep', program: null, pc: 18, line: null, step: 0 },
        check: (r) => expect(r).toMatchObject({ line: 28, index: 0, count: 1 }),
      },
      lineOfRecord: {
        request: { kind: 'lineOfRecord', record: 31 },
        check: (r) => expect(r).toMatchObject({ line: 29, program: 0 }),
      },
      recordOfLine: { request: { kind: 'recordOfLine', line: 29 }, check: (r) => expect(r).toBe(31) },
      stateAt: {
        request: { kind: 'stateAt', line: 28 },
        check: (r) => expect(r?.regs.find((reg) => reg.name === 'R6')?.text).toBe('pkt(r=1)'),
      },
      defChain: {
        request: { kind: 'defChain', line: 28, operand: 'r1' },
        check: (r) => expect(r?.defs[0].pc).toBe(17),
      },
      source: {
        request: { kind: 'source', program: null },
        check: (r) => expect(r.map((f) => f.file)).toEqual(['progs.bpf.c']),
      },
      sourceLineOf: {
        request: { kind: 'sourceLineOf', line: 28 },
        check: (r) => expect(r).toMatchObject({ file: 'progs.bpf.c', line: 65 }),
      },
      pcLine: {
        request: { kind: 'pcLine', program: null, pc: 18 },
        check: (r) => expect(r?.line).toBe(28),
      },
      openLink: {
        request: { kind: 'openLink', href: 'https://x.test/#v=1&rec=3', remember: false },
        generation: 2,
        check: (r) => expect(r).toMatchObject({ kind: 'view', view: { rec: 3 } }),
      },
      openUrl: {
        request: {
          kind: 'openUrl',
          url: `${origin}/log.bin`,
          name: 'log.bin',
          options: {},
          remember: false,
          maxBytes: 1 << 30,
        },
        generation: 3,
        check: (r) =>
          expect(r).toMatchObject({ format: 'text', size: fixtureRaw('kernel/bad-bounds.bin').length }),
      },
      open: {
        request: openRequest('kernel/ctx-write.bin'),
        generation: 4,
        check: (r) => expect(r.name).toBe('kernel/ctx-write.bin'),
      },
      openRecent: {
        request: { kind: 'openRecent', sha256: '0'.repeat(64), options: {} },
        generation: 5,
        check: () => expect.unreachable(),
      },
    };
    for (const kind of Object.keys(cases) as RequestKind[]) {
      const {
        request,
        generation = 1,
        check,
      } = cases[kind] as {
        request: Request;
        generation?: number;
        check: (r: unknown) => void;
      };
      const m = await h.send(request, generation).reply;
      if (kind === 'testFault') expect(m).toMatchObject({ ok: false, error: 'test hooks are off' });
      else if (kind === 'openRecent') expect(m).toMatchObject({ ok: false, error: /no longer kept/ });
      else {
        expect(m.ok, `${kind}: ${m.ok ? '' : m.error}`).toBe(true);
        if (m.ok) check(m.value);
      }
    }
  });
});

describe('generations: the worker keeps the log opened last', () => {
  it('a slow big open overtaken by a small one: the small one stays, the big one is dropped', async () => {
    const h = harness();
    const big = h.send(openRequest('kernel/too-large-71mb.bin.gz'), 1);
    const small = await h.send(openRequest('kernel/bad-bounds.bin'), 2).reply;
    expect(small.ok).toBe(true);
    const bigReply = await big.reply;
    expect(bigReply).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(h.host.current.generation).toBe(2);
    expect(h.host.current.session?.name).toBe('kernel/bad-bounds.bin');
    // Rows asked for the big log's generation are refused, not answered from the small one.
    expect(await h.send({ kind: 'rows', start: 0, count: 1 }, 1).reply).toMatchObject({
      ok: false,
      reason: 'stale',
    });
    const rows = await h.value({ kind: 'rows', start: 0, count: 1 }, 2);
    expect(rows[0].preview).toBe(
      new TextDecoder().decode(fixtureRaw('kernel/bad-bounds.bin')).split('\n')[0],
    );
  }, 60_000);

  it('an open that arrives after a newer one is refused as stale', async () => {
    const h = harness();
    await h.value(openRequest('kernel/bad-bounds.bin'), 5);
    expect(await h.send(openRequest('kernel/ctx-write.bin'), 4).reply).toMatchObject({
      ok: false,
      reason: 'stale',
    });
    expect(h.host.current.session?.name).toBe('kernel/bad-bounds.bin');
  });

  it('a failed open leaves the log on screen answering', async () => {
    const h = harness();
    await h.value(openRequest('kernel/bad-bounds.bin'), 1);
    const gone = () => new Error('gone');
    const unreadable = {
      size: 100,
      arrayBuffer: () => Promise.reject(gone()),
      stream: () => new ReadableStream({ pull: (controller) => controller.error(gone()) }),
    } as unknown as Blob;
    const failed = await h.send(
      { kind: 'open', source: unreadable, name: 'x', options: {}, remember: false },
      2,
    ).reply;
    expect(failed).toMatchObject({ ok: false, reason: 'error', error: 'gone' });
    expect((await h.value({ kind: 'rows', start: 0, count: 1 }, 1)).length).toBe(1);
  });
});

describe('searches that cannot hang', () => {
  it('answers ^(a+)+$ on a line of 34 a’s and a ! at once, and refuses backreferences and lookaround', async () => {
    const h = harness();
    await h.value({ kind: 'open', source: evilLog(), name: 'evil', options: {}, remember: false }, 1);
    const t0 = performance.now();
    const result = await h.value(
      { kind: 'view', filter: { types: null, query: '^(a+)+$', regex: true }, sort: null },
      1,
    );
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(result).toEqual({ total: 0, error: null });
    expect(
      (await h.value({ kind: 'view', filter: { types: null, query: '^a+!$', regex: true }, sort: null }, 1))
        .total,
    ).toBe(1);
    const backref = await h.value(
      { kind: 'view', filter: { types: null, query: '(a)\\1', regex: true }, sort: null },
      1,
    );
    expect(backref.error).toMatch(/Backreferences .* not supported: search uses RE2 syntax/);
    expect(backref.total).toBe(3);
    const lookahead = await h.value(
      { kind: 'view', filter: { types: null, query: 'a(?=!)', regex: true }, sort: null },
      1,
    );
    expect(lookahead.error).toMatch(/Lookaround/);
  });

  it('cancels a regex search over the 71 MB log within a slice, keeping the previous view', async () => {
    const h = harness();
    await h.value(openRequest('kernel/too-large-71mb.bin.gz'), 1);
    await h.value({ kind: 'view', filter: { types: null, query: 'processed', regex: false }, sort: null }, 1);
    const search = h.send(
      { kind: 'view', filter: { types: null, query: '(x+x+)+y', regex: true }, sort: null },
      1,
    );
    // Let it run until it reports progress (a few slices), then cancel.
    while (!h.progress.some((p) => p.id === search.id))
      await new Promise((resolve) => setTimeout(resolve, 1));
    const cancelledAt = performance.now();
    h.cancel(search.id);
    expect(await search.reply).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(performance.now() - cancelledAt).toBeLessThan(200);
    // The view the cancelled search would have replaced is still there.
    expect((await h.value({ kind: 'rows', start: 0, count: 5 }, 1)).length).toBe(1);
  }, 60_000);
});

describe('?src= downloads', () => {
  it('refuses a body whose declared size passes the cap, before reading it', async () => {
    const h = harness();
    const m = await h.send(
      {
        kind: 'openUrl',
        url: `${origin}/declares-2gib.bin`,
        name: 'x',
        options: {},
        remember: false,
        maxBytes: 1 << 30,
      },
      1,
    ).reply;
    expect(m).toMatchObject({
      ok: false,
      reason: 'error',
      error: /declares 2,147,483,648 bytes, more than the 1,073,741,824/,
    });
  });

  it('refuses a body that sends more than the cap, counting what arrived', async () => {
    const h = harness();
    const m = await h.send(
      {
        kind: 'openUrl',
        url: `${origin}/endless.bin`,
        name: 'x',
        options: {},
        remember: false,
        maxBytes: 1 << 20,
      },
      1,
    ).reply;
    expect(m).toMatchObject({
      ok: false,
      reason: 'error',
      error: /it sent more than that, more than the 1,048,576 bytes/,
    });
    expect(h.progress.at(-1)?.done).toBeLessThanOrEqual(1 << 20);
  });
});

describe('the verifier model', () => {
  it('is built once after the open; verifier requests wait for it; a newer open makes the old ones stale', async () => {
    const h = harness();
    await h.value(openRequest('kernel/too-large-71mb.bin.gz'), 1);
    const session = h.host.current.session;
    // One build per log: every verifier request awaits the same promise.
    const build = session?.verifier();
    const [verdict, rows] = await Promise.all([
      h.value({ kind: 'verdict', program: null }, 1),
      h.value({ kind: 'insnRows', program: null, start: 0, count: 3, sort: 'visits' }, 1),
    ]);
    expect(session?.verifier()).toBe(build);
    expect(verdict).toMatchObject({ verdict: 'rejected', error: { line: 1000004, pc: 9 } });
    expect(rows).toHaveLength(3);
    expect(rows[0].visits).toBeGreaterThanOrEqual(rows[1].visits);
    // Once built, rows of a text log carry the verifier's reading of their line.
    const [row] = await h.value({ kind: 'rows', start: 2, count: 1 }, 1);
    expect(row.verifier).toMatchObject({
      line: 2,
      kind: 'insn',
      pc: 0,
      stateTail: expect.stringMatching(/^R1=/),
    });
    await h.value(openRequest('kernel/bad-bounds.bin'), 2);
    expect(await h.send({ kind: 'verdict', program: null }, 1).reply).toMatchObject({
      ok: false,
      reason: 'stale',
    });
    expect(await h.value({ kind: 'verdict', program: null }, 2)).toMatchObject({ error: { pc: 6 } });
  });

  it('is built in slices: rows asked for during the 71 MB build are answered before it ends', async () => {
    const h = harness();
    await h.value(openRequest('kernel/too-large-71mb.bin.gz'), 1);
    const order: string[] = [];
    const verdict = h.value({ kind: 'verdict', program: null }, 1).then((v) => {
      order.push('verdict');
      return v;
    });
    // Let the build start, then ask for rows at the end of the log.
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    const rows = await h.value({ kind: 'rows', start: 1_000_000, count: 5 }, 1);
    order.push('rows');
    expect(rows).toHaveLength(5);
    expect(await verdict).toMatchObject({ verdict: 'rejected', error: { pc: 9 } });
    expect(order).toEqual(['rows', 'verdict']);
    // The source map too is built in slices, on its first request.
    const source = h.value({ kind: 'source', program: null }, 1).then((files) => {
      order.push('source');
      return files;
    });
    // Its first slice runs at once; the rows request comes at its first yield.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await h.value({ kind: 'rows', start: 0, count: 5 }, 1)).toHaveLength(5);
    order.push('rows');
    expect((await source).length).toBeGreaterThan(0);
    expect(order).toEqual(['rows', 'verdict', 'rows', 'source']);
  });
});
