import type { Diagnostic, DiagnosticCode, Severity } from './types.ts';

export function diagnostic(
  code: DiagnosticCode,
  severity: Severity,
  offset: number,
  message: string,
): Diagnostic {
  return { code, severity, offset, message };
}

/** Errors and warnings: the things that make a log incomplete or suspect. Info is not a problem. */
export function problems(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity !== 'info');
}

export function formatOffset(offset: number): string {
  return `0x${offset.toString(16).padStart(8, '0')}`;
}
