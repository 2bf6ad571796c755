/**
 * `bpflog`: the core on the command line, for scripts and CI.
 * I/O is injected so tests can run it in-process.
 */
import {
  type ByteOrder,
  buildExcerpt,
  buildHashLink,
  buildShareLink,
  buildVerifierModel,
  DEFAULT_SHARE_BASE,
  type Diagnostic,
  diagnostic,
  formatCount,
  formatOffset,
  LINK_MAX_LENGTH,
  type LogFormat,
  LogStream,
  linkLengthAdvice,
  loadLog,
  parseTypeMap,
  type TypeMap,
  type ViewState,
} from '../core/index.ts';
import { factsOf, jsonReport, summaryText, terminalSafe, type VerifierView } from './report.ts';
import { SummaryStream } from './summaryStream.ts';
import { insnsJsonLines, insnsListing, pickProgram } from './verifier.ts';

/** A file being read: its bytes as they arrive, gunzipped when it is gzip. */
export interface FileStream {
  /** The file's size as stored (compressed, for gzip). */
  fileSize: number;
  gzipped: boolean;
  chunks: AsyncIterable<Uint8Array>;
  /** Stops reading (after the cap, or an error). */
  close(): void;
}

export interface CliIo {
  readFile(path: string): Promise<Uint8Array>;
  /** Rejects (with the error's `code`) when the file cannot be opened. */
  openStream(path: string): Promise<FileStream>;
  write(text: string): Promise<void>;
  error(text: string): void;
}

export const USAGE = `usage: bpflog inspect FILE [--json] [--summary] [--program NAME] [--no-verifier] [--format tlv|text] [--byte-order little|big] [--types FILE.json]
       bpflog insns FILE [--json] [--program NAME] [--format tlv|text] [--byte-order little|big]
       bpflog share FILE [--rec N] [--base URL] [--show-types LIST] [--query TEXT] [--regex]
                         [--format tlv|text] [--byte-order little|big] [--hash | --excerpt RANGES]

  inspect FILE        decode a BPF log buffer (TLV or text, gzipped or not) and print a summary
  --json              print one JSON object instead (every record, END included)
  --summary           with --json: leave out "records" (for big logs)
  --format F          read the buffer as tlv or text instead of detecting it
  --byte-order B      read TLV as little- or big-endian instead of detecting it
  --types FILE.json   names for message types, e.g. {"7": "ERRNO"}
  --program NAME      in a file holding several programs' logs (libbpf, veristat), report on NAME
                      (default: the first rejected one, else the first)
  --no-verifier       skip the verifier model (which keeps the whole log in memory): the summary
                      streams with flat memory and reads the complaint from the log's last lines

  insns FILE          the verifier's instructions, one per pc: text, visit count, source line;
                      the most visited marked *, the failing one >
  --json              JSON Lines instead: {"pc","insn","visits","source":{"file","line","text"}|null}

  share FILE          print a link that opens this log in the inspector (the log travels in the link)
  --rec N             select record N (numbered from 0, as inspect --json does)
  --base URL          the inspector's address (default ${DEFAULT_SHARE_BASE})
  --show-types LIST   show only these TLV types, e.g. 1,7
  --query TEXT        search for TEXT; --regex: TEXT is a regular expression
  --hash              link to the file by its SHA-256 instead: it opens when the recipient drops the file
  --excerpt RANGES    share only these records, e.g. 0-3,120-180 (for logs whose link is too long)

Exit status: 0 when the buffer was read (problems in it are diagnostics), 2 for a bad option or
unreadable file, or a link longer than ${formatCount(LINK_MAX_LENGTH)} characters.`;

class UsageError extends Error {}

interface InspectOptions {
  file: string;
  json: boolean;
  summary: boolean;
  format?: LogFormat;
  byteOrder?: ByteOrder;
  typesFile?: string;
  program?: string;
  /** Build the verifier model (needs the whole log in memory). */
  verifier: boolean;
}

function parseInspect(args: string[], command = 'inspect'): InspectOptions {
  let file: string | undefined;
  const options: Partial<InspectOptions> = { json: false, summary: false, verifier: true };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--json') options.json = true;
    else if (arg === '--summary' && command === 'inspect') options.summary = true;
    else if (arg === '--format') options.format = formatOption(value());
    else if (arg === '--byte-order') options.byteOrder = byteOrderOption(value());
    else if (arg === '--types' && command === 'inspect') options.typesFile = value();
    else if (arg === '--program') options.program = value();
    else if (arg === '--no-verifier' && command === 'inspect') options.verifier = false;
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    else if (file === undefined) file = arg;
    else throw new UsageError(`unexpected argument "${arg}"`);
  }
  if (file === undefined) throw new UsageError(`${command} needs a FILE`);
  return { ...options, file } as InspectOptions;
}

function formatOption(v: string): LogFormat {
  if (v !== 'tlv' && v !== 'text') throw new UsageError(`--format must be tlv or text, not "${v}"`);
  return v;
}

function byteOrderOption(v: string): ByteOrder {
  if (v !== 'little' && v !== 'big') throw new UsageError(`--byte-order must be little or big, not "${v}"`);
  return v;
}

function cannotRead(path: string, e: unknown): UsageError {
  const code = (e as { code?: string }).code;
  const why =
    code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
  return new UsageError(`cannot read ${path}: ${why}`);
}

async function readOrFail(io: CliIo, path: string): Promise<Uint8Array> {
  try {
    return await io.readFile(path);
  } catch (e) {
    throw cannotRead(path, e);
  }
}

async function loadTypes(io: CliIo, path: string | undefined): Promise<TypeMap> {
  if (!path) return new Map();
  const { map, errors } = parseTypeMap(new TextDecoder().decode(await readOrFail(io, path)));
  if (errors.length > 0) throw new UsageError(`bad type map ${path}: ${errors.join('; ')}`);
  return map;
}

/**
 * Streams the file through the indexer. The verifier model reads every line,
 * so by default the whole buffer is kept (grown in place, up to 1 GiB), and so
 * it is for --json with records. With --no-verifier the summary (and --json
 * --summary) keeps no more than a megabyte of the log, so memory stays flat.
 */
async function readInspected(options: InspectOptions, io: CliIo) {
  let file: FileStream;
  try {
    file = await io.openStream(options.file);
  } catch (e) {
    throw cannotRead(options.file, e);
  }
  const indexOptions = {
    format: options.format,
    byteOrder: options.byteOrder,
    sizeHint: file.gzipped ? undefined : file.fileSize,
  };
  const keepBytes = options.verifier || (options.json && !options.summary);
  const sink = keepBytes ? new LogStream(indexOptions) : new SummaryStream(indexOptions);
  const diagnostics: Diagnostic[] = [];
  let read = 0;
  try {
    for await (const chunk of file.chunks) {
      read += chunk.length;
      if (!sink.push(chunk)) break;
    }
  } catch (e) {
    if (!file.gzipped) throw cannotRead(options.file, e);
    // zlib says Z_BUF_ERROR ("unexpected end of file") for a stream cut short: the core's gzip-truncated.
    const cut = (e as { code?: string }).code === 'Z_BUF_ERROR';
    diagnostics.push(
      diagnostic(
        cut ? 'gzip-truncated' : 'gzip-corrupt',
        'error',
        read,
        `The gzip stream is damaged (${(e as Error).message || 'unreadable'}); the ${formatCount(read)} bytes decompressed before ${formatOffset(read)} are shown.`,
      ),
    );
  } finally {
    file.close();
  }
  const log = sink instanceof LogStream ? sink.finish(diagnostics) : null;
  const facts = log ? factsOf(log) : (sink as SummaryStream).finish(diagnostics);
  let verifier: VerifierView | null = null;
  if (log && options.verifier) {
    const model = buildVerifierModel(log);
    const program = pickProgram(model, options.program);
    if (typeof program === 'string') throw new UsageError(program);
    verifier = { model, program };
  }
  return { log, facts, compressedSize: file.gzipped ? file.fileSize : null, verifier };
}

async function inspect(args: string[], io: CliIo): Promise<void> {
  const options = parseInspect(args);
  const types = await loadTypes(io, options.typesFile);
  const { log, facts, compressedSize, verifier } = await readInspected(options, io);
  if (!options.json) {
    await io.write(summaryText(options.file, facts, compressedSize, types, verifier));
    return;
  }
  const records = options.summary ? null : log;
  for (const chunk of jsonReport(facts, types, verifier, { records })) await io.write(chunk);
}

async function insns(args: string[], io: CliIo): Promise<void> {
  const options = parseInspect(args, 'insns');
  const { verifier } = await readInspected({ ...options, verifier: true }, io);
  if (!verifier) throw new UsageError(`${options.file}: no log to read`);
  if (options.json) {
    for (const chunk of insnsJsonLines(verifier.model, verifier.program)) await io.write(chunk);
    return;
  }
  for (const chunk of insnsListing(verifier.model, verifier.program))
    await io.write(chunk.split('\n').map(terminalSafe).join('\n'));
}

interface ShareOptions {
  file: string;
  view: Partial<ViewState>;
  base?: string;
  hash: boolean;
  excerpt?: [number, number][];
}

const wholeNumber = (option: string, v: string) => {
  if (!/^\d{1,15}$/.test(v)) throw new UsageError(`${option} needs a whole number, not "${v}"`);
  return Number(v);
};

function parseShare(args: string[]): ShareOptions {
  let file: string | undefined;
  const options: Omit<ShareOptions, 'file'> = { view: {}, hash: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--rec') options.view.rec = wholeNumber(arg, value());
    else if (arg === '--base') options.base = value();
    else if (arg === '--show-types') {
      const v = value();
      if (!/^(\d{1,5}(,\d{1,5})*)?$/.test(v) || v.split(',').some((t) => Number(t) > 0xffff))
        throw new UsageError(`--show-types needs type numbers (0-65535) separated by commas, not "${v}"`);
      options.view.types = v === '' ? [] : v.split(',').map(Number);
    } else if (arg === '--query') options.view.query = value();
    else if (arg === '--regex') options.view.regex = true;
    else if (arg === '--format') options.view.format = formatOption(value());
    else if (arg === '--byte-order') options.view.byteOrder = byteOrderOption(value());
    else if (arg === '--hash') options.hash = true;
    else if (arg === '--excerpt') {
      const v = value();
      if (!/^\d{1,15}(-\d{1,15})?(,\d{1,15}(-\d{1,15})?)*$/.test(v))
        throw new UsageError(`--excerpt needs record ranges like 0-3,120-180, not "${v}"`);
      options.excerpt = v.split(',').map((r) => {
        const [from, to = from] = r.split('-').map(Number);
        if (from > to) throw new UsageError(`--excerpt range ${r} runs backwards`);
        return [from, to];
      });
    } else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    else if (file === undefined) file = arg;
    else throw new UsageError(`unexpected argument "${arg}"`);
  }
  if (file === undefined) throw new UsageError('share needs a FILE');
  if (options.hash && options.excerpt) throw new UsageError('--hash and --excerpt cannot be used together');
  if (options.base !== undefined && !/^[a-z][a-z0-9+.-]*:/i.test(options.base))
    throw new UsageError(`--base needs an absolute URL, not "${options.base}"`);
  return { ...options, file };
}

async function share(args: string[], io: CliIo): Promise<void> {
  const options = parseShare(args);
  const input = await readOrFail(io, options.file);
  const { log } = await loadLog(input, {
    format: options.view.format ?? undefined,
    byteOrder: options.view.byteOrder ?? undefined,
  });
  for (const d of log.diagnostics) if (d.code.startsWith('gzip-')) io.error(`bpflog: warning: ${d.message}`);
  const count = log.recordCount;
  const rec = options.view.rec;
  if (rec !== undefined && rec !== null && rec >= count)
    throw new UsageError(`--rec ${rec} is past the last record (the log has ${count})`);
  const view = { ...options.view };
  let bytes = log.bytes;
  let note: string | undefined;
  if (options.excerpt) {
    const indices: number[] = [];
    for (const [from, to] of options.excerpt) {
      if (to >= count)
        throw new UsageError(`--excerpt ${from}-${to} is past the last record (the log has ${count})`);
      for (let i = from; i <= to; i++) indices.push(i);
    }
    const excerpt = buildExcerpt(log, indices);
    bytes = excerpt.bytes;
    note = excerpt.note;
    // The excerpt is a log of its own: its records are renumbered, and it needs its own overrides.
    view.format = excerpt.format;
    view.byteOrder = excerpt.byteOrder;
    if (rec !== undefined && rec !== null) {
      view.rec = excerpt.records.indexOf(rec);
      if (view.rec < 0) throw new UsageError(`--rec ${rec} is not in the excerpt`);
    }
  }
  const built = options.hash
    ? await buildHashLink(bytes, { base: options.base, view })
    : await buildShareLink(bytes, { base: options.base, view, note });
  if (built.lengthClass === 'too-long') {
    throw new UsageError(
      `the link would be ${formatCount(built.length)} characters, more than the ${formatCount(LINK_MAX_LENGTH)} a link may have: use --hash or --excerpt`,
    );
  }
  const advice = linkLengthAdvice(built.length);
  if (advice) io.error(`bpflog: warning: ${advice}`);
  await io.write(`${built.link}\n`);
}

/** Runs the CLI; returns the exit status. Never throws. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      await io.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === 'inspect') {
      await inspect(rest, io);
      return 0;
    }
    if (command === 'insns') {
      await insns(rest, io);
      return 0;
    }
    if (command === 'share') {
      await share(rest, io);
      return 0;
    }
    throw new UsageError(
      `unknown command "${command}" (try: bpflog inspect FILE, bpflog insns FILE, or bpflog share FILE)`,
    );
  } catch (e) {
    if (e instanceof UsageError) {
      io.error(`bpflog: ${e.message}`);
      return 2;
    }
    io.error(`bpflog: internal error: ${(e as Error).stack ?? e}`);
    return 1;
  }
}
