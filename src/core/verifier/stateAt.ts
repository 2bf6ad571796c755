/**
 * The register and stack state in force at one line of a verifier log, built
 * on demand: walk back to the last full state on the same path (a
 * `from X to Y:` branch, level 1's jump line, a pass's first `N:` state, the
 * frames printed around a call), then replay each later state text forward,
 * a tail overwriting the registers and slots it names. Nothing is computed
 * per line for the whole log; long replays leave sparse checkpoints behind so
 * the next question near them is short.
 *
 * What the log says is all there is: the kernel prints only the registers an
 * instruction touched, so a register it updated on the side (a packet
 * pointer's range after a bounds check) keeps its last printed value here.
 */
import { LineKind, NO_PC, type VerifierLines } from './kinds.ts';
import {
  type ParsedState,
  parseStateLine,
  type StateEntry,
  type StateLine,
  type StateLineForm,
} from './state.ts';

export interface FrameState {
  readonly frame: number;
  /** Registers by number, then stack slots from fp-8 down. */
  readonly entries: readonly StateEntry[];
  /** Reference ids the program holds (`refs=`). */
  readonly refs: readonly number[];
  /** `cb`, `async_cb`: the frame is a callback. */
  readonly callback: boolean;
  readonly asyncCallback: boolean;
}

export interface StateAtLine {
  readonly line: number;
  /** The line's pc, if it has one. */
  readonly pc: number | null;
  /** The full state the replay started from, or null when none precedes the line (a rotated log lost it). */
  readonly baseLine: number | null;
  readonly baseForm: StateLineForm | null;
  /** False when no full state was found: registers never printed since the log's start are missing. */
  readonly complete: boolean;
  /** Frames the log has shown on this path, outermost first. */
  readonly frames: readonly FrameState[];
  /** What this line's instruction changed: the registers and slots its state tail lists. */
  readonly changed: readonly StateEntry[];
  /** Where those changes were printed: the line itself, or a later `N:` line when other output came between. */
  readonly changedAt: number | null;
}

export interface EntryChange {
  readonly frame: number;
  readonly name: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** The value as printed before and after; null when absent. */
  readonly before: string | null;
  readonly after: string | null;
}

export interface VisitDiff {
  readonly line: number;
  readonly pc: number;
  /** The previous visit: the last instruction line before `line` with the same pc. */
  readonly previousLine: number;
  readonly changes: readonly EntryChange[];
}

interface MutableFrame {
  entries: Map<string, StateEntry>;
  refs: number[];
  callback: boolean;
  asyncCallback: boolean;
}

type Frames = Map<number, MutableFrame>;

/** Checkpoints every this many lines of a long replay. */
const CHECKPOINT_EVERY = 2048;
/** At most this many checkpoints per log (each holds one state, a few dozen entries). */
const MAX_CHECKPOINTS = 4096;

interface Checkpoint {
  frames: Frames;
  baseLine: number | null;
  baseForm: StateLineForm | null;
}

const checkpointsByLog = new WeakMap<VerifierLines, Map<number, Checkpoint>>();

function checkpointsOf(lines: VerifierLines): Map<number, Checkpoint> {
  let map = checkpointsByLog.get(lines);
  if (!map) {
    map = new Map();
    checkpointsByLog.set(lines, map);
  }
  return map;
}

function copyFrames(frames: Frames): Frames {
  const copy: Frames = new Map();
  for (const [n, f] of frames) copy.set(n, { ...f, entries: new Map(f.entries), refs: [...f.refs] });
  return copy;
}

/** Lines that may hold state: instructions (tails, level 1's jump) and state lines. */
function mayHoldState(kind: number): boolean {
  return kind === LineKind.insn || kind === LineKind.state;
}

/** Lines that mark where the verifier is: a state-less instruction, a state, a pruned path, a new function. */
function isLandmark(kind: number): boolean {
  return (
    kind === LineKind.insn || kind === LineKind.state || kind === LineKind.prune || kind === LineKind.func
  );
}

function readStateLine(lines: VerifierLines, i: number): StateLine | null {
  if (!mayHoldState(lines.kinds[i])) return null;
  return parseStateLine(lines.text(i));
}

/** The frame a state text is about: its ` frameN:` marker, else 0. */
function frameOf(state: ParsedState): number {
  for (const item of state.items) if (item.kind === 'frame') return item.frame;
  return 0;
}

/**
 * Whether a parsed state line is a full state: a branch, a jump target, a
 * frame printed whole around a call, or the `N:` state that opens a pass
 * (nothing but prose before it since the last function line).
 */
function isFull(lines: VerifierLines, i: number, parsed: StateLine): boolean {
  if (parsed.form === 'branch' || parsed.form === 'jump' || parsed.form === 'bare') return true;
  if (parsed.form !== 'pc') return false;
  for (let j = i - 1; j >= 0; j--) {
    const kind = lines.kinds[j];
    if (kind === LineKind.func) return true;
    if (isLandmark(kind)) return false;
  }
  // Nothing before it: the log's first state is full only if it is the program's entry (a rotated log starts mid-path).
  return parsed.pc === 0;
}

function emptyFrame(): MutableFrame {
  return { entries: new Map(), refs: [], callback: false, asyncCallback: false };
}

/** Applies one state text: a full one replaces its frame (and drops deeper ones), a tail overwrites what it names. */
function apply(frames: Frames, parsed: StateLine, full: boolean): void {
  if (parsed.form === 'branch') frames.clear();
  const open = (n: number): MutableFrame => {
    if (full) {
      for (const k of [...frames.keys()]) if (k >= n) frames.delete(k);
      const fresh = emptyFrame();
      frames.set(n, fresh);
      return fresh;
    }
    const frame = frames.get(n) ?? emptyFrame();
    frames.set(n, frame);
    // refs and callback flags are printed with every state text of the frame: absent means none.
    frame.refs = [];
    frame.callback = false;
    frame.asyncCallback = false;
    return frame;
  };
  let frame: MutableFrame | null = null;
  for (const item of parsed.state.items) {
    if (item.kind === 'frame') {
      frame = open(item.frame);
      continue;
    }
    frame ??= open(0);
    if (item.kind === 'reg' || item.kind === 'slot') frame.entries.set(item.name, item);
    else if (item.kind === 'refs') frame.refs = [...item.ids];
    else if (item.kind === 'flag') {
      if (item.name === 'cb') frame.callback = true;
      else frame.asyncCallback = true;
    }
  }
  if (!frame && full) open(0);
}

function sortEntries(entries: Iterable<StateEntry>): StateEntry[] {
  return [...entries].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === 'reg' ? -1 : 1;
    return a.kind === 'reg' ? a.index - b.index : b.index - a.index;
  });
}

function freeze(frames: Frames): FrameState[] {
  return [...frames.keys()]
    .sort((a, b) => a - b)
    .map((n) => {
      const f = frames.get(n) as MutableFrame;
      return {
        frame: n,
        entries: sortEntries(f.entries.values()),
        refs: [...f.refs],
        callback: f.callback,
        asyncCallback: f.asyncCallback,
      };
    });
}

/**
 * For an instruction line without a tail: the `N:` line that carries its
 * tail when other output (precision backtracking, SCC notes) came between.
 */
function detachedTail(lines: VerifierLines, line: number): number | null {
  for (let j = line + 1; j < lines.lineCount; j++) {
    const kind = lines.kinds[j];
    if (!isLandmark(kind)) continue;
    if (kind !== LineKind.state) return null;
    const parsed = parseStateLine(lines.text(j));
    if (parsed?.form !== 'pc' || isFull(lines, j, parsed)) return null;
    return j;
  }
  return null;
}

/** The state in force at `line` (after its own state text, and after its instruction's detached tail). */
export function stateAt(lines: VerifierLines, line: number): StateAtLine {
  const last = Math.max(-1, Math.min(line, lines.lineCount - 1));
  const ownParsed = last >= 0 ? readStateLine(lines, last) : null;
  let changedAt: number | null = null;
  if (
    ownParsed &&
    (ownParsed.form === 'tail' || (ownParsed.form === 'pc' && !isFull(lines, last, ownParsed)))
  )
    changedAt = last;
  else if (!ownParsed && last >= 0 && lines.kinds[last] === LineKind.insn)
    changedAt = detachedTail(lines, last);
  const end = changedAt !== null && changedAt > last ? changedAt : last;

  // Walk back to a checkpoint or a full state of frame 0 (or a branch).
  const checkpoints = checkpointsOf(lines);
  const pending: { at: number; parsed: StateLine; full: boolean }[] = [];
  let base: Checkpoint | null = null;
  let baseLine: number | null = null;
  let baseForm: StateLineForm | null = null;
  for (let i = end; i >= 0; i--) {
    const parsed = readStateLine(lines, i);
    const full = parsed !== null && isFull(lines, i, parsed);
    if (parsed) pending.push({ at: i, parsed, full });
    if (parsed && full && (parsed.form === 'branch' || frameOf(parsed.state) === 0)) {
      baseLine = i;
      baseForm = parsed.form;
      break;
    }
    // A checkpoint at i holds the state after every line before i.
    const checkpoint = checkpoints.get(i);
    if (checkpoint) {
      base = checkpoint;
      baseLine = checkpoint.baseLine;
      baseForm = checkpoint.baseForm;
      break;
    }
  }

  const frames = base ? copyFrames(base.frames) : new Map<number, MutableFrame>();
  const startAt = pending.length > 0 ? pending[pending.length - 1].at : end;
  let nextCheckpoint = Math.ceil((startAt + 1) / CHECKPOINT_EVERY) * CHECKPOINT_EVERY;
  for (let k = pending.length - 1; k >= 0; k--) {
    const { at, parsed, full } = pending[k];
    // A long replay leaves the state at regular lines behind for the next question.
    while (at >= nextCheckpoint && pending.length > CHECKPOINT_EVERY / 8) {
      if (checkpoints.size < MAX_CHECKPOINTS && !checkpoints.has(nextCheckpoint))
        checkpoints.set(nextCheckpoint, { frames: copyFrames(frames), baseLine, baseForm });
      nextCheckpoint += CHECKPOINT_EVERY;
    }
    apply(frames, parsed, full);
  }

  const changedParsed =
    changedAt === null ? null : changedAt === last ? ownParsed : parseStateLine(lines.text(changedAt));
  const changed = changedParsed
    ? changedParsed.state.items.filter(
        (item): item is StateEntry & typeof item => item.kind === 'reg' || item.kind === 'slot',
      )
    : [];
  const pc = last >= 0 && lines.pcs[last] !== NO_PC ? lines.pcs[last] : null;
  return {
    line,
    pc,
    baseLine,
    baseForm,
    complete: baseLine !== null,
    frames: freeze(frames),
    changed,
    changedAt,
  };
}

/** The last instruction line before `line` with the same pc, or null. */
export function previousVisit(lines: VerifierLines, line: number): number | null {
  if (line < 0 || line >= lines.lineCount || lines.kinds[line] !== LineKind.insn) return null;
  const pc = lines.pcs[line];
  if (pc === NO_PC) return null;
  for (let i = line - 1; i >= 0; i--) if (lines.pcs[i] === pc && lines.kinds[i] === LineKind.insn) return i;
  return null;
}

/** Per register and slot, what differs between two states. */
export function diffStates(before: readonly FrameState[], after: readonly FrameState[]): EntryChange[] {
  const changes: EntryChange[] = [];
  const frameNumbers = [...new Set([...before.map((f) => f.frame), ...after.map((f) => f.frame)])].sort(
    (a, b) => a - b,
  );
  for (const frame of frameNumbers) {
    const was = new Map((before.find((f) => f.frame === frame)?.entries ?? []).map((e) => [e.name, e]));
    const now = new Map((after.find((f) => f.frame === frame)?.entries ?? []).map((e) => [e.name, e]));
    const names = sortEntries([...new Map([...was, ...now]).values()]).map((e) => e.name);
    for (const name of names) {
      const a = was.get(name)?.value.raw ?? null;
      const b = now.get(name)?.value.raw ?? null;
      if (a === b) continue;
      const change = a === null ? 'added' : b === null ? 'removed' : 'changed';
      changes.push({ frame, name, change, before: a, after: b });
    }
  }
  return changes;
}

/** How the state at an instruction line differs from the state at the previous visit of its pc. */
export function diffFromPreviousVisit(lines: VerifierLines, line: number): VisitDiff | null {
  const previousLine = previousVisit(lines, line);
  if (previousLine === null) return null;
  const before = stateAt(lines, previousLine);
  const after = stateAt(lines, line);
  return { line, pc: lines.pcs[line], previousLine, changes: diffStates(before.frames, after.frames) };
}
