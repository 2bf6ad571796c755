#!/usr/bin/env node
/** The `bpflog` executable: Node I/O around main(). */
import { main } from './main.ts';
import { openFileStream, readWholeFile } from './nodeIo.ts';

const exitCode = await main(process.argv.slice(2), {
  readFile: readWholeFile,
  openStream: openFileStream,
  write: (text) =>
    new Promise<void>((resolve, reject) => {
      process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
    }),
  error: (text) => process.stderr.write(`${text}\n`),
});
process.exitCode = exitCode;
