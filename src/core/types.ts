/** Shared vocabulary of the core: formats, byte orders, diagnostics, verdicts. */

export type LogFormat = 'tlv' | 'text';
export type ByteOrder = 'little' | 'big';
export type Severity = 'error' | 'warning' | 'info';

/**
 * Stable diagnostic codes. The first five come from the format contract
 * (tlv-log-format.md 1.1); the rest are this project's, for things a user
 * should be told about but that do not stop the decoder.
 */
export type DiagnosticCode =
  | 'empty'
  | 'truncated-header'
  | 'length-overflow'
  | 'malformed-end'
  | 'missing-end'
  | 'nul-terminated'
  | 'trailing-data'
  | 'log-rewound'
  | 'no-terminator'
  | 'binary-text'
  | 'gzip-corrupt'
  | 'gzip-truncated'
  | 'gzip-bad-crc'
  | 'gzip-bad-size'
  | 'gzip-trailing-data'
  | 'gzip-second-member'
  | 'gzip-too-large'
  | 'file-too-large';

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** Byte offset in the (decompressed) buffer the problem is at. */
  offset: number;
  message: string;
}

/** A span of bytes after the last decoded record (or after a text log's NUL). */
export interface TrailingSpace {
  offset: number;
  length: number;
  allZero: boolean;
}

export type TruncationMode = 'rotating' | 'fixed';

export interface TruncationVerdict {
  truncated: boolean;
  /** Messages the kernel said it dropped (TLV END count); null when unknown or for text. */
  dropped: number | null;
  /** True when `dropped` is the saturated 65535: at least that many. */
  saturated: boolean;
  /** Text logs: which part the kernel kept. Null when not truncated, for TLV, or when it cannot be told. */
  mode: TruncationMode | null;
  /** Text logs: the log overflowed and the kernel rewound it, so its mode cannot be told. */
  rewound: boolean;
  /** One sentence for a person. */
  message: string;
}
