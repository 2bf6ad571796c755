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
 * Bytes gathered from chunks (an inflater's output), kept as the chunks that
 * arrived and joined once at the end: memory follows what has actually
 * arrived, never what the input claims, and each byte is copied once.
 */
export class ByteBuilder {
  private chunks: Uint8Array[] = [];
  length = 0;

  constructor(
    /** The most bytes it will hold: append refuses what would pass it. */
    readonly limit: number,
  ) {}

  /**
   * Appends as much of `chunk` as fits under the limit (keeping a reference:
   * the caller must not reuse it); returns false when some of it did not fit.
   */
  append(chunk: Uint8Array): boolean {
    const fits = Math.min(chunk.length, this.limit - this.length);
    if (fits > 0) this.chunks.push(fits === chunk.length ? chunk : chunk.subarray(0, fits));
    this.length += fits;
    return fits === chunk.length;
  }

  /** The bytes gathered, in one buffer of exactly that size. */
  bytes(): Uint8Array<ArrayBuffer> {
    const chunks = this.chunks;
    if (
      chunks.length === 1 &&
      chunks[0].byteOffset === 0 &&
      chunks[0].buffer instanceof ArrayBuffer &&
      chunks[0].buffer.byteLength === this.length
    )
      return chunks[0] as Uint8Array<ArrayBuffer>;
    const out = this.allocate(this.length);
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    this.chunks = out.length > 0 ? [out] : [];
    return out;
  }

  /** Every buffer the builder makes comes from here: the one place tests watch allocations. */
  allocate(size: number): Uint8Array<ArrayBuffer> {
    return new Uint8Array(size);
  }
}
