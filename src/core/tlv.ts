/**
 * The TLV walk (tlv-log-format.md 1.1) and byte-order detection (1.3).
 * Output is columnar: typed arrays of offsets, types and lengths over the
 * original bytes. No text is decoded here.
 */
import { firstNonZero, isAllZero, readU16, readU32 } from './bytes.ts';
import { diagnostic, formatCount, formatOffset } from './diagnostics.ts';
import type { ByteOrder, Diagnostic, TrailingSpace, TruncationVerdict } from './types.ts';

export const TLV_HEADER_SIZE = 6;
/** The kernel keeps this much at the end of the buffer for END (6 header + 2 count). */
export const TLV_END_RESERVE = 8;
export const TYPE_STRING = 1;
export const TYPE_END = 2;
/** END's count saturates here: it then means "at least 65535". */
export const END_COUNT_SATURATED = 0xffff;

export interface TlvEnd {
  /** Record number of END (always the last record). */
  index: number;
  offset: number;
  /** num_truncations; for a malformed END, the first two bytes of its contents (null if it has fewer). */
  count: number | null;
  wellFormed: boolean;
}

export interface TlvIndex {
  format: 'tlv';
  byteOrder: ByteOrder;
  size: number;
  /** Records decoded, END included. */
  count: number;
  offsets: Uint32Array;
  types: Uint16Array;
  lengths: Uint32Array;
  end: TlvEnd | null;
  /** Bytes after the last record: trailing space after END, or what could not be decoded. */
  trailing: TrailingSpace | null;
  /** STRING records whose contents end in a NUL, which is dropped from their text. */
  nulTerminatedStrings: number;
  diagnostics: Diagnostic[];
  /**
   * Only after TlvIndexBuilder.dropRecords (a summary's walk): the columns
   * hold records from this one on, and the types of those before are counted
   * in droppedTypeCounts. Never set on an index a DecodedLog holds.
   */
  firstRecord?: number;
  droppedTypeCounts?: Map<number, number>;
}

/** What is known while the bytes are still arriving. */
export interface TlvProgress {
  bytesRead: number;
  /** Records whose header and contents have all arrived: final, as are their columns. */
  count: number;
  offsets: Uint32Array;
  types: Uint16Array;
  lengths: Uint32Array;
  /** END once it has arrived (then nothing after it is a record). */
  end: TlvEnd | null;
  /** True once the walk has stopped for good: at END, or at zero-filled space. */
  stopped: boolean;
  /** Where it stopped (after END, or at the zero-filled space): the log's bytes end here. */
  stoppedAt: number | null;
}

/**
 * Walks a TLV buffer fed in chunks of any size, in order: `push(chunk)` as the
 * bytes arrive, `finish()` once they are all in. The result is exactly
 * `walkTlv` of the concatenated bytes (which is this builder fed one chunk).
 *
 * The builder keeps no chunk: a header or an END count split between chunks is
 * carried over in a few bytes of its own. While bytes arrive, `progress()`
 * gives the records complete so far. Provisional until finish(): a record whose
 * contents have not all arrived may yet overflow the buffer
 * (`length-overflow`), a missing END is only missing at the end, and so the
 * diagnostics and trailing space are only known then.
 */
export class TlvIndexBuilder {
  private readonly le: boolean;
  private size = 0;
  /**
   * The columns, plain typed arrays filled to `filled` and grown by doubling
   * all three at once: the walk keeps them in locals, one growth check a record.
   */
  private offsets: Uint32Array;
  private types: Uint16Array;
  private lengths: Uint32Array;
  private filled = 0;
  private readonly initialCapacity: number;
  /** Offset of the header being read or the record whose contents are arriving. */
  private offset = 0;
  /** A header split between chunks: its first `headerFill` bytes. */
  private readonly header = new Uint8Array(TLV_HEADER_SIZE);
  private headerFill = 0;
  /** The record whose header is read but whose contents have not all arrived (next = -1: none). */
  private pendingType = 0;
  private pendingLength = 0;
  private pendingNext = -1;
  /** END's first two content bytes, however they were split. */
  private readonly endCountBytes = new Uint8Array(2);
  private end: TlvEnd | null = null;
  /** Where the walk stopped for good (END's end, or zero-filled space), and whether a byte after it is non-zero. */
  private stopAt = -1;
  private nonZeroAfterStop = false;
  private nulTerminated = 0;
  private firstNulTerminated = -1;
  private result: TlvIndex | null = null;
  /** Records dropped by dropRecords(), and their types. */
  private firstRecord = 0;
  private droppedTypeCounts: Map<number, number> | null = null;

  /** `sizeHint`: the expected total, to size the columns once. */
  constructor(
    readonly byteOrder: ByteOrder,
    sizeHint = 1 << 20,
  ) {
    this.le = byteOrder === 'little';
    // Verifier messages average 20-60 bytes; start near that and grow if needed.
    const capacity = Math.min(Math.ceil(sizeHint / TLV_HEADER_SIZE) + 1, Math.ceil(sizeHint / 32) + 64);
    this.initialCapacity = capacity;
    // Allocated at the first record: the wrong byte order's walk usually completes none.
    this.offsets = new Uint32Array(0);
    this.types = new Uint16Array(0);
    this.lengths = new Uint32Array(0);
  }

  /** Records complete so far (END included). */
  get count(): number {
    return this.firstRecord + this.filled;
  }

  /** Doubles the columns' capacity (at least one more record). */
  private grow(): void {
    const capacity = Math.max(this.initialCapacity, 16, this.offsets.length * 2);
    const filled = this.filled;
    const offsets = new Uint32Array(capacity);
    offsets.set(this.offsets.subarray(0, filled));
    this.offsets = offsets;
    const types = new Uint16Array(capacity);
    types.set(this.types.subarray(0, filled));
    this.types = types;
    const lengths = new Uint32Array(capacity);
    lengths.set(this.lengths.subarray(0, filled));
    this.lengths = lengths;
  }

  /**
   * For a consumer that needs counts, not columns (a summary of a 1 GiB
   * buffer): forgets all but the last `keep` records' columns, counting their
   * types first. The index finish() returns then holds columns from record
   * `firstRecord` on, and `droppedTypeCounts` for the records before.
   */
  dropRecords(keep: number): void {
    const total = this.filled;
    const drop = Math.max(0, total - keep);
    if (drop === 0) return;
    const types = this.types;
    this.droppedTypeCounts ??= new Map();
    const counts = this.droppedTypeCounts;
    for (let i = 0; i < drop; i++) counts.set(types[i], (counts.get(types[i]) ?? 0) + 1);
    this.offsets.copyWithin(0, drop, total);
    this.types.copyWithin(0, drop, total);
    this.lengths.copyWithin(0, drop, total);
    this.filled = total - drop;
    this.firstRecord += drop;
  }

  /** True once END or zero-filled space has been read: no byte after can change the records. */
  get stopped(): boolean {
    return this.stopAt >= 0;
  }

  /** END, once it has arrived. */
  get endRecord(): TlvEnd | null {
    return this.end;
  }

  push(chunk: Uint8Array): void {
    if (this.result) throw new Error('TlvIndexBuilder: push after finish');
    const length = chunk.length;
    if (length === 0) return;
    const base = this.size;
    this.size = base + length;
    if (this.stopAt >= 0) {
      this.noteAfterStop(chunk, 0);
      return;
    }
    let at = 0; // where in the chunk the next header starts
    if (this.headerFill > 0) {
      const take = Math.min(TLV_HEADER_SIZE - this.headerFill, length);
      this.header.set(chunk.subarray(0, take), this.headerFill);
      this.headerFill += take;
      if (this.headerFill < TLV_HEADER_SIZE) return;
      this.headerFill = 0;
      const h = this.header;
      const type = this.le ? h[0] | (h[1] << 8) : (h[0] << 8) | h[1];
      const len = readU32(h, 2, this.le);
      this.pendingType = type;
      this.pendingLength = len;
      this.pendingNext = this.offset + TLV_HEADER_SIZE + len;
      if (type === 0 && len === 0) {
        this.stop(this.offset, chunk, take);
        return;
      }
    }
    if (this.pendingNext >= 0) {
      const next = this.pendingNext;
      if (this.pendingType === TYPE_END) this.captureEndCount(chunk, base);
      if (next > this.size) return;
      this.pendingNext = -1;
      const last = next - 1 - base;
      if (this.complete(this.offset, this.pendingType, this.pendingLength, last >= 0 ? chunk[last] : -1)) {
        this.stop(next, chunk, next - base);
        return;
      }
      this.offset = next;
      at = next - base;
    }
    this.walk(chunk, base, at);
  }

  /**
   * The walk over one chunk from a header boundary: the hot loop, for records
   * wholly inside the chunk. Columns and counters live in locals and are
   * written back (save()) before any other method runs.
   */
  private walk(bytes: Uint8Array, base: number, from: number): void {
    const le = this.le;
    const size = bytes.length;
    let offsets = this.offsets;
    let types = this.types;
    let lengths = this.lengths;
    let capacity = offsets.length;
    let filled = this.filled;
    let nulTerminated = 0;
    let firstNulTerminated = -1;
    let at = from;
    for (;;) {
      if (size - at < TLV_HEADER_SIZE) {
        this.save(filled, nulTerminated, firstNulTerminated);
        this.offset = base + at;
        this.header.set(bytes.subarray(at));
        this.headerFill = size - at;
        return;
      }
      let type: number;
      let len: number;
      if (le) {
        type = bytes[at] | (bytes[at + 1] << 8);
        len = (bytes[at + 2] | (bytes[at + 3] << 8) | (bytes[at + 4] << 16) | (bytes[at + 5] << 24)) >>> 0;
      } else {
        type = (bytes[at] << 8) | bytes[at + 1];
        len = ((bytes[at + 2] << 24) | (bytes[at + 3] << 16) | (bytes[at + 4] << 8) | bytes[at + 5]) >>> 0;
      }
      const next = at + TLV_HEADER_SIZE + len;
      if (type === 0 && len === 0) {
        this.save(filled, nulTerminated, firstNulTerminated);
        this.stop(base + at, bytes, next);
        return;
      }
      if (next > size || type === TYPE_END) {
        // Contents still to come, or END (its count may be split): the careful path.
        this.save(filled, nulTerminated, firstNulTerminated);
        this.offset = base + at;
        this.pendingType = type;
        this.pendingLength = len;
        this.pendingNext = base + next;
        if (type === TYPE_END) this.captureEndCount(bytes, base);
        if (next > size) return;
        this.pendingNext = -1;
        this.complete(base + at, type, len, bytes[next - 1]);
        this.stop(base + next, bytes, next);
        return;
      }
      if (filled === capacity) {
        this.filled = filled;
        this.grow();
        offsets = this.offsets;
        types = this.types;
        lengths = this.lengths;
        capacity = offsets.length;
      }
      offsets[filled] = base + at;
      types[filled] = type;
      lengths[filled] = len;
      filled++;
      if (type === TYPE_STRING && len > 0 && bytes[next - 1] === 0) {
        if (nulTerminated === 0) firstNulTerminated = base + at;
        nulTerminated++;
      }
      at = next;
    }
  }

  /** Writes back what walk() kept in locals: records filled, and the NUL-terminated STRINGs it met. */
  private save(filled: number, nulTerminated: number, firstNulTerminated: number): void {
    this.filled = filled;
    if (nulTerminated === 0) return;
    if (this.nulTerminated === 0) this.firstNulTerminated = firstNulTerminated;
    this.nulTerminated += nulTerminated;
  }

  /** Adds a record whose contents have all arrived; true when it is END (the walk stops). */
  private complete(offset: number, type: number, len: number, lastByte: number): boolean {
    if (this.filled === this.offsets.length) this.grow();
    const i = this.filled++;
    this.offsets[i] = offset;
    this.types[i] = type;
    this.lengths[i] = len;
    if (type === TYPE_END) {
      const count = len >= 2 ? readU16(this.endCountBytes, 0, this.le) : null;
      this.end = { index: this.count - 1, offset, count, wellFormed: len === 2 };
      return true;
    }
    if (type === TYPE_STRING && len > 0 && lastByte === 0) this.noteNulTerminated(offset);
    return false;
  }

  private noteNulTerminated(offset: number): void {
    if (this.nulTerminated === 0) this.firstNulTerminated = offset;
    this.nulTerminated++;
  }

  /** Copies the part of END's first two content bytes that lies in this chunk. */
  private captureEndCount(bytes: Uint8Array, base: number): void {
    const countAt = this.offset + TLV_HEADER_SIZE;
    for (let k = 0; k < 2; k++) {
      const local = countAt + k - base;
      if (local >= 0 && local < bytes.length) this.endCountBytes[k] = bytes[local];
    }
  }

  /** The walk stops for good at `offset`; bytes from chunk[from] on are after the stop. */
  private stop(offset: number, bytes: Uint8Array, from: number): void {
    this.stopAt = offset;
    this.noteAfterStop(bytes, Math.min(from, bytes.length));
  }

  private noteAfterStop(bytes: Uint8Array, from: number): void {
    if (!this.nonZeroAfterStop && firstNonZero(bytes, from, bytes.length) >= 0) this.nonZeroAfterStop = true;
  }

  /** Records complete so far. See TlvProgress. */
  progress(): TlvProgress {
    return {
      bytesRead: this.size,
      count: this.count,
      offsets: this.offsets.subarray(0, this.filled),
      types: this.types.subarray(0, this.filled),
      lengths: this.lengths.subarray(0, this.filled),
      end: this.end,
      stopped: this.stopAt >= 0,
      stoppedAt: this.stopAt >= 0 ? this.stopAt : null,
    };
  }

  /** The index of everything pushed. Call once, after the last chunk. Never throws. */
  finish(): TlvIndex {
    if (this.result) return this.result;
    const size = this.size;
    const diagnostics: Diagnostic[] = [];
    let trailing: TrailingSpace | null = null;
    const end = this.end;
    if (end) {
      if (!end.wellFormed) {
        const len = this.lengths[end.index - this.firstRecord];
        diagnostics.push(
          diagnostic(
            'malformed-end',
            'warning',
            end.offset,
            `END at ${formatOffset(end.offset)} has ${len} bytes of contents instead of 2${end.count === null ? '' : `; its count reads as ${end.count}`}.`,
          ),
        );
      }
      if (this.stopAt < size) trailing = trailingSpace(this.stopAt, size, !this.nonZeroAfterStop);
    } else if (this.stopAt >= 0) {
      const offset = this.stopAt;
      diagnostics.push(
        diagnostic(
          'missing-end',
          'error',
          offset,
          `Zero-filled space at ${formatOffset(offset)} where a message or END should be: no END record. The log may be incomplete.`,
        ),
      );
      // The six header bytes are zero; what follows them decides.
      trailing = trailingSpace(offset, size, !this.nonZeroAfterStop);
    } else if (this.pendingNext >= 0) {
      const offset = this.offset;
      diagnostics.push(
        diagnostic(
          'length-overflow',
          'error',
          offset,
          `The header at ${formatOffset(offset)} (type ${this.pendingType}) claims ${this.pendingLength} bytes, but only ${size - offset - TLV_HEADER_SIZE} remain. Decoding stopped; the rest is shown raw.`,
        ),
      );
      // Not zero: a header with a length that overflows has a non-zero length.
      trailing = trailingSpace(offset, size, false);
    } else if (this.headerFill > 0) {
      const offset = this.offset;
      diagnostics.push(
        diagnostic(
          'truncated-header',
          'error',
          offset,
          `Only ${size - offset} byte(s) remain at ${formatOffset(offset)}: too few for a 6-byte header. No END record; the log may be incomplete.`,
        ),
      );
      trailing = trailingSpace(offset, size, isAllZero(this.header, 0, this.headerFill));
    } else {
      diagnostics.push(
        diagnostic(
          'missing-end',
          'error',
          size,
          size === 0
            ? 'The buffer is empty.'
            : 'No END record: the buffer was cut short or was not written in TLV mode. The log may be incomplete.',
        ),
      );
    }
    if (this.nulTerminated > 0) {
      const first = this.firstNulTerminated;
      diagnostics.push(
        diagnostic(
          'nul-terminated',
          'info',
          first,
          `${this.nulTerminated} STRING record(s) end in a NUL byte (first at ${formatOffset(first)}); it is dropped from their text.`,
        ),
      );
    }
    if (end && trailing && !trailing.allZero) {
      diagnostics.push(
        diagnostic(
          'trailing-data',
          'info',
          trailing.offset,
          `${trailing.length} byte(s) after END are not all zero. They are not part of the log (left over in the buffer) and are not decoded.`,
        ),
      );
    }
    const count = this.count;
    this.result = {
      format: 'tlv',
      byteOrder: this.byteOrder,
      size,
      count,
      offsets: this.offsets.subarray(0, this.filled),
      types: this.types.subarray(0, this.filled),
      lengths: this.lengths.subarray(0, this.filled),
      end,
      trailing,
      nulTerminatedStrings: this.nulTerminated,
      diagnostics,
    };
    if (this.firstRecord > 0) {
      this.result.firstRecord = this.firstRecord;
      this.result.droppedTypeCounts = this.droppedTypeCounts ?? new Map();
    }
    return this.result;
  }
}

function trailingSpace(offset: number, size: number, allZero: boolean): TrailingSpace | null {
  return offset >= size ? null : { offset, length: size - offset, allZero };
}

/**
 * Walks a TLV buffer held whole: the builder fed one chunk. Never throws:
 * every problem becomes a diagnostic with its byte offset, and every record
 * before it is kept.
 */
export function walkTlv(bytes: Uint8Array, byteOrder: ByteOrder): TlvIndex {
  const builder = new TlvIndexBuilder(byteOrder, bytes.length);
  builder.push(bytes);
  return builder.finish();
}

type WalkOutcome = 'end' | 'malformed-end' | 'stopped';

function outcomeOf(builder: TlvIndexBuilder): WalkOutcome {
  const end = builder.endRecord;
  return end ? (end.wellFormed ? 'end' : 'malformed-end') : 'stopped';
}

/** Which walk wins (tlv-log-format.md 1.3): the one ending at a well-formed END, then the one with more records, then little-endian. */
function better(
  le: { records: number; outcome: WalkOutcome },
  be: { records: number; outcome: WalkOutcome },
): ByteOrder {
  const leEnd = le.outcome === 'end';
  const beEnd = be.outcome === 'end';
  if (leEnd !== beEnd) return leEnd ? 'little' : 'big';
  return be.records > le.records ? 'big' : 'little';
}

/**
 * Byte order by the rule of tlv-log-format.md 1.3 on a buffer fed in chunks:
 * both walks run side by side, and the index of the winner is the result, so
 * the buffer is walked once in the right order. In the wrong order a length is
 * thousands of times too large: that walk waits for contents that never
 * come, which costs nothing, and is dropped as soon as the other has more
 * records than it can ever reach.
 *
 * Provisional until finish(): `leader()` is the order that would win if the
 * buffer ended now; a walk waiting for a huge record may still complete it.
 */
export class TlvByteOrderChooser {
  private little: TlvIndexBuilder | null;
  private big: TlvIndexBuilder | null;

  constructor(sizeHint?: number) {
    this.little = new TlvIndexBuilder('little', sizeHint);
    this.big = new TlvIndexBuilder('big', sizeHint);
  }

  push(chunk: Uint8Array): void {
    this.little?.push(chunk);
    this.big?.push(chunk);
    this.prune();
  }

  /** Drops a walk that has stopped and can no longer win, whatever the rest of the buffer holds. */
  private prune(): void {
    const le = this.little;
    const be = this.big;
    if (!le || !be) return;
    const loses = (done: TlvIndexBuilder, other: TlvIndexBuilder, otherIsLittle: boolean) =>
      done.stopped &&
      outcomeOf(done) !== 'end' &&
      (other.count > done.count || (otherIsLittle && other.count === done.count));
    if (loses(le, be, false)) this.little = null;
    else if (loses(be, le, true)) this.big = null;
  }

  dropRecords(keep: number): void {
    this.little?.dropRecords(keep);
    this.big?.dropRecords(keep);
  }

  /** True once one walk has been ruled out: no later byte can change the order. */
  get decided(): boolean {
    return !this.little || !this.big;
  }

  /** The walk that would win if the buffer ended here. */
  leader(): TlvIndexBuilder {
    const le = this.little;
    const be = this.big;
    if (!le) return be as TlvIndexBuilder;
    if (!be) return le;
    const lead = better(
      { records: le.count, outcome: outcomeOf(le) },
      { records: be.count, outcome: outcomeOf(be) },
    );
    return lead === 'little' ? le : be;
  }

  finish(): TlvIndex {
    const le = this.little?.finish();
    const be = this.big?.finish();
    if (!le) return be as TlvIndex;
    if (!be) return le;
    const walk = (index: TlvIndex) => ({
      records: index.count,
      outcome: (index.end ? (index.end.wellFormed ? 'end' : 'malformed-end') : 'stopped') as WalkOutcome,
    });
    return better(walk(le), walk(be)) === 'little' ? le : be;
  }
}

/** Byte order by the rule of tlv-log-format.md 1.3, for a buffer held whole. */
export function detectByteOrder(bytes: Uint8Array): ByteOrder {
  const chooser = new TlvByteOrderChooser(bytes.length);
  chooser.push(bytes);
  return chooser.finish().byteOrder;
}

/** The truncation verdict of a TLV walk: END's count, or no END at all. */
export function tlvVerdict(index: TlvIndex): TruncationVerdict {
  const base = { dropped: null, saturated: false, mode: null, rewound: false } as const;
  const end = index.end;
  if (!end) {
    const stop = index.diagnostics.find((d) => d.severity === 'error');
    const detail =
      stop && stop.code !== 'missing-end' ? ` Decoding stopped at byte ${stop.offset} (${stop.code}).` : '';
    return {
      ...base,
      truncated: true,
      message: `No END record: the buffer was cut short or not written in TLV mode, so the log may be incomplete.${detail}`,
    };
  }
  const count = end.count ?? 0;
  const malformed = end.wellFormed ? '' : ' (END is malformed, so this count is suspect)';
  if (count === 0) {
    return end.wellFormed
      ? { ...base, truncated: false, message: 'Complete: END reports no dropped messages.' }
      : { ...base, truncated: false, message: 'END is malformed; it reports no dropped messages.' };
  }
  const saturated = count === END_COUNT_SATURATED;
  const n = formatCount(count);
  return {
    ...base,
    truncated: true,
    dropped: count,
    saturated,
    message: saturated
      ? `At least ${n} messages were dropped: the buffer (${formatCount(index.size)} bytes) was too small${malformed}.`
      : `${n} message${count === 1 ? ' was' : 's were'} dropped: the buffer (${formatCount(index.size)} bytes) was too small${malformed}.`,
  };
}
