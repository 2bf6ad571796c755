/**
 * deflate-raw both ways over CompressionStream / DecompressionStream (the
 * page, the worker and Node 20 all have them), streamed in small slices so
 * inflation of untrusted input is bounded by what it actually produces.
 */
import { ByteBuilder } from './growable.ts';

/** The bytes as a stream of slices, handed out as the consumer pulls: no copy, and backpressure holds. */
function sliced(bytes: Uint8Array, slice: number, onClose?: () => void): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (at >= bytes.length) {
          onClose?.();
          controller.close();
          return;
        }
        controller.enqueue(bytes.subarray(at, at + slice));
        at += slice;
      },
    },
    { highWaterMark: 0 },
  );
}

export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const compressed = sliced(bytes, 1 << 20).pipeThrough(
    new CompressionStream('deflate-raw') as unknown as TransformStream<Uint8Array, Uint8Array>,
  );
  return new Uint8Array(
    await new Response(compressed as ReadableStream<Uint8Array<ArrayBuffer>>).arrayBuffer(),
  );
}

export type InflateStatus =
  /** The deflate stream ended; Node 20 ignores input after its end (find the end with deflateEnd). */
  | 'done'
  /**
   * The deflate stream ended before the input did and the engine refused the
   * rest (browsers do): output of the last step may be missing, so inflate the
   * input up to deflateEnd again.
   */
  | 'junk'
  /** The output would pass the limit: `size` is where it stopped. */
  | 'over'
  /** The input ended before the deflate stream did. */
  | 'cut'
  /** The data is not deflate. */
  | 'corrupt'
  /** `stop.stopped` was set. */
  | 'stopped';

export interface Inflated {
  status: InflateStatus;
  /** What was inflated before the status (empty when not kept). */
  bytes: Uint8Array<ArrayBuffer>;
  /** How many bytes were inflated, kept or not. */
  size: number;
  /** The decompressor's own words, for 'corrupt' and 'cut'. */
  message: string;
  /** 'corrupt' after salvage: how many input bytes inflate cleanly before the damage. */
  goodInput?: number;
}

export interface InflateOptions {
  /** The most output accepted; past it the status is 'over'. */
  limit: number;
  /** Keep the output (false: only count it). Default true. */
  keep?: boolean;
  /** Set `stopped` to give up early. */
  stop?: { stopped: boolean };
  /** Input slice size. Large slices are faster; what an error drops, inflateRawSalvaging recovers. */
  slice?: number;
}

/**
 * Inflates untrusted deflate-raw. Output grows from what arrives (ByteBuilder),
 * never from a size the input claims, and stops at `limit`: a small input
 * cannot make it allocate more than it has produced plus one chunk.
 */
export async function inflateRaw(input: Uint8Array, options: InflateOptions): Promise<Inflated> {
  const { limit, keep = true, stop, slice = 1 << 20 } = options;
  const out = new ByteBuilder(keep ? limit : 0);
  let size = 0;
  const reader = sliced(input, slice)
    .pipeThrough(new DecompressionStream('deflate-raw') as unknown as TransformStream<Uint8Array, Uint8Array>)
    .getReader();
  const result = (status: InflateStatus, message = ''): Inflated => ({
    status,
    bytes: out.bytes(),
    size,
    message,
  });
  try {
    for (;;) {
      if (stop?.stopped) {
        await reader.cancel().catch(() => {});
        return result('stopped');
      }
      const { done, value } = await reader.read();
      if (done) return result('done');
      if (size + value.length > limit) {
        if (keep) out.append(value);
        size = limit;
        await reader.cancel().catch(() => {});
        return result('over');
      }
      if (keep) out.append(value);
      size += value.length;
    }
  } catch (e) {
    const message = (e as Error)?.message || 'unreadable';
    const known = await engineMessages();
    return result(message === known.cut ? 'cut' : message === known.junk ? 'junk' : 'corrupt', message);
  }
}

let engineMessagesOnce: Promise<{ cut: string; junk: string | null }> | null = null;

/**
 * The words this engine's inflater uses for input that ends too soon and for
 * input after the end, learnt from streams known to be so (a stored block's
 * header alone; an empty final block and a spare byte). Engines word their
 * errors differently, and these two must be told from damage.
 */
function engineMessages(): Promise<{ cut: string; junk: string | null }> {
  const errorOf = async (bytes: Uint8Array) => {
    const reader = sliced(bytes, bytes.length)
      .pipeThrough(
        new DecompressionStream('deflate-raw') as unknown as TransformStream<Uint8Array, Uint8Array>,
      )
      .getReader();
    try {
      while (!(await reader.read()).done);
      return null;
    } catch (e) {
      return (e as Error)?.message || 'unreadable';
    }
  };
  engineMessagesOnce ??= (async () => ({
    cut: (await errorOf(Uint8Array.of(0x00))) ?? '',
    junk: await errorOf(Uint8Array.of(0x03, 0x00, 0x00)),
  }))();
  return engineMessagesOnce;
}

/**
 * inflateRaw, and when the data is damaged, every byte that inflates before
 * the damage. Engines drop the output they made in the step that failed (up
 * to 16 KiB in Node), so the longest input prefix that inflates cleanly (one
 * that is only cut short) is found by bisection and inflated on its own.
 */
export async function inflateRawSalvaging(input: Uint8Array, options: InflateOptions): Promise<Inflated> {
  const first = await inflateRaw(input, options);
  if (first.status !== 'corrupt' || options.keep === false) return first;
  const clean = async (length: number) => {
    const status = (await inflateRaw(input.subarray(0, length), { ...options, keep: false })).status;
    return status === 'cut' || status === 'done' || status === 'junk';
  };
  let good = 0; // inflates cleanly (an empty input is only cut)
  let bad = input.length; // does not
  while (bad - good > 1) {
    const mid = good + Math.floor((bad - good) / 2);
    if (await clean(mid)) good = mid;
    else bad = mid;
  }
  const salvaged = await inflateRaw(input.subarray(0, good), options);
  if (salvaged.size <= first.size) return { ...first, goodInput: good };
  return { ...salvaged, status: 'corrupt', message: first.message, goodInput: good };
}

/**
 * Where the deflate stream in `input` ends, given that inflating all of it
 * reaches the end ('done' or 'junk'): the shortest prefix that is not cut
 * short. `candidates` (likely ends, e.g. where a trailer seems to start) are
 * tried first; then bisection.
 */
export async function deflateEnd(
  input: Uint8Array,
  size: number,
  candidates: readonly number[],
): Promise<number> {
  const reachesEnd = async (length: number) => {
    if (length < 0 || length > input.length) return false;
    const { status } = await inflateRaw(input.subarray(0, length), { limit: size + 1, keep: false });
    return status === 'done' || status === 'junk';
  };
  for (const end of candidates) if ((await reachesEnd(end)) && !(await reachesEnd(end - 1))) return end;
  let low = 0; // cut short (a deflate stream is at least one byte)
  let high = input.length; // reaches the end
  while (high - low > 1) {
    const mid = low + Math.floor((high - low) / 2);
    if (await reachesEnd(mid)) high = mid;
    else low = mid;
  }
  return high;
}
