/** Small display helpers shared by the components. */
import { formatCount, formatOffset, type TypeMap, typeLabel } from '../core/index.ts';

export const n = formatCount;
export const hex8 = formatOffset;

export function typeText(map: TypeMap, type: number | null): string {
  return type === null ? 'line' : typeLabel(map, type);
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
