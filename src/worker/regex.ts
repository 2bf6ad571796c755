/**
 * Regex search patterns, compiled with RE2 (re2js): matching runs in time
 * linear in the text, so no pattern, typed or from a link, can hang the
 * worker. What RE2 leaves out (backreferences, lookaround) is refused with a
 * message that says so, rather than searched for differently.
 */
import { RE2JS } from 're2js';
import { REGEX_SYNTAX_NOTE } from './protocol.ts';

/** Longer patterns are refused before compiling: RE2's program grows with the pattern. */
export const MAX_PATTERN_LENGTH = 2000;

export type CompiledPattern = { ok: true; test: (text: string) => boolean } | { ok: false; error: string };

export function compilePattern(pattern: string): CompiledPattern {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return { ok: false, error: `The pattern is longer than ${MAX_PATTERN_LENGTH} characters.` };
  if (/\\[1-9]|\\k<|\\g\{?\d/.test(pattern))
    return {
      ok: false,
      error: `Backreferences (\\1, \\k<name>) are not supported: search uses ${REGEX_SYNTAX_NOTE}.`,
    };
  if (/\(\?<?[=!]/.test(pattern))
    return {
      ok: false,
      error: `Lookaround ((?=…), (?!…), (?<=…), (?<!…)) is not supported: search uses ${REGEX_SYNTAX_NOTE}.`,
    };
  try {
    const re = RE2JS.compile(pattern);
    return { ok: true, test: (text) => re.test(text) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `Not a valid pattern (${message}): search uses ${REGEX_SYNTAX_NOTE}.` };
  }
}
