/** Bytes as the user has them (maybe gzipped) to a DecodedLog. */
import { DecodedLog, type DecodeOptions } from './decode.ts';
import { DEFAULT_MAX_DECOMPRESSED, gunzip, isGzip } from './gzip.ts';

export interface LoadOptions extends DecodeOptions {
  maxDecompressedSize?: number;
}

export interface LoadedLog {
  log: DecodedLog;
  /** Size of the gzip file the bytes came from, or null when the input was not gzipped. */
  compressedSize: number | null;
}

export async function loadLog(input: Uint8Array, options: LoadOptions = {}): Promise<LoadedLog> {
  if (!isGzip(input)) return { log: new DecodedLog(input, options), compressedSize: null };
  const { bytes, diagnostics } = await gunzip(input, options.maxDecompressedSize ?? DEFAULT_MAX_DECOMPRESSED);
  return { log: new DecodedLog(bytes, options, diagnostics), compressedSize: input.length };
}
