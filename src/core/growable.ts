/**
 * Typed arrays that grow by doubling: the one growth loop the columnar
 * indexes share. `view()` is the filled part, no copy.
 */
type UintArray = Uint8Array | Uint16Array | Uint32Array | Int32Array;
type UintArrayCtor<T extends UintArray> = { new (length: number): T };

export class Growable<T extends UintArray> {
  private array: T;
  length = 0;

  constructor(
    private readonly ctor: UintArrayCtor<T>,
    initialCapacity = 16,
  ) {
    this.array = new ctor(Math.max(1, initialCapacity));
  }

  /** Makes room for `extra` more values. Call before a run of `pushUnchecked`. */
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.array.length) return;
    let capacity = this.array.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new this.ctor(capacity);
    grown.set(this.array.subarray(0, this.length) as never);
    this.array = grown;
  }

  push(value: number): void {
    if (this.length === this.array.length) this.reserve(1);
    this.array[this.length++] = value;
  }

  /** Push after `reserve`: the hot loops' path. */
  pushUnchecked(value: number): void {
    this.array[this.length++] = value;
  }

  get(i: number): number {
    return this.array[i];
  }

  set(i: number, value: number): void {
    this.array[i] = value;
  }

  /** The filled part, sharing memory with the builder until it grows again. */
  view(): T {
    return this.array.subarray(0, this.length) as T;
  }
}

export const growableU32 = (capacity?: number) => new Growable(Uint32Array, capacity);
export const growableI32 = (capacity?: number) => new Growable(Int32Array, capacity);
export const growableU8 = (capacity?: number) => new Growable(Uint8Array, capacity);

/**
 * Bytes gathered from chunks (an inflater's output), grown by doubling from
 * what has actually arrived, never from what the input claims. Capacity stays
 * below max(initial, 2 × length, length + last chunk) and never passes `limit`.
 */
export class ByteBuilder {
  private buffer: Uint8Array<ArrayBuffer>;
  length = 0;

  constructor(
    /** The most bytes it will hold: append refuses what would pass it. */
    readonly limit: number,
    initialCapacity = 64 * 1024,
  ) {
    this.buffer = this.allocate(Math.min(limit, initialCapacity));
  }

  get capacity(): number {
    return this.buffer.length;
  }

  /**
   * Appends as much of `chunk` as fits under the limit; returns false when
   * some of it did not fit (the builder then holds exactly `limit` bytes).
   */
  append(chunk: Uint8Array): boolean {
    const fits = Math.min(chunk.length, this.limit - this.length);
    const needed = this.length + fits;
    if (needed > this.buffer.length) {
      const grown = this.allocate(Math.min(this.limit, Math.max(this.buffer.length * 2, needed)));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(fits === chunk.length ? chunk : chunk.subarray(0, fits), this.length);
    this.length = needed;
    return fits === chunk.length;
  }

  /** The bytes gathered, in a buffer of exactly that size (copied only when capacity is spare). */
  bytes(): Uint8Array<ArrayBuffer> {
    return this.length === this.buffer.length ? this.buffer : this.buffer.slice(0, this.length);
  }

  /** Every buffer the builder holds comes from here: the one place tests watch allocations. */
  allocate(size: number): Uint8Array<ArrayBuffer> {
    return new Uint8Array(size);
  }
}
