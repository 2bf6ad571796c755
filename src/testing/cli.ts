/** Runs the bpflog CLI in-process, capturing what it prints. */
import { readFile } from 'node:fs/promises';
import { main } from '../cli/main.ts';

export async function runCli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await main(args, {
    readFile: async (path) => new Uint8Array(await readFile(path)),
    write: async (text) => {
      stdout += text;
    },
    error: (text) => {
      stderr += `${text}\n`;
    },
  });
  return { status, stdout, stderr };
}
