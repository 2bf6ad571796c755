#!/usr/bin/env node
/** The `bpflog` executable: Node I/O around main(). */
import { readFile } from 'node:fs/promises';
import { main } from './main.ts';

const exitCode = await main(process.argv.slice(2), {
  readFile: async (path) => new Uint8Array(await readFile(path)),
  write: (text) =>
    new Promise<void>((resolve, reject) => {
      process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
    }),
  error: (text) => process.stderr.write(`${text}\n`),
});
process.exitCode = exitCode;
