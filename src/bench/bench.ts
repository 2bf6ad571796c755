/**
 * `npm run bench`: how long building the index takes, against one
 * TextDecoder.decode pass over the same bytes measured in the same run.
 * Targets (issue 3): text index <= 0.75x, TLV index <= 0.15x, peak memory
 * <= 1.5x the input beyond the input itself.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DecodedLog, encodeTlv, TLV_HEADER_SIZE, type TlvIndex, type TlvMessage } from '../core/index.ts';

const FIXTURES = join(process.cwd(), 'src', 'core', '__fixtures__');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function fixture(name: string): Uint8Array {
  return new Uint8Array(gunzipSync(readFileSync(join(FIXTURES, name))));
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Median wall time of fn over RUNS runs, after one warm-up run. */
function time(fn: () => unknown): number {
  fn();
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

/** Bytes of ArrayBuffers the index retains beyond the input (columns, line starts). */
function retainedBytes(log: DecodedLog): number {
  const index = log.index;
  if (!index) return 0;
  if (index.format === 'tlv')
    return index.offsets.buffer.byteLength + index.types.buffer.byteLength + index.lengths.buffer.byteLength;
  return index.lineStarts.buffer.byteLength;
}

function procStatusKb(field: string): number | null {
  try {
    const match = readFileSync('/proc/self/status', 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Peak memory of one index build beyond the input. On Linux, resetting the
 * peak-RSS mark (clear_refs 5) before the build and reading VmHWM after gives
 * the true high-water mark, transient copies included.
 */
function peakBeyondInput(build: () => DecodedLog): { retained: number; peak: number } {
  (globalThis as { gc?: () => void }).gc?.();
  let resetWorked = false;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    resetWorked = true;
  } catch {
    // not Linux: fall back to RSS growth
  }
  const before = procStatusKb('VmRSS') ?? process.memoryUsage().rss;
  const log = build();
  const after = (resetWorked ? procStatusKb('VmHWM') : null) ?? process.memoryUsage().rss;
  return { retained: retainedBytes(log), peak: Math.max(0, after - before) };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const rows: string[][] = [];
let failed = false;

function report(
  name: string,
  bytes: Uint8Array,
  records: number,
  target: number,
  build: () => DecodedLog,
  baselineBytes = bytes,
) {
  const decoder = new TextDecoder();
  const baseline = time(() => decoder.decode(baselineBytes));
  const index = time(build);
  const memory = peakBeyondInput(build);
  const ratio = index / baseline;
  const memRatio = Math.max(memory.retained, memory.peak) / bytes.length;
  const ok = ratio <= target && memRatio <= 1.5;
  if (!ok) failed = true;
  rows.push([
    name,
    mb(bytes.length),
    records.toLocaleString('en-US'),
    ms(index),
    ms(baseline),
    `${ratio.toFixed(3)}x (target <= ${target}x)`,
    `${mb(memory.retained)} kept, ${mb(memory.peak)} peak = ${memRatio.toFixed(2)}x input`,
    ok ? 'ok' : 'MISSED',
  ]);
}

/** Repeats messages until the buffer reaches `minSize` bytes. */
function repeatToSize(messages: TlvMessage[], minSize: number): TlvMessage[] {
  const out: TlvMessage[] = [];
  let size = 8;
  while (size < minSize) {
    for (const m of messages) {
      out.push(m);
      size += TLV_HEADER_SIZE + m.contents.length;
    }
  }
  return out;
}

function messagesOf(log: DecodedLog): TlvMessage[] {
  const out: TlvMessage[] = [];
  for (let i = 0; i < log.recordCount; i++) {
    const type = log.recordType(i) ?? 1;
    if (type === 2) continue;
    const [start, end] = log.contentRange(i);
    out.push({ type, contents: log.bytes.subarray(start, end) });
  }
  return out;
}

// 1. The 71 MB real text log (1,000,006 lines in a 134 MB buffer).
{
  const bytes = fixture('kernel/too-large-71mb.bin.gz');
  const log = new DecodedLog(bytes);
  const textLength = (log.index as { textLength: number }).textLength;
  report(
    'text: too-large-71mb (whole 134 MB buffer)',
    bytes,
    log.recordCount,
    0.75,
    () => new DecodedLog(bytes),
  );
  report(
    'text: too-large-71mb, baseline = its 71 MB of text only',
    bytes,
    log.recordCount,
    0.75,
    () => new DecodedLog(bytes),
    bytes.subarray(0, textLength),
  );
}

// 2. Synthetic TLV >= 200 MB, from the real 15 MB level-2 log, in two shapes.
{
  const kernel = new DecodedLog(fixture('kernel/loop-level2-15mb.bin.gz'));
  const lines = messagesOf(kernel).map((m) => ({ type: m.type, contents: withNewline(m.contents) }));
  const wholeLines = encodeTlv(repeatToSize(lines, 200e6)).bytes;
  report(
    'tlv: 200 MB, one message per line',
    wholeLines,
    (new DecodedLog(wholeLines).index as TlvIndex).count,
    0.15,
    () => new DecodedLog(wholeLines),
  );

  // The verifier prints a line in several calls: the fragment fixture has a million real-shaped pieces.
  const fragments = messagesOf(new DecodedLog(fixture('tlv/loop-15mb-fragments.bin.gz')));
  const fragmented = encodeTlv(repeatToSize(fragments, 200e6)).bytes;
  report(
    'tlv: 200 MB, verifier-sized fragments',
    fragmented,
    (new DecodedLog(fragmented).index as TlvIndex).count,
    0.15,
    () => new DecodedLog(fragmented),
  );
}

function withNewline(contents: Uint8Array): Uint8Array {
  const out = new Uint8Array(contents.length + 1);
  out.set(contents);
  out[contents.length] = 0x0a;
  return out;
}

const header = ['case', 'input', 'records', 'index', 'TextDecoder', 'ratio', 'memory beyond input', ''];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const row of [header, ...rows]) console.log(row.map((c, i) => c.padEnd(widths[i])).join('  '));
console.log(`\nmedian of ${RUNS} runs after a warm-up; node ${process.version}`);
if (failed) console.log('some targets were missed (see MISSED)');
