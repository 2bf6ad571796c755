/** Runs the bpflog CLI in-process, capturing what it prints. */
import { main } from '../cli/main.ts';
import { openFileStream, readWholeFile } from '../cli/nodeIo.ts';

export async function runCli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await main(args, {
    readFile: readWholeFile,
    openStream: openFileStream,
    write: async (text) => {
      stdout += text;
    },
    error: (text) => {
      stderr += `${text}\n`;
    },
  });
  return { status, stdout, stderr };
}
