/**
 * The worker's side of the protocol, apart from `self` so Node tests drive
 * it: holds exactly the log the page opened last, drops requests about an
 * older one, runs each request as a cancellable Job, and answers every
 * request once (a value, an error, 'cancelled' or 'stale').
 */
import { parseShareLink } from '../core/index.ts';
import { downloadStream, MAX_DOWNLOAD_BYTES } from './download.ts';
import { Cancelled, Job } from './job.ts';
import {
  type FromWorker,
  isGlobal,
  isOpening,
  type LinkOpenResult,
  type LogSummary,
  type OpenOptions,
  type Reply,
  type Request,
  type RequestKind,
  type ToWorker,
} from './protocol.ts';
import { forgetRecent, listRecent, loadRecent, RECENT_MAX_ENTRY_BYTES, rememberLog } from './recent.ts';
import { LogSession } from './session.ts';
import { type StreamOpenInput, streamOpen } from './streamOpen.ts';
import type { VerifierSession } from './verifier.ts';

export type Post = (message: FromWorker, transfer?: Transferable[]) => void;

/** One handler per request kind, typed by the protocol table: a wrong reply type does not compile. */
export type Handlers = {
  [K in RequestKind]: (request: Request<K>, job: Job) => Promise<Reply<K>> | Reply<K>;
};

/** How often a job's progress is posted at most: the page redraws on each. */
const PROGRESS_INTERVAL_MS = 50;

const optionsOf = (view: {
  format: OpenOptions['format'] | null;
  byteOrder: OpenOptions['byteOrder'] | null;
}) => ({
  format: view.format ?? undefined,
  byteOrder: view.byteOrder ?? undefined,
});

/** Buffers a reply owns outright, moved to the page rather than copied. */
function transferOf(value: unknown): Transferable[] {
  if (value instanceof Uint8Array) return [value.buffer];
  const bytes = (value as { bytes?: unknown } | null)?.bytes;
  return bytes instanceof Uint8Array ? [bytes.buffer] : [];
}

export interface HostOptions {
  /** Honour `testFault` requests (the page was opened with `?test-hooks`). */
  testHooks?: boolean;
}

export class WorkerHost {
  private session: LogSession | null = null;
  /** The generation the open session answers for; -1 while none. */
  private sessionGeneration = -1;
  /** The newest generation any opening request carried: older opens are dropped when they finish. */
  private latestGeneration = 0;
  /**
   * A log still arriving (a streamed open), shown by the page from its first
   * rows: it answers for its own generation while `session`, the log shown
   * before, keeps answering for its own, so a cancelled open leaves it.
   */
  private streaming: { generation: number; session: LogSession } | null = null;
  private readonly jobs = new Map<number, Job>();
  private readonly remembered = new WeakMap<LogSession, Promise<boolean>>();

  constructor(
    private readonly post: Post,
    private readonly options: HostOptions = {},
  ) {}

  /** The open log and the generation it answers for (tests). */
  get current(): { session: LogSession | null; generation: number } {
    return { session: this.session, generation: this.sessionGeneration };
  }

  receive(message: ToWorker): void {
    if (message.type === 'cancel') {
      this.jobs.get(message.id)?.cancel();
      return;
    }
    const { id, generation, request } = message;
    if (isOpening(request.kind)) {
      if (generation < this.latestGeneration) {
        this.fail(id, generation, 'stale', 'a newer log was opened');
        return;
      }
      if (generation > this.latestGeneration) {
        this.latestGeneration = generation;
        // The log these jobs were for is being replaced: stop them now.
        for (const job of this.jobs.values())
          if (job.generation < generation) job.cancel('replaced by a newer open');
      }
    } else if (
      !isGlobal(request.kind) &&
      generation !== this.sessionGeneration &&
      generation !== this.streaming?.generation
    ) {
      this.fail(id, generation, 'stale', 'that log is no longer open');
      return;
    }
    let lastProgress = 0;
    const job = new Job(generation, (done, total, label, partial) => {
      const now = performance.now();
      if (!partial && now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      this.post({ type: 'progress', id, done, total, label, ...(partial ? { partial } : {}) });
    });
    this.jobs.set(id, job);
    const handler = this.handlers[request.kind] as (request: Request, job: Job) => Promise<unknown> | unknown;
    Promise.resolve()
      .then(() => handler(request, job))
      .then(
        (value) => {
          job.check();
          this.post({ type: 'reply', id, generation, ok: true, value }, transferOf(value));
        },
        (error: unknown) => {
          if (error instanceof Cancelled) this.fail(id, generation, 'cancelled', error.message);
          else this.fail(id, generation, 'error', error instanceof Error ? error.message : String(error));
        },
      )
      .catch((error: unknown) => {
        if (error instanceof Cancelled) this.fail(id, generation, 'cancelled', error.message);
      })
      .finally(() => this.jobs.delete(id));
  }

  private fail(id: number, generation: number, reason: 'error' | 'cancelled' | 'stale', error: string): void {
    this.post({ type: 'reply', id, generation, ok: false, reason, error });
  }

  /** The log a request's generation names: the one still arriving, or the one shown before it. */
  private need(job: Job): LogSession {
    if (this.streaming && job.generation === this.streaming.generation) return this.streaming.session;
    if (!this.session) throw new Error('no log is open');
    return this.session;
  }

  /** The open log's verifier model, once built (the request waits; a cancel or a newer open ends the wait). */
  private async verifier(job: Job): Promise<VerifierSession> {
    const session = this.need(job);
    const verifier = await session.verifier();
    job.check();
    return verifier;
  }

  /** Opens a log for `job`'s generation; it is kept only if no newer open came meanwhile. */
  private async install(job: Job, open: () => Promise<LogSession>, remember: boolean): Promise<LogSession> {
    // The log on screen keeps answering until this one is ready: an open that fails or is cancelled leaves it.
    const session = await open();
    job.check();
    if (job.generation !== this.latestGeneration) throw new Cancelled('replaced by a newer open');
    this.session = session;
    this.sessionGeneration = job.generation;
    this.afterOpen(session, remember);
    return session;
  }

  /**
   * After the first rows are out, build the search text a slice at a time, one
   * slice a task, so the first search is fast and no request waits on more
   * than one slice. Then remember the log (IndexedDB) when asked to.
   */
  private afterOpen(opened: LogSession, remember: boolean): void {
    if (opened.summary().searchCopyEager) opened.prepareSearchLater(100, () => this.session === opened);
    // The verifier model, once the first rows are out (a request for it starts it sooner); its requests wait for it.
    setTimeout(() => {
      if (this.session === opened) opened.verifier().catch(() => undefined);
    }, 100);
    this.remembered.set(opened, remember ? this.remember(opened) : Promise.resolve(false));
  }

  /** Keeps the log in the recent list, once it is hashed (after the open's reply, the model and the search copy). */
  private async remember(opened: LogSession): Promise<boolean> {
    const input = opened.input;
    // A streamed file is kept as the File it is (gzip stays gzip), read again only when small enough to keep.
    const kept =
      input instanceof Blob
        ? input.size > RECENT_MAX_ENTRY_BYTES
          ? Promise.resolve(null)
          : input.arrayBuffer().then((buffer) => new Uint8Array(buffer))
        : Promise.resolve(input);
    try {
      const [sha256, bytes] = await Promise.all([opened.sha256(), kept]);
      return bytes
        ? await rememberLog({ sha256, name: opened.name, size: opened.bytes.length }, bytes)
        : false;
    } catch {
      return false;
    }
  }

  /**
   * Opens a log as it arrives. The page gets the log so far with each
   * progress tick (`partial`) and may ask about it under this job's
   * generation from the first; it becomes the open log once the last byte
   * is in. Cancelled or replaced meanwhile, it is dropped and the log shown
   * before stays.
   */
  private async openStream(
    job: Job,
    input: StreamOpenInput,
    name: string,
    options: OpenOptions,
    remember: boolean,
  ): Promise<LogSummary> {
    let session: LogSession | null = null;
    try {
      const result = await streamOpen(input, options, job, (log, progress) => {
        const loading = { bytesRead: progress.rawRead, total: progress.total };
        if (!session) {
          if (job.generation !== this.latestGeneration) throw new Cancelled('replaced by a newer open');
          session = LogSession.streaming(name, input.blob ?? null, log, loading);
          this.streaming = { generation: job.generation, session };
        } else session.grow(log, loading);
        job.progress(progress.rawRead, progress.total, input.label, session.summary());
      });
      job.check();
      if (job.generation !== this.latestGeneration) throw new Cancelled('replaced by a newer open');
      const whole: LogSession =
        session ?? LogSession.streaming(name, input.blob ?? null, result.log, { bytesRead: 0, total: null });
      whole.complete(result.log, result.compressedSize, result.loadDiagnostics, result.timings);
      this.session = whole;
      this.sessionGeneration = job.generation;
      this.afterOpen(whole, remember);
      return whole.summary();
    } finally {
      if (session && this.streaming?.session === session) this.streaming = null;
    }
  }

  private async openBytes(
    job: Job,
    read: () => Promise<Uint8Array>,
    name: string,
    options: OpenOptions,
    remember: boolean,
  ): Promise<LogSummary> {
    const session = await this.install(
      job,
      async () => {
        const input = await read();
        job.check();
        job.progress(0, null, `Decoding ${name}`);
        return LogSession.open(input, name, options, job);
      },
      remember,
    );
    return session.summary();
  }

  private async openLink(href: string, remember: boolean, job: Job): Promise<LinkOpenResult> {
    const parsed = await parseShareLink(href);
    job.check();
    if (!parsed.ok) return { kind: 'error', error: parsed.error };
    if (parsed.kind === 'view') {
      // Not a new log: the open one (if any) now answers for this generation.
      if (this.session && job.generation === this.latestGeneration) this.sessionGeneration = job.generation;
      return { kind: 'view', view: parsed.view };
    }
    if (parsed.kind === 'payload') {
      const summary = await this.openBytes(
        job,
        async () => parsed.bytes,
        'shared log',
        optionsOf(parsed.view),
        remember,
      );
      return { kind: 'payload', view: parsed.view, note: parsed.note, summary };
    }
    const recent = await loadRecent(parsed.sha256);
    let summary: LogSummary | null = null;
    if (recent) {
      const session = await this.install(
        job,
        () => LogSession.open(recent.input, recent.entry.name, optionsOf(parsed.view)),
        remember,
      );
      // The store is keyed by hash, but check what came back: storage can be tampered with too.
      if ((await session.sha256()) === parsed.sha256) summary = session.summary();
      else this.drop(session);
    }
    return { kind: 'hash', view: parsed.view, sha256: parsed.sha256, length: parsed.length, summary };
  }

  private drop(session: LogSession): void {
    if (this.session !== session) return;
    this.session = null;
    this.sessionGeneration = -1;
  }

  private testFault(fault: 'throw' | 'hang'): null {
    if (!this.options.testHooks) throw new Error('test hooks are off');
    if (fault === 'throw')
      setTimeout(() => {
        throw new Error('test fault: the worker threw');
      });
    else
      setTimeout(() => {
        // A worker that stops answering: only the page's deadline can end this.
        for (;;) {
          /* hang */
        }
      });
    return null;
  }

  private readonly handlers: Handlers = {
    open: (r, job) =>
      this.openStream(
        job,
        { body: r.source.stream(), total: r.source.size, blob: r.source, label: `Reading ${r.name}` },
        r.name,
        r.options,
        r.remember,
      ),
    openUrl: async (r, job) => {
      const maxBytes = Math.min(r.maxBytes, MAX_DOWNLOAD_BYTES);
      const { body, declared } = await downloadStream(r.url, maxBytes, job);
      return this.openStream(
        job,
        { body, total: declared, maxBytes, label: `Downloading ${r.url}` },
        r.name,
        r.options,
        r.remember,
      );
    },
    openLink: (r, job) => this.openLink(r.href, r.remember, job),
    openRecent: async (r, job) => {
      const recent = await loadRecent(r.sha256);
      if (!recent) throw new Error('it is no longer kept in this browser');
      const session = await this.install(
        job,
        () => LogSession.open(recent.input, recent.entry.name, r.options),
        true,
      );
      const sha256 = await session.sha256();
      if (sha256 !== r.sha256) {
        this.drop(session);
        throw new Error(
          `the copy kept in this browser has changed (its SHA-256 is ${sha256.slice(0, 16)}…, not ${r.sha256.slice(0, 16)}…), so it was not opened. Forget recent logs and open the file again.`,
        );
      }
      return session.summary();
    },
    identity: async (_r, job) => {
      const s = this.need(job);
      const sha256 = await s.sha256();
      return { sha256, length: s.bytes.length, remembered: await (this.remembered.get(s) ?? false) };
    },
    share: (r, job) => this.need(job).share(r.view, r.base, r.mode, r.records),
    recent: () => listRecent(),
    forgetRecent: async () => {
      await forgetRecent();
      return null;
    },
    reopen: (r, job) => this.need(job).reopen(r.options),
    view: (r, job) => this.need(job).setView(r.filter, r.sort, job),
    rows: (r, job) => this.need(job).rows(r.start, r.count),
    position: (r, job) => this.need(job).position(r.index),
    record: (r, job) => this.need(job).record(r.index),
    bytes: (r, job) => this.need(job).byteRange(r.start, r.end),
    recordAt: (r, job) => this.need(job).recordAt(r.offset),
    lines: (r, job) => this.need(job).lines(r.start, r.count),
    lineCount: (_r, job) => this.need(job).lineCount(),
    hexPage: (r, job) => this.need(job).hexPage(r.start, r.end),
    original: (_r, job) => this.need(job).bytes.slice(),
    testFault: (r) => this.testFault(r.fault),
    verdict: async (r, job) => (await this.verifier(job)).verdict(r.program),
    kindCounts: async (r, job) => (await this.verifier(job)).kindCounts(r.program),
    insnCount: async (r, job) => (await this.verifier(job)).insnCount(r.program),
    insnRows: async (r, job) => (await this.verifier(job)).insnRows(r.program, r.start, r.count, r.sort),
    insnPosition: async (r, job) => (await this.verifier(job)).insnPosition(r.program, r.pc, r.sort),
    visitStep: async (r, job) => (await this.verifier(job)).visitStep(r.program, r.pc, r.line, r.step),
    lineOfRecord: async (r, job) => (await this.verifier(job)).lineOfRecord(r.record),
    recordOfLine: async (r, job) => (await this.verifier(job)).recordOfLine(r.line),
    stateAt: async (r, job) => (await this.verifier(job)).stateAt(r.line),
    defChain: async (r, job) => (await this.verifier(job)).defChain(r.line, r.operand),
    source: async (r, job) => (await this.verifier(job)).source(r.program, job),
    sourceLineOf: async (r, job) => (await this.verifier(job)).sourceLineOf(r.line),
    pcLine: async (r, job) => (await this.verifier(job)).pcLine(r.program, r.pc),
  };
}
