/**
 * Transparent gzip input. Uses DecompressionStream, which the page, the
 * worker and Node 20 all have. The output is capped: a small file can inflate
 * to gigabytes.
 */
import { diagnostic, formatCount, formatOffset } from './diagnostics.ts';
import type { Diagnostic } from './types.ts';

/** Default cap on decompressed size: larger than any log_size a loader uses (the kernel allows up to 4 GiB - 1, libbpf uses 16 MiB). */
export const DEFAULT_MAX_DECOMPRESSED = 1 << 30;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08;
}

export interface GunzipResult {
  bytes: Uint8Array<ArrayBuffer>;
  /** Non-empty when the stream was corrupt or past the cap; `bytes` then holds what was decompressed before. */
  diagnostics: Diagnostic[];
}

export async function gunzip(input: Uint8Array, maxSize = DEFAULT_MAX_DECOMPRESSED): Promise<GunzipResult> {
  // ISIZE (the last 4 bytes) is the size mod 2^32: a hint for one allocation, never trusted.
  const hint =
    input.length >= 18
      ? (input[input.length - 4] |
          (input[input.length - 3] << 8) |
          (input[input.length - 2] << 16) |
          (input[input.length - 1] << 24)) >>>
        0
      : 0;
  let out = new Uint8Array(Math.min(Math.max(hint, input.length * 4, 1024), maxSize));
  let size = 0;
  const diagnostics: Diagnostic[] = [];
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(input);
      controller.close();
    },
  });
  const reader = source
    .pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>)
    .getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.length > maxSize) {
        const fits = maxSize - size;
        if (out.length < maxSize) out = grow(out, size, maxSize);
        out.set(value.subarray(0, fits), size);
        size = maxSize;
        diagnostics.push(
          diagnostic(
            'gzip-too-large',
            'error',
            size,
            `The file decompresses to more than ${formatCount(maxSize)} bytes, the most this inspector reads; only the first ${formatCount(maxSize)} are shown.`,
          ),
        );
        await reader.cancel().catch(() => {});
        break;
      }
      if (size + value.length > out.length)
        out = grow(out, size, Math.min(maxSize, Math.max(out.length * 2, size + value.length)));
      out.set(value, size);
      size += value.length;
    }
  } catch (e) {
    diagnostics.push(
      diagnostic(
        'gzip-corrupt',
        'error',
        size,
        `The gzip stream is damaged (${(e as Error).message || 'unreadable'}); the ${formatCount(size)} bytes decompressed before ${formatOffset(size)} are shown.`,
      ),
    );
  }
  return { bytes: size === out.length ? out : out.slice(0, size), diagnostics };
}

function grow(buffer: Uint8Array<ArrayBuffer>, used: number, capacity: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(capacity);
  next.set(buffer.subarray(0, used));
  return next;
}
