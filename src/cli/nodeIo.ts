/** The CLI's Node I/O: files read as streams, gunzipped by zlib on the way. */
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { FileStream } from './main.ts';

export async function readWholeFile(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}

/** Opens a file as a stream of its (gunzipped) bytes. Rejects when it cannot be opened. */
export async function openFileStream(path: string): Promise<FileStream> {
  const handle = await open(path, 'r');
  let gzipped = false;
  let fileSize = 0;
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    fileSize = stat.size;
    const magic = Buffer.alloc(3);
    const { bytesRead } = await handle.read(magic, 0, 3, 0);
    gzipped = bytesRead === 3 && magic[0] === 0x1f && magic[1] === 0x8b && magic[2] === 0x08;
  } finally {
    await handle.close();
  }
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const source = gzipped ? file.pipe(createGunzip({ chunkSize: 1 << 20 })) : file;
  // zlib does not forward the file's errors: pass them on.
  if (gzipped) file.on('error', (e) => source.destroy(e));
  return {
    fileSize,
    gzipped,
    chunks: source as AsyncIterable<Uint8Array>,
    close: () => {
      source.destroy();
      file.destroy();
    },
  };
}
