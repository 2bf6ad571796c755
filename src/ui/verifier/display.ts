/** Small display helpers for the verifier view: heat, durations, def marks, kind labels. */
import type { LineKindName } from '../../core/verifier/kinds.ts';
import type { DefChain, StatsView } from '../../core/verifier/view.ts';

/**
 * A heat bar's share of the full width, 0..1. Square-root scaled: a loop body
 * visited 1,000,000 times beside straight-line code visited once would
 * otherwise leave everything but the loop at zero width; any visit shows.
 */
export function heatShare(visits: number, max: number): number {
  if (visits <= 0 || max <= 0) return 0;
  return Math.max(0.02, Math.min(1, Math.sqrt(visits / max)));
}

/** `130 usec` as the verifier counts it, in the unit a reader expects. */
export function formatMicros(us: number): string {
  if (us < 1000) return `${us} µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}

/** The processed/limit share as a percentage worth printing (`0.0007%` stays visible, not `0%`). */
export function formatShare(processed: number, limit: number): string {
  if (limit <= 0) return '';
  const percent = (processed / limit) * 100;
  if (percent === 0) return '0%';
  if (percent >= 10) return `${percent.toFixed(0)}%`;
  return `${percent.toPrecision(2)}%`;
}

/** True when the stats hold anything worth a section. */
export function hasStats(stats: StatsView): boolean {
  return Object.values(stats).some((v) => v !== null);
}

/**
 * Where a line stands in a def chain: the step (0 = the instruction that last
 * wrote the operand, 1 = the one before it…), or -1.
 */
export function defStep(defs: DefChain | null | undefined, line: number): number {
  if (!defs) return -1;
  return defs.defs.findIndex((d) => d.line === line);
}

/** Where a pc stands in a def chain (the instruction view has rows per pc, not per line). */
export function defStepAtPc(defs: DefChain | null | undefined, pc: number): number {
  if (!defs) return -1;
  return defs.defs.findIndex((d) => d.pc === pc);
}

export const KIND_LABELS: Record<LineKindName, string> = {
  unknown: 'unknown',
  blank: 'blank',
  insn: 'insn',
  state: 'state',
  prune: 'pruned',
  source: 'source',
  liveRegs: 'liveness',
  precision: 'precision',
  func: 'func',
  btf: 'BTF',
  stats: 'stats',
  summary: 'summary',
  report: 'report',
  error: 'error',
  message: 'message',
  wrapper: 'wrapper',
};
