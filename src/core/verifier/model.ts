/**
 * The verifier model of a whole log, built in one pass over its lines: the
 * programs it holds (wrapper regions), and per program its lines, verdict,
 * instructions with their visits, counters and (on demand) source map.
 * Memory beyond the index: one byte of kind and four of pc per line, two
 * per instruction visit, a few per pc.
 */
import type { DecodedLog } from '../decode.ts';
import type { JoinedLines } from '../joined.ts';
import { runSteps, type Steps } from '../steps.ts';
import type { TlvIndex } from '../tlv.ts';
import { buildInsnTableSteps, type InsnTable } from './insns.ts';
import { LineKind, type VerifierLines } from './kinds.ts';
import { logByteLines, tlvVerifierLinesSteps, verifierLinesOfSteps } from './lines.ts';
import { findRegionsSteps, type LogRegion, type Stripped, stripWrapperPrefixesSteps } from './regions.ts';
import { buildSourceMapSteps, type SourceFile } from './source.ts';
import { buildStats, type VerifierStats } from './stats.ts';
import { findVerdict, type VerdictResult } from './verdict.ts';

/** A program's lines: a view of the file's columns; line i here is the file's line firstLine + i. */
export interface ProgramLines extends VerifierLines {
  readonly firstLine: number;
}

export interface VerifierProgram extends LogRegion {
  lines: ProgramLines;
  verdict: VerdictResult;
  /** Visits per pc; line numbers are the file's. */
  insns: InsnTable;
  stats: VerifierStats;
  /** The source map, built on first call. */
  source(): SourceFile[];
  /** The same, as steps (see steps.ts): the worker builds it between requests. */
  sourceSteps(): Steps<SourceFile[]>;
}

export interface VerifierModel {
  /** Every line of the file (or the TLV buffer's joined STRING lines), classified; wrappers' lines are `wrapper`. */
  lines: VerifierLines;
  /** A TLV buffer's joined STRING lines (line i is their line i); null for text. */
  joined: JoinedLines | null;
  programs: VerifierProgram[];
  /** Index into programs: the first rejected one, else the first. */
  defaultProgram: number;
  stripped: Stripped;
  /** The program named `name` (exactly, or by its last path part for veristat's `file/prog`), or null. */
  program(name: string): VerifierProgram | null;
}

/** The classified lines, the program regions in them, and what was stripped to read them. */
interface ModelLines {
  lines: VerifierLines;
  regions: LogRegion[];
  stripped: Stripped;
  joined: JoinedLines | null;
}

/** A text log: wrapper prefixes (CI timestamps, colour) stripped, then programs found by their wrappers. */
function* textLines(log: DecodedLog): Steps<ModelLines> {
  const { lines: byteLines, stripped, cilium, aya } = yield* stripWrapperPrefixesSteps(logByteLines(log));
  const lines = yield* verifierLinesOfSteps(byteLines);
  return { lines, regions: yield* findRegionsSteps(byteLines, cilium, aya), stripped, joined: null };
}

/** A TLV buffer is the kernel's own: one program, no wrapper, nothing to strip. */
function* tlvLines(bytes: Uint8Array, index: TlvIndex): Steps<ModelLines> {
  const lines = yield* tlvVerifierLinesSteps(bytes, index);
  const region: LogRegion = {
    name: null,
    wrapper: 'none',
    startLine: 0,
    endLine: lines.lineCount,
    wrapperVerdict: null,
  };
  return {
    lines,
    regions: [region],
    stripped: { timestampLines: 0, ansiSequences: 0, indent: '' },
    joined: lines.joined,
  };
}

export function buildVerifierModel(log: DecodedLog): VerifierModel {
  return runSteps(verifierModelSteps(log));
}

/** buildVerifierModel as steps (see steps.ts): the worker builds it between requests. */
export function* verifierModelSteps(log: DecodedLog): Steps<VerifierModel> {
  const index = log.index;
  const { lines, regions, stripped, joined } =
    index?.format === 'tlv' ? yield* tlvLines(log.bytes, index) : yield* textLines(log);
  const { kinds } = lines;
  // Rotating mode kept the end: the first line is the tail of a line whose start was lost.
  if (log.truncation.mode === 'rotating' && lines.lineCount > 0 && kinds[0] === LineKind.message)
    kinds[0] = LineKind.unknown;
  markWrapperLines(kinds, regions, lines.lineCount);

  const programs: VerifierProgram[] = [];
  for (const region of regions) {
    const { startLine: start, endLine: end } = region;
    const truncation = region.wrapper === 'none' ? log.truncation : null;
    const verdict = findVerdict(lines, start, end, truncation);
    const insns = yield* buildInsnTableSteps(lines, start, end);
    let source: SourceFile[] | null = null;
    function* sourceSteps(): Steps<SourceFile[]> {
      source ??= yield* buildSourceMapSteps(lines, start, end);
      return source;
    }
    programs.push({
      ...region,
      lines: sliceLines(lines, start, end),
      verdict,
      insns,
      stats: buildStats(lines, start, end),
      source: () => runSteps(sourceSteps()),
      sourceSteps,
    });
  }
  const rejected = programs.findIndex((p) => p.verdict.verdict === 'rejected');
  return {
    lines,
    joined,
    programs,
    defaultProgram: Math.max(rejected, 0),
    stripped,
    program(name) {
      return (
        programs.find((p) => p.name === name) ??
        programs.find((p) => p.name !== null && p.name.split('/').pop() === name) ??
        null
      );
    },
  };
}

/** Lines outside every region, when the file is wrapped, are the wrapper's. */
function markWrapperLines(kinds: Uint8Array, regions: LogRegion[], count: number): void {
  if (regions.length === 1 && regions[0].wrapper === 'none') return;
  let from = 0;
  for (const region of [...regions, { startLine: count, endLine: count }]) {
    for (let i = from; i < region.startLine; i++)
      if (kinds[i] !== LineKind.blank) kinds[i] = LineKind.wrapper;
    from = region.endLine;
  }
}

function sliceLines(lines: VerifierLines, start: number, end: number): ProgramLines {
  return {
    firstLine: start,
    lineCount: end - start,
    kinds: lines.kinds.subarray(start, end),
    pcs: lines.pcs.subarray(start, end),
    text: (i) => lines.text(start + i),
  };
}
