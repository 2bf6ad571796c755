/** Test helpers: the corpus copied into src/core/__fixtures__, so the tests run in a clone with nothing beside it. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'core', '__fixtures__');

/** A fixture's bytes, gunzipped by Node's zlib (independent of the core's own gunzip). */
export function fixtureBytes(relative: string): Uint8Array {
  const raw = readFileSync(join(FIXTURES, relative));
  return new Uint8Array(relative.endsWith('.gz') ? gunzipSync(raw) : raw);
}

export function fixtureRaw(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, relative)));
}

export interface KernelCase {
  file: string;
  command: string;
  program: string;
  log_level: number;
  log_size: number;
  prefill: number;
  result: { errno: number; error: string; log_true_size?: number };
}

export function kernelManifest(): KernelCase[] {
  return JSON.parse(readFileSync(join(FIXTURES, 'kernel', 'manifest.json'), 'utf8'));
}

export interface TlvTruth {
  name: string;
  binFile: string;
  big_endian: boolean;
  log_size: number;
  records: { type: number; offset: number; len: number }[];
  end_offset: number | null;
  end_count: number | null;
  diagnostic?: string | null;
  dropped?: number;
}

export function tlvCases(): TlvTruth[] {
  const dir = join(FIXTURES, 'tlv');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') || f.endsWith('.json.gz'))
    .sort()
    .map((f) => {
      const name = f.replace(/\.json(\.gz)?$/, '');
      const gz = f.endsWith('.gz');
      const json = gz
        ? gunzipSync(readFileSync(join(dir, f))).toString('utf8')
        : readFileSync(join(dir, f), 'utf8');
      return { ...JSON.parse(json), name, binFile: `tlv/${name}.bin${gz ? '.gz' : ''}` };
    });
}

/**
 * A corpus log as libbpf reports a failed load: the kernel's text between
 * libbpf's BEGIN and END markers, with libbpf's and the loader's own lines
 * around it (libbpf's print format, no NUL: a saved terminal copy).
 */
export function libbpfReport(kernelFile: string, program: string): Uint8Array {
  const raw = fixtureBytes(`kernel/${kernelFile}`);
  const log = new TextDecoder().decode(raw.subarray(0, raw.indexOf(0)));
  return new TextEncoder().encode(
    `libbpf: prog '${program}': BPF program load failed: Permission denied\n` +
      `libbpf: prog '${program}': -- BEGIN PROG LOAD LOG --\n` +
      log +
      '-- END PROG LOAD LOG --\n' +
      `libbpf: prog '${program}': failed to load: -13\n` +
      "libbpf: failed to load object 'progs_bpf'\n" +
      "libbpf: failed to load BPF skeleton 'progs_bpf': -13\n" +
      'Failed to load and verify BPF skeleton\n',
  );
}
