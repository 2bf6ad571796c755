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

/**
 * An integer with thousands separators, as en-US writes it ("1,000,006").
 * Not toLocaleString: its first call loads ICU's number data, 70 ms of a
 * blocked main thread in Chromium, paid just as a log is dropped.
 */
export function formatCount(value: number): string {
  const rounded = Math.round(value);
  if (!Number.isSafeInteger(rounded)) return String(value);
  const digits = Math.abs(rounded).toString();
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return rounded < 0 ? `-${out}` : out;
}

/**
 * Sorted, distinct numbers as a list with runs of at least `minRun` written
 * as ranges: formatRanges([1, 7, 10, 11, 12], { minRun: 3 }) is "1,7,10-12".
 */
export function formatRanges(
  sorted: readonly number[],
  {
    minRun,
    separator,
    format = String,
  }: { minRun: number; separator: string; format?: (n: number) => string },
): string {
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j - i + 1 >= minRun) parts.push(`${format(sorted[i])}-${format(sorted[j])}`);
    else for (let k = i; k <= j; k++) parts.push(format(sorted[k]));
    i = j + 1;
  }
  return parts.join(separator);
}
