/// <reference lib="webworker" />
/** The log worker: owns the bytes and the index; answers the page's requests. */
import { parseShareLink } from '../core/index.ts';
import type {
  LinkOpenResult,
  OpenOptions,
  RequestEnvelope,
  ResponseEnvelope,
  ResponseMap,
} from './protocol.ts';
import { forgetRecent, listRecent, loadRecent, rememberLog } from './recent.ts';
import { LogSession } from './session.ts';

declare const self: DedicatedWorkerGlobalScope;

let session: LogSession | null = null;

function need(): LogSession {
  if (!session) throw new Error('no log is open');
  return session;
}

/**
 * After the first rows are out, build the search text a slice at a time, one
 * slice a task, so the first search is fast and no request waits on more
 * than one slice. Then remember the log (IndexedDB) when asked to.
 */
function afterOpen(opened: LogSession, remember: boolean): void {
  const step = () => {
    if (session === opened && opened.prepareSearchStep()) setTimeout(step, 0);
  };
  setTimeout(step, 100);
  if (remember) {
    void opened
      .sha256()
      .then((sha256) => rememberLog({ sha256, name: opened.name, size: opened.bytes.length }, opened.input))
      .catch(() => {});
  }
}

async function open(input: Uint8Array, name: string, options: OpenOptions, remember: boolean) {
  session = null; // let the previous log's memory go before decoding the next
  session = await LogSession.open(input, name, options);
  afterOpen(session, remember);
  return session.summary();
}

const optionsOf = (view: {
  format: OpenOptions['format'] | null;
  byteOrder: OpenOptions['byteOrder'] | null;
}) => ({
  format: view.format ?? undefined,
  byteOrder: view.byteOrder ?? undefined,
});

/** The page's URL: a view of whatever is open, a log carried in the link, or a log named by hash. */
async function openLink(href: string, remember: boolean): Promise<LinkOpenResult> {
  const parsed = await parseShareLink(href);
  if (!parsed.ok) return { kind: 'error', error: parsed.error };
  if (parsed.kind === 'view') return { kind: 'view', view: parsed.view };
  if (parsed.kind === 'payload') {
    const summary = await open(parsed.bytes, 'shared log', optionsOf(parsed.view), remember);
    return { kind: 'payload', view: parsed.view, note: parsed.note, summary };
  }
  const recent = await loadRecent(parsed.sha256);
  let summary = null;
  if (recent) {
    summary = await open(recent.input, recent.entry.name, optionsOf(parsed.view), remember);
    // The store is keyed by hash, but check what came back: storage can be tampered with too.
    if ((await need().sha256()) !== parsed.sha256) {
      session = null;
      summary = null;
    }
  }
  return { kind: 'hash', view: parsed.view, sha256: parsed.sha256, length: parsed.length, summary };
}

async function handle(
  envelope: RequestEnvelope,
): Promise<{ value: ResponseMap[keyof ResponseMap]; transfer: Transferable[] }> {
  const r = envelope.request;
  switch (r.kind) {
    case 'open':
      return { value: await open(new Uint8Array(r.buffer), r.name, r.options, r.remember), transfer: [] };
    case 'openLink':
      return { value: await openLink(r.href, r.remember), transfer: [] };
    case 'identity': {
      const s = need();
      return { value: { sha256: await s.sha256(), length: s.bytes.length }, transfer: [] };
    }
    case 'share':
      return { value: await need().share(r.view, r.base, r.mode, r.records), transfer: [] };
    case 'recent':
      return { value: await listRecent(), transfer: [] };
    case 'openRecent': {
      const recent = await loadRecent(r.sha256);
      return {
        value: recent ? await open(recent.input, recent.entry.name, r.options, true) : null,
        transfer: [],
      };
    }
    case 'forgetRecent':
      await forgetRecent();
      return { value: null, transfer: [] };
    case 'reopen':
      return { value: need().reopen(r.options), transfer: [] };
    case 'view':
      return { value: need().setView(r.filter, r.sort), transfer: [] };
    case 'rows':
      return { value: need().rows(r.start, r.count), transfer: [] };
    case 'position':
      return { value: need().position(r.index), transfer: [] };
    case 'record':
      return { value: need().record(r.index), transfer: [] };
    case 'bytes': {
      const bytes = need().byteRange(r.start, r.end);
      return { value: bytes, transfer: [bytes.buffer] };
    }
    case 'recordAt':
      return { value: need().recordAt(r.offset), transfer: [] };
    case 'lines':
      return { value: need().lines(r.start, r.count), transfer: [] };
    case 'lineCount':
      return { value: need().lineCount(), transfer: [] };
    case 'hexPage': {
      const page = need().hexPage(r.start, r.end);
      return { value: page, transfer: [page.bytes.buffer] };
    }
    case 'original': {
      const copy = need().bytes.slice();
      return { value: copy, transfer: [copy.buffer] };
    }
  }
  throw new Error(`unknown request ${(r as { kind: string }).kind}`);
}

self.onmessage = (event: MessageEvent<RequestEnvelope>) => {
  const envelope = event.data;
  handle(envelope).then(
    ({ value, transfer }) =>
      self.postMessage({ id: envelope.id, ok: true, value } satisfies ResponseEnvelope, transfer),
    (error: unknown) =>
      self.postMessage({
        id: envelope.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      } satisfies ResponseEnvelope),
  );
};
