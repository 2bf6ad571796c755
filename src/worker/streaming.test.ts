/**
 * Streamed opens in the worker (issue 11): the page gets the log so far with
 * each progress tick and may read it under the new generation, while the log
 * shown before keeps answering under its own until the new one is whole; a
 * cancel leaves the one before.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecodedLog, decodeLog } from '../core/index.ts';
import { fixtureBytes } from '../testing/fixtures.ts';
import { WorkerHost } from './host.ts';
import type { FromWorker, LogSummary, Reply, Request, RequestKind } from './protocol.ts';

type ReplyMessage = Extract<FromWorker, { type: 'reply' }>;

function harness() {
  const replies = new Map<number, (m: ReplyMessage) => void>();
  const partials: LogSummary[] = [];
  const host = new WorkerHost((m) => {
    if (m.type === 'reply') replies.get(m.id)?.(m);
    else if (m.partial) partials.push(m.partial);
  });
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
  return { host, send, value, partials, cancel: (id: number) => host.receive({ type: 'cancel', id }) };
}

/** A File-like whose stream gives what the test pushes, when it pushes it. */
function heldBlob(size: number) {
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const blob = { size, stream: () => body, arrayBuffer: () => Promise.reject(new Error('not read whole')) };
  return {
    blob: blob as unknown as Blob,
    push: (bytes: Uint8Array) => controller?.enqueue(bytes.slice()),
    close: () => controller?.close(),
  };
}

async function until<T>(test: () => T | undefined | null | false, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const got = test();
    if (got) return got;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const open = (source: Blob, name: string): Request<'open'> => ({
  kind: 'open',
  source,
  name,
  options: {},
  remember: false,
});

describe('a streamed open', () => {
  it('shows a text log from its first lines, keeps the log before answering, and ends with the whole verdict', async () => {
    const h = harness();
    const before = fixtureBytes('kernel/bad-bounds.bin');
    await h.value(open(new Blob([before as Uint8Array<ArrayBuffer>]), 'before'), 1);
    // That open was streamed too: only the next one's partials count here.
    h.partials.length = 0;

    const bytes = fixtureBytes('kernel/loop-level2-rotated.bin');
    const whole = decodeLog(bytes);
    const split = bytes.indexOf(0x0a, bytes.length >> 1) + 1;
    const firstHalf = decodeLog(bytes.subarray(0, split));
    const held = heldBlob(bytes.length);
    const opening = h.send(open(held.blob, 'rotated'), 2);
    held.push(bytes.subarray(0, split));

    const partial = await until(() => h.partials.at(-1), 'the first partial');
    // Every line before the cut is complete; no verdict yet.
    expect(partial.recordCount).toBe(firstHalf.recordCount);
    expect(partial.loading).toEqual({ bytesRead: split, total: bytes.length });
    expect(partial.truncation.truncated).toBe(false);
    expect(partial.diagnostics).toEqual([]);
    const rows = await h.value({ kind: 'rows', start: 0, count: 3 }, 2);
    expect(rows.map((r) => r.offset)).toEqual([0, 1, 2].map((i) => whole.recordOffset(i)));
    // The log shown before still answers under its generation.
    const oldRows = await h.value({ kind: 'rows', start: 0, count: 1 }, 1);
    expect(oldRows[0].preview).toBe(decodeLog(before).recordText(0));

    held.push(bytes.subarray(split));
    held.close();
    const done = await opening.reply;
    expect(done.ok).toBe(true);
    const summary = (done as { value: LogSummary }).value;
    expect(summary.loading).toBeNull();
    expect(summary.recordCount).toBe(whole.recordCount);
    expect(summary.truncation).toEqual(whole.truncation);
    expect(h.host.current).toMatchObject({ generation: 2 });
    expect(h.host.current.session?.name).toBe('rotated');
    // Hashed where the streamed bytes lie (a resizable buffer), once the verifier model is built.
    const identity = await h.value({ kind: 'identity' }, 2);
    expect(identity.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(identity.length).toBe(bytes.length);
    expect(h.host.current.session?.verifierIfReady).not.toBeNull();
  });

  it('cancelled after its first rows: the log before stays open, the new one answers nothing', async () => {
    const h = harness();
    await h.value(
      open(new Blob([fixtureBytes('kernel/bad-bounds.bin') as Uint8Array<ArrayBuffer>]), 'before'),
      1,
    );
    h.partials.length = 0;
    const bytes = fixtureBytes('kernel/loop-level2-rotated.bin');
    const held = heldBlob(bytes.length);
    const opening = h.send(open(held.blob, 'rotated'), 2);
    held.push(bytes.subarray(0, 4096));
    await until(() => h.partials.length > 0, 'the first partial');
    expect((await h.value({ kind: 'rows', start: 0, count: 1 }, 2)).length).toBe(1);

    h.cancel(opening.id);
    expect(await opening.reply).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(h.host.current.session?.name).toBe('before');
    expect((await h.value({ kind: 'rows', start: 0, count: 1 }, 1)).length).toBe(1);
    expect(await h.send({ kind: 'rows', start: 0, count: 1 }, 2).reply).toMatchObject({
      ok: false,
      reason: 'stale',
    });
  });

  it('a TLV buffer whose END arrives last: no END in the partial, its count at the end', async () => {
    const h = harness();
    const bytes = fixtureBytes('tlv/oob-truncated-600.bin');
    const whole = new DecodedLog(bytes);
    const end = whole.end as { offset: number; count: number };
    expect(end.count).toBe(22);
    const held = heldBlob(bytes.length);
    const opening = h.send(open(held.blob, 'oob'), 1);
    held.push(bytes.subarray(0, end.offset));
    const partial = await until(() => h.partials.at(-1), 'the first partial');
    expect(partial.format).toBe('tlv');
    expect(partial.end).toBeNull();
    expect(partial.recordCount).toBe(whole.recordCount - 1);
    held.push(bytes.subarray(end.offset));
    held.close();
    const summary = (await opening.reply) as { ok: true; value: LogSummary };
    expect(summary.value.end).toMatchObject({ offset: end.offset, count: 22 });
    expect(summary.value.truncation).toEqual(whole.truncation);
    const last = await h.value({ kind: 'rows', start: whole.recordCount - 1, count: 1 }, 1);
    expect(last[0].preview).toBe('END · 22 dropped');
  });

  it('a file past the cap opens its first bytes with the file-too-large diagnostic', async () => {
    const h = harness();
    const bytes = fixtureBytes('kernel/bad-bounds.bin');
    const { streamOpen } = await import('./streamOpen.ts');
    const { Job } = await import('./job.ts');
    const result = await streamOpen(
      {
        body: new Blob([bytes as Uint8Array<ArrayBuffer>]).stream(),
        total: bytes.length,
        maxBytes: 1000,
        label: 'x',
      },
      {},
      new Job(1),
      () => {},
    );
    expect(result.log.size).toBe(1000);
    expect(result.log.diagnostics.map((d) => d.code)).toContain('file-too-large');
    expect(h.partials).toEqual([]);
  });
});
