/**
 * What bpflog says about the verifier: the `verifier` object of `inspect
 * --json`, its lines in the human summary, and `bpflog insns` (JSON Lines or
 * a listing), streamed in chunks. No Node APIs.
 */

import {
  formatCount,
  LINE_KIND_NAMES,
  parseSourceLine,
  type SourceRef,
  type VerifierModel,
  type VerifierProgram,
} from '../core/index.ts';
import { explainError } from '../core/verifier/explain.ts';

/** The program --program names, or the model's default; null with a list of names when none matches. */
export function pickProgram(model: VerifierModel, name: string | undefined): VerifierProgram | string {
  if (name === undefined) return model.programs[model.defaultProgram];
  const found = model.program(name);
  if (found) return found;
  const names = model.programs.map((p) => p.name).filter((n) => n !== null);
  return names.length === 0
    ? `no program "${name}": the log holds one unnamed program`
    : `no program "${name}" (the log has: ${names.join(', ')})`;
}

function kindCounts(program: VerifierProgram): Record<string, number> {
  const counts: number[] = [];
  const { kinds } = program.lines;
  for (let i = 0; i < kinds.length; i++) counts[kinds[i]] = (counts[kinds[i]] ?? 0) + 1;
  const out: Record<string, number> = {};
  counts.forEach((count, kind) => {
    if (count) out[LINE_KIND_NAMES[kind] ?? String(kind)] = count;
  });
  return out;
}

/** `inspect --json`'s `verifier` object. */
export function verifierJson(model: VerifierModel, program: VerifierProgram) {
  const { verdict } = program;
  return {
    verdict: verdict.verdict,
    reason: verdict.reason,
    error: verdict.error
      ? {
          message: verdict.error.message,
          line: verdict.error.line,
          pc: verdict.error.pc,
          hint: explainError(verdict.error.message),
        }
      : null,
    processed: program.stats.processed,
    limit: program.stats.limit,
    kinds: kindCounts(program),
    program: program.name,
    programs: model.programs.map((p) => ({
      name: p.name,
      wrapper: p.wrapper,
      startLine: p.startLine,
      endLine: p.endLine,
      verdict: p.verdict.verdict,
    })),
    truncation: verdict.truncation,
    stripped: model.stripped,
  };
}

/** The human summary's verifier lines (unescaped: the caller makes them terminal-safe). */
export function verifierSummaryLines(model: VerifierModel, program: VerifierProgram): string[] {
  const out: string[] = [];
  const { verdict, stats } = program;
  const named = program.name === null ? '' : ` (program ${program.name})`;
  out.push(`verifier: ${verdict.verdict}${named}: ${verdict.reason}`);
  if (model.programs.length > 1)
    out.push(
      `verifier programs: ${model.programs.map((p) => `${p.name ?? '(unnamed)'} ${p.verdict.verdict}`).join(', ')}`,
    );
  if (stats.processed !== null)
    out.push(
      `verifier: processed ${formatCount(stats.processed)} insns (limit ${formatCount(stats.limit ?? 0)})`,
    );
  if (verdict.truncation) out.push(`verifier: ${verdict.truncation}`);
  const error = verdict.error;
  if (error) {
    const at = error.pc === null ? '' : `, pc ${error.pc}`;
    out.push(`verifier error (line ${formatCount(error.line)}${at}):`);
    for (const line of error.message.split('\n')) out.push(`  ${line}`);
    if (error.insnLine !== null) out.push(`  at: ${model.lines.text(error.insnLine)}`);
    if (error.sourceLine !== null) out.push(`  source: ${model.lines.text(error.sourceLine)}`);
    const hint = explainError(error.message);
    if (hint) out.push(`  hint: ${hint.title}. ${hint.fix}`);
  }
  if (model.stripped.indent)
    out.push(
      `verifier: stripped the indentation every line shared (${JSON.stringify(model.stripped.indent)})`,
    );
  if (model.stripped.timestampLines || model.stripped.ansiSequences)
    out.push(
      `verifier: stripped ${formatCount(model.stripped.timestampLines)} timestamps, ${formatCount(model.stripped.ansiSequences)} ANSI sequences`,
    );
  return out;
}

/** Source quotes parsed once per log line. */
function sourceCache(model: VerifierModel) {
  const cache = new Map<number, SourceRef | null>();
  return (line: number): SourceRef | null => {
    if (line < 0) return null;
    let ref = cache.get(line);
    if (ref === undefined) {
      ref = parseSourceLine(model.lines.text(line));
      cache.set(line, ref);
    }
    return ref;
  };
}

/** `bpflog insns --json`: one JSON object per line, per printed pc, in pc order. */
export function* insnsJsonLines(model: VerifierModel, program: VerifierProgram, chunkSize = 1 << 20) {
  const { insns } = program;
  const source = sourceCache(model);
  let chunk = '';
  for (let pc = 0; pc < insns.pcCount; pc++) {
    const visits = insns.visits(pc);
    if (visits === 0) continue;
    const ref = source(insns.firstSource[pc]);
    chunk += `${JSON.stringify({
      pc,
      insn: insns.text(pc),
      visits,
      source: ref ? { file: ref.file, line: ref.line, text: ref.text } : null,
    })}\n`;
    if (chunk.length >= chunkSize) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

const HOTTEST = 5;

/** `bpflog insns`: an objdump-like listing with visit counts; the hottest instructions marked `*`. */
export function* insnsListing(model: VerifierModel, program: VerifierProgram, chunkSize = 1 << 16) {
  const { insns, verdict } = program;
  const printed: number[] = [];
  let total = 0;
  for (let pc = 0; pc < insns.pcCount; pc++) {
    const v = insns.visits(pc);
    total += v;
    if (v > 0) printed.push(pc);
  }
  const hottest = new Set(
    [...printed]
      .sort((a, b) => insns.visits(b) - insns.visits(a) || a - b)
      .slice(0, HOTTEST)
      .filter((pc) => insns.visits(pc) > 1),
  );
  const failing = verdict.error?.pc ?? null;
  const name = program.name === null ? '' : `${program.name}: `;
  let chunk =
    `${name}${formatCount(printed.length)} instructions, ${formatCount(total)} visits; verdict ${verdict.verdict}` +
    `${failing === null ? '' : `, failing at pc ${failing}`}\n` +
    `${hottest.size ? `* = one of the ${hottest.size} most visited\n` : ''}    pc    visits  insn\n`;
  let lastSource = -2;
  const widthOfVisits = Math.max(
    6,
    formatCount(Math.max(0, ...printed.map((pc) => insns.visits(pc)))).length,
  );
  for (const pc of printed) {
    const sourceLine = insns.firstSource[pc];
    if (sourceLine !== lastSource && sourceLine >= 0) chunk += `${model.lines.text(sourceLine)}\n`;
    lastSource = sourceLine;
    const mark = pc === failing ? '>' : hottest.has(pc) ? '*' : ' ';
    chunk += `${mark}${String(pc).padStart(5)}  ${formatCount(insns.visits(pc)).padStart(widthOfVisits)}  ${insns.text(pc) ?? ''}\n`;
    if (chunk.length >= chunkSize) {
      yield chunk;
      chunk = '';
    }
  }
  if (failing !== null) chunk += `> = the failing instruction\n`;
  yield chunk;
}
