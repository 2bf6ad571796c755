/** How long a link may be: chat tools cut long links, browsers and servers refuse very long ones. */
import { formatCount } from './diagnostics.ts';

/** Chat tools and some mail clients cut links longer than this. */
export const LINK_WARN_LENGTH = 2000;
/** Links longer than this are neither made nor read: browsers and servers start refusing them. */
export const LINK_MAX_LENGTH = 512 * 1024;

export type LinkLengthClass = 'ok' | 'long' | 'too-long';

export function classifyLinkLength(length: number): LinkLengthClass {
  return length > LINK_MAX_LENGTH ? 'too-long' : length > LINK_WARN_LENGTH ? 'long' : 'ok';
}

/** One sentence for the user about a link this long, or null when there is nothing to say. */
export function linkLengthAdvice(length: number): string | null {
  switch (classifyLinkLength(length)) {
    case 'ok':
      return null;
    case 'long':
      return `The link is ${formatCount(length)} characters long: chat tools often cut links longer than ${formatCount(LINK_WARN_LENGTH)}, so check it arrives whole.`;
    case 'too-long':
      return `The link would be ${formatCount(length)} characters long, more than the ${formatCount(LINK_MAX_LENGTH)} a link may have: share a hash link or an excerpt instead.`;
  }
}
