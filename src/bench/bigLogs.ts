/**
 * `npm run big-logs`: writes a 1 GiB text log and a 1 GiB TLV buffer (made
 * from the corpus) to a directory (default /tmp/bpflog-big; not committed),
 * then measures `bpflog inspect` on them, and a LogStream keeping every
 * byte, each in a fresh process: wall time and peak RSS.
 *
 *   node dist/cli/big-logs.js [DIR]            generate (if missing) and measure
 *   node dist/cli/big-logs.js --keep FILE      child mode: LogStream over FILE, prints peak RSS
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { DecodedLog, encodeTlv, LogStream, MAX_LOG_BYTES, type TlvMessage } from '../core/index.ts';

const FIXTURES = join(process.cwd(), 'src', 'core', '__fixtures__');
const fixture = (name: string) => new Uint8Array(gunzipSync(readFileSync(join(FIXTURES, name))));

/** The 15 MB level-2 log's text, repeated to exactly 1 GiB; the last byte is the kernel's NUL. */
export function bigText(): Uint8Array {
  const source = fixture('kernel/loop-level2-15mb.bin.gz');
  const text = source.subarray(0, source.indexOf(0));
  const out = new Uint8Array(MAX_LOG_BYTES);
  for (let at = 0; at < out.length; at += text.length) out.set(text.subarray(0, out.length - at), at);
  out[out.length - 1] = 0;
  return out;
}

/** The 15 MB log's TLV fragments repeated into a 1 GiB buffer, END last. */
export function bigTlv(): Uint8Array {
  const log = new DecodedLog(fixture('tlv/loop-15mb-fragments.bin.gz'));
  const messages: TlvMessage[] = [];
  for (let i = 0; i < log.recordCount; i++) {
    if (log.recordType(i) === 2) continue;
    const [start, end] = log.contentRange(i);
    messages.push({ type: log.recordType(i) ?? 1, contents: log.bytes.subarray(start, end) });
  }
  const all: TlvMessage[] = [];
  let size = 8;
  while (size < MAX_LOG_BYTES) {
    for (const m of messages) {
      all.push(m);
      size += 6 + m.contents.length;
    }
  }
  return encodeTlv(all, { logSize: MAX_LOG_BYTES }).bytes;
}

function timed(args: string[]): string {
  const t0 = performance.now();
  const child = spawnSync('/usr/bin/time', ['-f', 'PEAK_KB=%M', process.execPath, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - t0) / 1000;
  const peak = /PEAK_KB=(\d+)/.exec(child.stderr);
  const line =
    child.stdout.split('\n').find((l) => /^(records|lines|\{)/.test(l)) ?? child.stderr.slice(0, 300);
  return `${seconds.toFixed(1)} s, peak RSS ${peak ? (Number(peak[1]) / 1024).toFixed(0) : '?'} MB; ${line.slice(0, 160)}`;
}

async function keepAll(file: string): Promise<void> {
  const stream = new LogStream();
  const t0 = performance.now();
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }))
    stream.push(chunk as Uint8Array);
  const log = stream.finish();
  const status = readFileSync('/proc/self/status', 'utf8');
  const peak = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) * 1024;
  process.stdout.write(
    `records ${log.recordCount}, ${((performance.now() - t0) / 1000).toFixed(1)} s in-process, peak ${(peak / log.size).toFixed(2)}x the log\n`,
  );
}

async function run(): Promise<void> {
  const dir = process.argv[2] ?? '/tmp/bpflog-big';
  mkdirSync(dir, { recursive: true });
  const textFile = join(dir, 'text-1gib.bin');
  const tlvFile = join(dir, 'tlv-1gib.bin');
  if (!existsSync(textFile)) writeFileSync(textFile, bigText());
  if (!existsSync(tlvFile)) writeFileSync(tlvFile, bigTlv());
  const cli = join(fileURLToPath(new URL('.', import.meta.url)), 'bpflog.js');
  const self = fileURLToPath(import.meta.url);
  for (const file of [textFile, tlvFile]) {
    console.log(`${file}`);
    console.log(`  bpflog inspect:                  ${timed([cli, 'inspect', file])}`);
    console.log(`  bpflog inspect --json --summary: ${timed([cli, 'inspect', file, '--json', '--summary'])}`);
    console.log(`  LogStream keeping every byte:    ${timed([self, '--keep', file])}`);
  }
}

/** The 1 GiB logs in `dir`, written when missing (the app bench opens them too). */
export function bigLogFiles(dir = '/tmp/bpflog-big'): { text: string; tlv: string } {
  mkdirSync(dir, { recursive: true });
  const text = join(dir, 'text-1gib.bin');
  const tlv = join(dir, 'tlv-1gib.bin');
  if (!existsSync(text)) writeFileSync(text, bigText());
  if (!existsSync(tlv)) writeFileSync(tlv, bigTlv());
  return { text, tlv };
}

// Run only as big-logs.js itself, not when the app bench imports the generators.
if (process.argv[1]?.endsWith('big-logs.js')) {
  const keepAt = process.argv.indexOf('--keep');
  if (keepAt >= 0) await keepAll(process.argv[keepAt + 1]);
  else await run();
}
