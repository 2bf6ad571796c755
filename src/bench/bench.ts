/**
 * `npm run bench`: how long building the index takes, against one
 * TextDecoder.decode pass over the same bytes measured in the same run.
 * Targets (issue 3): text index <= 0.75x, TLV index <= 0.15x, peak memory
 * <= 1.5x the input beyond the input itself.
 *
 * Times are medians of BENCH_RUNS runs after a warm-up, with a GC before
 * each run so one run's garbage is not charged to the next. Peak memory is
 * measured in a fresh child process per case (`--peak CASE`): Linux's
 * peak-RSS mark is reset just before the build and read just after.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  buildVerifierModel,
  DecodedLog,
  encodeTlv,
  formatCount,
  TLV_HEADER_SIZE,
  type TlvMessage,
} from '../core/index.ts';

const FIXTURES = join(process.cwd(), 'src', 'core', '__fixtures__');
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function fixture(name: string): Uint8Array {
  return new Uint8Array(gunzipSync(readFileSync(join(FIXTURES, name))));
}

function withNewline(contents: Uint8Array): Uint8Array {
  const out = new Uint8Array(contents.length + 1);
  out.set(contents);
  out[contents.length] = 0x0a;
  return out;
}

/** The records of a decoded log as messages (END left out), to re-encode. */
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

/** Repeats messages until the encoded buffer reaches `minSize` bytes. */
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

interface Case {
  name: string;
  target: number;
  bytes: () => Uint8Array;
  /** The bytes TextDecoder is timed on, when not the whole input. */
  baseline?: (bytes: Uint8Array) => Uint8Array;
}

const textEnd = (bytes: Uint8Array) =>
  bytes.subarray(0, bytes.indexOf(0) < 0 ? bytes.length : bytes.indexOf(0));

const CASES: Case[] = [
  {
    name: 'text: too-large-71mb (the 134 MB buffer)',
    target: 0.75,
    bytes: () => fixture('kernel/too-large-71mb.bin.gz'),
  },
  {
    name: 'text: too-large-71mb, baseline = its 71 MB of text',
    target: 0.75,
    bytes: () => fixture('kernel/too-large-71mb.bin.gz'),
    baseline: textEnd,
  },
  {
    name: 'tlv: 200 MB, one message per line (15 MB level-2 log)',
    target: 0.15,
    bytes: () => {
      const kernel = new DecodedLog(fixture('kernel/loop-level2-15mb.bin.gz'));
      const lines = messagesOf(kernel).map((m) => ({ type: m.type, contents: withNewline(m.contents) }));
      return encodeTlv(repeatToSize(lines, 200e6)).bytes;
    },
  },
  {
    name: 'tlv: 200 MB, verifier-sized fragments + unknown types',
    target: 0.15,
    // The verifier prints a line in several calls: the fragment fixture has real-shaped pieces.
    bytes: () =>
      encodeTlv(repeatToSize(messagesOf(new DecodedLog(fixture('tlv/loop-15mb-fragments.bin.gz'))), 200e6))
        .bytes,
  },
];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time(fn: () => unknown): number {
  fn();
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    gc();
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

function procStatusBytes(field: string): number {
  const match = readFileSync('/proc/self/status', 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  if (!match) throw new Error(`no ${field} in /proc/self/status`);
  return Number(match[1]) * 1024;
}

/** Child mode: one build in a fresh process; prints the peak RSS growth and what the index keeps. */
function measurePeak(caseName: string): void {
  const c = CASES.find((x) => x.name === caseName);
  if (!c) throw new Error(`no case ${caseName}`);
  const bytes = c.bytes();
  gc();
  writeFileSync('/proc/self/clear_refs', '5');
  const before = procStatusBytes('VmRSS');
  const log = new DecodedLog(bytes);
  const peak = procStatusBytes('VmHWM') - before;
  const index = log.index;
  const kept = !index
    ? 0
    : index.format === 'tlv'
      ? index.offsets.buffer.byteLength + index.types.buffer.byteLength + index.lengths.buffer.byteLength
      : index.lineStarts.buffer.byteLength;
  process.stdout.write(JSON.stringify({ peak, kept, size: bytes.length }));
}

function peakInChild(caseName: string): { peak: number; kept: number } | null {
  try {
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', fileURLToPath(import.meta.url), '--peak', caseName],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    return JSON.parse(out);
  } catch {
    return null; // not Linux, or /proc not writable: memory left unmeasured, and said so
  }
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

function run(): void {
  const rows: string[][] = [];
  let missed = false;
  for (const c of CASES) {
    const bytes = c.bytes();
    const baselineBytes = c.baseline ? c.baseline(bytes) : bytes;
    const decoder = new TextDecoder();
    const baseline = time(() => decoder.decode(baselineBytes));
    const index = time(() => new DecodedLog(bytes));
    const records = new DecodedLog(bytes).recordCount;
    const memory = peakInChild(c.name);
    const ratio = index / baseline;
    const memRatio = memory ? Math.max(memory.peak, memory.kept) / bytes.length : null;
    const ok = ratio <= c.target && (memRatio === null || memRatio <= 1.5);
    if (!ok) missed = true;
    rows.push([
      c.name,
      mb(bytes.length),
      formatCount(records),
      ms(index),
      ms(baseline),
      `${ratio.toFixed(3)}x (target <= ${c.target}x)`,
      memory
        ? `peak ${mb(memory.peak)}, kept ${mb(memory.kept)} = ${memRatio?.toFixed(2)}x input`
        : 'not measured (needs Linux /proc)',
      ok ? 'ok' : 'MISSED',
    ]);
  }
  const header = ['case', 'input', 'records', 'index', 'TextDecoder', 'ratio', 'memory beyond the input', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
  console.log(`\nmedian of ${RUNS} runs after a warm-up, GC between runs; node ${process.version}`);
  if (missed) console.log('some targets were missed (see MISSED)');
}

/**
 * The verifier model (issue 8) on the 71 MB log, built after the index as the
 * worker builds it: kinds + verdict + per-pc visits, against one TextDecoder
 * pass over the log's text. Target: <= 2x, and <= 8 bytes per line kept.
 */
function runVerifierModel(): boolean {
  const bytes = fixture('kernel/too-large-71mb.bin.gz');
  const text = textEnd(bytes);
  const log = new DecodedLog(bytes);
  const decoder = new TextDecoder();
  const baseline = time(() => decoder.decode(text));
  const build = time(() => buildVerifierModel(log));
  const model = buildVerifierModel(log);
  const lines = model.lines.lineCount;
  let kept = model.lines.kinds.byteLength + model.lines.pcs.byteLength;
  for (const p of model.programs) kept += p.insns.byteLength;
  const ratio = build / baseline;
  const perLine = kept / lines;
  const ok = ratio <= 2 && perLine <= 8;
  const program = model.programs[model.defaultProgram];
  console.log(
    `\nverifier model, too-large-71mb (${formatCount(lines)} lines, ${mb(text.length)} of text): ` +
      `${ms(build)} vs TextDecoder ${ms(baseline)} = ${ratio.toFixed(2)}x (target <= 2x); ` +
      `kept ${mb(kept)} = ${perLine.toFixed(2)} bytes/line (target <= 8) ${ok ? 'ok' : 'MISSED'}`,
  );
  console.log(
    `  verdict ${program.verdict.verdict}, error at line ${program.verdict.error?.line}, pc ${program.verdict.error?.pc}; ` +
      `${formatCount(program.insns.visitCount)} visits over ${program.insns.pcCount} pcs`,
  );
  return ok;
}

const peakAt = process.argv.indexOf('--peak');
if (peakAt >= 0) measurePeak(process.argv[peakAt + 1]);
else {
  run();
  if (!runVerifierModel()) console.log('the verifier model missed a target (see MISSED)');
}
