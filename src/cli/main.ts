/**
 * `bpflog`: the core on the command line, for scripts and CI.
 * I/O is injected so tests can run it in-process.
 */
import { type ByteOrder, type LogFormat, loadLog, parseTypeMap, type TypeMap } from '../core/index.ts';
import { jsonReport, summaryText } from './report.ts';

export interface CliIo {
  readFile(path: string): Promise<Uint8Array>;
  write(text: string): Promise<void>;
  error(text: string): void;
}

export const USAGE = `usage: bpflog inspect FILE [--json] [--summary] [--format tlv|text] [--byte-order little|big] [--types FILE.json]

  inspect FILE        decode a BPF log buffer (TLV or text, gzipped or not) and print a summary
  --json              print one JSON object instead (every record, END included)
  --summary           with --json: leave out "records" (for big logs)
  --format F          read the buffer as tlv or text instead of detecting it
  --byte-order B      read TLV as little- or big-endian instead of detecting it
  --types FILE.json   names for message types, e.g. {"7": "ERRNO"}

Exit status: 0 when the buffer was read (problems in it are diagnostics), 2 for a bad option or unreadable file.`;

class UsageError extends Error {}

interface InspectOptions {
  file: string;
  json: boolean;
  summary: boolean;
  format?: LogFormat;
  byteOrder?: ByteOrder;
  typesFile?: string;
}

function parseInspect(args: string[]): InspectOptions {
  let file: string | undefined;
  const options: Partial<InspectOptions> = { json: false, summary: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--json') options.json = true;
    else if (arg === '--summary') options.summary = true;
    else if (arg === '--format') {
      const v = value();
      if (v !== 'tlv' && v !== 'text') throw new UsageError(`--format must be tlv or text, not "${v}"`);
      options.format = v;
    } else if (arg === '--byte-order') {
      const v = value();
      if (v !== 'little' && v !== 'big')
        throw new UsageError(`--byte-order must be little or big, not "${v}"`);
      options.byteOrder = v;
    } else if (arg === '--types') options.typesFile = value();
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    else if (file === undefined) file = arg;
    else throw new UsageError(`unexpected argument "${arg}"`);
  }
  if (file === undefined) throw new UsageError('inspect needs a FILE');
  return { ...options, file } as InspectOptions;
}

async function readOrFail(io: CliIo, path: string): Promise<Uint8Array> {
  try {
    return await io.readFile(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new UsageError(`cannot read ${path}: ${why}`);
  }
}

async function loadTypes(io: CliIo, path: string | undefined): Promise<TypeMap> {
  if (!path) return new Map();
  const { map, errors } = parseTypeMap(new TextDecoder().decode(await readOrFail(io, path)));
  if (errors.length > 0) throw new UsageError(`bad type map ${path}: ${errors.join('; ')}`);
  return map;
}

async function inspect(args: string[], io: CliIo): Promise<void> {
  const options = parseInspect(args);
  const types = await loadTypes(io, options.typesFile);
  const input = await readOrFail(io, options.file);
  const { log, compressedSize } = await loadLog(input, {
    format: options.format,
    byteOrder: options.byteOrder,
  });
  if (!options.json) {
    await io.write(summaryText(options.file, log, compressedSize, types));
    return;
  }
  for (const chunk of jsonReport(log, types, { records: !options.summary })) await io.write(chunk);
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
    throw new UsageError(`unknown command "${command}" (try: bpflog inspect FILE)`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.error(`bpflog: ${e.message}`);
      return 2;
    }
    io.error(`bpflog: internal error: ${(e as Error).stack ?? e}`);
    return 1;
  }
}
