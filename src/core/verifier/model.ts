/**
 * The verifier model of a whole log, built in one pass over its lines: the
 * programs it holds (wrapper regions), and per program its lines, verdict,
 * instructions with their visits, counters and (on demand) source map.
 * Memory beyond the index: one byte of kind and four of pc per line, two
 * per instruction visit, a few per pc.
 */
import type { DecodedLog } from '../decode.ts';
import { buildInsnTable, type InsnTable } from './insns.ts';
import { LineKind, type VerifierLines } from './kinds.ts';
import { logByteLines, verifierLinesOf } from './lines.ts';
import { findRegions, type LogRegion, type Stripped, stripWrapperPrefixes } from './regions.ts';
import { buildSourceMap, type SourceFile } from './source.ts';
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
}

export interface VerifierModel {
  /** Every line of the file (or the TLV buffer's joined STRING lines), classified; wrappers' lines are `wrapper`. */
  lines: VerifierLines;
  programs: VerifierProgram[];
  /** Index into programs: the first rejected one, else the first. */
  defaultProgram: number;
  stripped: Stripped;
  /** The program named `name` (exactly, or by its last path part for veristat's `file/prog`), or null. */
  program(name: string): VerifierProgram | null;
}

export function buildVerifierModel(log: DecodedLog): VerifierModel {
  const { lines: byteLines, stripped } = stripWrapperPrefixes(logByteLines(log));
  const lines = verifierLinesOf(byteLines);
  const { kinds } = lines;
  // Rotating mode kept the end: the first line is the tail of a line whose start was lost.
  if (log.truncation.mode === 'rotating' && lines.lineCount > 0 && kinds[0] === LineKind.message)
    kinds[0] = LineKind.unknown;
  const regions = findRegions(byteLines);
  markWrapperLines(kinds, regions, lines.lineCount);

  const programs = regions.map((region): VerifierProgram => {
    const { startLine: start, endLine: end } = region;
    const truncation = region.wrapper === 'none' ? log.truncation : null;
    const verdict = findVerdict(lines, start, end, truncation);
    let source: SourceFile[] | null = null;
    return {
      ...region,
      lines: sliceLines(lines, start, end),
      verdict,
      insns: buildInsnTable(lines, start, end),
      stats: buildStats(lines, start, end),
      source: () => {
        source ??= buildSourceMap(lines, start, end);
        return source;
      },
    };
  });
  const rejected = programs.findIndex((p) => p.verdict.verdict === 'rejected');
  return {
    lines,
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
