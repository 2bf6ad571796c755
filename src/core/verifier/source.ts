/**
 * The C source the verifier quotes: each `; code @ file.c:42` line (or the
 * older `; code` without a location) applies to the instructions printed
 * after it, up to the next source line. Per file, each source line with the
 * pcs it covers and how often they were visited.
 */
import { STEP_MASK, type Steps } from '../steps.ts';
import { LineKind, type VerifierLines } from './kinds.ts';

export interface SourceRef {
  /** The code as quoted, trimmed. */
  text: string;
  /** null for the older form without `@ file:line`. */
  file: string | null;
  line: number | null;
}

const WITH_LOCATION = /^;\s?(.*?)\s*@ (\S+):(\d+)\s*$/;

export function parseSourceLine(line: string): SourceRef | null {
  if (!line.startsWith(';')) return null;
  const m = WITH_LOCATION.exec(line);
  if (m) return { text: m[1], file: m[2], line: Number(m[3]) };
  return { text: line.slice(1).trim(), file: null, line: null };
}

export interface SourceLineEntry extends SourceRef {
  /** pcs printed under this source line, ascending. */
  pcs: number[];
  /** Instruction lines (visits) printed under it. */
  visits: number;
  /** The first log line that quotes it. */
  firstLogLine: number;
}

export interface SourceFile {
  /** null: quotes without a location. */
  file: string | null;
  /** By line number (then text, for quotes without one). */
  lines: SourceLineEntry[];
}

/** One pass over lines [start, end): each source quote's pcs and visits, grouped by file. */
export function* buildSourceMapSteps(lines: VerifierLines, start: number, end: number): Steps<SourceFile[]> {
  const byKey = new Map<string, SourceLineEntry & { pcSet: Set<number> }>();
  let current: (SourceLineEntry & { pcSet: Set<number> }) | null = null;
  for (let i = start; i < end; i++) {
    if ((i & STEP_MASK) === STEP_MASK) yield;
    const kind = lines.kinds[i];
    if (kind === LineKind.source) {
      const text = lines.text(i);
      const existing = byKey.get(text);
      if (existing) current = existing;
      else {
        const ref = parseSourceLine(text);
        if (!ref) continue;
        current = { ...ref, pcs: [], visits: 0, firstLogLine: i, pcSet: new Set() };
        byKey.set(text, current);
      }
    } else if (kind === LineKind.insn && current) {
      current.visits++;
      current.pcSet.add(lines.pcs[i]);
    }
  }
  const files = new Map<string | null, SourceLineEntry[]>();
  for (const { pcSet, ...entry } of byKey.values()) {
    entry.pcs = [...pcSet].sort((a, b) => a - b);
    const list = files.get(entry.file) ?? [];
    list.push(entry);
    files.set(entry.file, list);
  }
  return [...files.entries()].map(([file, list]) => ({
    file,
    lines: list.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || a.firstLogLine - b.firstLogLine),
  }));
}
