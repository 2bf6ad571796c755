/**
 * The verifier's counters: the closing summary (`processed N insns (limit L)
 * max_states_per_insn M total_states T peak_states P mark_read R`) and
 * BPF_LOG_STATS's `verification time N usec` and `stack depth 8+16` (one
 * number per frame).
 */
import { LineKind, type VerifierLines } from './kinds.ts';

export interface VerifierStats {
  processed: number | null;
  limit: number | null;
  maxStatesPerInsn: number | null;
  totalStates: number | null;
  peakStates: number | null;
  markRead: number | null;
  verificationTimeUs: number | null;
  /** Stack depth per frame (subprogram), in the order printed. */
  stackDepths: number[] | null;
}

const SUMMARY =
  /^processed (\d+) insns \(limit (\d+)\)(?: max_states_per_insn (\d+) total_states (\d+) peak_states (\d+)(?: mark_read (\d+))?)?/;

/** The summary's counters. */
export type SummaryCounts = Omit<VerifierStats, 'verificationTimeUs' | 'stackDepths'> & {
  processed: number;
  limit: number;
};

/** The counters of a `processed N insns (limit L) …` line (older kernels print fewer); null for any other line. */
export function parseSummary(line: string): SummaryCounts | null {
  const m = SUMMARY.exec(line);
  if (!m) return null;
  const num = (s: string | undefined) => (s === undefined ? null : Number(s));
  return {
    processed: Number(m[1]),
    limit: Number(m[2]),
    maxStatesPerInsn: num(m[3]),
    totalStates: num(m[4]),
    peakStates: num(m[5]),
    markRead: num(m[6]),
  };
}

/** Reads the last summary and stats lines of lines [start, end), walking back from the end. */
export function buildStats(lines: VerifierLines, start = 0, end = lines.lineCount): VerifierStats {
  const stats: VerifierStats = {
    processed: null,
    limit: null,
    maxStatesPerInsn: null,
    totalStates: null,
    peakStates: null,
    markRead: null,
    verificationTimeUs: null,
    stackDepths: null,
  };
  let seenSummary = false;
  for (let i = end - 1; i >= start && i >= end - 64; i--) {
    const kind = lines.kinds[i];
    if (kind === LineKind.summary && !seenSummary) {
      const parsed = parseSummary(lines.text(i));
      if (parsed) Object.assign(stats, parsed);
      seenSummary = true;
    } else if (kind === LineKind.stats) {
      const text = lines.text(i);
      const time = /^verification time (\d+) usec/.exec(text);
      if (time && stats.verificationTimeUs === null) stats.verificationTimeUs = Number(time[1]);
      const depth = /^stack depth ([\d+]+)/.exec(text);
      if (depth && stats.stackDepths === null)
        stats.stackDepths = depth[1].split('+').filter(Boolean).map(Number);
    }
  }
  return stats;
}
