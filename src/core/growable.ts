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
